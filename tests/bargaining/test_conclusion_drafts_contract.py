"""Concluding a negotiation drafts its contract: one clause per agreed topic with its typed
term, the chiefs from the negotiation's chief representatives, and a term of 1 year (wages)
or 3 years (otherwise) from tomorrow unless named (R10). A term R10 refuses refuses the
whole conclusion."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bargaining.models import AgreedPosition, Negotiation, NegotiationStatus, Side
from bargaining.services.proposals import proposal_create
from bargaining.services.sessions import session_create, session_sign
from contracts.models import Contract
from tests.factories import NegotiationFactory, staff_side

pytestmark = pytest.mark.django_db

URL = "/api/v1/negotiations/"
D = dt.date.fromisoformat
SHANGHAI = ZoneInfo("Asia/Shanghai")


def url(negotiation, action=""):
    return f"{URL}{negotiation.pk}/{action + '/' if action else ''}"


@pytest.fixture
def on_day(monkeypatch):
    def pin(day, hour=12):
        instant = dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return pin


@pytest.fixture
def in_rounds(enterprise, union_user, employer_user):
    """A negotiation of ``kind`` in its first round: three representatives a side, each
    chief linked to a login, the union's chief chairing."""

    def make(kind="general"):
        negotiation = NegotiationFactory(
            enterprise=enterprise, kind=kind, status=NegotiationStatus.PREPARING, requested_by=Side.UNION
        )
        staff_side(negotiation, Side.UNION, chief_user=union_user)
        staff_side(negotiation, Side.EMPLOYER, chief_user=employer_user)
        session = session_create(
            user=union_user,
            negotiation=negotiation,
            held_at=timezone.now() - dt.timedelta(hours=2),
            location="Room 1",
            minutes="Round 1: positions stated and agreed.",
        )
        return Negotiation.objects.get(pk=negotiation.pk), session

    return make


@pytest.fixture
def agree(union_user, employer_user):
    """Both sides table the same position on a topic in ``session``."""

    def table(negotiation, session, *, clause_category, term_kind="", params=None, text=""):
        for user, side in ((union_user, Side.UNION), (employer_user, Side.EMPLOYER)):
            proposal_create(
                user=user,
                negotiation=negotiation,
                session=session,
                side=side,
                clause_category=clause_category,
                term_kind=term_kind,
                params=params,
                text=text,
            )

    return table


@pytest.fixture
def sign(union_user, employer_user):
    def sign_minutes(session):
        session_sign(user=union_user, session=session)
        session_sign(user=employer_user, session=session)

    return sign_minutes


@pytest.fixture
def agreed(in_rounds, agree, sign):
    """A negotiation in rounds whose signed first round agreed a minimum wage, overtime
    premiums and a dispute procedure."""

    def make(kind="general"):
        negotiation, session = in_rounds(kind)
        agree(negotiation, session, clause_category="pay", term_kind="min_monthly_wage", params={"amount": "3200"})
        agree(
            negotiation,
            session,
            clause_category="working_time",
            term_kind="max_overtime_hours_month",
            params={"hours": "30"},
        )
        agree(negotiation, session, clause_category="disputes", text="争议先由双方协商解决。")
        sign(session)
        return negotiation

    return make


def conclude(client, negotiation, **body):
    return client.post(url(negotiation, "conclude"), body, format="json")


# --- the draft ------------------------------------------------------------------------------


def test_conclusion_drafts_a_contract_with_one_clause_per_agreed_topic(
    agreed, union_user, employer_user, client_for, on_day
):
    # given
    on_day(D("2026-03-15"))
    negotiation = agreed()
    client = client_for(union_user)

    # when
    response = conclude(client, negotiation)

    # then the negotiation shows the contract drafted from it
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "concluded"
    contract_id = response.json()["contract"]
    assert contract_id is not None
    assert client.get(url(negotiation)).json()["contract"] == contract_id
    contract = Contract.objects.get(pk=contract_id)
    assert (contract.status, contract.version, contract.negotiation_id) == ("draft", 1, negotiation.pk)
    assert (contract.enterprise_id, contract.kind, contract.title) == (
        negotiation.enterprise_id,
        "general",
        negotiation.title,
    )
    assert (contract.union_chief, contract.employer_chief) == (union_user, employer_user)
    assert contract.renewal_of is None
    assert sorted(contract.clauses.values_list("number", flat=True)) == ["1", "2", "3"]
    by_category = {c.category: c for c in contract.clauses.all()}
    assert by_category["pay"].terms == [{"kind": "min_monthly_wage", "params": {"amount": "3200"}}]
    assert by_category["working_time"].terms == [{"kind": "max_overtime_hours_month", "params": {"hours": "30"}}]
    assert by_category["disputes"].terms == []
    assert by_category["disputes"].text == "争议先由双方协商解决。"
    assert "3200" in by_category["pay"].text


def test_the_contract_clauses_follow_the_agreed_positions(agreed, union_user, client_for, on_day):
    on_day(D("2026-03-15"))
    negotiation = agreed()

    conclude(client_for(union_user), negotiation)

    contract = Contract.objects.get(negotiation_id=negotiation.pk)
    positions = list(AgreedPosition.objects.filter(negotiation=negotiation).order_by("id"))
    clauses = list(contract.clauses.order_by("position"))
    assert [c.number for c in clauses] == [str(n) for n in range(1, len(positions) + 1)]
    assert [(c.category, c.terms) for c in clauses] == [
        (p.clause_category, [{"kind": p.term_kind, "params": p.params}] if p.term_kind else []) for p in positions
    ]


def test_a_general_contract_runs_three_years_from_tomorrow_by_default(agreed, union_user, client_for, on_day):
    on_day(D("2026-03-15"))

    conclude(client_for(union_user), agreed("general"))

    contract = Contract.objects.get()
    assert (contract.term_start, contract.term_end) == (D("2026-03-16"), D("2029-03-15"))


def test_a_wages_contract_runs_one_year_from_tomorrow_by_default(agreed, union_user, client_for, on_day):
    on_day(D("2026-03-15"))

    conclude(client_for(union_user), agreed("wages"))

    contract = Contract.objects.get()
    assert contract.kind == "wages"
    assert (contract.term_start, contract.term_end) == (D("2026-03-16"), D("2027-03-15"))


def test_tomorrow_is_counted_in_shanghai(agreed, union_user, client_for, on_day):
    # given 23:00 on 31 December in Shanghai (15:00 UTC)
    on_day(D("2026-12-31"), hour=23)

    conclude(client_for(union_user), agreed("wages"))

    contract = Contract.objects.get()
    assert (contract.term_start, contract.term_end) == (D("2027-01-01"), D("2027-12-31"))


def test_the_term_named_at_conclusion_is_honoured(agreed, union_user, client_for):
    response = conclude(
        client_for(union_user), agreed(), contract_term_start="2026-07-01", contract_term_end="2028-06-30"
    )

    assert response.status_code == 200, response.json()
    contract = Contract.objects.get(pk=response.json()["contract"])
    assert (contract.term_start, contract.term_end) == (D("2026-07-01"), D("2028-06-30"))


def test_a_named_start_alone_takes_the_default_length(agreed, union_user, client_for):
    response = conclude(client_for(union_user), agreed("wages"), contract_term_start="2026-07-01")

    assert response.status_code == 200, response.json()
    contract = Contract.objects.get(pk=response.json()["contract"])
    assert (contract.term_start, contract.term_end) == (D("2026-07-01"), D("2027-06-30"))


def test_a_one_year_term_from_a_leap_day_ends_on_28_february(agreed, union_user, client_for):
    response = conclude(client_for(union_user), agreed("wages"), contract_term_start="2028-02-29")

    assert response.status_code == 200, response.json()
    contract = Contract.objects.get(pk=response.json()["contract"])
    assert contract.term_end == D("2029-02-28")


def test_a_four_year_term_refuses_the_whole_conclusion(agreed, union_user, client_for):
    negotiation = agreed()

    response = conclude(
        client_for(union_user), negotiation, contract_term_start="2026-07-01", contract_term_end="2030-06-30"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term"
    assert response.json()["extra"]["rule"]["rule"] == "R10"
    negotiation = Negotiation.objects.get(pk=negotiation.pk)
    assert negotiation.status == NegotiationStatus.IN_ROUNDS
    assert negotiation.concluded_on is None
    assert not AgreedPosition.objects.filter(negotiation=negotiation).exists()
    assert not Contract.objects.exists()


def test_a_term_one_day_short_of_a_year_refuses_the_conclusion(agreed, union_user, client_for):
    negotiation = agreed("wages")

    response = conclude(
        client_for(union_user), negotiation, contract_term_start="2026-07-01", contract_term_end="2027-06-29"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term"
    assert Negotiation.objects.get(pk=negotiation.pk).status == NegotiationStatus.IN_ROUNDS
    assert not Contract.objects.exists()


def test_explicit_positions_become_the_clauses(in_rounds, sign, union_user, client_for):
    negotiation, session = in_rounds()
    sign(session)

    response = conclude(
        client_for(union_user),
        negotiation,
        positions=[
            {"clause_category": "pay", "term_kind": "pay_day", "params": {"day": 10}},
            {"clause_category": "training", "text": "每年带薪培训40小时。"},
        ],
    )

    assert response.status_code == 200, response.json()
    contract = Contract.objects.get(pk=response.json()["contract"])
    assert [(c.number, c.category, c.terms, c.text) for c in contract.clauses.order_by("position")][1] == (
        "2",
        "training",
        [],
        "每年带薪培训40小时。",
    )
    pay = contract.clauses.get(number="1")
    assert (pay.category, pay.terms) == ("pay", [{"kind": "pay_day", "params": {"day": 10}}])


def test_a_chief_without_a_login_leaves_that_side_unnamed(in_rounds, sign, union_user, client_for):
    negotiation, session = in_rounds()
    sign(session)
    negotiation.representatives.filter(side=Side.EMPLOYER, is_chief=True).update(user=None)

    response = conclude(client_for(union_user), negotiation, positions=[{"clause_category": "other", "text": "X."}])

    assert response.status_code == 200, response.json()
    contract = Contract.objects.get(pk=response.json()["contract"])
    assert (contract.union_chief, contract.employer_chief) == (union_user, None)


def test_a_negotiation_not_yet_concluded_has_no_contract(in_rounds, union_user, client_for):
    negotiation, _session = in_rounds()

    assert client_for(union_user).get(url(negotiation)).json()["contract"] is None
