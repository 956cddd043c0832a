"""The draft check (``check/``): what a draft lacks for its kind (PCC Arts. 3, 8, 9–18) is shown;
terms below the statutory floor of the enterprise's rule pack (LCL Art. 55; R11, R12, R13, R15, R19)
block the way to the workers' congress."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from contracts.models import Contract, ContractKind, ContractStatus
from contracts.rules.packs import NATIONAL
from contracts.rules.terms import ClauseCategory
from contracts.services.draft_check import REQUIREMENTS, contract_draft_check
from contracts.services.lifecycle import contract_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/contracts/"
D = dt.date.fromisoformat

# Every contract, comprehensive or special: PCC Art. 8 (十一)–(十四).
PROCEDURAL = ["term", "amendment", "disputes", "breach_liability"]
# A comprehensive contract: the matters of PCC Art. 3, women's protection, the procedural items.
GENERAL = [
    "pay",
    "working_time",
    "rest_leave",
    "safety_health",
    "insurance_welfare",
    "women_minors",
    "training",
    *PROCEDURAL,
]
TEXTS = {category: f"The {category} clause." for category in ClauseCategory.values}


def clauses_on(*categories):
    return [{"number": str(n), "category": c, "text": TEXTS[c]} for n, c in enumerate(categories, 1)]


COMPLETE = clauses_on(*GENERAL)
WAGE_TERMS = [
    {"kind": "min_monthly_wage", "params": {"amount": "3000"}},
    {"kind": "wage_increase_pct", "params": {"percent": "5", "reference_period": "2025"}},
]


@pytest.fixture(autouse=True)
def in_english():
    # The messages as an English reader gets them (zh-hans is the default language).
    with translation.override("en"):
        yield


def url(contract, action=""):
    return f"{URL}{contract.pk}/{action + '/' if action else ''}"


@pytest.fixture
def make_draft(enterprise, union_user):
    def make(*, clauses=COMPLETE, kind="general", terms=None):
        clauses = [dict(c) for c in clauses]
        if terms is not None:
            clauses.append({"number": "99", "category": "other", "text": "Standards.", "terms": terms})
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


def missing(contract):
    return [m.get("category") or m.get("term_kind") for m in contract_draft_check(contract=contract)["missing"]]


# --- what each kind of contract must carry -------------------------------------------------------


def test_every_kind_of_contract_has_its_list_and_every_item_its_article():
    assert set(REQUIREMENTS) == set(ContractKind.values)
    for requirements in REQUIREMENTS.values():
        assert all(str(r.article).startswith("Provisions on Collective Contracts, Art") for r in requirements)
        assert [r.category for r in requirements][-4:] == PROCEDURAL


def test_the_optional_items_of_art_8_are_required_of_no_contract():
    required = {r.category for requirements in REQUIREMENTS.values() for r in requirements}

    assert required.isdisjoint({"labour_contracts", "rewards_penalties", "layoffs", "other"})


# --- a comprehensive (general) contract --------------------------------------------------------


def test_a_general_draft_with_every_required_chapter_is_complete(make_draft):
    check = contract_draft_check(contract=make_draft())

    assert check == {"complete": True, "below_floor": [], "missing": [], "can_submit": True, "pack": "national"}


@pytest.mark.parametrize("category", GENERAL)
def test_a_general_draft_without_one_required_chapter_names_it_and_its_article(make_draft, category):
    contract = make_draft(clauses=clauses_on(*(c for c in GENERAL if c != category)))

    check = contract_draft_check(contract=contract)

    assert [m["category"] for m in check["missing"]] == [category]
    assert check["missing"][0]["article"].startswith("Provisions on Collective Contracts, Art")
    assert check["complete"] is False
    assert check["can_submit"] is True


def test_a_general_contract_without_a_training_clause_is_incomplete_under_art_3(make_draft):
    (item,) = contract_draft_check(contract=make_draft(clauses=clauses_on(*(c for c in GENERAL if c != "training"))))[
        "missing"
    ]

    assert item == {
        "category": "training",
        "message": "The contract has no clause on “Vocational training”.",
        "article": "Provisions on Collective Contracts, Art. 3; Art. 8(7) and Art. 15",
    }


def test_the_women_minors_chapter_of_a_general_contract_cites_the_womens_rights_law(make_draft):
    (item,) = contract_draft_check(
        contract=make_draft(clauses=clauses_on(*(c for c in GENERAL if c != "women_minors")))
    )["missing"]

    assert item["article"] == (
        "Provisions on Collective Contracts, Art. 8(6) and Art. 14; "
        "Law on the Protection of Women's Rights and Interests, Art. 44"
    )


def test_an_empty_general_draft_misses_every_required_chapter_in_order(make_draft):
    assert missing(make_draft(clauses=[])) == GENERAL


def test_a_general_draft_needs_no_layoffs_rewards_labour_contracts_or_other_chapter(make_draft):
    contract = make_draft(clauses=COMPLETE)
    assert {c.category for c in contract.clauses.all()}.isdisjoint({"layoffs", "rewards_penalties", "other"})

    assert missing(contract) == []


def test_a_general_contract_needs_no_pay_term(make_draft):
    assert missing(make_draft(kind="general")) == []


# --- special contracts (PCC Art. 3: one topic each) -------------------------------------------


def test_a_wage_contract_without_a_training_clause_is_complete(make_draft):
    contract = make_draft(kind="wages", clauses=clauses_on("pay", *PROCEDURAL), terms=WAGE_TERMS)

    check = contract_draft_check(contract=contract)

    assert "training" not in {c.category for c in contract.clauses.all()}
    assert (check["missing"], check["complete"]) == ([], True)


def test_a_wage_contract_without_its_pay_terms_misses_them_with_their_article(make_draft):
    check = contract_draft_check(contract=make_draft(kind="wages", clauses=clauses_on("pay", *PROCEDURAL)))

    assert [(m.get("term_kind"), m["article"]) for m in check["missing"]] == [
        (
            "min_monthly_wage",
            "Provisions on Collective Contracts, Art. 9(1); Trial Measures for Collective Wage Consultation, Art. 7",
        ),
        (
            "wage_increase_pct",
            "Provisions on Collective Contracts, Art. 9(4); Trial Measures for Collective Wage Consultation, Art. 7",
        ),
    ]
    assert check["complete"] is False


def test_an_empty_wage_contract_misses_its_pay_chapter_terms_and_procedure(make_draft):
    assert missing(make_draft(kind="wages", clauses=[])) == [
        "pay",
        "min_monthly_wage",
        "wage_increase_pct",
        *PROCEDURAL,
    ]


def test_a_wage_contract_without_its_pay_chapter_is_incomplete_even_with_the_terms(make_draft):
    # The typed terms sit in an "other" clause: the pay chapter itself is missing (PCC Art. 9).
    contract = make_draft(kind="wages", clauses=clauses_on(*PROCEDURAL), terms=WAGE_TERMS)

    (item,) = contract_draft_check(contract=contract)["missing"]

    assert (item["category"], item["article"]) == ("pay", "Provisions on Collective Contracts, Arts. 3 and 9")


def test_a_womens_special_contract_lacking_the_women_minors_chapter_is_incomplete(make_draft):
    contract = make_draft(kind="women", clauses=clauses_on("pay", "training", *PROCEDURAL))

    check = contract_draft_check(contract=contract)

    assert [(m["category"], m["article"]) for m in check["missing"]] == [
        ("women_minors", "Provisions on Collective Contracts, Arts. 3 and 14; Labour Contract Law, Art. 52")
    ]
    assert check["complete"] is False


def test_a_womens_special_contract_with_its_chapter_and_the_procedure_is_complete(make_draft):
    assert missing(make_draft(kind="women", clauses=clauses_on("women_minors", *PROCEDURAL))) == []


def test_a_safety_special_contract_is_checked_against_its_own_chapter(make_draft):
    without = make_draft(kind="safety", clauses=clauses_on("women_minors", *PROCEDURAL))
    with_it = make_draft(kind="safety", clauses=clauses_on("safety_health", *PROCEDURAL))

    assert missing(without) == ["safety_health"]
    assert missing(with_it) == []


@pytest.mark.parametrize("kind", ["wages", "women", "safety"])
@pytest.mark.parametrize("category", PROCEDURAL)
def test_a_special_contract_without_a_procedural_clause_names_it(make_draft, kind, category):
    topic = {"wages": "pay", "women": "women_minors", "safety": "safety_health"}[kind]
    contract = make_draft(
        kind=kind, clauses=clauses_on(topic, *(c for c in PROCEDURAL if c != category)), terms=WAGE_TERMS
    )

    (item,) = contract_draft_check(contract=contract)["missing"]

    assert item["category"] == category
    assert item["article"].startswith("Provisions on Collective Contracts, Art. 8(1")


def test_a_missing_item_is_worded_in_chinese(make_draft):
    contract = make_draft(kind="wages", clauses=clauses_on("pay", "term", "amendment", "disputes"), terms=WAGE_TERMS)

    with translation.override("zh-hans"):
        (item,) = contract_draft_check(contract=contract)["missing"]

    assert item["message"] == "合同缺少关于“违反集体合同的责任”的条款。"
    assert item["article"]


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

    assert shortfall["clause"] == "99"
    assert shortfall["rule"] == "R19"
    assert shortfall["article"]
    assert shortfall["message"] == (
        "Clause 99, Maternity leave (days): “Maternity leave” is 97; the law requires at least 98."
    )


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        (
            [{"kind": "min_monthly_wage", "params": {"amount": "2600"}}],
            "Clause 99, Minimum monthly wage: “Monthly base wage at least” is 2600; the law requires at least 2690.00.",
        ),
        (
            [{"kind": "max_overtime_hours_month", "params": {"hours": "40"}}],
            "Clause 99, Maximum overtime hours a month: “Overtime a month at most” is 40; the law allows at most 36.",
        ),
        (
            [{"kind": "overtime_premium", "params": {"holiday": "2.5"}}],
            "Clause 99, Overtime pay premiums: “On a statutory holiday” is 2.5; the law requires at least 3.0.",
        ),
        (
            [{"kind": "annual_leave_days", "params": {"tiers": [{"from_years": 1, "days": 4}]}}],
            "Clause 99, Paid annual leave: “Annual leave after 1 years of service” is 4; the law requires at least 5.",
        ),
    ],
)
def test_a_shortfall_is_worded_by_the_label_of_its_parameter_never_its_code(make_draft, terms, message):
    (shortfall,) = contract_draft_check(contract=make_draft(terms=terms))["below_floor"][:1]

    assert shortfall["message"] == message
    assert f"“{shortfall['param']}”" not in shortfall["message"]
    assert "_" not in shortfall["message"] and "[" not in shortfall["message"]


# --- check/ and submit-to-congress/ through the API --------------------------------------------


def test_check_endpoint_shows_what_is_missing_and_below_the_floor(make_draft, union_user, client_for):
    contract = make_draft(
        clauses=clauses_on(*(c for c in GENERAL if c != "women_minors")),
        terms=[{"kind": "max_overtime_hours_month", "params": {"hours": "40"}}],
    )

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
    assert len(contract_draft_check(contract=contract)["missing"]) == len(GENERAL) - 1

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
