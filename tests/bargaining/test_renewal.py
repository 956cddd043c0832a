"""Renewal (R10): within the last 3 months of an effective contract's term either side starts
renewal talks; the new negotiation starts from the contract, whose terms show as ``current``
in the gap, and its conclusion drafts the renewing contract."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bargaining.models import Negotiation, NegotiationStatus, Side
from bargaining.services.sessions import session_create, session_sign
from contracts.enterprises.models import Role
from contracts.models import Contract, ContractStatus
from contracts.services.lifecycle import contract_create
from tests.factories import EnterpriseFactory, NegotiationFactory, ProposalFactory, SessionFactory, staff_side

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
SHANGHAI = ZoneInfo("Asia/Shanghai")


def renew_url(contract):
    return f"/api/v1/contracts/{contract.pk}/renew/"


@pytest.fixture
def on_day(monkeypatch):
    def pin(day, hour=12):
        instant = dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return pin


@pytest.fixture
def make_effective_contract(enterprise, union_user):
    """A contract in effect (status set directly: test setup), its term ending 2027-06-30."""

    def make(*, kind="wages", status=ContractStatus.EFFECTIVE, term_start="2026-07-01", term_end="2027-06-30"):
        contract = contract_create(
            user=union_user,
            enterprise=enterprise,
            kind=kind,
            title="Wages contract 2026",
            term_start=D(term_start),
            term_end=D(term_end),
            clauses=[
                {
                    "number": "1",
                    "category": "pay",
                    "text": "Minimum wage and overtime pay.",
                    "terms": [
                        {"kind": "min_monthly_wage", "params": {"amount": "3000"}},
                        {"kind": "overtime_premium", "params": {"weekday": "1.6", "rest_day": "2", "holiday": "3"}},
                    ],
                },
                {"number": "2", "category": "disputes", "text": "Mediation first."},
                {
                    "number": "3",
                    "category": "working_time",
                    "text": "Overtime cap.",
                    "terms": [{"kind": "max_overtime_hours_month", "params": {"hours": "30"}}],
                },
            ],
        )
        Contract.objects.filter(pk=contract.pk).update(status=status)
        return Contract.objects.get(pk=contract.pk)

    return make


@pytest.fixture
def effective(make_effective_contract):
    return make_effective_contract()


# --- the window --------------------------------------------------------------------------


def test_renewal_is_refused_the_day_before_the_window_opens(effective, union_user, client_for, on_day):
    # given the term ends 2027-06-30, so the last 3 months open on 2027-03-30
    on_day(D("2027-03-29"), hour=23)

    response = client_for(union_user).post(renew_url(effective))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "renewal_not_open"
    assert body["extra"]["opens_on"] == "2027-03-30"
    assert body["extra"]["rule"]["rule"] == "R10"
    assert body["extra"]["rule"]["params"] == {"months": 3}
    assert not Negotiation.objects.exists()


def test_renewal_opens_on_the_first_day_of_the_window(effective, union_user, client_for, on_day):
    on_day(D("2027-03-30"), hour=0)

    response = client_for(union_user).post(renew_url(effective))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["renews_contract"] == effective.pk
    assert (body["kind"], body["status"], body["enterprise"]) == ("wages", "draft", effective.enterprise_id)
    negotiation = Negotiation.objects.get(pk=body["id"])
    assert negotiation.renews_contract == effective


def test_renewal_window_opens_at_the_month_end_when_the_day_does_not_exist(
    make_effective_contract, union_user, client_for, on_day
):
    # given a term ending 31 May: three months earlier has no 31 February, so the month's last day
    contract = make_effective_contract(term_start="2026-06-01", term_end="2027-05-31")
    on_day(D("2027-02-27"))
    refused = client_for(union_user).post(renew_url(contract))
    on_day(D("2027-02-28"))

    response = client_for(union_user).post(renew_url(contract))

    assert refused.status_code == 409
    assert refused.json()["extra"]["opens_on"] == "2027-02-28"
    assert response.status_code == 201, response.json()


def test_the_employer_side_may_ask_for_renewal_too(effective, employer_user, client_for, on_day):
    on_day(D("2027-04-15"))

    response = client_for(employer_user).post(renew_url(effective))

    assert response.status_code == 201, response.json()


def test_an_expired_contract_may_be_renewed(make_effective_contract, union_user, client_for, on_day):
    contract = make_effective_contract(status=ContractStatus.EXPIRED)
    on_day(D("2027-08-01"))

    response = client_for(union_user).post(renew_url(contract))

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("status", [ContractStatus.DRAFT, ContractStatus.SIGNED, ContractStatus.FILED])
def test_a_contract_not_in_effect_cannot_be_renewed(make_effective_contract, union_user, client_for, on_day, status):
    contract = make_effective_contract(status=status)
    on_day(D("2027-05-01"))

    response = client_for(union_user).post(renew_url(contract))

    assert response.status_code == 409
    assert response.json()["code"] == "renewal_not_open"


def test_the_kind_of_the_renewal_talks_follows_the_contract(make_effective_contract, union_user, client_for, on_day):
    contract = make_effective_contract(kind="safety")
    on_day(D("2027-05-01"))

    response = client_for(union_user).post(renew_url(contract))

    assert response.json()["kind"] == "safety"


# --- one renewal at a time ------------------------------------------------------------------


def test_a_second_renewal_while_one_is_under_way_is_refused(effective, union_user, employer_user, client_for, on_day):
    on_day(D("2027-05-01"))
    client_for(union_user).post(renew_url(effective))

    response = client_for(employer_user).post(renew_url(effective))

    assert response.status_code == 409
    assert response.json()["code"] == "renewal_exists"
    assert Negotiation.objects.filter(renews_contract=effective).count() == 1


def test_after_declined_renewal_talks_a_new_request_is_possible(effective, union_user, client_for, on_day):
    on_day(D("2027-05-01"))
    first = client_for(union_user).post(renew_url(effective)).json()
    Negotiation.objects.filter(pk=first["id"]).update(status=NegotiationStatus.DECLINED)

    response = client_for(union_user).post(renew_url(effective))

    assert response.status_code == 201, response.json()
    assert response.json()["id"] != first["id"]


# --- who may ask ------------------------------------------------------------------------------


def test_another_enterprises_contract_is_not_found(effective, make_member, client_for, on_day):
    outsider = make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR)
    on_day(D("2027-05-01"))

    response = client_for(outsider).post(renew_url(effective))

    assert response.status_code == 404
    assert not Negotiation.objects.exists()


def test_a_congress_delegate_cannot_start_renewal_talks(effective, enterprise, make_member, client_for, on_day):
    delegate = make_member(enterprise, Role.CONGRESS_DELEGATE)
    on_day(D("2027-05-01"))

    response = client_for(delegate).post(renew_url(effective))

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"
    assert not Negotiation.objects.exists()


# --- the renewed contract as the baseline ------------------------------------------------------


def test_the_gap_of_renewal_talks_shows_the_contracts_terms_as_current(effective, union_user, client_for, on_day):
    on_day(D("2027-05-01"))
    client = client_for(union_user)
    negotiation_id = client.post(renew_url(effective)).json()["id"]

    response = client.get(f"/api/v1/negotiations/{negotiation_id}/proposals/gap/")

    assert response.status_code == 200
    topics = {(t["clause_category"], t["term_kind"]): t for t in response.json()}
    assert set(topics) == {
        ("pay", "min_monthly_wage"),
        ("pay", "overtime_premium"),
        ("working_time", "max_overtime_hours_month"),
    }
    wage = topics[("pay", "min_monthly_wage")]
    assert wage["current"]["clause"] == "1"
    assert wage["current"]["params"] == {"amount": "3000"}
    assert float(wage["current"]["value"]) == 3000
    assert (wage["union"], wage["employer"], wage["agreed"], wage["history"]) == (None, None, False, [])
    assert topics[("pay", "overtime_premium")]["current"]["params"] == {
        "weekday": "1.6",
        "rest_day": "2",
        "holiday": "3",
    }
    assert float(topics[("working_time", "max_overtime_hours_month")]["current"]["value"]) == 30


def test_a_proposal_in_renewal_talks_shows_beside_the_current_term(effective, union_user, client_for, on_day):
    # given renewal talks where the union proposes a higher minimum wage (tabled directly: test setup)
    on_day(D("2027-05-01"))
    client = client_for(union_user)
    negotiation = Negotiation.objects.get(pk=client.post(renew_url(effective)).json()["id"])
    Negotiation.objects.filter(pk=negotiation.pk).update(status=NegotiationStatus.IN_ROUNDS)
    session = SessionFactory(negotiation=negotiation, round_no=1)
    ProposalFactory(session=session, side=Side.UNION, params={"amount": "3300"})

    response = client.get(f"/api/v1/negotiations/{negotiation.pk}/proposals/gap/")

    wage = next(t for t in response.json() if t["term_kind"] == "min_monthly_wage")
    assert wage["union"]["params"] == {"amount": "3300"}
    assert wage["current"]["params"] == {"amount": "3000"}
    assert wage["employer"] is None


def test_ordinary_talks_show_no_current_terms(enterprise, union_user, client_for):
    negotiation = NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.IN_ROUNDS)
    session = SessionFactory(negotiation=negotiation, round_no=1)
    ProposalFactory(session=session, side=Side.UNION)

    response = client_for(union_user).get(f"/api/v1/negotiations/{negotiation.pk}/proposals/gap/")

    assert [t["current"] for t in response.json()] == [None]


def test_concluding_renewal_talks_drafts_a_contract_that_renews_the_old_one(
    effective, union_user, employer_user, client_for, on_day
):
    # given renewal talks in a signed first round
    on_day(D("2027-05-01"))
    client = client_for(union_user)
    negotiation = Negotiation.objects.get(pk=client.post(renew_url(effective)).json()["id"])
    Negotiation.objects.filter(pk=negotiation.pk).update(status=NegotiationStatus.PREPARING, requested_by=Side.UNION)
    staff_side(negotiation, Side.UNION, chief_user=union_user)
    staff_side(negotiation, Side.EMPLOYER, chief_user=employer_user)
    session = session_create(
        user=union_user,
        negotiation=negotiation,
        held_at=timezone.now() - dt.timedelta(hours=1),
        location="Room 1",
        minutes="Renewal round 1.",
    )
    session_sign(user=union_user, session=session)
    session_sign(user=employer_user, session=session)

    # when the talks conclude on a higher minimum wage from the day after the old term
    response = client.post(
        f"/api/v1/negotiations/{negotiation.pk}/conclude/",
        {
            "positions": [{"clause_category": "pay", "term_kind": "min_monthly_wage", "params": {"amount": "3300"}}],
            "contract_term_start": "2027-07-01",
        },
        format="json",
    )

    # then the draft renews the old contract
    assert response.status_code == 200, response.json()
    draft = Contract.objects.get(pk=response.json()["contract"])
    assert draft.renewal_of == effective
    assert (draft.kind, draft.status) == ("wages", "draft")
    assert (draft.term_start, draft.term_end) == (D("2027-07-01"), D("2028-06-30"))
    assert list(effective.renewals.all()) == [draft]
