"""Costing: each side's latest positions priced on a payroll import's latest month."""

import pytest

from bargaining.models import Side
from bargaining.services.proposals import proposal_create
from contracts.enterprises.models import Role
from tests.factories import EnterpriseFactory, payroll_import, payroll_upload

pytestmark = pytest.mark.django_db

# September is older and cheaper: costing must use the latest month only.
PAYROLL = """employee_id,period,base_wage
E1,2026-09,1000
E2,2026-09,1000
E3,2026-09,1000
E1,2026-10,"2,700.00"
E2,2026-10,2900
E3,2026-10,3500
"""


@pytest.fixture
def payroll(enterprise, make_member):
    leader = make_member(enterprise, Role.UNION_LEADER)
    return payroll_import(leader, enterprise, PAYROLL.encode())


def propose(user, negotiation, session, side, kind, params):
    proposal_create(
        user=user,
        negotiation=negotiation,
        session=session,
        side=side,
        clause_category="pay",
        term_kind=kind,
        params=params,
    )


def url(negotiation, payroll_id):
    return f"/api/v1/negotiations/{negotiation.pk}/proposals/costing/?payroll_import={payroll_id}"


def test_costing_prices_wage_floor_and_increase_on_the_latest_month(
    negotiation_in_rounds, first_round, union_user, employer_user, payroll, client_for
):
    propose(union_user, negotiation_in_rounds, first_round, Side.UNION, "min_monthly_wage", {"amount": "3000"})
    propose(employer_user, negotiation_in_rounds, first_round, Side.EMPLOYER, "min_monthly_wage", {"amount": "2800"})
    propose(
        union_user,
        negotiation_in_rounds,
        first_round,
        Side.UNION,
        "wage_increase_pct",
        {"percent": "5", "reference_period": "2025"},
    )
    propose(
        employer_user,
        negotiation_in_rounds,
        first_round,
        Side.EMPLOYER,
        "wage_increase_pct",
        {"percent": "3", "reference_period": "2025"},
    )

    response = client_for(union_user).get(url(negotiation_in_rounds, payroll.pk))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["period"] == "2026-10"
    assert body["headcount"] == 3
    topics = {topic["term_kind"]: topic for topic in body["topics"]}
    floor = topics["min_monthly_wage"]
    # 3000 lifts E1 by 300 and E2 by 100; 2800 lifts only E1 by 100.
    assert floor["union"]["monthly_cost_fen"] == 40000
    assert floor["union"]["employees_affected"] == 2
    assert floor["employer"]["monthly_cost_fen"] == 10000
    assert floor["annual_difference_fen"] == (40000 - 10000) * 12
    increase = topics["wage_increase_pct"]
    # October's base wages are 9,100 CNY.
    assert increase["union"]["monthly_cost_fen"] == 45500
    assert increase["employer"]["annual_cost_fen"] == 27300 * 12


def test_costing_lists_an_unpriced_term_without_a_cost(
    negotiation_in_rounds, first_round, union_user, payroll, client_for
):
    propose(union_user, negotiation_in_rounds, first_round, Side.UNION, "pay_day", {"day": 10})

    topics = client_for(union_user).get(url(negotiation_in_rounds, payroll.pk)).json()["topics"]

    assert topics == [
        {
            "clause_category": "pay",
            "term_kind": "pay_day",
            "union": None,
            "employer": None,
            "annual_difference_fen": None,
        }
    ]


def test_costing_against_another_enterprises_payroll_is_404(negotiation_in_rounds, union_user, client_for, make_member):
    other = EnterpriseFactory()
    leader = make_member(other, Role.UNION_LEADER)
    foreign = payroll_upload(leader, other, PAYROLL.encode(), name="p.csv")

    response = client_for(union_user).get(url(negotiation_in_rounds, foreign.pk))

    assert response.status_code == 404


def test_costing_needs_an_accepted_import(negotiation_in_rounds, enterprise, union_user, make_member, client_for):
    leader = make_member(enterprise, Role.UNION_LEADER)
    pending = payroll_upload(leader, enterprise, PAYROLL.encode(), name="p.csv")

    response = client_for(union_user).get(url(negotiation_in_rounds, pending.pk))

    assert response.status_code == 409
    assert response.json()["code"] == "payroll_not_accepted"
