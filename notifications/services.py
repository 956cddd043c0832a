"""Raising alerts. Called inside the caller's transaction, so an alert exists exactly
when its cause does (the transactional outbox)."""

from collections.abc import Iterable
from typing import Any

from notifications.models import Alert


def alert_raise(
    *,
    recipients: Iterable[int],
    level: str,
    template: str,
    context: dict[str, Any],
    link: str = "",
    dedup_key: str,
) -> list[Alert]:
    """One alert per recipient; a recipient who already has ``dedup_key`` gets nothing new."""
    recipients = sorted(set(recipients))
    existing = set(
        Alert.objects.filter(recipient_id__in=recipients, dedup_key=dedup_key).values_list("recipient_id", flat=True)
    )
    alerts = [
        Alert(recipient_id=user_id, level=level, template=template, context=context, link=link, dedup_key=dedup_key)
        for user_id in recipients
        if user_id not in existing
    ]
    return Alert.objects.bulk_create(alerts)
