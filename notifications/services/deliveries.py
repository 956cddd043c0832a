"""Sending e-mails from the outbox: each delivery at most once per recipient and dedup key,
retried with backoff while the mail server fails, and marked failed (for the admins)
after the last attempt, never dropped.

A worker claims a delivery (``sending``, with a lease) in one transaction, talks to the
mail server outside any transaction, and records the outcome in another. Two workers
never hold the same claim; a worker that dies leaves a claim whose lease runs out, and
the sweep hands the delivery to another worker.

The one window left: the mail server has accepted the message (its 250 after DATA) and
the worker dies before it records ``sent``. That delivery is sent again after its lease,
with the same Message-ID, which lets mail systems that deduplicate drop the second copy.
No plain-SMTP sender can close this window (RFC 1047); keeping it to the instant between
the server's answer and one UPDATE is what can be done."""

import datetime as dt
import logging
import smtplib
from email.utils import parseaddr

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from config.queue import enqueue, enqueue_on_commit
from notifications.models import Alert, Delivery, DeliveryStatus
from notifications.rendering import Rendered, render_alert, render_digest
from notifications.services.preferences import preference_get
from notifications.signals import alert_delivered

logger = logging.getLogger(__name__)

S = DeliveryStatus


class TemporarySendError(Exception):
    """The mail server or the network failed in a way that may pass: try again later."""


def max_attempts() -> int:
    return settings.NOTIFICATIONS_MAX_RETRIES + 1


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: exponential, capped (as the task's autoretry)."""
    seconds = get_exponential_backoff_interval(
        factor=max(1, int(settings.NOTIFICATIONS_RETRY_BACKOFF)),
        retries=max(0, attempts - 1),
        maximum=settings.NOTIFICATIONS_RETRY_BACKOFF_MAX,
    )
    return dt.timedelta(seconds=seconds)


SEND_TASK = "notifications.send_delivery"


def delivery_queue(*, delivery_id: int) -> None:
    """Queue the sending once the current transaction commits.
    The row is what counts: if the broker is down then, the failure is logged and the sweep
    queues it later, so the cause's transaction never fails for want of a broker."""
    enqueue_on_commit(SEND_TASK, delivery_id, robust=True)


def is_temporary(exc: BaseException) -> bool:
    """SMTP 4xx replies, a dropped connection and network errors may pass; 5xx will not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(400 <= code < 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):
        return False
    return isinstance(exc, OSError)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def message_id(delivery: Delivery) -> str:
    """The same Message-ID every time this delivery is sent, so a second copy can be recognised."""
    domain = settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN or (
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    )
    return f"<concord.delivery.{delivery.pk}.{int(delivery.created_at.timestamp())}@{domain}>"


def delivery_render(delivery: Delivery) -> Rendered:
    """The delivery's e-mail, in its recipient's language."""
    language = preference_get(user=delivery.recipient).language
    if delivery.alert is not None:
        return render_alert(delivery.alert, language=language)
    digest = delivery.digest
    assert digest is not None  # a delivery carries an alert or a digest (its check constraint)
    return render_digest(digest, digest.alerts.order_by("created_at", "id"), language=language)


def delivery_message(delivery: Delivery, connection=None) -> EmailMultiAlternatives:
    """A multipart (plain text + HTML) e-mail for one delivery, to its recipient only."""
    rendered = delivery_render(delivery)
    address = delivery.recipient.email.strip()
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address] if address else [],
        connection=connection,
        headers={
            "Message-ID": message_id(delivery),
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "X-Concord-Delivery": str(delivery.pk),
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def _claim(delivery_id: int) -> Delivery | None:
    """Take the delivery for this worker: pending, or sending under a lease that ran out."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status not in (S.PENDING, S.SENDING):
            return None
        if delivery.status == S.SENDING and delivery.lease_until and delivery.lease_until > now:
            return None  # another worker is sending it right now
        if delivery.attempts >= max_attempts():
            # Its senders kept dying: stop, and show it to the admins.
            delivery.status, delivery.lease_until = S.FAILED, None
            delivery.last_error = (delivery.last_error + "\n" if delivery.last_error else "") + (
                f"gave up after {delivery.attempts} attempts"
            )
            delivery.save(update_fields=["status", "lease_until", "last_error"])
            logger.error("delivery %s failed: %s", delivery.pk, delivery.last_error)
            return None
        delivery.status = S.SENDING
        delivery.attempts += 1
        delivery.lease_until = now + dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
        delivery.save(update_fields=["status", "attempts", "lease_until"])
    return delivery


def _settle(delivery: Delivery, **fields) -> bool:
    """Record the outcome of this worker's claim; False when the claim was lost meanwhile."""
    updated = Delivery.objects.filter(pk=delivery.pk, status=S.SENDING, attempts=delivery.attempts).update(
        lease_until=None, **fields
    )
    for key, value in fields.items():
        setattr(delivery, key, value)
    if not updated:
        logger.warning("delivery %s: attempt %s lost its claim before it settled", delivery.pk, delivery.attempts)
    return bool(updated)


def _fail(delivery: Delivery, error: str) -> Delivery:
    logger.error("delivery %s failed after %s attempt(s): %s", delivery.pk, delivery.attempts, error)
    _settle(delivery, status=S.FAILED, last_error=error)
    return delivery


def _send_claimed(delivery: Delivery, connection) -> dt.datetime | None:
    """Send one claimed delivery over ``connection`` and record the outcome.

    Returns when to try again if the mail server failed in a way that may pass and attempts
    remain (the delivery is then pending again), else None (sent, or failed for good)."""
    try:
        message = delivery_message(delivery, connection=connection)
    except Exception as exc:
        # A template or data error: trying again would fail again.
        logger.exception("delivery %s could not be rendered", delivery.pk)
        _fail(delivery, f"could not be rendered: {_describe(exc)}")
        return None
    if not message.to:
        _fail(delivery, "the recipient has no e-mail address")
        return None
    try:
        connection.open()  # once per batch: open already, it is kept (and closed by the caller)
        message.send()
    except Exception as exc:
        if not is_temporary(exc) or delivery.attempts >= max_attempts():
            _fail(delivery, _describe(exc))
            return None
        next_at = timezone.now() + retry_delay(delivery.attempts)
        _settle(delivery, status=S.PENDING, next_attempt_at=next_at, last_error=_describe(exc))
        logger.warning("delivery %s: attempt %s failed, next at %s: %s", delivery.pk, delivery.attempts, next_at, exc)
        delivery.last_error = _describe(exc)
        return next_at
    if _settle(
        delivery,
        status=S.SENT,
        sent_at=timezone.now(),
        to_address=message.to[0],
        message_id=message.extra_headers["Message-ID"],
        last_error="",
    ):
        delivery_announce(delivery=delivery)
    return None


def _claimed(delivery_id: int) -> Delivery | None:
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    return Delivery.objects.select_related("recipient", "alert__recipient", "digest__recipient").get(pk=delivery.pk)


def _due_ids(*, after: int, limit: int) -> list[int]:
    """Other deliveries due now, oldest first: the rest of the batch the first one came with."""
    return list(
        Delivery.objects.filter(status=S.PENDING, next_attempt_at__lte=timezone.now())
        .exclude(pk=after)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def delivery_send(*, delivery_id: int) -> Delivery | None:
    """Send one delivery if it is still to be sent, then, over the same SMTP connection, up to
    ``NOTIFICATIONS_BATCH_SIZE`` other deliveries already due (a batch of breach alerts goes
    out over one connection; their own tasks then find them sent and return). Safe to run
    twice and from two workers: each delivery is claimed before it is sent.

    Raises ``TemporarySendError`` when the mail server failed on this delivery in a way that
    may pass and attempts remain; it is then pending again, due after the backoff. A batch
    member that fails so is left pending for its own task or the sweep, and the batch stops."""
    delivery = _claimed(delivery_id)
    if delivery is None:
        return None
    connection = get_connection(fail_silently=False, timeout=settings.NOTIFICATIONS_SEND_TIMEOUT)
    try:
        if _send_claimed(delivery, connection) is not None:
            raise TemporarySendError(delivery.last_error)
        for other_id in _due_ids(after=delivery.pk, limit=settings.NOTIFICATIONS_BATCH_SIZE):
            other = _claimed(other_id)
            if other is not None and _send_claimed(other, connection) is not None:
                break
    finally:
        try:
            connection.close()
        except Exception:  # a connection the server already dropped
            logger.debug("closing the SMTP connection failed", exc_info=True)
    return delivery


def delivery_announce(*, delivery: Delivery) -> None:
    """Tell the receivers of ``alert_delivered`` about each alert the delivery carried."""
    if delivery.alert is not None:
        alerts = [delivery.alert]
    else:
        assert delivery.digest is not None  # a delivery carries an alert or a digest (its check constraint)
        alerts = list(delivery.digest.alerts.all())
    for alert in alerts:
        for receiver, result in alert_delivered.send_robust(sender=Alert, alert=alert):
            if isinstance(result, Exception):
                logger.error("alert_delivered receiver %r failed for alert %s: %r", receiver, alert.pk, result)
    Delivery.objects.filter(pk=delivery.pk).update(announced_at=timezone.now())


def deliveries_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue every delivery that should be moving but is not: pending past its due time
    and a grace period (its task was lost with a broker or a worker), or claimed by a
    worker whose lease ran out (it died). Sent deliveries whose receivers were never
    told are announced. Safe to run twice: the claim decides who sends."""
    now = now or timezone.now()
    grace = dt.timedelta(seconds=settings.NOTIFICATIONS_GRACE_SECONDS)
    pending = list(
        Delivery.objects.filter(status=S.PENDING, next_attempt_at__lt=now - grace).values_list("pk", flat=True)
    )
    stalled = list(Delivery.objects.filter(status=S.SENDING, lease_until__lt=now).values_list("pk", flat=True))
    for delivery_id in (*pending, *stalled):
        enqueue(SEND_TASK, delivery_id)
    unannounced = Delivery.objects.filter(status=S.SENT, announced_at__isnull=True, sent_at__lt=now - grace)
    announced = 0
    for delivery in unannounced.select_related("alert"):
        delivery_announce(delivery=delivery)
        announced += 1
    return {"pending": len(pending), "stalled": len(stalled), "announced": announced}


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> bool:
    """An admin sends a failed delivery again, with a fresh set of attempts."""
    updated = Delivery.objects.filter(pk=delivery.pk, status=S.FAILED).update(
        status=S.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None
    )
    if updated:
        delivery_queue(delivery_id=delivery.pk)
    return bool(updated)
