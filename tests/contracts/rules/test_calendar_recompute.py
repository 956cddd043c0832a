"""A holiday notice loaded (or a day an administrator edits) counts the open deadlines of its
year again: the contracts' review period (R9), stored with the effective date that follows it,
is stored anew where it moved and both sides' negotiators are told once; the filing deadline
(R8), computed when read, says provisional until the notice is in. Loading the same notice
twice changes nothing and sends nothing."""

import datetime as dt

import pytest
from django.test import Client

from contracts.enterprises.models import Role
from contracts.models import Contract, ContractStatus
from contracts.rules.calendar import recompute
from contracts.rules.calendar.notice import notice_from_csv
from contracts.rules.calendar.recompute import calendar_recompute_register, calendar_recompute_run
from contracts.rules.calendar.services import LoadOutcome, holiday_notice_load
from contracts.rules.calendar.store import calendar_cache_clear
from contracts.rules.deadlines import deadline_after
from contracts.rules.decisions import RuleRef, deadline_provisional_year, provisional_year
from contracts.rules.packs import NATIONAL
from contracts.services.lifecycle import contract_deadlines, contract_file
from notifications.models import Alert, Delivery
from notifications.tasks import send_delivery
from tests.contracts.rules.test_holiday_notice import NOTICE_CSV
from tests.factories import contract_in_effect

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(autouse=True)
def december_2026(freeze_now):
    return freeze_now(dt.datetime(2026, 12, 18, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
def queued(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(send_delivery, "delay", lambda delivery_id: sent.append(delivery_id))
    return sent


@pytest.fixture
def leader(enterprise, make_member):
    """A union leader: told of overdue deadlines, not of a date that moved."""
    return make_member(enterprise, Role.UNION_LEADER)


def signed_contract(enterprise, user, signed_on: dt.date) -> Contract:
    contract = contract_in_effect(
        enterprise,
        user,
        title="2027 contract",
        term_start=D("2027-01-01"),
        term_end=D("2029-12-31"),
        status=ContractStatus.SIGNED,
    )
    Contract.objects.filter(pk=contract.pk).update(signed_on=signed_on, effective_on=None)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def under_review(enterprise, union_user, employer_user, leader):
    """Signed on 16 December 2026, filed on the 17th, received by the administration on the 18th:
    its 15 days end on Saturday 2 January 2027, a rest day by the law alone, so on Monday the 4th."""
    contract = signed_contract(enterprise, union_user, D("2026-12-16"))
    return contract_file(user=union_user, contract=contract, filed_on=D("2026-12-17"), receipt_on=D("2026-12-18"))


def load_notice(capture):
    with capture(execute=True):
        return holiday_notice_load(notice=notice_from_csv(NOTICE_CSV))


def moved_alerts():
    return Alert.objects.filter(template="deadline_moved").order_by("recipient_id")


def test_a_review_period_ending_in_2027_is_provisional_until_the_notice(under_review, union_user, client_for):
    assert (under_review.review_deadline, under_review.effective_on) == (D("2027-01-04"), D("2027-01-05"))

    review = contract_deadlines(under_review)["review_rule"]
    assert review["provisional"] is True
    assert "2027" in review["provisional_note"]
    body = client_for(union_user).get(f"/api/v1/contracts/{under_review.pk}/").json()
    assert body["deadlines"]["review_rule"]["provisional"] is True
    assert body["deadlines"]["filing_rule"]["provisional"] is False  # 26 December 2026: chinese-calendar knows it


def test_loading_the_notice_moves_the_review_period_and_the_effective_date_and_tells_each_negotiator_once(
    under_review, union_user, employer_user, django_capture_on_commit_callbacks, queued
):
    result = load_notice(django_capture_on_commit_callbacks)

    assert result.outcome == LoadOutcome.CREATED
    contract = Contract.objects.get(pk=under_review.pk)
    assert (contract.review_deadline, contract.effective_on) == (D("2027-01-02"), D("2027-01-03"))
    assert contract.status == ContractStatus.FILED
    assert contract_deadlines(contract)["review_rule"]["provisional"] is False
    alerts = list(moved_alerts())
    # the negotiators of both sides; the union leader is not among them
    assert [alert.recipient_id for alert in alerts] == sorted([union_user.pk, employer_user.pk])
    assert {alert.dedup_key for alert in alerts} == {f"moved:R9:contract:{contract.pk}:2027-01-04:2027-01-02"}
    assert {(alert.context["rule"], alert.context["previous_due"], alert.context["due"]) for alert in alerts} == {
        ("R9", "2027-01-04", "2027-01-02")
    }
    deliveries = Delivery.objects.filter(alert__in=alerts)
    assert deliveries.count() == 2
    assert sorted(queued) == sorted(deliveries.values_list("pk", flat=True))


def test_loading_the_same_notice_twice_changes_nothing_and_sends_nothing(
    under_review, django_capture_on_commit_callbacks, queued
):
    load_notice(django_capture_on_commit_callbacks)
    before = Contract.objects.get(pk=under_review.pk)
    history = before.history.count()
    counts = (moved_alerts().count(), Delivery.objects.count(), len(queued))

    again = load_notice(django_capture_on_commit_callbacks)

    assert again.outcome == LoadOutcome.UNCHANGED
    after = Contract.objects.get(pk=under_review.pk)
    assert (after.review_deadline, after.effective_on) == (before.review_deadline, before.effective_on)
    assert after.history.count() == history  # nothing saved again
    assert (moved_alerts().count(), Delivery.objects.count(), len(queued)) == counts == (2, 2, 2)


def test_an_effective_date_confirmed_by_the_administration_is_kept(
    enterprise, union_user, django_capture_on_commit_callbacks, queued
):
    contract = signed_contract(enterprise, union_user, D("2026-12-16"))
    contract_file(user=union_user, contract=contract, filed_on=D("2026-12-17"), receipt_on=D("2026-12-18"))
    Contract.objects.filter(pk=contract.pk).update(effective_on=D("2027-01-10"), effective_confirmed=True)

    load_notice(django_capture_on_commit_callbacks)

    contract.refresh_from_db()
    assert (contract.review_deadline, contract.effective_on) == (D("2027-01-02"), D("2027-01-10"))


def test_a_contract_no_longer_under_review_is_left_alone(under_review, django_capture_on_commit_callbacks, queued):
    Contract.objects.filter(pk=under_review.pk).update(status=ContractStatus.EFFECTIVE)

    load_notice(django_capture_on_commit_callbacks)

    assert Contract.objects.get(pk=under_review.pk).review_deadline == D("2027-01-04")
    assert not moved_alerts().exists()


def test_a_review_period_in_2026_is_never_provisional_and_never_moves(
    enterprise, union_user, django_capture_on_commit_callbacks, queued
):
    contract = signed_contract(enterprise, union_user, D("2026-09-18"))
    contract = contract_file(user=union_user, contract=contract, filed_on=D("2026-09-20"), receipt_on=D("2026-09-21"))
    assert contract.review_deadline == D("2026-10-08")  # 6 October 2026 in the National Day week

    deadlines = contract_deadlines(contract)
    assert (deadlines["review_rule"]["provisional"], deadlines["filing_rule"]["provisional"]) == (False, False)

    load_notice(django_capture_on_commit_callbacks)

    assert Contract.objects.get(pk=contract.pk).review_deadline == D("2026-10-08")
    assert not moved_alerts().exists()


def test_a_filing_deadline_in_2027_is_provisional_and_follows_the_notice_when_read(
    enterprise, union_user, django_capture_on_commit_callbacks, queued
):
    # signed on 23 December 2026: ten days end on Saturday 2 January 2027
    contract = signed_contract(enterprise, union_user, D("2026-12-23"))
    before = contract_deadlines(contract)
    assert before["filing_due"] == D("2027-01-04")
    assert before["filing_rule"]["provisional"] is True

    load_notice(django_capture_on_commit_callbacks)

    after = contract_deadlines(contract)
    assert (after["filing_due"], after["filing_rule"]["provisional"]) == (D("2027-01-02"), False)


def test_the_provisional_year_is_the_first_unpublished_year_the_count_runs_into():
    deadline = deadline_after(D("2026-12-12"), 20, pack=NATIONAL)

    assert deadline_provisional_year(D("2026-12-12"), deadline) == 2027
    assert provisional_year(D("2026-03-01"), D("2026-03-31")) is None
    assert deadline_provisional_year(D("2026-03-04"), deadline_after(D("2026-03-04"), 20, pack=NATIONAL)) is None
    assert RuleRef(rule="R1", pack="national").as_dict()["provisional"] is False
    assert RuleRef(rule="R1", pack="national", provisional_year=2027).as_dict()["provisional"] is True


def test_one_failing_recompute_does_not_keep_the_others_from_running(under_review, queued, caplog):
    def broken(years):
        raise RuntimeError("boom")

    calendar_recompute_register("test.broken", broken)
    try:
        # the load waits for a commit the test never makes: the recompute is run by hand
        holiday_notice_load(notice=notice_from_csv(NOTICE_CSV))
        moved = calendar_recompute_run(years=[2027])
    finally:
        recompute._recomputes.pop("test.broken", None)

    assert moved["contracts.review"] == 1
    assert "test.broken" not in moved
    assert "boom" in caplog.text
    assert Contract.objects.get(pk=under_review.pk).review_deadline == D("2027-01-02")


def test_the_workspace_timeline_marks_the_provisional_review_period_until_the_notice(
    under_review, union_user, django_capture_on_commit_callbacks, queued
):
    client = Client()
    client.force_login(type(union_user).objects.get(pk=union_user.pk))
    sentence = "按法定节假日推算，待国务院公布2027年安排后核定"

    before = client.get(f"/contracts/{under_review.pk}/").content.decode()
    assert sentence in before
    assert 'class="help provisional"' in before

    load_notice(django_capture_on_commit_callbacks)

    after = client.get(f"/contracts/{under_review.pk}/").content.decode()
    assert sentence not in after
    assert 'class="help provisional"' not in after
