"""Where contracts meets notifications: words and figures for alerts in the reader's language.
Registered in ``ContractsConfig.ready``."""

from typing import Any

from contracts.rules.decisions import ARTICLES, article
from contracts.rules.terms import TERM_KINDS
from contracts.rules.units import quantity_text

SHORTFALLS = ("total_shortfall", "worst_shortfall")


def alert_labels(context: dict[str, Any]) -> dict[str, Any]:
    """The article of the rule, the name of the term and the shortfalls an alert cites, worded in the
    active language (``total_shortfall_text``, ``worst_shortfall_text``)."""
    labels = {}
    rule = context.get("rule")
    if rule in ARTICLES:
        labels["article"] = article(rule)
    kind = context.get("term_kind")
    if kind in TERM_KINDS:
        labels["term_label"] = str(TERM_KINDS[kind].label)
    if "unit" in context:
        for name in SHORTFALLS:
            if name in context:
                labels[f"{name}_text"] = quantity_text(context[name], context["unit"])
    return labels
