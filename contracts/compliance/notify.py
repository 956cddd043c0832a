"""Breaches marked notified once their alert has gone out. Connected in ``ContractsConfig.ready``."""

from contracts.compliance.services.breaches import breach_mark_notified


def breach_alert_delivered(sender, *, alert, **kwargs) -> None:
    """An open breach becomes notified once its alert has reached someone (safe to run twice)."""
    breach_id = alert.context.get("breach") if alert.template == "breach_found" else None
    if breach_id:
        breach_mark_notified(breach_id=breach_id)
