"""The contracts' hourly deadline sweep: filing (R8), review (R9) and renewal (R10) deadlines
due within 7 days are announced once to the side that owes the action; a late filing raises
one overdue alert, to the union leaders and the federation officers as well."""

import datetime as dt

import pytest

from contracts.enterprises.models import Role
from contracts.models import ContractStatus
from contracts.services.deadline_alerts import contract_deadline_alerts_raise
from contracts.services.lifecycle import contract_filing_deadline
from contracts.tasks import deadline_alerts
from notifications.models import Alert, Level
from tests.factories import ContractFactory, EnterpriseFactory, FederationOfficerFactory, MembershipFactory

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def people(enterprise):
    """One person in each role of the enterprise, its federation's officer, and a leader elsewhere."""

    def member(role):
        return MembershipFactory(enterprise=enterprise, role=role).user

    return {
        "leader": member(Role.UNION_LEADER),
        "union_negotiator": member(Role.UNION_NEGOTIATOR),
        "employer_negotiator": member(Role.EMPLOYER_NEGOTIATOR),
        "delegate": member(Role.CONGRESS_DELEGATE),
        "officer": FederationOfficerFactory(federation=enterprise.federation).user,
        "elsewhere": MembershipFactory(enterprise=EnterpriseFactory(), role=Role.UNION_LEADER).user,
    }


@pytest.fixture
def signed(enterprise):
    """Signed on Monday 2 March 2026: to be filed within 10 days, by Thursday 12 March (R8)."""
    contract = ContractFactory(enterprise=enterprise, status=ContractStatus.SIGNED, signed_on=D("2026-03-02"))
    assert contract_filing_deadline(contract).due == D("2026-03-12")
    return contract


def recipients(people, alerts):
    names = {user.pk: name for name, user in people.items()}
    return sorted(names[a.recipient_id] for a in alerts)


def test_filing_due_within_7_days_reminds_the_employer_negotiators_once(people, signed):
    # when the sweep runs twice, 6 days before the filing deadline
    first = contract_deadline_alerts_raise(today=D("2026-03-06"))
    second = contract_deadline_alerts_raise(today=D("2026-03-06"))

    # then only the side that owes the filing was reminded, once
    alerts = Alert.objects.filter(template="deadline_soon")
    assert recipients(people, alerts) == ["employer_negotiator"]
    (alert,) = alerts
    assert alert.level == Level.WARNING
    assert alert.dedup_key == f"soon:R8:contract:{signed.pk}:2026-03-12"
    assert alert.context["rule"] == "R8"
    assert alert.context["due"] == "2026-03-12"
    assert alert.context["contract"] == signed.pk
    assert alert.link == f"/contracts/{signed.pk}/"
    assert first == {"R8:soon": 1}
    assert second == {}


def test_filing_8_days_away_is_not_yet_announced(people, signed):
    assert contract_deadline_alerts_raise(today=D("2026-03-04")) == {}
    assert not Alert.objects.exists()


def test_filing_on_its_last_day_is_due_not_overdue(people, signed):
    contract_deadline_alerts_raise(today=D("2026-03-12"))

    assert not Alert.objects.filter(level=Level.OVERDUE).exists()


def test_late_filing_raises_one_overdue_alert_to_leaders_officers_and_the_owing_side(people, signed):
    # when the hourly sweep runs twice the day after the deadline, and again a day later
    first = contract_deadline_alerts_raise(today=D("2026-03-13"))
    contract_deadline_alerts_raise(today=D("2026-03-13"))
    contract_deadline_alerts_raise(today=D("2026-03-14"))

    # then one overdue alert per person, for the enterprise's union leader, its federation's
    # officer and the employer's negotiator; nobody else
    alerts = Alert.objects.filter(level=Level.OVERDUE)
    assert recipients(people, alerts) == ["employer_negotiator", "leader", "officer"]
    assert {a.dedup_key for a in alerts} == {f"overdue:R8:contract:{signed.pk}:2026-03-12"}
    assert {a.template for a in alerts} == {"overdue"}
    assert first == {"R8:overdue": 3}


def test_a_filed_contract_raises_nothing_for_filing(people, signed):
    signed.status, signed.filed_on = ContractStatus.FILED, D("2026-03-10")
    signed.save()

    contract_deadline_alerts_raise(today=D("2026-03-20"))

    assert not Alert.objects.exists()


def test_review_ending_within_7_days_informs_both_sides_and_never_turns_overdue(people, enterprise):
    contract = ContractFactory(enterprise=enterprise, status=ContractStatus.FILED, review_deadline=D("2026-04-10"))

    contract_deadline_alerts_raise(today=D("2026-04-05"))
    contract_deadline_alerts_raise(today=D("2026-04-11"))

    alerts = Alert.objects.all()
    assert recipients(people, alerts) == ["employer_negotiator", "union_negotiator"]
    assert {(a.level, a.context["rule"], a.dedup_key) for a in alerts} == {
        (Level.INFO, "R9", f"soon:R9:contract:{contract.pk}:2026-04-10")
    }


def test_renewal_window_opening_and_term_ending_are_announced_to_both_sides(people, enterprise):
    # given an effective contract ending 30 June 2026: renewal may be asked for from 30 March (R10)
    contract = ContractFactory(
        enterprise=enterprise, status=ContractStatus.EFFECTIVE, term_start=D("2023-07-01"), term_end=D("2026-06-30")
    )

    opening = contract_deadline_alerts_raise(today=D("2026-03-25"))
    closing = contract_deadline_alerts_raise(today=D("2026-06-25"))

    assert opening == {"R10-opens:soon": 2}
    assert closing == {"R10:soon": 2}
    keys = set(Alert.objects.values_list("dedup_key", flat=True))
    assert keys == {
        f"soon:R10-opens:contract:{contract.pk}:2026-03-30",
        f"soon:R10:contract:{contract.pk}:2026-06-30",
    }
    assert recipients(people, Alert.objects.filter(dedup_key__startswith="soon:R10:")) == [
        "employer_negotiator",
        "union_negotiator",
    ]


def test_a_contract_already_renewed_gets_no_reminder_that_its_term_ends(people, enterprise):
    contract = ContractFactory(
        enterprise=enterprise, status=ContractStatus.EFFECTIVE, term_start=D("2023-07-01"), term_end=D("2026-06-30")
    )
    ContractFactory(enterprise=enterprise, renewal_of=contract, term_start=D("2026-07-01"), term_end=D("2029-06-30"))

    assert contract_deadline_alerts_raise(today=D("2026-06-25")) == {}


def test_the_hourly_task_runs_the_sweep_for_today(people, signed, freeze_now):
    from zoneinfo import ZoneInfo

    freeze_now(dt.datetime(2026, 3, 13, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")))

    assert deadline_alerts() == {"R8:overdue": 3}
    assert deadline_alerts() == {}
