"""Raising alerts, and reading them in the app.

``alert_raise`` runs inside the caller's transaction, so an alert and the delivery that
e-mails it exist exactly when their cause does (the transactional outbox)."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from notifications.models import Alert, Delivery, Level, Mailing
from notifications.services.deliveries import delivery_queue
from notifications.services.preferences import mailing_for, preferences_for


@transaction.atomic
def alert_raise(
    *,
    recipients: Iterable[int],
    level: str,
    template: str,
    context: dict[str, Any],
    link: str = "",
    dedup_key: str,
) -> list[Alert]:
    """One alert per recipient; a recipient who already has ``dedup_key`` gets nothing new.
    Each new alert is e-mailed at once, in the next daily digest, or not at all, as its
    recipient prefers; the e-mail is queued when the caller's transaction commits."""
    if level not in Level.values:
        raise ValueError(f"unknown alert level {level!r}")
    recipients = sorted(set(recipients))
    existing = set(
        Alert.objects.filter(recipient_id__in=recipients, dedup_key=dedup_key).values_list("recipient_id", flat=True)
    )
    new = [user_id for user_id in recipients if user_id not in existing]
    if not new:
        return []
    preferences = preferences_for(user_ids=new)
    alerts = Alert.objects.bulk_create(
        [
            Alert(
                recipient_id=user_id,
                level=level,
                template=template,
                context=context,
                link=link,
                dedup_key=dedup_key,
                mailing=mailing_for(preference=preferences[user_id], level=level),
            )
            for user_id in new
        ]
    )
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(alert=alert, recipient_id=alert.recipient_id, next_attempt_at=now)
            for alert in alerts
            if alert.mailing == Mailing.IMMEDIATE
        ]
    )
    for delivery in deliveries:
        delivery_queue(delivery_id=delivery.pk)
    return alerts


def alert_mark_read(*, user, alert: Alert) -> Alert:
    """The user has seen their alert; reading it again changes nothing."""
    if alert.read_at is None:
        alert.read_at = timezone.now()
        Alert.objects.filter(pk=alert.pk, recipient=user, read_at__isnull=True).update(read_at=alert.read_at)
    return alert


def alerts_mark_all_read(*, user) -> int:
    """Every unread alert of the user is read now; returns how many were unread."""
    return Alert.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
