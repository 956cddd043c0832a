"""Where contracts meets notifications: words for alerts in the reader's language, and
breaches marked notified once their alert has gone out. Connected in ``ContractsConfig.ready``."""

from typing import Any

from contracts.rules.decisions import ARTICLES, article
from contracts.terms import TERM_KINDS


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


def breach_alert_delivered(sender, *, alert, **kwargs) -> None:
    """An open breach becomes notified once its alert has reached someone (safe to run twice)."""
    breach_id = alert.context.get("breach") if alert.template == "breach_found" else None
    if breach_id:
        from contracts.services.breaches import breach_mark_notified

        breach_mark_notified(breach_id=breach_id)
