"""Sending one delivery against a real SMTP server: claimed before it is sent, sent at most
once, retried while the server fails for a while, failed (and shown) after the last
attempt, and announced to the domain once it went out."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Alert, Delivery, DeliveryStatus, Level
from notifications.services import TemporarySendError, alert_raise, deliveries_sweep, delivery_retry, delivery_send
from notifications.services.deliveries import retry_delay
from notifications.signals import alert_delivered
from notifications.tasks import send_delivery
from tests.factories import UserFactory
from tests.notifications.conftest import breach_context
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(db):
    (alert,) = alert_raise(
        recipients=[UserFactory(email="leader@example.org").pk],
        level=Level.BREACH,
        template="breach_found",
        context=breach_context(),
        link="/api/v1/breaches/1/",
        dedup_key="breach:1",
    )
    return Delivery.objects.get(alert=alert)


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids handed to the broker, instead of a broker."""
    ids = []
    monkeypatch.setattr(send_delivery, "delay", ids.append)
    return ids


def test_a_delivery_is_sent_once_even_if_its_task_runs_twice(smtp_backend, delivery):
    first = delivery_send(delivery_id=delivery.pk)
    second = delivery_send(delivery_id=delivery.pk)

    assert first.status == DeliveryStatus.SENT
    assert second is None
    assert len(smtp_backend.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.to_address) == (DeliveryStatus.SENT, 1, "leader@example.org")
    assert delivery.sent_at is not None and delivery.lease_until is None


def test_a_temporary_refusal_leaves_it_pending_after_a_backoff_then_it_is_sent_once(smtp_backend, delivery):
    # given a mail server that answers 451 once
    smtp_backend.handler.refuse_next = 1

    # when the first attempt runs
    with pytest.raises(TemporarySendError, match="451"):
        delivery_send(delivery_id=delivery.pk)

    # then it waits, pending, for the backoff
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert "451" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + retry_delay(1) - dt.timedelta(seconds=5)
    assert smtp_backend.received == []

    # and the retry delivers it exactly once
    assert delivery_send(delivery_id=delivery.pk).status == DeliveryStatus.SENT
    assert len(smtp_backend.received) == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (2, "")


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_BACKOFF = 60
    settings.NOTIFICATIONS_RETRY_BACKOFF_MAX = 300

    assert [retry_delay(n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 300, 300]


def test_a_permanent_refusal_fails_at_once_without_retrying(smtp_backend, delivery):
    smtp_backend.handler.refuse_next = 1
    smtp_backend.handler.refuse_reply = "550 5.1.1 Mailbox unavailable"

    result = delivery_send(delivery_id=delivery.pk)

    assert result.status == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "550" in delivery.last_error
    assert delivery_send(delivery_id=delivery.pk) is None  # a failed delivery is not sent by a stray task


def test_after_the_last_retry_it_is_failed_and_listed_for_the_admins(smtp_backend, delivery, settings, admin_client):
    # given a server that keeps refusing, and two retries allowed
    settings.NOTIFICATIONS_MAX_RETRIES = 2
    smtp_backend.handler.refuse_next = 100

    # when all three attempts run
    for _ in range(2):
        with pytest.raises(TemporarySendError):
            delivery_send(delivery_id=delivery.pk)
    last = delivery_send(delivery_id=delivery.pk)

    # then it is failed with the server's answer, never dropped
    assert last.status == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "451" in delivery.last_error
    assert smtp_backend.handler.refused == 3
    # and the admins see it under the "failed" filter
    page = admin_client.get("/admin/notifications/delivery/", {"status__exact": "failed"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [delivery]


def test_an_admin_sends_a_failed_delivery_again(smtp_backend, delivery, queued, django_capture_on_commit_callbacks):
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=9, last_error="451")

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_retry(delivery=delivery) is True

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert queued == [delivery.pk]
    assert delivery_send(delivery_id=delivery.pk).status == DeliveryStatus.SENT


def test_no_mail_server_listening_is_a_temporary_failure(settings, delivery):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there

    with pytest.raises(TemporarySendError):
        delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)


def test_a_delivery_claimed_by_a_live_worker_is_left_to_it(smtp_backend, delivery):
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, lease_until=timezone.now() + dt.timedelta(minutes=5)
    )

    assert delivery_send(delivery_id=delivery.pk) is None
    assert smtp_backend.received == []


def test_a_claim_whose_lease_ran_out_is_taken_over_and_sent(smtp_backend, delivery):
    # given a worker that claimed it and died (its lease has passed)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )

    result = delivery_send(delivery_id=delivery.pk)

    assert result.status == DeliveryStatus.SENT
    assert result.attempts == 2
    assert len(smtp_backend.received) == 1


def test_a_delivery_whose_senders_kept_dying_is_failed_not_sent_forever(smtp_backend, delivery, settings):
    settings.NOTIFICATIONS_MAX_RETRIES = 2
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=3, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )

    assert delivery_send(delivery_id=delivery.pk) is None

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "gave up after 3 attempts" in delivery.last_error
    assert smtp_backend.received == []


def test_sending_announces_the_alert_once_it_went_out(smtp_backend, delivery):
    heard = []

    def receiver(sender, alert, **kwargs):
        heard.append(alert.pk)

    alert_delivered.connect(receiver)
    try:
        delivery_send(delivery_id=delivery.pk)
    finally:
        alert_delivered.disconnect(receiver)

    assert heard == [delivery.alert_id]
    delivery.refresh_from_db()
    assert delivery.announced_at is not None


def test_a_failing_receiver_does_not_undo_the_sending(smtp_backend, delivery):
    def broken(sender, alert, **kwargs):
        raise RuntimeError("receiver bug")

    alert_delivered.connect(broken)
    try:
        result = delivery_send(delivery_id=delivery.pk)
    finally:
        alert_delivered.disconnect(broken)

    assert result.status == DeliveryStatus.SENT
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


def test_nothing_is_announced_when_the_send_failed(smtp_backend, delivery):
    smtp_backend.handler.refuse_next = 1
    smtp_backend.handler.refuse_reply = "554 5.7.1 Rejected"
    heard = []

    def receiver(sender, alert, **kwargs):
        heard.append(alert.pk)

    alert_delivered.connect(receiver)
    try:
        delivery_send(delivery_id=delivery.pk)
    finally:
        alert_delivered.disconnect(receiver)

    assert heard == []


# --- the sweep ------------------------------------------------------------------------------


def test_sweep_requeues_pending_deliveries_past_the_grace_period_only(delivery, queued, settings):
    settings.NOTIFICATIONS_GRACE_SECONDS = 120
    other = Delivery.objects.create(
        alert=Alert.objects.create(recipient=delivery.recipient, level=Level.INFO, template="x", dedup_key="other"),
        recipient=delivery.recipient,
        next_attempt_at=timezone.now(),
    )
    # the first was due five minutes ago (its task was lost); the other just now (its task is on its way)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=5))

    counts = deliveries_sweep()

    assert queued == [delivery.pk]
    assert counts == {"pending": 1, "stalled": 0, "announced": 0}
    assert other.pk not in queued


def test_sweep_requeues_a_claim_whose_lease_ran_out_but_not_a_live_one(delivery, queued):
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    live = Delivery.objects.create(
        alert=Alert.objects.create(recipient=delivery.recipient, level=Level.INFO, template="x", dedup_key="live"),
        recipient=delivery.recipient,
        status=DeliveryStatus.SENDING,
        attempts=1,
        lease_until=timezone.now() + dt.timedelta(minutes=5),
        next_attempt_at=timezone.now() - dt.timedelta(hours=1),
    )

    counts = deliveries_sweep()

    assert queued == [delivery.pk]
    assert counts["stalled"] == 1
    assert live.pk not in queued


def test_sweep_leaves_sent_and_failed_deliveries_alone(delivery, queued):
    long_ago = timezone.now() - dt.timedelta(days=1)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=long_ago, announced_at=long_ago, next_attempt_at=long_ago
    )

    assert deliveries_sweep() == {"pending": 0, "stalled": 0, "announced": 0}
    assert queued == []


def test_sweep_announces_a_sent_delivery_whose_worker_died_before_announcing_it(delivery, queued):
    heard = []

    def receiver(sender, alert, **kwargs):
        heard.append(alert.pk)

    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now() - dt.timedelta(minutes=10)
    )
    alert_delivered.connect(receiver)
    try:
        first = deliveries_sweep()
        second = deliveries_sweep()
    finally:
        alert_delivered.disconnect(receiver)

    assert (first["announced"], second["announced"]) == (1, 0)
    assert heard == [delivery.alert_id]


def _alert_deliveries(count: int) -> list[Delivery]:
    recipients = [UserFactory(email=f"delegate{i}@example.org").pk for i in range(count)]
    alerts = alert_raise(
        recipients=recipients,
        level=Level.BREACH,
        template="breach_found",
        context=breach_context(),
        link="/api/v1/breaches/1/",
        dedup_key="breach:batch",
    )
    return list(Delivery.objects.filter(alert__in=alerts).order_by("pk"))


def test_a_batch_of_due_deliveries_goes_out_over_one_smtp_connection(smtp_backend, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 50
    deliveries = _alert_deliveries(5)

    # the first delivery's task sends the whole batch
    delivery_send(delivery_id=deliveries[0].pk)

    received = smtp_backend.received
    assert sorted(address for r in received for address in r.rcpt_tos) == sorted(d.recipient.email for d in deliveries)
    assert len({r.peer for r in received}) == 1
    # and the others' own tasks find them sent and send nothing again
    for delivery in deliveries[1:]:
        assert delivery_send(delivery_id=delivery.pk) is None
    assert len(smtp_backend.received) == 5
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


def test_a_batch_stops_at_a_temporary_refusal_and_leaves_the_rest_pending(smtp_backend, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 50
    deliveries = _alert_deliveries(4)
    # the server accepts the first message, then refuses the second once
    original = smtp_backend.handler.handle_DATA
    calls = []

    async def refuse_second(server, session, envelope):
        calls.append(1)
        if len(calls) == 2:
            return "451 4.3.0 Mail server busy, try again later"
        return await original(server, session, envelope)

    smtp_backend.handler.handle_DATA = refuse_second

    delivery_send(delivery_id=deliveries[0].pk)

    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses[deliveries[0].pk] == DeliveryStatus.SENT
    assert sorted(statuses.values()).count(DeliveryStatus.SENT) == 1
    refused = Delivery.objects.exclude(status=DeliveryStatus.SENT).filter(attempts=1).get()
    assert refused.status == DeliveryStatus.PENDING and "451" in refused.last_error
    assert refused.next_attempt_at > timezone.now()
    # the two never tried are still due and untouched: the next task sends both, not the refused
    # one, which waits for its backoff
    untouched = list(Delivery.objects.filter(attempts=0))
    assert len(untouched) == 2
    assert delivery_send(delivery_id=untouched[0].pk).status == DeliveryStatus.SENT
    assert set(Delivery.objects.filter(pk__in=[d.pk for d in untouched]).values_list("status", flat=True)) == {
        DeliveryStatus.SENT
    }
    assert len(smtp_backend.received) == 3
    refused.refresh_from_db()
    assert refused.status == DeliveryStatus.PENDING
