"""alert_raise: the alert and its delivery are written with their cause, queued after
commit, never twice for the same person and dedup key, and e-mailed as each recipient prefers."""

import pytest
from django.db import transaction

from notifications.models import Alert, Delivery, DeliveryStatus, Level, Mailing, Mode, Preference
from notifications.services import alert_raise
from notifications.tasks import send_delivery
from tests.factories import UserFactory
from tests.notifications.conftest import breach_context

pytestmark = pytest.mark.django_db


def raise_breach(recipients, dedup_key="breach:1:20260401", level=Level.BREACH):
    return alert_raise(
        recipients=[user.pk for user in recipients],
        level=level,
        template="breach_found",
        context=breach_context(),
        link="/api/v1/breaches/1/",
        dedup_key=dedup_key,
    )


def test_alert_raise_writes_a_pending_delivery_per_immediate_recipient_and_queues_it_on_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    # given two people who take their alerts at once (no preference saved)
    leader, officer = UserFactory(), UserFactory()
    queued = []
    monkeypatch.setattr(send_delivery, "delay", lambda delivery_id: queued.append(delivery_id))

    # when a breach alert is raised for both
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alerts = raise_breach([leader, officer])

    # then each has one alert, one pending delivery, and its sending was queued after commit
    assert sorted(a.recipient_id for a in alerts) == sorted([leader.pk, officer.pk])
    assert {a.mailing for a in alerts} == {Mailing.IMMEDIATE}
    deliveries = Delivery.objects.order_by("pk")
    assert [(d.recipient_id, d.status, d.attempts) for d in deliveries] == [
        (leader.pk, DeliveryStatus.PENDING, 0),
        (officer.pk, DeliveryStatus.PENDING, 0),
    ]
    assert len(callbacks) == 2
    assert queued == [d.pk for d in deliveries]


def test_alert_raise_twice_with_the_same_key_raises_and_queues_nothing_more(django_capture_on_commit_callbacks):
    leader = UserFactory()
    raise_breach([leader])

    with django_capture_on_commit_callbacks() as callbacks:
        again = raise_breach([leader])

    assert again == []
    assert Alert.objects.count() == 1
    assert Delivery.objects.count() == 1
    assert callbacks == []


def test_alert_raise_adds_only_the_recipients_who_do_not_have_the_key_yet():
    first, second = UserFactory(), UserFactory()
    raise_breach([first])

    added = raise_breach([first, second])

    assert [a.recipient_id for a in added] == [second.pk]
    assert Alert.objects.filter(dedup_key="breach:1:20260401").count() == 2


def test_a_cause_rolled_back_leaves_no_alert_no_delivery_and_queues_nothing(django_capture_on_commit_callbacks):
    leader = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        raise_breach([leader])
        raise RuntimeError("the compliance run failed after raising")

    assert Alert.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert callbacks == []


def test_a_digest_reader_gets_the_alert_without_an_immediate_delivery():
    reader = UserFactory()
    Preference.objects.create(user=reader, mode=Mode.DAILY_DIGEST)

    (alert,) = raise_breach([reader])

    assert alert.mailing == Mailing.DIGEST
    assert alert.digest is None
    assert not Delivery.objects.exists()


def test_an_opted_out_level_is_kept_in_the_app_but_not_e_mailed():
    user = UserFactory()
    Preference.objects.create(user=user, opted_out_levels=[Level.INFO])

    (alert,) = raise_breach([user], level=Level.INFO)

    assert alert.mailing == Mailing.OFF
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("level", [Level.BREACH, Level.OVERDUE])
def test_breach_and_overdue_are_e_mailed_even_if_a_stored_preference_lists_them(level):
    # given a preference row that names them anyway (the API refuses it; the admin could store it)
    user = UserFactory()
    Preference.objects.create(user=user, opted_out_levels=[Level.BREACH, Level.OVERDUE, Level.INFO])

    (alert,) = raise_breach([user], level=level)

    assert alert.mailing == Mailing.IMMEDIATE
    assert Delivery.objects.filter(alert=alert).exists()


def test_alert_raise_refuses_an_unknown_level():
    with pytest.raises(ValueError, match="unknown alert level"):
        raise_breach([UserFactory()], level="critical")
