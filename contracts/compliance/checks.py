"""The compliance checkers (SPEC §3): one pure function per term kind.

Every checker has the signature ``(payroll, params, *, context) -> findings``:
``payroll`` is the canonical frame (``columns.py``), ``params`` the term's
normalised parameters (numbers as strings such as "2690" or "1.5", leave tiers as
a list), and the result has ``FINDING_COLUMNS`` with integer ``expected``,
``actual`` and ``shortfall`` in the finding's ``unit``. Checkers read no database
and no file and never modify their inputs; every comparison is made on integers
(fen, hundredths) or exact fractions, so there is no float tolerance anywhere.
A checker that lacks the column it needs returns no findings: a blank cell or an
absent column is unknown, and the check never reports more than the data shows.
"""

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from contracts.compliance import columns as C
from contracts.rules.deadlines import last_working_day_on_or_before
from contracts.rules.packs import NATIONAL, RulePack
from contracts.rules.terms import TERM_KINDS

_INT64_SAFE = 2**62


def _as_period(value: object) -> int:
    if isinstance(value, int | np.integer):
        return int(value)
    text = str(value).replace("-", "")
    return int(text)


@dataclass(frozen=True)
class CheckContext:
    """What a run knows besides the payroll: the enterprise's rule pack and the months the contract is in force."""

    pack: RulePack = NATIONAL
    # Months checked, as YYYYMM integers (or "YYYY-MM"); None checks every month in the payroll.
    periods: frozenset[int] | None = field(default=None)

    def __post_init__(self) -> None:
        if self.periods is not None:
            object.__setattr__(self, "periods", frozenset(_as_period(p) for p in self.periods))


def months_in_force(start: dt.date, end: dt.date) -> frozenset[int]:
    """The YYYYMM months that a term from ``start`` to ``end`` (inclusive) touches."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return frozenset((m // 12) * 100 + m % 12 + 1 for m in range(first, last + 1))


Checker = Callable[..., pd.DataFrame]


# --- helpers ----------------------------------------------------------------------


def _empty() -> pd.DataFrame:
    return _findings([], [], [], [], [], "")


def _findings(employee_ids, periods, expected, actual, shortfall, unit: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.EMPLOYEE_ID: pd.Series(np.asarray(employee_ids, dtype=object), dtype=object),
            C.PERIOD: pd.Series(np.asarray(periods, dtype=object), dtype=object),
            C.EXPECTED: np.asarray(expected, dtype=np.int64),
            C.ACTUAL: np.asarray(actual, dtype=np.int64),
            C.SHORTFALL: np.asarray(shortfall, dtype=np.int64),
            C.UNIT: unit,
        },
        columns=list(C.FINDING_COLUMNS),
    )


def _month_text(periods: np.ndarray) -> np.ndarray:
    distinct = {int(p): f"{int(p) // 100:04d}-{int(p) % 100:02d}" for p in np.unique(periods)}
    return np.array([distinct[int(p)] for p in periods], dtype=object)


def _in_force(payroll: pd.DataFrame, context: CheckContext) -> np.ndarray:
    periods = payroll[C.PERIOD].to_numpy()
    if context.periods is None:
        return np.ones(len(periods), bool)
    return np.isin(periods, np.fromiter(context.periods, np.int64))


def _ints(payroll: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(values as int64 with 0 for a blank, whether the cell has a value)."""
    series = payroll[column]
    valid = series.notna().to_numpy()
    return series.to_numpy(dtype=np.int64, na_value=0), valid


def _employee_codes(ids: pd.Series) -> np.ndarray:
    """A dense integer per distinct employee id (ids are never blank in the canonical frame).

    pyarrow's hash of the id strings is several times faster than pandas' factorize.
    """
    try:
        arrow = pa.array(ids.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.factorize(ids, sort=False)[0]
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    return pc.dictionary_encode(arrow).indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _int_bincount(slots: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Integer sums per slot; exact, since each sum stays below 2**53 (checked) where float64 holds every integer."""
    if len(values) and int(np.abs(values).max()) * len(values) >= 2**53:
        total = np.zeros(size, dtype=object)
        np.add.at(total, slots, values.astype(object))
        return total
    return np.rint(np.bincount(slots, weights=values, minlength=size)).astype(np.int64)


def _ids(payroll: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    return payroll[C.EMPLOYEE_ID].take(rows).to_numpy(dtype=object)


def _decimal(params: dict[str, Any], name: str, default: object = None) -> Decimal:
    value = params.get(name)
    return Decimal(str(default if value in (None, "") else value))


def _per_row(payroll, rows, expected, actual, unit) -> pd.DataFrame:
    """Findings of one row each (employee-month)."""
    periods = payroll[C.PERIOD].to_numpy()[rows]
    return _findings(
        _ids(payroll, rows),
        _month_text(periods),
        expected,
        actual,
        np.abs(np.asarray(expected, np.int64) - np.asarray(actual, np.int64)),
        unit,
    )


# --- the checkers -------------------------------------------------------------------


def min_monthly_wage(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-months whose base wage is below ``amount`` (R13, LL Art. 48); exactly the amount is fine."""
    # base < amount  <=>  base_fen < ceil(amount × 100) for integer fen.
    floor_fen = math.ceil(_decimal(params, "amount") * 100)
    base = payroll[C.BASE_WAGE].to_numpy(dtype=np.int64)
    rows = np.flatnonzero((base < floor_fen) & _in_force(payroll, context))
    return _per_row(payroll, rows, np.full(len(rows), floor_fen), base[rows], C.UNIT_FEN)


def max_overtime_hours_month(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-months with more overtime than ``hours`` (R11, LL Art. 41); exactly the cap is fine."""
    if C.OVERTIME_HOURS not in payroll:
        return _empty()
    # hours > cap  <=>  hundredths > floor(cap × 100) for integer hundredths.
    cap = math.floor(_decimal(params, "hours", context.pack.overtime_max_hours_month) * 100)
    hours, known = _ints(payroll, C.OVERTIME_HOURS)
    rows = np.flatnonzero(known & (hours > cap) & _in_force(payroll, context))
    return _per_row(payroll, rows, np.full(len(rows), cap), hours[rows], C.UNIT_HOUR_HUNDREDTHS)


def overtime_premium(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-months paid less than the overtime premium (R12, LL Art. 44).

    expected = base_wage / monthly_paid_days / hours_per_day × (weekday·wd + rest_day·rd + holiday·hd),
    computed exactly in integers and rounded half up to the fen; a breach is a
    shortfall of 2 fen or more (the SPEC's "− 0.01" absorbs one fen of rounding).
    Without the split columns every overtime hour counts as working-day overtime.
    """
    if C.OVERTIME_PAY not in payroll:
        return _empty()
    pack = context.pack
    rates = [
        _decimal(params, "weekday", pack.overtime_premium_weekday),
        _decimal(params, "rest_day", pack.overtime_premium_rest_day),
        _decimal(params, "holiday", pack.overtime_premium_holiday),
    ]
    places = max(max(0, -rate.as_tuple().exponent) for rate in rates)
    scaled_rates = [int(rate.scaleb(places)) for rate in rates]
    splits = [name for name in C.OT_SPLIT_COLUMNS if name in payroll]
    if splits:
        weighted = np.zeros(len(payroll), np.int64)
        for name, rate in zip(C.OT_SPLIT_COLUMNS, scaled_rates, strict=True):
            if name in payroll:
                weighted += rate * _ints(payroll, name)[0]
    elif C.OVERTIME_HOURS in payroll:
        weighted = scaled_rates[0] * _ints(payroll, C.OVERTIME_HOURS)[0]
    else:
        return _empty()
    pay, paid_known = _ints(payroll, C.OVERTIME_PAY)
    base = payroll[C.BASE_WAGE].to_numpy(dtype=np.int64)
    candidates = np.flatnonzero(paid_known & (weighted > 0) & _in_force(payroll, context))
    base_c, weighted_c = base[candidates], weighted[candidates]
    # expected fen = base × weighted / (100 × 10^places) / (days × hours) = num / den
    hourly_divisor = Fraction(pack.monthly_paid_days) * Fraction(pack.hours_per_day)
    num_factor, den = hourly_divisor.denominator, 100 * 10**places * hourly_divisor.numerator
    top = int(base_c.max(initial=0)) * int(weighted_c.max(initial=0)) * num_factor * 2 + den
    if top >= _INT64_SAFE:  # a pathological rate or wage: exact Python integers instead
        base_c, weighted_c = base_c.astype(object), weighted_c.astype(object)
    numerator = base_c * weighted_c * num_factor
    expected = ((2 * numerator + den) // (2 * den)).astype(np.int64)
    actual = pay[candidates]
    breach = expected - actual >= 2
    rows = candidates[breach]
    return _per_row(payroll, rows, expected[breach], actual[breach], C.UNIT_FEN)


def wage_increase_pct(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """The enterprise's mean base wage rose less than ``percent`` against ``reference_period``.

    The mean is over the employee-months of the employees present in both the
    reference period and the checked period; periods have the same length: a
    month against each later checked month, or a calendar year against each
    later calendar year whose twelve months are all in the file and in force.
    expected = the required mean (fen, rounded up), actual = the mean reached (fen,
    rounded down); the comparison itself is exact.
    """
    percent = _decimal(params, "percent")
    reference = str(params["reference_period"])
    factor = 1 + Fraction(percent) / 100
    periods = payroll[C.PERIOD].to_numpy().astype(np.int64)
    in_force = _in_force(payroll, context)
    yearly = len(reference) == 4
    unit_of = periods // 100 if yearly else periods
    ref_unit = int(reference) if yearly else _as_period(reference)
    checked = np.unique(unit_of[in_force & (unit_of > ref_unit)])
    if yearly:
        months_per_year = pd.Series(periods[in_force]).drop_duplicates() // 100
        counts = months_per_year.value_counts()
        checked = np.array([y for y in checked if counts.get(y, 0) == 12], np.int64)
    ref_rows = unit_of == ref_unit
    if not checked.size or not ref_rows.any():
        return _empty()
    codes = _employee_codes(payroll[C.EMPLOYEE_ID])
    n_employees = int(codes.max()) + 1
    base = payroll[C.BASE_WAGE].to_numpy(dtype=np.int64)
    # Per employee: rows and wage total in the reference period ...
    ref_count = np.bincount(codes[ref_rows], minlength=n_employees)
    ref_total = _int_bincount(codes[ref_rows], base[ref_rows], n_employees)
    # ... and per (employee, checked period), in one dense table.
    chk_rows = np.flatnonzero(in_force & np.isin(unit_of, checked))
    slot = codes[chk_rows] * len(checked) + np.searchsorted(checked, unit_of[chk_rows])
    size = n_employees * len(checked)
    chk_count = np.bincount(slot, minlength=size).reshape(n_employees, len(checked))
    chk_total = _int_bincount(slot, base[chk_rows], size).reshape(n_employees, len(checked))
    both = (chk_count > 0) & (ref_count > 0)[:, None]  # employees present in both periods
    found = []
    for i, unit in enumerate(checked.tolist()):
        members = both[:, i]
        if not members.any():
            continue
        ref_mean = Fraction(int(ref_total[members].sum()), int(ref_count[members].sum()))
        mean = Fraction(int(chk_total[members, i].sum()), int(chk_count[members, i].sum()))
        required = ref_mean * factor
        if mean < required:
            label = str(unit) if yearly else f"{unit // 100:04d}-{unit % 100:02d}"
            expected, actual = math.ceil(required), math.floor(mean)
            found.append((label, expected, actual, expected - actual))
    if not found:
        return _empty()
    labels, expected, actual, shortfall = zip(*found, strict=True)
    return _findings([C.ENTERPRISE] * len(found), labels, expected, actual, shortfall, C.UNIT_FEN)


def _tiers(params: dict[str, Any], pack: RulePack) -> list[tuple[int, int]]:
    tiers = params.get("tiers") or pack.annual_leave_tiers
    pairs = [(int(t["from_years"]), int(t["days"])) if isinstance(t, dict) else (int(t[0]), int(t[1])) for t in tiers]
    return sorted(pairs)


def annual_leave_days(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-years with less paid annual leave taken than the tier entitles (R15).

    Only a calendar year whose twelve months are all in the file (and in force)
    for that employee, with leave recorded in every month, is checked. Years of
    service are counted as of 1 January: from the January row's ``service_years``
    (工龄) when the file has it, else whole years since ``hire_date``; a tier
    starts at exactly its number of years (10 years of service → the 10-year tier).
    """
    if C.LEAVE_DAYS_TAKEN not in payroll or not ({C.SERVICE_YEARS, C.HIRE_DATE} & set(payroll.columns)):
        return _empty()
    tiers = _tiers(params, context.pack)
    periods = payroll[C.PERIOD].to_numpy().astype(np.int64)
    taken, taken_known = _ints(payroll, C.LEAVE_DAYS_TAKEN)
    rows = np.flatnonzero(_in_force(payroll, context))
    if not len(rows):
        return _empty()
    codes = _employee_codes(payroll[C.EMPLOYEE_ID])[rows]
    years = periods[rows] // 100
    first_year, span = int(years.min()), int(years.max() - years.min()) + 1
    # One dense slot per (employee, year): counting needs no hashing.
    slot = codes * span + (years - first_year)
    size = (int(codes.max()) + 1) * span
    months = np.bincount(slot, minlength=size)
    keys = np.flatnonzero(months)  # the employee-years present
    index_of = np.zeros(size, np.int64)
    index_of[keys] = np.arange(len(keys))
    group = index_of[slot]
    n = len(keys)
    months = months[keys]
    complete = (months == 12) & (np.bincount(group, weights=taken_known[rows], minlength=n) == 12)
    taken_sum = _int_bincount(group, taken[rows], n).astype(np.int64)

    # Years of service (hundredths) as of 1 January, read on each group's January row.
    january = np.flatnonzero(periods[rows] % 100 == 1)
    service = np.full(n, -1, np.int64)
    group_year = keys % span + first_year
    if C.HIRE_DATE in payroll:
        hired = payroll[C.HIRE_DATE].to_numpy(dtype="datetime64[D]")[rows[january]]
        known = ~np.isnat(hired)
        hire_year = hired.astype("datetime64[Y]").astype(np.int64) + 1970
        after_new_year = hired > hired.astype("datetime64[Y]")  # hired later than 1 January of that year
        whole = group_year[group[january]] - hire_year - after_new_year
        service[group[january][known]] = np.maximum(whole[known], 0) * 100
    if C.SERVICE_YEARS in payroll:
        value, known = _ints(payroll, C.SERVICE_YEARS)
        at = january[known[rows[january]]]
        service[group[at]] = value[rows[at]]
    thresholds = np.array([from_years * 100 for from_years, _ in tiers], np.int64)
    days = np.array([0] + [d for _, d in tiers], np.int64)
    entitled = days[np.searchsorted(thresholds, service, side="right")] * 100
    breach = np.flatnonzero(complete & (service >= 0) & (taken_sum < entitled))
    first_row = np.zeros(n, np.int64)
    first_row[group[::-1]] = rows[::-1]  # any row of the group gives its employee id
    return _findings(
        _ids(payroll, first_row[breach]),
        group_year[breach].astype(str).astype(object),
        entitled[breach],
        taken_sum[breach],
        entitled[breach] - taken_sum[breach],
        C.UNIT_DAY_HUNDREDTHS,
    )


@lru_cache(maxsize=4096)
def pay_due_date(period: int, day: int) -> dt.date:
    """R18: the wage of month ``period`` (YYYYMM) is due on ``day`` of the next month, or the working day before.

    A day past the end of the next month (31 in April) means its last day.
    """
    year, month = divmod(period, 100)
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return last_working_day_on_or_before(dt.date(year, month, min(day, last)))


def _yyyymmdd(days: np.ndarray) -> np.ndarray:
    month_start = days.astype("datetime64[M]")
    months = month_start.astype(np.int64)
    day_of_month = (days - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    return (1970 + months // 12) * 10_000 + (months % 12 + 1) * 100 + day_of_month


def pay_day(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-months whose wage was paid after its due date (R18, 工资支付暂行规定 Art. 7)."""
    if C.PAY_DATE not in payroll:
        return _empty()
    day = int(params["day"])
    paid = payroll[C.PAY_DATE].to_numpy(dtype="datetime64[D]")
    rows = np.flatnonzero(~np.isnat(paid) & _in_force(payroll, context))
    periods = payroll[C.PERIOD].to_numpy()[rows]
    distinct, index = np.unique(periods, return_inverse=True)
    due = np.array([pay_due_date(int(p), day) for p in distinct], dtype="datetime64[D]")[index]
    late = paid[rows] > due
    at = rows[late]
    if not len(at):
        return _empty()
    return _findings(
        _ids(payroll, at),
        _month_text(periods[late]),
        _yyyymmdd(due[late]),
        _yyyymmdd(paid[at]),
        (paid[at] - due[late]).astype(np.int64),
        C.UNIT_DATE,
    )


def maternity_leave_days(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Maternity leave is not in the payroll file: nothing to check here."""
    return _empty()


def run_checks(
    payroll: pd.DataFrame, terms: Iterable[tuple[object, str, dict[str, Any]]], context: CheckContext
) -> pd.DataFrame:
    """Every term's findings, with its ``term_id``; an unknown kind is a programming error (KeyError)."""
    frames = []
    for term_id, kind, params in terms:
        found = TERM_KINDS[kind].get_checker()(payroll, params, context=context)
        frames.append(found.assign(**{C.TERM_ID: term_id})[list(C.RUN_FINDING_COLUMNS)])
    if not frames:
        return _empty().assign(**{C.TERM_ID: None})[list(C.RUN_FINDING_COLUMNS)]
    return pd.concat(frames, ignore_index=True)


def breach_summary(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per (term, period): affected count, total and worst shortfall (in the findings' unit)."""
    grouped = findings.groupby([C.TERM_ID, C.PERIOD, C.UNIT], sort=True, dropna=False)[C.SHORTFALL]
    summary = grouped.agg(**{C.AFFECTED: "size", C.TOTAL_SHORTFALL: "sum", C.WORST_SHORTFALL: "max"}).reset_index()
    return summary[list(C.SUMMARY_COLUMNS)].astype(
        {C.AFFECTED: np.int64, C.TOTAL_SHORTFALL: np.int64, C.WORST_SHORTFALL: np.int64}
    )


# --- what a run could judge ------------------------------------------------------------

# The payroll columns without which a kind cannot be judged at all (any one of a tuple suffices).
KIND_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "min_monthly_wage": ((C.BASE_WAGE,),),
    "max_overtime_hours_month": ((C.OVERTIME_HOURS, *C.OT_SPLIT_COLUMNS),),
    "overtime_premium": ((C.OVERTIME_PAY,), (C.OVERTIME_HOURS, *C.OT_SPLIT_COLUMNS)),
    "wage_increase_pct": ((C.BASE_WAGE,),),
    "annual_leave_days": ((C.LEAVE_DAYS_TAKEN,), (C.HIRE_DATE, C.SERVICE_YEARS)),
    "pay_day": ((C.PAY_DATE,),),
    "maternity_leave_days": (),
}
YEARLY_KINDS = {"annual_leave_days"}


def columns_needed(kinds: Iterable[str]) -> set[str]:
    """The payroll columns the checks of ``kinds`` read (so a run reads no name or department)."""
    needed = {C.EMPLOYEE_ID, C.PERIOD, C.BASE_WAGE}
    for kind in kinds:
        for alternatives in KIND_COLUMNS.get(kind, ()):
            needed.update(alternatives)
    return needed


def evaluated_periods(payroll: pd.DataFrame, kind: str, params: dict[str, Any], context: CheckContext) -> set[str]:
    """The periods ("YYYY-MM", or "YYYY" for yearly checks) in which a run really judged ``kind``:
    no finding there means clean, not unknown. A kind whose columns are missing judged nothing,
    a yearly check only the calendar years whose twelve months are all in the file and in force."""
    needs = KIND_COLUMNS.get(kind)
    if needs is None or not needs or not all(set(alternatives) & set(payroll.columns) for alternatives in needs):
        return set()
    # The distinct months first (a hash pass), then which are in force: not a mask over every row.
    present = (int(month) for month in pd.unique(payroll[C.PERIOD].to_numpy()))
    months = np.array(sorted(m for m in present if context.periods is None or m in context.periods), dtype=np.int64)
    yearly = kind in YEARLY_KINDS or (kind == "wage_increase_pct" and len(str(params.get("reference_period"))) == 4)
    if not yearly:
        return {f"{m // 100:04d}-{m % 100:02d}" for m in months}
    years, counts = np.unique(months // 100, return_counts=True)
    return {f"{year:04d}" for year, count in zip(years, counts, strict=True) if count == 12}
