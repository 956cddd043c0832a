"""The draft check (``check/``): missing statutory contents (PCC Art. 8) are shown, terms below
the statutory floor of the enterprise's rule pack (LCL Art. 55; R11, R12, R13, R15, R19)
block the way to the workers' congress."""

import datetime as dt
from decimal import Decimal

import pytest

from contracts.models import Contract, ContractStatus
from contracts.rules.packs import NATIONAL
from contracts.services.draft_check import contract_draft_check
from contracts.services.lifecycle import contract_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/contracts/"
D = dt.date.fromisoformat

COMPLETE = [
    {"number": "1", "category": "term", "text": "Three years."},
    {"number": "2", "category": "amendment", "text": "Changed by agreement."},
    {"number": "3", "category": "disputes", "text": "Mediation first."},
    {"number": "4", "category": "breach_liability", "text": "The party in breach pays."},
    {"number": "5", "category": "women_minors", "text": "No night work in late pregnancy."},
]
REQUIRED = ["term", "amendment", "disputes", "breach_liability", "women_minors"]


def url(contract, action=""):
    return f"{URL}{contract.pk}/{action + '/' if action else ''}"


@pytest.fixture
def make_draft(enterprise, union_user):
    def make(*, clauses=COMPLETE, kind="general", terms=None):
        clauses = [dict(c) for c in clauses]
        if terms is not None:
            clauses.append({"number": "9", "category": "other", "text": "Standards.", "terms": terms})
        contract = contract_create(
            user=union_user,
            enterprise=enterprise,
            kind=kind,
            title="Collective contract",
            term_start=D("2026-07-01"),
            term_end=D("2027-06-30"),
            clauses=clauses,
        )
        # as the API reads it: the enterprise (and its minimum wage) from the database
        return Contract.objects.select_related("enterprise").get(pk=contract.pk)

    return make


def below_floor(contract):
    return [
        (s["kind"], s["param"], s["value"], s["floor"], s["rule"])
        for s in contract_draft_check(contract=contract)["below_floor"]
    ]


# --- missing statutory contents -----------------------------------------------------------------


def test_a_draft_with_every_required_category_is_complete(make_draft):
    check = contract_draft_check(contract=make_draft())

    assert check == {"complete": True, "below_floor": [], "missing": [], "can_submit": True, "pack": "national"}


@pytest.mark.parametrize("category", REQUIRED)
def test_a_draft_without_one_required_category_names_it(make_draft, category):
    contract = make_draft(clauses=[c for c in COMPLETE if c["category"] != category])

    check = contract_draft_check(contract=contract)

    assert [m["category"] for m in check["missing"]] == [category]
    assert check["complete"] is False
    assert check["can_submit"] is True


def test_an_empty_draft_misses_every_required_category(make_draft):
    check = contract_draft_check(contract=make_draft(clauses=[]))

    assert [m["category"] for m in check["missing"]] == REQUIRED


def test_a_wages_contract_without_pay_terms_misses_them(make_draft):
    check = contract_draft_check(contract=make_draft(kind="wages"))

    assert [m.get("term_kind") for m in check["missing"]] == ["min_monthly_wage", "wage_increase_pct"]
    assert check["complete"] is False


def test_a_wages_contract_with_its_pay_terms_is_complete(make_draft):
    terms = [
        {"kind": "min_monthly_wage", "params": {"amount": "3000"}},
        {"kind": "wage_increase_pct", "params": {"percent": "5", "reference_period": "2025"}},
    ]

    check = contract_draft_check(contract=make_draft(kind="wages", terms=terms))

    assert check["missing"] == []


def test_a_general_contract_needs_no_pay_term(make_draft):
    assert contract_draft_check(contract=make_draft(kind="general"))["missing"] == []


# --- terms below the statutory floor --------------------------------------------------------


def test_minimum_wage_equal_to_the_local_minimum_is_fine(make_draft):
    contract = make_draft(terms=[{"kind": "min_monthly_wage", "params": {"amount": "2690"}}])
    assert contract.enterprise.local_minimum_wage == Decimal("2690.00")

    assert below_floor(contract) == []


def test_minimum_wage_one_fen_under_the_local_minimum_is_below_the_floor(make_draft):
    contract = make_draft(terms=[{"kind": "min_monthly_wage", "params": {"amount": "2689.99"}}])

    assert below_floor(contract) == [("min_monthly_wage", "amount", "2689.99", "2690.00", "R13")]


def test_minimum_wage_follows_the_enterprises_own_local_minimum(make_draft, enterprise):
    enterprise.local_minimum_wage = Decimal("2800.00")
    enterprise.save()
    contract = make_draft(terms=[{"kind": "min_monthly_wage", "params": {"amount": "2690"}}])

    assert below_floor(contract) == [("min_monthly_wage", "amount", "2690", "2800.00", "R13")]


def test_minimum_wage_is_not_checked_without_a_recorded_local_minimum(make_draft, enterprise):
    enterprise.local_minimum_wage = None
    enterprise.save()

    assert below_floor(make_draft(terms=[{"kind": "min_monthly_wage", "params": {"amount": "1"}}])) == []


@pytest.mark.parametrize(("hours", "below"), [("36", False), ("35.99", False), ("36.01", True)])
def test_overtime_cap_above_36_hours_a_month_is_below_the_floor(make_draft, hours, below):
    contract = make_draft(terms=[{"kind": "max_overtime_hours_month", "params": {"hours": hours}}])

    expected = [("max_overtime_hours_month", "hours", hours, "36", "R11")] if below else []
    assert below_floor(contract) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"weekday": "1.5", "rest_day": "2", "holiday": "3"}, []),
        ({"weekday": "1.49"}, [("weekday", "1.49", "1.5")]),
        ({"rest_day": "1.99"}, [("rest_day", "1.99", "2.0")]),
        ({"holiday": "2.99"}, [("holiday", "2.99", "3.0")]),
        ({"weekday": "1.49", "holiday": "2.99"}, [("weekday", "1.49", "1.5"), ("holiday", "2.99", "3.0")]),
    ],
)
def test_overtime_premiums_under_150_200_300_percent_are_below_the_floor(make_draft, params, expected):
    contract = make_draft(terms=[{"kind": "overtime_premium", "params": params}])

    assert below_floor(contract) == [("overtime_premium", p, v, f, "R12") for p, v, f in expected]


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [
        # the statutory tiers themselves
        ([(1, 5), (10, 10), (20, 15)], []),
        # more generous from the first year
        ([(0, 7), (10, 12), (20, 20)], []),
        # the 10-day tier starts one year late: at exactly 10 years only 5 days
        ([(1, 5), (11, 10), (20, 15)], [("tiers[10]", "5", "10")]),
        # the 15-day tier starts one year late: at exactly 20 years only 10 days
        ([(1, 5), (10, 10), (21, 15)], [("tiers[20]", "10", "15")]),
        # one day short from the first year
        ([(1, 4), (10, 10), (20, 15)], [("tiers[1]", "4", "5")]),
    ],
)
def test_annual_leave_tiers_are_checked_at_exactly_10_and_20_years(make_draft, tiers, expected):
    params = {"tiers": [{"from_years": y, "days": d} for y, d in tiers]}
    contract = make_draft(terms=[{"kind": "annual_leave_days", "params": params}])

    assert below_floor(contract) == [("annual_leave_days", p, v, f, "R15") for p, v, f in expected]


@pytest.mark.parametrize(("days", "below"), [(98, False), (158, False), (97, True)])
def test_maternity_leave_under_98_days_is_below_the_floor(make_draft, days, below):
    contract = make_draft(terms=[{"kind": "maternity_leave_days", "params": {"days": days}}])

    expected = [("maternity_leave_days", "days", str(days), str(NATIONAL.maternity_leave_days), "R19")]
    assert below_floor(contract) == (expected if below else [])


def test_a_shortfall_names_its_clause_rule_and_article(make_draft):
    contract = make_draft(terms=[{"kind": "maternity_leave_days", "params": {"days": 97}}])

    (shortfall,) = contract_draft_check(contract=contract)["below_floor"]

    assert shortfall["clause"] == "9"
    assert shortfall["rule"] == "R19"
    assert shortfall["article"]
    assert "97" in shortfall["message"]
    assert "98" in shortfall["message"]


# --- check/ and submit-to-congress/ through the API --------------------------------------------


def test_check_endpoint_shows_what_is_missing_and_below_the_floor(make_draft, union_user, client_for):
    contract = make_draft(clauses=COMPLETE[:4], terms=[{"kind": "max_overtime_hours_month", "params": {"hours": "40"}}])

    response = client_for(union_user).get(url(contract, "check"))

    assert response.status_code == 200
    body = response.json()
    assert [m["category"] for m in body["missing"]] == ["women_minors"]
    assert [(s["kind"], s["rule"]) for s in body["below_floor"]] == [("max_overtime_hours_month", "R11")]
    assert (body["complete"], body["can_submit"], body["pack"]) == (False, False, "national")


def test_submitting_a_draft_with_a_term_below_the_floor_is_refused(make_draft, union_user, client_for):
    contract = make_draft(terms=[{"kind": "overtime_premium", "params": {"weekday": "1.49"}}])

    response = client_for(union_user).post(url(contract, "submit-to-congress"))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "terms_below_floor"
    assert [s["param"] for s in body["extra"]["check"]["below_floor"]] == ["weekday"]
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.DRAFT
    assert Contract.objects.get(pk=contract.pk).versions.count() == 1


def test_submitting_a_draft_at_the_floor_goes_to_the_congress(make_draft, union_user, client_for):
    contract = make_draft(terms=[{"kind": "overtime_premium", "params": {"weekday": "1.5"}}])

    response = client_for(union_user).post(url(contract, "submit-to-congress"))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_congress"
    assert response.json()["version"] == 2


def test_missing_categories_do_not_block_the_submission(make_draft, union_user, client_for):
    contract = make_draft(clauses=[{"number": "1", "category": "pay", "text": "Wages are paid monthly."}])
    assert len(contract_draft_check(contract=contract)["missing"]) == 5

    response = client_for(union_user).post(url(contract, "submit-to-congress"))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_congress"


def test_submitting_a_draft_without_clauses_is_refused(make_draft, union_user, client_for):
    contract = make_draft(clauses=[])

    response = client_for(union_user).post(url(contract, "submit-to-congress"))

    assert response.status_code == 409
    assert response.json()["code"] == "no_clauses"
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.DRAFT


def test_submitting_twice_is_a_conflict(make_draft, union_user, client_for):
    contract = make_draft()
    client = client_for(union_user)
    client.post(url(contract, "submit-to-congress"))

    response = client.post(url(contract, "submit-to-congress"))

    assert response.status_code == 409
    assert response.json()["code"] == "contract_state_conflict"
