"""Celery tasks of the notifications app: thin wrappers around services, safe to run twice."""

from celery import shared_task
from django.conf import settings

from notifications.services import deliveries, digests


@shared_task(
    name="notifications.send_delivery",
    autoretry_for=(deliveries.TemporarySendError,),
    max_retries=settings.NOTIFICATIONS_MAX_RETRIES,
    retry_backoff=settings.NOTIFICATIONS_RETRY_BACKOFF,
    retry_backoff_max=settings.NOTIFICATIONS_RETRY_BACKOFF_MAX,
    retry_jitter=True,
)
def send_delivery(delivery_id: int) -> str | None:
    """Send one e-mail of the outbox; retried with backoff only while the mail server fails for a while."""
    delivery = deliveries.delivery_send(delivery_id=delivery_id)
    return delivery.status if delivery is not None else None


@shared_task(name="notifications.sweep")
def sweep() -> dict[str, int]:
    """Every minute: queue again the deliveries whose task was lost (broker down, worker died)."""
    return deliveries.deliveries_sweep()


@shared_task(name="notifications.send_digests")
def send_digests() -> list[int]:
    """Daily at 08:00 (Asia/Shanghai): each digest reader's alerts since their last digest, in one e-mail."""
    return digests.digests_prepare()
