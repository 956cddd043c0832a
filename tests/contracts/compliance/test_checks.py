"""The compliance checkers at their edges (SPEC §3, R11–R18)."""

import datetime as dt

import chinese_calendar
import numpy as np
import pandas as pd
import pytest

from contracts.compliance import columns as C
from contracts.compliance.checks import CheckContext, breach_summary, months_in_force, run_checks
from contracts.rules.terms import STATUTORY_LEAVE_TIERS
from contracts.rules.terms.annual_leave_days import check as annual_leave_days
from contracts.rules.terms.maternity_leave_days import check as maternity_leave_days
from contracts.rules.terms.max_overtime_hours_month import check as max_overtime_hours_month
from contracts.rules.terms.min_monthly_wage import check as min_wage
from contracts.rules.terms.overtime_premium import check as overtime_premium
from contracts.rules.terms.pay_day import check as pay_day
from contracts.rules.terms.pay_day import pay_due_date
from contracts.rules.terms.wage_increase_pct import check as wage_increase_pct

CONTEXT = CheckContext()

# Pay days (R18) are counted on the holiday calendar, which is read from the database.
pytestmark = pytest.mark.django_db


def payroll(**columns) -> pd.DataFrame:
    """A canonical payroll frame: ``employee_id`` and ``period`` default to one row per value given."""
    n = len(next(iter(columns.values())))
    columns.setdefault(C.EMPLOYEE_ID, [f"E{i}" for i in range(n)])
    columns.setdefault(C.PERIOD, [202503] * n)
    columns.setdefault(C.BASE_WAGE, [500_000] * n)
    data = {}
    for spec in C.FIELDS:
        if spec.name not in columns:
            continue
        values = columns[spec.name]
        if spec.kind in (C.TEXT, C.GENDER_KIND):
            data[spec.name] = pd.array(values, dtype=C.STRING_DTYPE)
        elif spec.kind == C.DATE:
            data[spec.name] = pd.array(pd.to_datetime(values)).astype(C.DATE_DTYPE)
        elif spec.kind == C.MONTH:
            data[spec.name] = np.array(values, dtype=C.PERIOD_DTYPE)
        elif spec.required:
            data[spec.name] = np.array(values, dtype=np.int64)
        else:
            data[spec.name] = pd.array(values, dtype="Int64")
    return pd.DataFrame(data)


def one_year(employee: str, year: int, **columns) -> dict:
    """Twelve monthly rows of one employee; scalar column values repeat."""
    rows = {C.EMPLOYEE_ID: [employee] * 12, C.PERIOD: [year * 100 + m for m in range(1, 13)]}
    for name, value in columns.items():
        rows[name] = value if isinstance(value, list) else [value] * 12
    return rows


def concat(*parts: dict) -> dict:
    return {key: [value for part in parts for value in part[key]] for key in parts[0]}


# --- min_monthly_wage (R13) ---------------------------------------------------------


def test_min_wage_exactly_at_the_amount_is_no_breach():
    # given a wage of exactly 2690.00 CNY against a minimum of "2690"
    frame = payroll(base_wage=[269_000])
    # when checked
    found = min_wage(frame, {"amount": "2690"}, context=CONTEXT)
    # then nothing is found
    assert found.empty
    assert list(found.columns) == list(C.FINDING_COLUMNS)


def test_min_wage_one_fen_below_is_a_breach_with_its_shortfall():
    frame = payroll(employee_id=["A1"], base_wage=[268_999])
    found = min_wage(frame, {"amount": "2690"}, context=CONTEXT)
    assert found.to_dict("records") == [
        {
            "employee_id": "A1",
            "period": "2025-03",
            "expected": 269_000,
            "actual": 268_999,
            "shortfall": 1,
            "unit": "fen",
        }
    ]


def test_min_wage_with_a_fractional_fen_amount_rounds_the_floor_up():
    # base < 2690.005 holds for 2690.00 but not for 2690.01
    frame = payroll(base_wage=[269_000, 269_001])
    found = min_wage(frame, {"amount": "2690.005"}, context=CONTEXT)
    assert found[C.ACTUAL].tolist() == [269_000]


def test_checks_look_only_at_the_months_in_force():
    frame = payroll(employee_id=["A1", "A1"], period=[202502, 202503], base_wage=[100, 100])
    found = min_wage(frame, {"amount": "2690"}, context=CheckContext(periods=["2025-03"]))
    assert found[C.PERIOD].tolist() == ["2025-03"]


def test_months_in_force_spans_the_term_inclusive():
    assert months_in_force(dt.date(2025, 11, 20), dt.date(2026, 2, 1)) == {202511, 202512, 202601, 202602}


# --- max_overtime_hours_month (R11) --------------------------------------------------------


def test_overtime_of_exactly_36_hours_is_no_breach_and_36_01_is():
    frame = payroll(employee_id=["A1", "A2", "A3"], overtime_hours=[3600, 3601, None])
    found = max_overtime_hours_month(frame, {"hours": "36"}, context=CONTEXT)
    assert found[[C.EMPLOYEE_ID, C.EXPECTED, C.ACTUAL, C.SHORTFALL, C.UNIT]].to_dict("records") == [
        {"employee_id": "A2", "expected": 3600, "actual": 3601, "shortfall": 1, "unit": "hour_hundredths"}
    ]


def test_overtime_cap_without_an_overtime_column_finds_nothing():
    assert max_overtime_hours_month(payroll(base_wage=[1]), {"hours": "36"}, context=CONTEXT).empty


# --- overtime_premium (R12) ---------------------------------------------------------------------

# 1740 CNY a month makes the hourly wage exactly 10 CNY (1740 / 21.75 / 8).
HOURLY_10 = 174_000


def test_premium_short_by_one_fen_is_no_breach_and_by_two_fen_is():
    # given 10 working-day hours at 1.5 × 10 CNY: 150.00 CNY due
    frame = payroll(
        employee_id=["exact", "short1", "short2"],
        base_wage=[HOURLY_10] * 3,
        ot_weekday_hours=[1000] * 3,
        ot_rest_day_hours=[0] * 3,
        ot_holiday_hours=[0] * 3,
        overtime_pay=[15_000, 14_999, 14_998],
    )
    # when checked with the statutory premiums
    found = overtime_premium(frame, {"weekday": "1.5", "rest_day": "2.0", "holiday": "3.0"}, context=CONTEXT)
    # then only the payment two fen short is a breach
    assert found[[C.EMPLOYEE_ID, C.EXPECTED, C.ACTUAL, C.SHORTFALL]].to_dict("records") == [
        {"employee_id": "short2", "expected": 15_000, "actual": 14_998, "shortfall": 2}
    ]


def test_premium_weighs_rest_day_and_holiday_hours():
    # 1 h weekday (15), 2 h rest day (2 × 20), 1 h holiday (30) = 85.00 CNY
    frame = payroll(
        base_wage=[HOURLY_10, HOURLY_10],
        ot_weekday_hours=[100, 100],
        ot_rest_day_hours=[200, 200],
        ot_holiday_hours=[100, 100],
        overtime_pay=[8_500, 8_498],
    )
    found = overtime_premium(frame, {"weekday": "1.5", "rest_day": "2.0", "holiday": "3.0"}, context=CONTEXT)
    assert found[C.EXPECTED].tolist() == [8_500]
    assert found[C.ACTUAL].tolist() == [8_498]


def test_premium_with_only_total_hours_counts_them_as_working_day_overtime():
    # 10 h that might have been holiday hours are paid at 1.5: no breach is claimed
    frame = payroll(base_wage=[HOURLY_10], overtime_hours=[1000], overtime_pay=[15_000])
    assert overtime_premium(frame, {"weekday": "1.5", "rest_day": "2.0", "holiday": "3.0"}, context=CONTEXT).empty


def test_premium_rounds_the_expected_amount_half_up_to_the_fen():
    # 5200 CNY, 12 h at 1.5: 537.931… CNY → 537.93 expected; 537.91 is two fen short
    frame = payroll(base_wage=[520_000, 520_000], overtime_hours=[1200, 1200], overtime_pay=[53_792, 53_791])
    found = overtime_premium(frame, {"weekday": "1.5", "rest_day": "2", "holiday": "3"}, context=CONTEXT)
    assert found[[C.EXPECTED, C.ACTUAL, C.SHORTFALL]].to_dict("records") == [
        {"expected": 53_793, "actual": 53_791, "shortfall": 2}
    ]


def test_premium_stays_exact_when_the_integers_would_overflow_int64():
    # 10 billion CNY a month and 744 h at a rate of 9.999: beyond int64 in the intermediate product
    base, hours = 10**12, 74_400
    exact_num, exact_den = base * hours * 9999, 100 * 1000 * 174
    expected = (2 * exact_num + exact_den) // (2 * exact_den)
    frame = payroll(base_wage=[base], overtime_hours=[hours], overtime_pay=[0])
    found = overtime_premium(frame, {"weekday": "9.999", "rest_day": "2", "holiday": "3"}, context=CONTEXT)
    assert found[C.EXPECTED].tolist() == [expected]


def test_premium_skips_a_blank_overtime_pay():
    frame = payroll(base_wage=[HOURLY_10], overtime_hours=[1000], overtime_pay=[None])
    assert overtime_premium(frame, {"weekday": "1.5", "rest_day": "2", "holiday": "3"}, context=CONTEXT).empty


# --- wage_increase_pct ------------------------------------------------------------------------------


def test_wage_increase_exactly_at_the_percent_is_no_breach_and_a_fen_below_is():
    # given two employees at 5000 CNY in January; in February the mean must be 5150 for +3 %
    ids = ["A1", "A2", "A1", "A2", "A3"]
    periods = [202501, 202501, 202502, 202502, 202502]
    at_percent = payroll(employee_id=ids, period=periods, base_wage=[500_000, 500_000, 515_000, 515_000, 100_000])
    below = payroll(employee_id=ids, period=periods, base_wage=[500_000, 500_000, 515_000, 514_999, 100_000])
    params = {"percent": "3", "reference_period": "2025-01"}
    # when checked (A3 joined in February and is not in the reference month: not counted)
    assert wage_increase_pct(at_percent, params, context=CONTEXT).empty
    found = wage_increase_pct(below, params, context=CONTEXT)
    # then one enterprise finding: required mean 5150.00, reached 5149.995 → 5149.99 rounded down
    assert found.to_dict("records") == [
        {"employee_id": "*", "period": "2025-02", "expected": 515_000, "actual": 514_999, "shortfall": 1, "unit": "fen"}
    ]


def test_wage_increase_by_year_compares_full_calendar_years():
    reference = one_year("A1", 2024, base_wage=500_000)
    year_ok = one_year("A1", 2025, base_wage=[500_000] * 6 + [530_000] * 6)  # mean 5150: +3 %
    year_short = one_year("A1", 2025, base_wage=[500_000] * 6 + [529_998] * 6)  # mean 5149.99
    params = {"percent": "3", "reference_period": "2024"}
    assert wage_increase_pct(payroll(**concat(reference, year_ok)), params, context=CONTEXT).empty
    found = wage_increase_pct(payroll(**concat(reference, year_short)), params, context=CONTEXT)
    assert found[[C.PERIOD, C.EXPECTED, C.ACTUAL]].to_dict("records") == [
        {"period": "2025", "expected": 515_000, "actual": 514_999}
    ]


def test_wage_increase_by_year_waits_for_the_twelfth_month():
    reference = one_year("A1", 2024, base_wage=500_000)
    partial = {key: values[:11] for key, values in one_year("A1", 2025, base_wage=500_000).items()}
    found = wage_increase_pct(
        payroll(**concat(reference, partial)), {"percent": "3", "reference_period": "2024"}, context=CONTEXT
    )
    assert found.empty


# --- annual_leave_days (R15) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hired", "entitled"),
    [
        ("2024-01-02", 0),  # under one full year on 1 January 2025
        ("2024-01-01", 500),  # exactly 1 year
        ("2015-01-02", 500),  # one day short of 10 years
        ("2015-01-01", 1000),  # exactly 10 years: the 10-year tier
        ("2005-01-02", 1000),
        ("2005-01-01", 1500),  # exactly 20 years
    ],
)
def test_annual_leave_tiers_start_at_exactly_their_years(hired, entitled):
    # given a full year 2025 with no leave taken
    frame = payroll(**one_year("A1", 2025, hire_date=hired, leave_days_taken=0))
    # when checked with the statutory tiers
    found = annual_leave_days(frame, {"tiers": STATUTORY_LEAVE_TIERS}, context=CONTEXT)
    # then the entitlement is that of the tier reached on 1 January
    assert found[C.EXPECTED].tolist() == ([entitled] if entitled else [])


def test_annual_leave_taken_in_full_is_no_breach_and_half_a_day_short_is():
    full = one_year("A1", 2025, hire_date="2015-01-01", leave_days_taken=[500, 500] + [0] * 10)
    short = one_year("A2", 2025, hire_date="2015-01-01", leave_days_taken=[500, 450] + [0] * 10)
    found = annual_leave_days(payroll(**concat(full, short)), {"tiers": STATUTORY_LEAVE_TIERS}, context=CONTEXT)
    assert found.to_dict("records") == [
        {
            "employee_id": "A2",
            "period": "2025",
            "expected": 1000,
            "actual": 950,
            "shortfall": 50,
            "unit": "day_hundredths",
        }
    ]


def test_annual_leave_uses_the_service_years_column_when_present():
    ten = one_year("A1", 2025, hire_date="2024-06-01", service_years=1000, leave_days_taken=0)
    almost = one_year("A2", 2025, hire_date="2024-06-01", service_years=999, leave_days_taken=0)
    found = annual_leave_days(payroll(**concat(ten, almost)), {"tiers": STATUTORY_LEAVE_TIERS}, context=CONTEXT)
    assert dict(zip(found[C.EMPLOYEE_ID], found[C.EXPECTED], strict=True)) == {"A1": 1000, "A2": 500}


def test_annual_leave_skips_a_year_not_covered_from_january_to_december():
    rows = {key: values[1:] for key, values in one_year("A1", 2025, hire_date="2000-01-01", leave_days_taken=0).items()}
    assert annual_leave_days(payroll(**rows), {"tiers": STATUTORY_LEAVE_TIERS}, context=CONTEXT).empty


# --- pay_day (R18) ------------------------------------------------------------------------------------


def test_pay_on_the_15th_is_on_time_and_on_the_16th_is_late():
    # given the April 2025 wage due on Thursday 15 May 2025, a working day
    assert chinese_calendar.is_workday(dt.date(2025, 5, 15))
    frame = payroll(employee_id=["on_time", "late"], period=[202504, 202504], pay_date=["2025-05-15", "2025-05-16"])
    # when checked with pay day 15
    found = pay_day(frame, {"day": 15}, context=CONTEXT)
    # then the payment on the 16th is one day late
    assert found.to_dict("records") == [
        {
            "employee_id": "late",
            "period": "2025-04",
            "expected": 20250515,
            "actual": 20250516,
            "shortfall": 1,
            "unit": "date",
        }
    ]


def test_pay_due_on_a_saturday_falls_due_the_working_day_before():
    # 15 March 2025 is a Saturday (a rest day); Friday the 14th is a working day
    saturday = dt.date(2025, 3, 15)
    assert saturday.weekday() == 5 and not chinese_calendar.is_workday(saturday)
    assert chinese_calendar.is_workday(dt.date(2025, 3, 14))
    assert pay_due_date(202502, 15) == dt.date(2025, 3, 14)
    frame = payroll(employee_id=["friday", "saturday"], period=[202502] * 2, pay_date=["2025-03-14", "2025-03-15"])
    found = pay_day(frame, {"day": 15}, context=CONTEXT)
    assert found[[C.EMPLOYEE_ID, C.EXPECTED, C.SHORTFALL]].to_dict("records") == [
        {"employee_id": "saturday", "expected": 20250314, "shortfall": 1}
    ]


def test_pay_due_in_a_holiday_falls_due_the_last_working_day_before_it():
    # 15 February 2024 is a Thursday inside the Spring Festival holiday (10–17 February)
    due_day = dt.date(2024, 2, 15)
    assert due_day.weekday() == 3
    assert chinese_calendar.get_holiday_detail(due_day) == (True, "Spring Festival")
    assert [chinese_calendar.is_workday(dt.date(2024, 2, d)) for d in range(9, 16)] == [True] + [False] * 6
    assert pay_due_date(202401, 15) == dt.date(2024, 2, 9)
    frame = payroll(period=[202401, 202401], pay_date=["2024-02-09", "2024-02-10"])
    assert pay_day(frame, {"day": 15}, context=CONTEXT)[C.SHORTFALL].tolist() == [1]


def test_pay_due_in_a_holiday_may_fall_on_a_make_up_working_saturday():
    # 16 February 2026 (Spring Festival) → Saturday 14 February 2026, a make-up working day
    assert chinese_calendar.get_holiday_detail(dt.date(2026, 2, 16))[0]
    make_up = dt.date(2026, 2, 14)
    assert make_up.weekday() == 5 and chinese_calendar.is_workday(make_up)
    assert pay_due_date(202601, 16) == make_up


def test_pay_day_past_the_end_of_the_month_means_its_last_day():
    # wage for January 2025 with pay day 31: due 28 February 2025, a Friday
    assert pay_due_date(202501, 31) == dt.date(2025, 2, 28)


# --- the rest ------------------------------------------------------------------------------------------


def test_maternity_leave_has_no_payroll_column_and_finds_nothing():
    assert maternity_leave_days(payroll(base_wage=[0]), {"days": 98}, context=CONTEXT).empty


def test_run_checks_labels_findings_with_their_term_and_summary_groups_them():
    # given two employees under the minimum in March and one over the overtime cap
    frame = payroll(
        employee_id=["A1", "A2", "A3"],
        base_wage=[100_000, 200_000, 500_000],
        overtime_hours=[0, 0, 4000],
    )
    terms = [(7, "min_monthly_wage", {"amount": "2690"}), (8, "max_overtime_hours_month", {"hours": "36"})]
    # when every term is checked
    findings = run_checks(frame, terms, CONTEXT)
    summary = breach_summary(findings)
    # then each breach counts its employees and shortfalls
    assert findings[C.TERM_ID].tolist() == [7, 7, 8]
    assert summary.to_dict("records") == [
        {
            "term_id": 7,
            "period": "2025-03",
            "unit": "fen",
            "affected": 2,
            "total_shortfall": 238_000,
            "worst_shortfall": 169_000,
        },
        {
            "term_id": 8,
            "period": "2025-03",
            "unit": "hour_hundredths",
            "affected": 1,
            "total_shortfall": 400,
            "worst_shortfall": 400,
        },
    ]


def test_checkers_do_not_modify_the_payroll():
    frame = payroll(
        **one_year(
            "A1",
            2025,
            hire_date="2010-01-01",
            leave_days_taken=0,
            overtime_hours=5000,
            overtime_pay=0,
            pay_date="2026-12-31",
        )
    )
    before = frame.copy()
    terms = [
        (1, "min_monthly_wage", {"amount": "9999"}),
        (2, "max_overtime_hours_month", {"hours": "36"}),
        (3, "overtime_premium", {"weekday": "1.5", "rest_day": "2", "holiday": "3"}),
        (4, "wage_increase_pct", {"percent": "5", "reference_period": "2025-01"}),
        (5, "annual_leave_days", {"tiers": STATUTORY_LEAVE_TIERS}),
        (6, "pay_day", {"day": 15}),
    ]
    findings = run_checks(frame, terms, CONTEXT)
    pd.testing.assert_frame_equal(frame, before)
    assert set(findings[C.TERM_ID]) == {1, 2, 3, 4, 5, 6}
