"""The typed clause terms: each kind's parameter schema, its validation and its headline."""

import re
from decimal import Decimal

import pytest

from config.errors import InvalidInput
from contracts.rules.terms import STATUTORY_LEAVE_TIERS, TERM_KINDS, ClauseCategory, term_headline, term_params_validate


def rejected(kind, params):
    """The error ``term_params_validate`` raises, asserting that it does."""
    with pytest.raises(InvalidInput) as caught:
        term_params_validate(kind=kind, params=params)
    return caught.value


@pytest.mark.parametrize(
    ("kind", "category", "headline"),
    [
        ("min_monthly_wage", ClauseCategory.PAY, "amount"),
        ("max_overtime_hours_month", ClauseCategory.WORKING_TIME, "hours"),
        ("overtime_premium", ClauseCategory.PAY, "weekday"),
        ("wage_increase_pct", ClauseCategory.PAY, "percent"),
        ("annual_leave_days", ClauseCategory.REST_LEAVE, None),
        ("pay_day", ClauseCategory.PAY, "day"),
    ],
)
def test_term_kind_declares_its_category_and_headline(kind, category, headline):
    assert TERM_KINDS[kind].category == category
    assert TERM_KINDS[kind].headline == headline


def test_term_kinds_cover_at_least_the_spec_kinds():
    assert {
        "min_monthly_wage",
        "max_overtime_hours_month",
        "overtime_premium",
        "wage_increase_pct",
        "annual_leave_days",
        "pay_day",
    } <= set(TERM_KINDS)


# --- min_monthly_wage -------------------------------------------------------------------


def test_min_monthly_wage_requires_an_amount():
    error = rejected("min_monthly_wage", {})

    assert error.code == "invalid_term_params"
    assert set(error.extra["params"]) == {"amount"}


@pytest.mark.parametrize("value", ["abc", "-0.01", "NaN", "Infinity", [], {"a": 1}, "1e999999999", "1000000000000.01"])
def test_min_monthly_wage_rejects_what_is_not_a_non_negative_number(value):
    error = rejected("min_monthly_wage", {"amount": value})

    assert error.code == "invalid_term_params"
    assert "amount" in error.extra["params"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0"),
        ("2690", "2690"),
        ("3,000.50", "3000.5"),
        (" 3100 ", "3100"),
        (2800, "2800"),
        ("3E+3", "3000"),
        ("1e12", "1000000000000"),  # the ceiling itself
    ],
)
def test_min_monthly_wage_amount_is_normalised_to_a_plain_decimal_string(value, expected):
    amount = term_params_validate(kind="min_monthly_wage", params={"amount": value})["amount"]

    assert isinstance(amount, str)
    assert Decimal(amount) == Decimal(expected)
    assert re.fullmatch(r"\d+(\.\d+)?", amount), amount


def test_equal_amounts_written_differently_normalise_to_the_same_params():
    plain = term_params_validate(kind="min_monthly_wage", params={"amount": "3000"})
    with_cents = term_params_validate(kind="min_monthly_wage", params={"amount": "3000.00"})

    assert Decimal(plain["amount"]) == Decimal(with_cents["amount"])  # premise: the same number
    assert plain == with_cents


# --- max_overtime_hours_month -----------------------------------------------------------


def test_max_overtime_hours_defaults_to_the_statutory_36():
    assert term_params_validate(kind="max_overtime_hours_month", params={}) == {"hours": "36"}


@pytest.mark.parametrize(("hours", "ok"), [("0", True), ("744", True), ("744.01", False), ("-1", False)])
def test_max_overtime_hours_is_bounded_by_the_hours_of_a_month(hours, ok):
    if ok:
        assert term_params_validate(kind="max_overtime_hours_month", params={"hours": hours}) == {"hours": hours}
    else:
        assert "hours" in rejected("max_overtime_hours_month", {"hours": hours}).extra["params"]


# --- overtime_premium -------------------------------------------------------------------


def test_overtime_premium_defaults_to_150_200_300_percent():
    params = term_params_validate(kind="overtime_premium", params=None)

    assert {name: Decimal(value) for name, value in params.items()} == {
        "weekday": Decimal("1.5"),
        "rest_day": Decimal("2"),
        "holiday": Decimal("3"),
    }


def test_overtime_premium_keeps_given_rates_and_defaults_the_rest():
    params = term_params_validate(kind="overtime_premium", params={"weekday": "1.8", "holiday": ""})

    assert params["weekday"] == "1.8"
    assert (Decimal(params["rest_day"]), Decimal(params["holiday"])) == (Decimal("2"), Decimal("3"))


def test_a_default_and_the_same_value_given_explicitly_normalise_alike():
    defaulted = term_params_validate(kind="overtime_premium", params={"weekday": "1.5"})
    explicit = term_params_validate(
        kind="overtime_premium", params={"weekday": "1.5", "rest_day": "2.0", "holiday": "3"}
    )

    assert defaulted == explicit


def test_overtime_premium_reports_every_bad_rate_at_once():
    error = rejected("overtime_premium", {"weekday": "x", "rest_day": "10.5", "holiday": "-1"})

    assert set(error.extra["params"]) == {"weekday", "rest_day", "holiday"}


# --- wage_increase_pct ------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2025", "2025-01", "2025-12"])
def test_wage_increase_accepts_a_year_or_a_month_as_reference(period):
    params = term_params_validate(kind="wage_increase_pct", params={"percent": "5", "reference_period": period})

    assert params == {"percent": "5", "reference_period": period}


@pytest.mark.parametrize("period", ["2025-13", "2025-00", "25-01", "2025/01", "2025-1", ""])
def test_wage_increase_rejects_a_malformed_reference_period(period):
    error = rejected("wage_increase_pct", {"percent": "5", "reference_period": period})

    assert set(error.extra["params"]) == {"reference_period"}


@pytest.mark.parametrize(("percent", "ok"), [("-100", True), ("-100.01", False), ("1000", True), ("1000.1", False)])
def test_wage_increase_percent_bounds(percent, ok):
    params = {"percent": percent, "reference_period": "2025"}
    if ok:
        assert term_params_validate(kind="wage_increase_pct", params=params)["percent"] == percent
    else:
        assert set(rejected("wage_increase_pct", params).extra["params"]) == {"percent"}


# --- pay_day ----------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [("1", 1), (31, 31), (" 15 ", 15)])
def test_pay_day_accepts_a_day_of_the_month(day, expected):
    assert term_params_validate(kind="pay_day", params={"day": day}) == {"day": expected}


@pytest.mark.parametrize("day", [0, 32, "15.5", 15.0, True, "-1", "fifteen"])
def test_pay_day_rejects_what_is_not_a_whole_day_of_the_month(day):
    assert set(rejected("pay_day", {"day": day}).extra["params"]) == {"day"}


# --- annual_leave_days ------------------------------------------------------------------


def test_annual_leave_defaults_to_the_statutory_tiers():
    assert term_params_validate(kind="annual_leave_days", params={}) == {"tiers": STATUTORY_LEAVE_TIERS}
    assert STATUTORY_LEAVE_TIERS == [
        {"from_years": 1, "days": 5},
        {"from_years": 10, "days": 10},
        {"from_years": 20, "days": 15},
    ]


def test_annual_leave_tiers_are_sorted_by_years_of_service():
    params = term_params_validate(
        kind="annual_leave_days",
        params={"tiers": [{"from_years": "20", "days": 18}, {"from_years": 1, "days": "7"}]},
    )

    assert params == {"tiers": [{"from_years": 1, "days": 7}, {"from_years": 20, "days": 18}]}


@pytest.mark.parametrize(
    "tiers",
    [
        [],
        "5/10/15",
        [{"from_years": 1}],
        [{"from_years": 1, "days": 5, "extra": 1}],
        [{"from_years": 1, "days": 400}],
        [5, 10, 15],
    ],
)
def test_annual_leave_rejects_malformed_tiers(tiers):
    assert set(rejected("annual_leave_days", {"tiers": tiers}).extra["params"]) == {"tiers"}


# --- the schema as a whole --------------------------------------------------------------


def test_unknown_parameter_is_named_in_the_error():
    error = rejected("min_monthly_wage", {"amount": "3000", "currency": "CNY"})

    assert error.code == "invalid_term_params"
    assert set(error.extra["params"]) == {"currency"}


def test_unknown_term_kind_is_refused_with_its_own_code():
    error = rejected("free_lunch", {})

    assert error.code == "unknown_term_kind"
    assert error.status_code == 400


def test_params_that_are_not_an_object_are_refused():
    assert rejected("min_monthly_wage", ["3000"]).code == "invalid_term_params"


def test_validation_does_not_mutate_its_input():
    given = {"amount": "3,000"}

    term_params_validate(kind="min_monthly_wage", params=given)

    assert given == {"amount": "3,000"}


# --- term_headline ----------------------------------------------------------------------


def test_term_headline_is_the_number_of_the_headline_parameter():
    assert term_headline(kind="min_monthly_wage", params={"amount": "3000.50"}) == Decimal("3000.50")
    assert term_headline(kind="overtime_premium", params={"weekday": "1.5", "rest_day": "2"}) == Decimal("1.5")
    assert term_headline(kind="pay_day", params={"day": 15}) == Decimal("15")


def test_term_headline_is_none_without_a_headline_or_its_value():
    assert term_headline(kind="annual_leave_days", params={"tiers": STATUTORY_LEAVE_TIERS}) is None
    assert term_headline(kind="min_monthly_wage", params={}) is None
    assert term_headline(kind="no_such_kind", params={"amount": "1"}) is None


def test_every_term_kind_is_one_module_holding_its_checker():
    import importlib

    for code, kind in TERM_KINDS.items():
        module = importlib.import_module(f"contracts.rules.terms.{code}")
        assert module.KIND is kind
        assert kind.checker is module.check
