"""A scheduled task that meets one bad object logs it with its id, skips it and goes on with
the rest: a date stored out of range (planted here with ``.update()``, as rows written before
the edges checked dates may hold) no longer stops every enterprise's reminders."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest

from bargaining.models import NegotiationStatus, Representative, Side
from bargaining.tasks import deadline_alerts as negotiation_deadline_alerts
from config.batches import each_object
from contracts.enterprises.models import Role
from contracts.models import Contract, ContractStatus
from contracts.tasks import deadline_alerts as contract_deadline_alerts
from notifications.models import Alert
from tests.factories import ContractFactory, EnterpriseFactory, NegotiationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

FAR = dt.date(9999, 12, 31)


@pytest.fixture
def two_enterprises(make_member):
    """Enterprise A, which will hold the bad date, and enterprise B, which must still be told."""
    a, b = EnterpriseFactory(name="A"), EnterpriseFactory(name="B")
    people = {}
    for enterprise in (a, b):
        for role in (Role.UNION_NEGOTIATOR, Role.EMPLOYER_NEGOTIATOR, Role.UNION_LEADER):
            people[(enterprise.name, role)] = make_member(enterprise, role)
    return a, b, people


def alerted(people):
    """(enterprise, role) of everyone alerted."""
    who = {user.pk: key for key, user in people.items()}
    return sorted(who[pk] for pk in Alert.objects.values_list("recipient_id", flat=True))


def test_the_hourly_negotiation_task_still_alerts_b_when_a_holds_a_vacancy_dated_9999(
    two_enterprises, freeze_now, caplog
):
    a, b, people = two_enterprises
    # given a vacancy in A (checked first: the lower id) whose date is then planted at 9999-12-31
    bad = RepresentativeFactory(
        negotiation=NegotiationFactory(enterprise=a, status=NegotiationStatus.IN_ROUNDS),
        side=Side.UNION,
        vacated_on=dt.date(2026, 3, 2),
    )
    Representative.objects.filter(pk=bad.pk).update(vacated_on=FAR)
    # and a vacancy in B left on 2 March 2026, to be filled by 17 March (R2)
    RepresentativeFactory(
        negotiation=NegotiationFactory(enterprise=b, status=NegotiationStatus.IN_ROUNDS),
        side=Side.UNION,
        name="Han Mei",
        vacated_on=dt.date(2026, 3, 2),
    )
    freeze_now(dt.datetime(2026, 3, 18, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))

    with caplog.at_level(logging.ERROR, logger="concord.tasks"):
        raised = negotiation_deadline_alerts()

    assert raised == {"R2:overdue": 2}  # B's union negotiator and leader (no federation officer here)
    assert alerted(people) == [("B", Role.UNION_LEADER), ("B", Role.UNION_NEGOTIATOR)]
    assert {a.context["detail"] for a in Alert.objects.all()} == {"Han Mei"}
    (record,) = [r for r in caplog.records if r.name == "concord.tasks"]
    assert record.getMessage() == f"bargaining.deadline_alerts: representative {bad.pk} failed and was skipped"
    assert record.exc_info is not None
    assert record.exc_info[0] is OverflowError


def test_the_hourly_contract_task_still_alerts_b_when_a_holds_a_signing_date_of_9999(
    two_enterprises, freeze_now, caplog
):
    a, b, people = two_enterprises
    # B signed on 2 March 2026: to be filed by 12 March (R8); A's contract (checked first:
    # the same term, a higher id) has its signing date planted at 9999-12-31
    good = ContractFactory(enterprise=b, status=ContractStatus.SIGNED, signed_on=dt.date(2026, 3, 2))
    bad = ContractFactory(enterprise=a, status=ContractStatus.SIGNED, signed_on=dt.date(2026, 3, 2))
    Contract.objects.filter(pk=bad.pk).update(signed_on=FAR)
    freeze_now(dt.datetime(2026, 3, 13, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))

    with caplog.at_level(logging.ERROR, logger="concord.tasks"):
        raised = contract_deadline_alerts()

    assert raised == {"R8:overdue": 2}
    assert alerted(people) == [("B", Role.EMPLOYER_NEGOTIATOR), ("B", Role.UNION_LEADER)]
    assert set(Alert.objects.values_list("link", flat=True)) == {f"/contracts/{good.pk}/"}
    messages = [r.getMessage() for r in caplog.records if r.name == "concord.tasks"]
    assert messages == [f"contracts.deadline_alerts: contract {bad.pk} failed and was skipped"]


def test_each_object_runs_the_rest_after_a_failure_and_returns_the_failed_keys(caplog):
    done = []

    def work(key):
        if key == 2:
            raise ValueError("bad")
        done.append(key)

    with caplog.at_level(logging.ERROR, logger="concord.tasks"):
        failed = each_object([1, 2, 3], work, task="t", what="thing")

    assert (done, failed) == ([1, 3], [2])
    assert [r.getMessage() for r in caplog.records] == ["t: thing 2 failed and was skipped"]
