"""The daily digest (08:00, Asia/Shanghai): each person who takes their alerts as a digest
gets one e-mail with the alerts raised for them since their last digest.

At most one digest per person and day (a unique row): running the job twice, or on two
machines at once, sends nothing twice. Alerts raised after today's digest wait for
tomorrow's."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.batches import each_object
from notifications.models import Alert, Delivery, Digest, Mailing
from notifications.services.deliveries import delivery_queue


def _awaiting(*, cutoff: dt.datetime):
    return Alert.objects.filter(mailing=Mailing.DIGEST, digest__isnull=True, created_at__lte=cutoff)


def digest_prepare(*, recipient_id: int, date: dt.date, cutoff: dt.datetime) -> Digest | None:
    """The recipient's digest for ``date`` with every alert awaiting one, and its delivery;
    None when they already have that day's digest or nothing awaits."""
    try:
        with transaction.atomic():
            if Digest.objects.filter(recipient_id=recipient_id, date=date).exists():
                return None
            digest = Digest.objects.create(recipient_id=recipient_id, date=date)
            carried = _awaiting(cutoff=cutoff).filter(recipient_id=recipient_id).update(digest=digest)
            if not carried:
                transaction.set_rollback(True)
                return None
            delivery = Delivery.objects.create(digest=digest, recipient_id=recipient_id, next_attempt_at=timezone.now())
            delivery_queue(delivery_id=delivery.pk)
    except IntegrityError:
        return None  # another run made today's digest a moment ago
    return digest


def digests_prepare(*, now: dt.datetime | None = None) -> list[int]:
    """Make today's digest for everyone with alerts awaiting one; returns the digests made.
    A reader whose digest fails is logged with their id and skipped (``config.batches``); the
    others still get theirs."""
    now = now or timezone.now()
    date = timezone.localdate(now)
    recipients = _awaiting(cutoff=now).values_list("recipient_id", flat=True).distinct().order_by("recipient_id")
    made: list[int] = []

    def prepare(recipient_id: int) -> None:
        digest = digest_prepare(recipient_id=recipient_id, date=date, cutoff=now)
        if digest is not None:
            made.append(digest.pk)

    each_object(list(recipients), prepare, task="notifications.send_digests", what="recipient")
    return made
