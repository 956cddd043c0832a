"""The e-mail outbox under faults, with real Celery workers and a real SMTP server
(aiosmtpd on 127.0.0.1, in this process): a mail server that refuses for a while, a worker
killed in the middle of sending, a broker that was down when the alert was raised, and the
digest job run twice. Every alert arrives, and arrives once."""

import datetime as dt
import time
from collections import Counter

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications.models import Delivery, DeliveryStatus, Level, Mode, Preference
from notifications.services import alert_raise
from notifications.tasks import send_delivery, send_digests, sweep
from tests.factories import UserFactory
from tests.smtp import WAIT

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SETTLE = 3  # seconds to wait after the last expected message, for any duplicate to show up


@pytest.fixture
def mail_worker(restartable_worker, smtp_server):
    """A worker that sends through the test SMTP server, retries after 1–2 s, and holds a
    claim for 3 s (so a killed worker's claim runs out within the test)."""

    def make(**env):
        defaults = {
            "EMAIL_URL": smtp_server.url,
            "NOTIFICATIONS_RETRY_BACKOFF": "1",
            "NOTIFICATIONS_RETRY_BACKOFF_MAX": "2",
            "NOTIFICATIONS_MAX_RETRIES": "5",
            "NOTIFICATIONS_LEASE_SECONDS": "3",
        }
        return restartable_worker(**{**defaults, **env})

    return make


def wait_until(condition, *, worker, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        worker.assert_running()
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout:.0f} s; the workers' logs:\n{worker.log()}")
        time.sleep(0.2)
    return result


def raise_breach(users, *, key="breach:1:20260401"):
    """A breach alert, committed (and so queued) as the compliance run would leave it."""
    return alert_raise(
        recipients=[user.pk for user in users],
        level=Level.BREACH,
        template="breach_found",
        context={
            "breach": 1,
            "enterprise": "Hengda Textiles",
            "contract": "Collective contract 2026–2029",
            "clause": "3",
            "term_kind": "min_monthly_wage",
            "period": "2026-03",
            "unit": "fen",
            "affected": 12,
            "total_shortfall": 123456,
            "worst_shortfall": 30000,
            "rule": "R13",
            "article": "Labour Law, Art. 48",
        },
        link="/api/v1/breaches/1/",
        dedup_key=key,
    )


def all_sent(count: int):
    return lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == count


def assert_once_each(smtp_server, users):
    """Exactly one message per user, addressed to that user alone, even after waiting a little."""
    time.sleep(SETTLE)
    per_recipient = Counter(address for message in smtp_server.received for address in message.rcpt_tos)
    assert per_recipient == Counter({user.email: 1 for user in users})
    assert all(len(message.rcpt_tos) == 1 for message in smtp_server.received)


def test_a_mail_server_refusing_for_a_while_then_recovering_gets_every_alert_exactly_once(mail_worker, smtp_server):
    # given a mail server that answers "451 try again later" to the first four messages
    smtp_server.handler.refuse_next = 4
    worker = mail_worker()
    worker.start()
    users = [UserFactory(email=f"leader{n}@example.org") for n in range(3)]

    # when a breach alert for three people is committed
    raise_breach(users)

    # then, after retries with backoff, each of them got it once
    wait_until(all_sent(3), worker=worker, what="the three deliveries were not sent")
    assert_once_each(smtp_server, users)
    assert smtp_server.handler.refused == 4
    assert sum(Delivery.objects.values_list("attempts", flat=True)) == 3 + 4
    assert all(message.subject.startswith("违约提醒") for message in smtp_server.received)


def test_a_mail_server_that_never_recovers_ends_in_failed_deliveries_not_silence(mail_worker, smtp_server):
    smtp_server.handler.refuse_next = 1000
    worker = mail_worker(NOTIFICATIONS_MAX_RETRIES="2")
    worker.start()
    user = UserFactory()

    raise_breach([user])

    delivery = wait_until(
        lambda: Delivery.objects.filter(status=DeliveryStatus.FAILED).first(),
        worker=worker,
        what="the delivery was not marked failed",
    )
    assert delivery.attempts == 3  # the first attempt and two retries
    assert "451" in delivery.last_error
    assert smtp_server.received == []


def test_a_worker_killed_in_the_middle_of_sending_loses_and_doubles_nothing(mail_worker, smtp_server):
    # given a mail server that stops answering in the middle of the first conversation (at RCPT,
    # before any message exists), and three alerts queued
    smtp_server.handler.stall_at = "RCPT"
    worker = mail_worker()
    worker.start()
    users = [UserFactory(email=f"leader{n}@example.org") for n in range(3)]
    raise_breach(users)
    assert smtp_server.handler.stalled.wait(WAIT), worker.log()
    (in_flight,) = Delivery.objects.filter(status=DeliveryStatus.SENDING)

    # when the worker is killed there, the server recovers, and a new worker starts
    worker.kill()
    smtp_server.handler.release.set()
    assert smtp_server.received == []
    worker.start()

    # then the deliveries it never started go out; the one it died on waits for its claim to
    # run out, and the sweep (beat runs it every minute) hands it to the new worker
    wait_until(all_sent(2), worker=worker, what="the two untouched deliveries were not sent")
    wait_until(lambda: timezone.now() > in_flight.lease_until, worker=worker, what="the lease did not run out")
    sweep.delay()
    wait_until(all_sent(3), worker=worker, what="the delivery the killed worker held was not sent")
    assert_once_each(smtp_server, users)
    in_flight.refresh_from_db()
    assert in_flight.attempts == 2


def test_a_worker_killed_after_the_server_accepted_sends_once_more_with_the_same_message_id(mail_worker, smtp_server):
    """The one window SMTP leaves open (RFC 1047): the server has the message, the worker dies
    before recording it. It is sent again, as the same message (same Message-ID), which is
    what lets a receiving system drop the copy."""
    smtp_server.handler.stall_at = "DATA"  # records the message, then never answers 250
    worker = mail_worker()
    worker.start()
    user = UserFactory()
    raise_breach([user])
    assert smtp_server.handler.stalled.wait(WAIT), worker.log()

    worker.kill()
    smtp_server.handler.release.set()
    worker.start()
    delivery = Delivery.objects.get()
    wait_until(lambda: timezone.now() > delivery.lease_until, worker=worker, what="the lease did not run out")
    sweep.delay()

    wait_until(all_sent(1), worker=worker, what="the delivery was not sent again")
    time.sleep(SETTLE)
    first, second = smtp_server.to(user.email)
    delivery.refresh_from_db()
    assert first.message_id == second.message_id == delivery.message_id
    assert len(smtp_server.received) == 2


def test_an_alert_raised_while_the_broker_was_down_is_sent_by_the_sweep(mail_worker, smtp_server, monkeypatch):
    worker = mail_worker()
    worker.start()
    user = UserFactory()

    # given the alert was committed while the broker refused the task (the cause still committed)
    def broker_down(*args, **kwargs):
        raise OperationalError("broker down")

    with monkeypatch.context() as patch:
        patch.setattr(send_delivery, "delay", broker_down)
        raise_breach([user])
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    # and it has waited longer than the grace period
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=10))

    # when beat's sweep runs
    sweep.delay()

    # then it is sent, once
    wait_until(all_sent(1), worker=worker, what="the delivery was not sent")
    assert_once_each(smtp_server, [user])


def test_the_digest_task_run_twice_sends_one_e_mail(mail_worker, smtp_server):
    worker = mail_worker()
    worker.start()
    reader = UserFactory()
    Preference.objects.create(user=reader, mode=Mode.DAILY_DIGEST)
    raise_breach([reader], key="breach:1")
    raise_breach([reader], key="breach:2")

    send_digests.delay()
    send_digests.delay()

    wait_until(all_sent(1), worker=worker, what="the digest was not sent")
    assert_once_each(smtp_server, [reader])
    assert smtp_server.received[0].subject.startswith("Concord 每日摘要")
