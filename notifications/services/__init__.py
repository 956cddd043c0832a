"""Writes of the notifications app. ``alert_raise`` is what the domain apps call."""

from notifications.services.alerts import alert_mark_read, alert_raise, alerts_mark_all_read
from notifications.services.deliveries import (
    TemporarySendError,
    deliveries_sweep,
    delivery_retry,
    delivery_send,
)
from notifications.services.digests import digests_prepare
from notifications.services.preferences import preference_get, preference_update

__all__ = [
    "TemporarySendError",
    "alert_mark_read",
    "alert_raise",
    "alerts_mark_all_read",
    "deliveries_sweep",
    "delivery_retry",
    "delivery_send",
    "digests_prepare",
    "preference_get",
    "preference_update",
]
