"""The talks' hourly deadline sweep: the answer to a consultation request (R1) is owed by the
side that received it; a vacancy (R2) by the representative's side. Each is announced once
when due within 7 days and raises one overdue alert once late."""

import datetime as dt

import pytest

from bargaining.models import NegotiationStatus, Side
from bargaining.services.deadline_alerts import negotiation_deadline_alerts_raise
from bargaining.services.negotiations import negotiation_request
from bargaining.services.representatives import representative_add
from bargaining.tasks import deadline_alerts
from contracts.enterprises.models import Role
from notifications.models import Alert, Level
from tests.factories import FederationOfficerFactory, NegotiationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def people(enterprise, make_member, union_user, employer_user):
    return {
        "union_negotiator": union_user,
        "employer_negotiator": employer_user,
        "leader": make_member(enterprise, Role.UNION_LEADER),
        "officer": FederationOfficerFactory(federation=enterprise.federation).user,
    }


@pytest.fixture
def requested(enterprise, union_user):
    """The union's written request, received on Wednesday 4 March 2026: answer due 24 March (R1)."""
    negotiation = NegotiationFactory(enterprise=enterprise, title="Wage talks 2026")
    negotiation = negotiation_request(
        user=union_user, negotiation=negotiation, requested_by=Side.UNION, received_on=D("2026-03-04")
    )
    assert negotiation.reply_due == D("2026-03-24")
    return negotiation


def recipients(people, alerts):
    names = {user.pk: name for name, user in people.items()}
    return sorted(names[a.recipient_id] for a in alerts)


def test_the_answer_due_within_7_days_reminds_the_side_that_received_the_request(people, requested):
    first = negotiation_deadline_alerts_raise(today=D("2026-03-18"))
    second = negotiation_deadline_alerts_raise(today=D("2026-03-19"))

    (alert,) = Alert.objects.all()
    assert recipients(people, [alert]) == ["employer_negotiator"]
    assert (alert.template, alert.level, alert.context["rule"]) == ("deadline_soon", Level.WARNING, "R1")
    assert alert.context["who"] == "the employer side"
    assert alert.dedup_key == f"soon:R1:negotiation:{requested.pk}:2026-03-24"
    assert alert.link == f"/negotiations/{requested.pk}/"
    assert (first, second) == ({"R1:soon": 1}, {})


def test_an_unanswered_request_raises_one_overdue_alert_run_twice(people, requested):
    negotiation_deadline_alerts_raise(today=D("2026-03-25"))
    negotiation_deadline_alerts_raise(today=D("2026-03-25"))

    alerts = Alert.objects.filter(level=Level.OVERDUE)
    assert recipients(people, alerts) == ["employer_negotiator", "leader", "officer"]
    assert {a.dedup_key for a in alerts} == {f"overdue:R1:negotiation:{requested.pk}:2026-03-24"}


def test_an_answered_request_raises_nothing(people, requested):
    requested.status = NegotiationStatus.PREPARING
    requested.save()

    assert negotiation_deadline_alerts_raise(today=D("2026-03-25")) == {}


def test_an_open_vacancy_is_announced_then_overdue_and_a_filled_one_is_not(people, enterprise, union_user):
    # given a negotiation in rounds where a union representative left on 2 March 2026 (fill by 17 March)
    negotiation = NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.IN_ROUNDS)
    gone = RepresentativeFactory(negotiation=negotiation, side=Side.UNION, name="Li Lei", vacated_on=D("2026-03-02"))

    soon = negotiation_deadline_alerts_raise(today=D("2026-03-12"))
    late = negotiation_deadline_alerts_raise(today=D("2026-03-18"))

    assert (soon, late) == ({"R2:soon": 1}, {"R2:overdue": 3})
    overdue = Alert.objects.filter(level=Level.OVERDUE)
    assert recipients(people, overdue) == ["leader", "officer", "union_negotiator"]
    assert {a.context["detail"] for a in overdue} == {"Li Lei"}
    assert {a.dedup_key for a in overdue} == {f"overdue:R2:representative:{gone.pk}:2026-03-17"}

    # when the vacancy is filled, later sweeps stay quiet
    representative_add(user=union_user, negotiation=negotiation, side=Side.UNION, name="Han Mei", replaces=gone)
    assert negotiation_deadline_alerts_raise(today=D("2026-03-19")) == {}


def test_the_hourly_task_runs_the_sweep_for_today(people, requested, freeze_now):
    from zoneinfo import ZoneInfo

    freeze_now(dt.datetime(2026, 3, 25, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai")))

    assert deadline_alerts() == {"R1:overdue": 3}
    assert deadline_alerts() == {}
