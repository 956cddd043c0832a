"""Scheduled work: filed contracts take effect once the review period passed without objection
(R9, hourly), effective contracts expire after their term (R10, daily). Both are safe to run
twice, and the Celery tasks do the same on the Shanghai date."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from contracts import tasks
from contracts.enterprises.models import Role
from contracts.models import Contract, ContractStatus
from contracts.services.lifecycle import (
    contract_congress_decided,
    contract_create,
    contract_file,
    contract_record_receipt,
    contract_sign,
    contract_submit_to_congress,
    contracts_expire,
    contracts_make_effective,
)

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def on_instant(monkeypatch):
    def pin(day, hour=12, minute=0):
        instant = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return pin


@pytest.fixture
def signed(enterprise, union_user, make_member, on_instant):
    """A contract (term 2026-07-01 to 2027-06-30) signed on 2026-03-02 by both chiefs."""

    def make(title="Collective contract"):
        union_chief = make_member(enterprise, Role.UNION_NEGOTIATOR)
        employer_chief = make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)
        contract = contract_create(
            user=union_user,
            enterprise=enterprise,
            kind="general",
            title=title,
            term_start=D("2026-07-01"),
            term_end=D("2027-06-30"),
            clauses=[{"number": "1", "category": "pay", "text": "Wages are paid monthly."}],
            union_chief=union_chief,
            employer_chief=employer_chief,
        )
        contract = contract_submit_to_congress(user=union_user, contract=contract)
        contract = contract_congress_decided(contract=contract, passed=True, user=union_user)
        on_instant(D("2026-03-02"))
        contract_sign(user=union_chief, contract=contract)
        return contract_sign(user=employer_chief, contract=contract)

    return make


@pytest.fixture
def filed(signed, union_user):
    """Signed and filed 2026-03-02; received by the administration on ``receipt_on`` (or not yet)."""

    def make(receipt_on="2026-03-02", *, effective_on=None, title="Collective contract"):
        contract = contract_file(user=union_user, contract=signed(title), filed_on=D("2026-03-02"))
        if receipt_on is not None:
            contract = contract_record_receipt(
                user=union_user, contract=contract, receipt_on=D(receipt_on), effective_on=effective_on
            )
        return contract

    return make


@pytest.fixture
def effective(filed):
    """In effect since 2026-03-18; its term ends 2027-06-30."""
    contract = filed()
    contracts_make_effective(today=D("2026-03-18"))
    return Contract.objects.get(pk=contract.pk)


def status_versions(contract, status):
    return Contract.objects.get(pk=contract.pk).versions.filter(status=status).count()


# --- R9: taking effect ------------------------------------------------------------------------


def test_filed_contract_does_not_take_effect_the_day_before_its_effective_date(filed):
    # given received 2026-03-02: review ends 2026-03-17, effect on 2026-03-18
    contract = filed()
    assert (contract.review_deadline, contract.effective_on) == (D("2026-03-17"), D("2026-03-18"))

    changed = contracts_make_effective(today=D("2026-03-17"))

    assert changed == []
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.FILED


def test_filed_contract_takes_effect_on_its_effective_date(filed):
    contract = filed()

    changed = contracts_make_effective(today=D("2026-03-18"))

    assert changed == [contract.pk]
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.status == ContractStatus.EFFECTIVE
    latest = contract.versions.order_by("-number").first()
    assert (latest.number, latest.status, latest.created_by) == (contract.version, "effective", None)


def test_making_effective_twice_changes_the_contract_once(filed):
    contract = filed()

    first = contracts_make_effective(today=D("2026-03-18"))
    second = contracts_make_effective(today=D("2026-03-19"))

    assert (first, second) == ([contract.pk], [])
    assert status_versions(contract, ContractStatus.EFFECTIVE) == 1


def test_only_contracts_whose_date_has_come_take_effect(filed):
    due = filed("2026-03-02", title="Due")
    later = filed("2026-03-03", title="Later")
    assert later.effective_on == D("2026-03-19")

    changed = contracts_make_effective(today=D("2026-03-18"))

    assert changed == [due.pk]
    assert Contract.objects.get(pk=later.pk).status == ContractStatus.FILED


def test_filed_contract_without_receipt_never_takes_effect(filed):
    contract = filed(receipt_on=None)

    assert contracts_make_effective(today=D("2030-01-01")) == []
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.FILED


def test_confirmed_effective_date_before_the_review_ends_is_honoured(filed):
    contract = filed("2026-03-02", effective_on=D("2026-03-10"))

    assert contracts_make_effective(today=D("2026-03-09")) == []
    assert contracts_make_effective(today=D("2026-03-10")) == [contract.pk]


def test_signed_but_unfiled_contract_does_not_take_effect(signed):
    contract = signed()

    assert contracts_make_effective(today=D("2030-01-01")) == []
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.SIGNED


# --- R10: expiry ------------------------------------------------------------------------------


def test_contract_is_still_effective_on_the_last_day_of_its_term(effective):
    assert contracts_expire(today=D("2027-06-30")) == []
    assert Contract.objects.get(pk=effective.pk).status == ContractStatus.EFFECTIVE


def test_contract_expires_the_day_after_its_term_ends(effective):
    changed = contracts_expire(today=D("2027-07-01"))

    assert changed == [effective.pk]
    assert Contract.objects.get(pk=effective.pk).status == ContractStatus.EXPIRED
    assert status_versions(effective, ContractStatus.EXPIRED) == 1


def test_expiring_twice_changes_the_contract_once(effective):
    first = contracts_expire(today=D("2027-07-01"))
    second = contracts_expire(today=D("2027-07-02"))

    assert (first, second) == ([effective.pk], [])
    assert status_versions(effective, ContractStatus.EXPIRED) == 1


def test_only_effective_contracts_expire(filed):
    contract = filed(receipt_on=None)

    assert contracts_expire(today=D("2027-07-01")) == []
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.FILED


# --- the Celery tasks, called directly -------------------------------------------------------


def test_make_effective_task_uses_the_shanghai_date(filed, on_instant):
    # given 00:05 on 18 March in Shanghai is still 17 March in UTC
    contract = filed()
    instant = on_instant(D("2026-03-18"), hour=0, minute=5)
    assert instant.astimezone(dt.UTC).date() == D("2026-03-17")

    assert tasks.make_effective.run() == [contract.pk]
    assert tasks.make_effective.run() == []
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.EFFECTIVE
    assert status_versions(contract, ContractStatus.EFFECTIVE) == 1


def test_make_effective_task_leaves_a_contract_before_its_date(filed, on_instant):
    contract = filed()
    on_instant(D("2026-03-17"), hour=23, minute=59)

    assert tasks.make_effective.run() == []
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.FILED


def test_expire_task_expires_once_after_the_term(effective, on_instant):
    on_instant(D("2027-06-30"), hour=23, minute=59)
    assert tasks.expire.run() == []

    on_instant(D("2027-07-01"), hour=0, minute=15)
    assert tasks.expire.run() == [effective.pk]
    assert tasks.expire.run() == []
    assert status_versions(effective, ContractStatus.EXPIRED) == 1


def test_beat_runs_both_tasks_by_their_names():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {tasks.make_effective.name, tasks.expire.name} <= scheduled
    assert (tasks.make_effective.name, tasks.expire.name) == ("contracts.make_effective", "contracts.expire")
