"""Where contracts meets notifications: words for alerts in the reader's language.
Registered in ``ContractsConfig.ready``."""

from typing import Any

from contracts.rules.decisions import ARTICLES, article
from contracts.rules.terms import TERM_KINDS


def alert_labels(context: dict[str, Any]) -> dict[str, Any]:
    """The article of the rule and the name of the term an alert cites, in the active language."""
    labels = {}
    rule = context.get("rule")
    if rule in ARTICLES:
        labels["article"] = article(rule)
    kind = context.get("term_kind")
    if kind in TERM_KINDS:
        labels["term_label"] = str(TERM_KINDS[kind].label)
    return labels
