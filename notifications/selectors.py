"""Reads of alerts shared by the API and the pages: a person only ever sees their own."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from notifications.models import Alert


def alert_list(*, user, level: str | None = None, read: bool | None = None) -> QuerySet[Alert]:
    """The user's own alerts, unread first, then newest first."""
    if not user.is_authenticated:
        return Alert.objects.none()
    alerts = Alert.objects.filter(recipient=user)
    if level:
        alerts = alerts.filter(level=level)
    if read is not None:
        alerts = alerts.filter(read_at__isnull=not read)
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return alerts.annotate(unread=unread).order_by("-unread", "-created_at", "-id")


def alert_unread_count(*, user) -> int:
    """How many of the user's own alerts are unread: one count on the (recipient, read_at) index."""
    if not user.is_authenticated:
        return 0
    return Alert.objects.filter(recipient=user, read_at__isnull=True).count()
