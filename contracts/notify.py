"""Where contracts meets notifications: words and figures for alerts in the reader's language.
Registered in ``ContractsConfig.ready``."""

import re
from typing import Any

from django.utils.translation import pgettext

from contracts.articles import article_label
from contracts.rules.decisions import ARTICLES, article
from contracts.rules.terms import TERM_KINDS
from contracts.rules.units import quantity_text

SHORTFALLS = ("total_shortfall", "worst_shortfall")
# A clause numbered as a Chinese contract prints it ("第四条") is already worded.
WORDED_CLAUSE = re.compile(r"^第.+条$")


def alert_labels(context: dict[str, Any]) -> dict[str, Any]:
    """The article of the rule, the clause, the name of the term and the shortfalls an alert cites,
    worded in the active language (``clause_label``, ``total_shortfall_text``, ``worst_shortfall_text``).

    ``clause_label`` is the article the contract prints the clause as ("第三条", "Article 3") when the
    alert knows it (``clause_article``), so an e-mail, the document and the breach page cite the same
    article; the wording is whole already and templates print it as it is, never inside "第 … 条"."""
    labels = {}
    rule = context.get("rule")
    if rule in ARTICLES:
        labels["article"] = article(rule)
    kind = context.get("term_kind")
    if kind in TERM_KINDS:
        labels["term_label"] = str(TERM_KINDS[kind].label)
    if context.get("clause_article"):
        labels["clause_label"] = article_label(int(context["clause_article"]))
    elif context.get("clause"):
        clause = str(context["clause"]).strip()
        labels["clause_label"] = (
            clause
            if WORDED_CLAUSE.match(clause)
            else pgettext("a clause by its number", "clause %(n)s") % {"n": clause}
        )
    if "unit" in context:
        for name in SHORTFALLS:
            if name in context:
                labels[f"{name}_text"] = quantity_text(context[name], context["unit"])
    return labels
