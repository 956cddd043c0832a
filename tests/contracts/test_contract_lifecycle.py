"""A contract's life through the API: its term (R10, with Civil Code Art. 202 for leap days),
the chiefs' signatures (R7), filing within 10 days (R8, counted under R16) and the
administration's 15-day review (R9) with its objection."""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.utils import timezone

from config.errors import InvalidInput
from contracts.enterprises.models import Role
from contracts.models import Contract, ContractStatus
from contracts.services.lifecycle import (
    contract_congress_decided,
    contract_create,
    contract_file,
    contract_record_objection,
    contract_sign,
    contract_submit_to_congress,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/contracts/"
D = dt.date.fromisoformat
SHANGHAI = ZoneInfo("Asia/Shanghai")

CLAUSES = [
    {"number": "1", "category": "pay", "title": "Wages", "text": "Wages are paid monthly."},
    {"number": "2", "category": "term", "title": "Term", "text": "This contract runs for three years."},
]


def url(contract, action=""):
    return f"{URL}{contract.pk}/{action + '/' if action else ''}"


def reloaded(contract):
    return Contract.objects.get(pk=contract.pk)


@pytest.fixture
def on_day(monkeypatch):
    """Pin the clock to ``hour`` o'clock in Shanghai on ``day`` (``timezone.now`` and so ``localdate``)."""

    def pin(day, hour=12, minute=0):
        instant = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return pin


@pytest.fixture
def union_chief(enterprise, make_member):
    return make_member(enterprise, Role.UNION_NEGOTIATOR)


@pytest.fixture
def employer_chief(enterprise, make_member):
    return make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)


@pytest.fixture
def draft(enterprise, union_user, union_chief, employer_chief):
    """A draft naming both chief representatives, term 2026-07-01 to 2029-06-30."""
    return contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="Collective contract 2026–2029",
        term_start=D("2026-07-01"),
        term_end=D("2029-06-30"),
        clauses=CLAUSES,
        union_chief=union_chief,
        employer_chief=employer_chief,
    )


@pytest.fixture
def approved(draft, union_user):
    """The draft after the workers' congress passed it (R6)."""
    contract = contract_submit_to_congress(user=union_user, contract=draft)
    return contract_congress_decided(contract=contract, passed=True, user=union_user)


@pytest.fixture
def sign_on(approved, union_chief, employer_chief, on_day):
    """Both chiefs sign the approved contract on ``day`` (Shanghai)."""

    def sign(day):
        on_day(day)
        contract_sign(user=union_chief, contract=approved)
        return contract_sign(user=employer_chief, contract=approved)

    return sign


@pytest.fixture
def filed_with_receipt(sign_on, union_user):
    """Signed 2026-03-02, filed 2026-03-05, received by the administration on ``receipt_on``."""

    def make(receipt_on):
        contract = sign_on(D("2026-03-02"))
        return contract_file(user=union_user, contract=contract, filed_on=D("2026-03-05"), receipt_on=receipt_on)

    return make


# --- R10: the term is 1 to 3 years, both days included ----------------------------------------


def create(client, enterprise, term_start, term_end):
    return client.post(
        URL,
        {
            "enterprise": enterprise.pk,
            "title": "Collective contract",
            "term_start": term_start,
            "term_end": term_end,
        },
        format="json",
    )


def test_term_of_exactly_one_year_is_accepted(enterprise, union_user, client_for):
    response = create(client_for(union_user), enterprise, "2026-01-01", "2026-12-31")

    assert response.status_code == 201, response.json()
    assert (response.json()["term_start"], response.json()["term_end"]) == ("2026-01-01", "2026-12-31")
    assert response.json()["status"] == "draft"


def test_term_one_day_short_of_a_year_is_refused_citing_r10(enterprise, union_user, client_for):
    client = client_for(union_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = create(client, enterprise, "2026-01-01", "2026-12-30")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_term"
    assert body["extra"]["rule"]["rule"] == "R10"
    assert "Art. 38" in body["extra"]["rule"]["article"]
    assert (body["extra"]["earliest_end"], body["extra"]["latest_end"]) == ("2026-12-31", "2028-12-31")
    assert not Contract.objects.exists()


def test_term_of_exactly_three_years_is_accepted(enterprise, union_user, client_for):
    response = create(client_for(union_user), enterprise, "2026-01-01", "2028-12-31")

    assert response.status_code == 201, response.json()


def test_term_one_day_over_three_years_is_refused(enterprise, union_user, client_for):
    response = create(client_for(union_user), enterprise, "2026-01-01", "2029-01-01")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term"
    assert response.json()["extra"]["rule"]["rule"] == "R10"
    assert response.json()["extra"]["latest_end"] == "2028-12-31"
    assert not Contract.objects.exists()


def test_term_ending_before_it_starts_is_refused(enterprise, union_user, client_for):
    response = create(client_for(union_user), enterprise, "2026-01-01", "2025-12-31")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term"


@pytest.mark.parametrize(("term_end", "expected"), [("2028-02-29", 201), ("2028-02-28", 400)])
def test_one_year_from_a_first_of_march_ends_on_the_leap_day(enterprise, union_user, client_for, term_end, expected):
    # given 2028 is a leap year: the year from 2027-03-01 includes 2028-02-29
    assert calendar.isleap(2028)

    response = create(client_for(union_user), enterprise, "2027-03-01", term_end)

    assert response.status_code == expected, response.json()


def test_one_year_from_a_leap_day_ending_on_28_february_is_accepted(enterprise, union_user, client_for):
    # Civil Code Art. 202: 2029 has no 29 February, so the month's last day closes the year
    response = create(client_for(union_user), enterprise, "2028-02-29", "2029-02-28")

    assert response.status_code == 201, response.json()


def test_one_year_from_a_leap_day_ending_on_27_february_is_one_day_short(enterprise, union_user, client_for):
    # given 2028-02-29..2029-02-27 is 365 days although it contains a leap day (a full year is 366)
    assert (D("2029-02-27") - D("2028-02-29")).days + 1 == 365

    response = create(client_for(union_user), enterprise, "2028-02-29", "2029-02-27")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term"


def test_three_years_from_a_leap_day_end_on_28_february(enterprise, union_user, client_for):
    response = create(client_for(union_user), enterprise, "2028-02-29", "2031-02-28")

    assert response.status_code == 201, response.json()


def test_three_years_from_a_leap_day_ending_on_1_march_are_too_long(enterprise, union_user, client_for):
    response = create(client_for(union_user), enterprise, "2028-02-29", "2031-03-01")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term"


def test_changing_a_drafts_term_is_checked_too(draft, union_user, client_for):
    response = client_for(union_user).patch(url(draft), {"term_end": "2027-06-29"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term"
    assert response.json()["extra"]["earliest_end"] == "2027-06-30"
    assert reloaded(draft).term_end == D("2029-06-30")


def test_changing_a_drafts_term_to_exactly_one_year_is_accepted(draft, union_user, client_for):
    response = client_for(union_user).patch(url(draft), {"term_end": "2027-06-30"}, format="json")

    assert response.status_code == 200, response.json()
    assert reloaded(draft).term_end == D("2027-06-30")


# --- R7: after the congress approved it, both chiefs sign ---------------------------------------


def test_first_chief_signature_leaves_the_contract_approved(approved, union_chief, client_for):
    response = client_for(union_chief).post(url(approved, "sign"))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "approved"
    assert body["union_signed_at"] is not None
    assert body["employer_signed_at"] is None
    assert body["signed_on"] is None


@pytest.mark.parametrize("union_first", [True, False])
def test_second_chief_signature_makes_the_contract_signed_today(
    approved, union_chief, employer_chief, client_for, on_day, union_first
):
    # given
    on_day(D("2026-03-02"))
    first, second = (union_chief, employer_chief) if union_first else (employer_chief, union_chief)
    client_for(first).post(url(approved, "sign"))
    versions_before = reloaded(approved).versions.count()

    # when
    response = client_for(second).post(url(approved, "sign"))

    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "signed"
    assert body["signed_on"] == "2026-03-02"
    assert body["union_signed_at"] is not None
    assert body["employer_signed_at"] is not None
    assert reloaded(approved).versions.count() == versions_before + 1


def test_signing_date_is_the_day_in_shanghai(approved, union_chief, employer_chief, on_day):
    # given 00:30 on 3 March in Shanghai is still 2 March in UTC
    instant = on_day(D("2026-03-03"), hour=0, minute=30)
    assert instant.astimezone(dt.UTC).date() == D("2026-03-02")

    contract_sign(user=union_chief, contract=approved)
    contract = contract_sign(user=employer_chief, contract=approved)

    assert contract.signed_on == D("2026-03-03")


def test_a_negotiator_not_named_chief_cannot_sign(approved, union_user, client_for):
    response = client_for(union_user).post(url(approved, "sign"))

    assert response.status_code == 403
    assert response.json()["code"] == "not_chief_representative"
    assert response.json()["extra"]["rule"]["rule"] == "R7"
    contract = reloaded(approved)
    assert (contract.union_signed_at, contract.employer_signed_at) == (None, None)


def test_a_chief_signs_only_once(approved, union_chief, client_for):
    client = client_for(union_chief)
    client.post(url(approved, "sign"))

    response = client.post(url(approved, "sign"))

    assert response.status_code == 409
    assert response.json()["code"] == "already_signed"
    assert reloaded(approved).status == ContractStatus.APPROVED


@pytest.mark.parametrize("status", [ContractStatus.DRAFT, ContractStatus.IN_CONGRESS])
def test_a_chief_cannot_sign_before_the_congress_approved(draft, union_chief, client_for, status):
    Contract.objects.filter(pk=draft.pk).update(status=status)

    response = client_for(union_chief).post(url(draft, "sign"))

    assert response.status_code == 409
    assert response.json()["code"] == "contract_state_conflict"
    assert response.json()["extra"]["allowed_from"] == ["approved"]
    assert reloaded(draft).union_signed_at is None


def test_a_signed_contract_cannot_be_signed_again(sign_on, union_chief, client_for):
    contract = sign_on(D("2026-03-02"))

    response = client_for(union_chief).post(url(contract, "sign"))

    assert response.status_code == 409
    assert response.json()["code"] == "contract_state_conflict"


# --- R8: filing within 10 days of signing, counted under R16 ---------------------------------


def test_filing_is_due_ten_days_after_signing(sign_on, union_user, client_for, on_day):
    # given signed on Monday 2026-03-02; ten days later is Thursday 2026-03-12, a working day
    sign_on(D("2026-03-02"))
    assert chinese_calendar.is_workday(D("2026-03-12"))

    body = client_for(union_user).get(url(Contract.objects.get())).json()

    assert body["deadlines"]["filing_due"] == "2026-03-12"
    assert body["deadlines"]["filing_rule"]["rule"] == "R8"
    assert body["deadlines"]["filing_rule"]["params"] == {"days": 10}


@pytest.mark.parametrize(
    ("signed_on", "nominal", "due"),
    [
        # the tenth day is a Saturday: the next working day is Monday
        ("2026-03-04", "2026-03-14", "2026-03-16"),
        # the tenth day is National Day: the holidays run to 7 October
        ("2026-09-21", "2026-10-01", "2026-10-08"),
        # the tenth day is the make-up working Saturday after National Day: not moved
        ("2026-09-30", "2026-10-10", "2026-10-10"),
        # the tenth day falls in the Spring Festival holidays (15 to 23 February)
        ("2026-02-05", "2026-02-15", "2026-02-24"),
        # the tenth day is the make-up working Saturday before the Spring Festival: not moved
        ("2026-02-04", "2026-02-14", "2026-02-14"),
    ],
)
def test_filing_due_on_a_rest_day_or_holiday_moves_to_the_next_working_day(
    sign_on, union_user, client_for, signed_on, nominal, due
):
    # given the holiday calendar says so
    assert D(nominal) - D(signed_on) == dt.timedelta(days=10)
    assert chinese_calendar.is_workday(D(due))
    day = D(nominal)
    while day < D(due):
        assert not chinese_calendar.is_workday(day)
        day += dt.timedelta(days=1)
    sign_on(D(signed_on))

    body = client_for(union_user).get(url(Contract.objects.get())).json()

    assert body["deadlines"]["filing_due"] == due


@pytest.mark.parametrize(("filed_on", "overdue"), [("2026-03-12", False), ("2026-03-13", True)])
def test_filing_on_the_due_day_is_in_time_and_the_next_day_late(
    sign_on, union_user, client_for, on_day, filed_on, overdue
):
    # given signed 2026-03-02, so filing is due 2026-03-12
    contract = sign_on(D("2026-03-02"))
    on_day(D("2026-03-20"))

    response = client_for(union_user).post(url(contract, "file"), {"filed_on": filed_on}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "filed"
    assert body["filed_on"] == filed_on
    assert body["deadlines"]["filing_due"] == "2026-03-12"
    assert body["deadlines"]["filing_overdue"] is overdue


@pytest.mark.parametrize(("today", "overdue"), [("2026-03-12", False), ("2026-03-13", True)])
def test_unfiled_contract_is_overdue_only_after_the_due_day(sign_on, union_user, client_for, on_day, today, overdue):
    sign_on(D("2026-03-02"))
    on_day(D(today), hour=23, minute=59)

    body = client_for(union_user).get(url(Contract.objects.get())).json()

    assert body["deadlines"]["filing_overdue"] is overdue


def test_filing_before_signing_is_refused(sign_on, union_user, client_for):
    contract = sign_on(D("2026-03-02"))

    response = client_for(union_user).post(url(contract, "file"), {"filed_on": "2026-03-01"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "filed_before_signing"
    assert reloaded(contract).status == ContractStatus.SIGNED
    assert reloaded(contract).filed_on is None


def test_filing_on_the_day_of_signing_is_accepted(sign_on, union_user, client_for):
    contract = sign_on(D("2026-03-02"))

    response = client_for(union_user).post(url(contract, "file"), {"filed_on": "2026-03-02"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "filed"


def test_filing_an_unsigned_contract_is_a_conflict(approved, union_user, client_for):
    response = client_for(union_user).post(url(approved, "file"), {"filed_on": "2026-03-02"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "contract_state_conflict"
    assert response.json()["extra"]["allowed_from"] == ["signed"]


def test_filing_without_a_date_is_refused(sign_on, union_user, client_for):
    contract = sign_on(D("2026-03-02"))

    response = client_for(union_user).post(url(contract, "file"), {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "filed_on" in response.json()["extra"]["fields"]


# --- R9: the administration's review, 15 days from receipt -----------------------------------


def test_receipt_starts_a_review_ending_on_the_fifteenth_day(sign_on, union_user, client_for):
    # given received on Monday 2026-03-02: day 15 is Tuesday 2026-03-17, a working day
    contract = sign_on(D("2026-03-02"))
    assert chinese_calendar.is_workday(D("2026-03-17"))

    response = client_for(union_user).post(
        url(contract, "file"), {"filed_on": "2026-03-02", "receipt_on": "2026-03-02"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["receipt_on"] == "2026-03-02"
    assert body["review_deadline"] == "2026-03-17"  # not the 16th: the day of receipt is not counted
    assert body["effective_on"] == "2026-03-18"
    assert body["effective_confirmed"] is False
    assert body["deadlines"]["review_rule"]["rule"] == "R9"
    assert body["deadlines"]["review_rule"]["params"] == {"days": 15}


def test_review_deadline_in_the_national_day_holidays_moves_to_the_next_working_day(filed_with_receipt):
    # given received 2026-09-16: day 15 is 1 October, and the holidays run to 7 October
    assert not any(chinese_calendar.is_workday(D("2026-10-01") + dt.timedelta(days=n)) for n in range(7))
    assert chinese_calendar.is_workday(D("2026-10-08"))

    contract = filed_with_receipt(D("2026-09-16"))

    assert contract.review_deadline == D("2026-10-08")
    assert contract.effective_on == D("2026-10-09")


def test_receipt_recorded_after_filing_starts_the_review(sign_on, union_user, client_for):
    contract = contract_file(user=union_user, contract=sign_on(D("2026-03-02")), filed_on=D("2026-03-02"))
    assert contract.review_deadline is None

    response = client_for(union_user).post(url(contract, "receipt"), {"receipt_on": "2026-03-02"}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["review_deadline"], response.json()["effective_on"]) == ("2026-03-17", "2026-03-18")
    assert response.json()["status"] == "filed"


def test_administrations_confirmed_effective_date_overrides_the_default(sign_on, union_user, client_for):
    contract = contract_file(user=union_user, contract=sign_on(D("2026-03-02")), filed_on=D("2026-03-02"))

    response = client_for(union_user).post(
        url(contract, "receipt"), {"receipt_on": "2026-03-02", "effective_on": "2026-03-10"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["review_deadline"] == "2026-03-17"
    assert body["effective_on"] == "2026-03-10"
    assert body["effective_confirmed"] is True


def test_receipt_before_filing_is_refused(sign_on, union_user, client_for):
    contract = contract_file(user=union_user, contract=sign_on(D("2026-03-02")), filed_on=D("2026-03-05"))

    response = client_for(union_user).post(url(contract, "receipt"), {"receipt_on": "2026-03-04"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "receipt_before_filing"
    assert reloaded(contract).receipt_on is None


def test_receipt_of_an_unfiled_contract_is_a_conflict(sign_on, union_user, client_for):
    contract = sign_on(D("2026-03-02"))

    response = client_for(union_user).post(url(contract, "receipt"), {"receipt_on": "2026-03-04"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "contract_state_conflict"


def test_objection_sends_the_contract_back_to_draft_keeping_its_text(
    filed_with_receipt, union_user, client_for, on_day
):
    # given a contract signed, filed and received
    contract = filed_with_receipt(D("2026-03-06"))
    on_day(D("2026-03-10"))
    versions_before = contract.versions.count()

    # when the administration's objection is recorded
    response = client_for(union_user).post(
        url(contract, "objection"),
        {"objected_on": "2026-03-10", "text": "第五条加班工资标准低于法定标准。"},
        format="json",
    )

    # then it is a draft again, with the objection kept and every later step undone
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["objection_text"] == "第五条加班工资标准低于法定标准。"
    assert body["objected_on"] == "2026-03-10"
    for field in ("union_signed_at", "employer_signed_at", "signed_on", "filed_on", "receipt_on"):
        assert body[field] is None, field
    assert (body["review_deadline"], body["effective_on"], body["effective_confirmed"]) == (None, None, False)
    assert body["deadlines"]["filing_due"] is None
    assert reloaded(contract).versions.count() == versions_before + 1


def test_after_an_objection_the_draft_can_be_changed_again(filed_with_receipt, union_user, client_for):
    contract = filed_with_receipt(D("2026-03-06"))
    client = client_for(union_user)
    client.post(url(contract, "objection"), {"objected_on": "2026-03-10", "text": "Raise clause 1."}, format="json")

    response = client.post(
        f"{url(contract)}clauses/", {"number": "3", "category": "disputes", "text": "Mediation first."}, format="json"
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("text", ["", "   "])
def test_objection_without_text_is_refused(filed_with_receipt, union_user, client_for, text):
    contract = filed_with_receipt(D("2026-03-06"))

    response = client_for(union_user).post(
        url(contract, "objection"), {"objected_on": "2026-03-10", "text": text}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "text" in response.json()["extra"]["fields"]
    contract = reloaded(contract)
    assert contract.status == ContractStatus.FILED
    assert contract.objection_text == ""
    assert contract.signed_on == D("2026-03-02")


def test_objection_service_refuses_blank_text_from_any_caller(filed_with_receipt, union_user):
    contract = filed_with_receipt(D("2026-03-06"))

    with pytest.raises(InvalidInput) as refused:
        contract_record_objection(user=union_user, contract=contract, objected_on=D("2026-03-10"), text=" \n ")

    assert refused.value.code == "objection_text_required"
    assert reloaded(contract).status == ContractStatus.FILED


def test_objection_to_a_contract_not_under_review_is_a_conflict(sign_on, union_user, client_for):
    contract = sign_on(D("2026-03-02"))

    response = client_for(union_user).post(
        url(contract, "objection"), {"objected_on": "2026-03-10", "text": "Too late."}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "contract_state_conflict"
    assert reloaded(contract).status == ContractStatus.SIGNED
