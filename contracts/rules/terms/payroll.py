"""The canonical payroll frame the checks read, the findings they return, and the tools every
checker shares.

Column names and units are defined here, at the bottom of the house, because the term kinds
(``contracts.rules.terms``) check payroll frames and the compliance room parses files into
them; ``contracts.compliance.columns`` adds how each column is read from a file. See that
module for the frame's dtypes and units.

The findings frame (what every checker returns): ``FINDING_COLUMNS``, with ``expected``,
``actual`` and ``shortfall`` as ``int64`` in the finding's ``unit`` (one of ``UNITS``).
``shortfall`` is always positive: how far the actual value falls short of (or, for a cap,
exceeds) the standard. Every comparison is made on integers (fen, hundredths) or exact
fractions, so there is no float tolerance anywhere.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from contracts.rules.packs import NATIONAL, RulePack

# --- canonical payroll columns -------------------------------------------------
EMPLOYEE_ID = "employee_id"
NAME = "name"
DEPARTMENT = "department"
GENDER = "gender"
HIRE_DATE = "hire_date"
PERIOD = "period"
BASE_WAGE = "base_wage"
OVERTIME_HOURS = "overtime_hours"
OT_WEEKDAY_HOURS = "ot_weekday_hours"
OT_REST_DAY_HOURS = "ot_rest_day_hours"
OT_HOLIDAY_HOURS = "ot_holiday_hours"
OVERTIME_PAY = "overtime_pay"
LEAVE_DAYS_TAKEN = "leave_days_taken"
PAY_DATE = "pay_date"
SERVICE_YEARS = "service_years"

OT_SPLIT_COLUMNS = (OT_WEEKDAY_HOURS, OT_REST_DAY_HOURS, OT_HOLIDAY_HOURS)

# --- findings ------------------------------------------------------------------
TERM_ID = "term_id"
EXPECTED = "expected"
ACTUAL = "actual"
SHORTFALL = "shortfall"
UNIT = "unit"
FINDING_COLUMNS = (EMPLOYEE_ID, PERIOD, EXPECTED, ACTUAL, SHORTFALL, UNIT)
RUN_FINDING_COLUMNS = (TERM_ID, *FINDING_COLUMNS)

# In findings, ``period`` is text: "YYYY-MM" for a month, "YYYY" for a calendar year.
# ``employee_id`` is ENTERPRISE for a finding about the enterprise as a whole.
ENTERPRISE = "*"

UNIT_FEN = "fen"
UNIT_HOUR_HUNDREDTHS = "hour_hundredths"
UNIT_DAY_HUNDREDTHS = "day_hundredths"
UNIT_DATE = "date"
UNITS = {
    UNIT_FEN: "expected, actual, shortfall in fen (0.01 CNY)",
    UNIT_HOUR_HUNDREDTHS: "expected, actual, shortfall in hundredths of an hour",
    UNIT_DAY_HUNDREDTHS: "expected, actual, shortfall in hundredths of a day",
    UNIT_DATE: "expected (due date) and actual (pay date) as YYYYMMDD integers; shortfall in calendar days late",
}

# --- breach summary --------------------------------------------------------------
AFFECTED = "affected"
TOTAL_SHORTFALL = "total_shortfall"
WORST_SHORTFALL = "worst_shortfall"
SUMMARY_COLUMNS = (TERM_ID, PERIOD, UNIT, AFFECTED, TOTAL_SHORTFALL, WORST_SHORTFALL)


# --- what a check knows besides the payroll ----------------------------------------------


def as_period(value: object) -> int:
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
            object.__setattr__(self, "periods", frozenset(as_period(p) for p in self.periods))


def months_in_force(start: dt.date, end: dt.date) -> frozenset[int]:
    """The YYYYMM months that a term from ``start`` to ``end`` (inclusive) touches."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return frozenset((m // 12) * 100 + m % 12 + 1 for m in range(first, last + 1))


Checker = Callable[..., pd.DataFrame]  # (payroll, params, *, context) -> findings


# --- helpers for checkers -------------------------------------------------------------


def empty_findings() -> pd.DataFrame:
    return findings_frame([], [], [], [], [], "")


def findings_frame(employee_ids, periods, expected, actual, shortfall, unit: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            EMPLOYEE_ID: pd.Series(np.asarray(employee_ids, dtype=object), dtype=object),
            PERIOD: pd.Series(np.asarray(periods, dtype=object), dtype=object),
            EXPECTED: np.asarray(expected, dtype=np.int64),
            ACTUAL: np.asarray(actual, dtype=np.int64),
            SHORTFALL: np.asarray(shortfall, dtype=np.int64),
            UNIT: unit,
        },
        columns=list(FINDING_COLUMNS),
    )


def month_text(periods: np.ndarray) -> np.ndarray:
    distinct = {int(p): f"{int(p) // 100:04d}-{int(p) % 100:02d}" for p in np.unique(periods)}
    return np.array([distinct[int(p)] for p in periods], dtype=object)


def in_force_mask(payroll: pd.DataFrame, context: CheckContext) -> np.ndarray:
    periods = payroll[PERIOD].to_numpy()
    if context.periods is None:
        return np.ones(len(periods), bool)
    return np.isin(periods, np.fromiter(context.periods, np.int64))


def int_column(payroll: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(values as int64 with 0 for a blank, whether the cell has a value)."""
    series = payroll[column]
    valid = series.notna().to_numpy()
    return series.to_numpy(dtype=np.int64, na_value=0), valid


def employee_codes(ids: pd.Series) -> np.ndarray:
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


def int_bincount(slots: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Integer sums per slot; exact, since each sum stays below 2**53 (checked) where float64 holds every integer."""
    if len(values) and int(np.abs(values).max()) * len(values) >= 2**53:
        total = np.zeros(size, dtype=object)
        np.add.at(total, slots, values.astype(object))
        return total
    return np.rint(np.bincount(slots, weights=values, minlength=size)).astype(np.int64)


def row_ids(payroll: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    return payroll[EMPLOYEE_ID].take(rows).to_numpy(dtype=object)


def param_decimal(params: dict[str, Any], name: str, default: object = None) -> Decimal:
    value = params.get(name)
    return Decimal(str(default if value in (None, "") else value))


def per_row_findings(payroll, rows, expected, actual, unit) -> pd.DataFrame:
    """Findings of one row each (employee-month)."""
    periods = payroll[PERIOD].to_numpy()[rows]
    return findings_frame(
        row_ids(payroll, rows),
        month_text(periods),
        expected,
        actual,
        np.abs(np.asarray(expected, np.int64) - np.asarray(actual, np.int64)),
        unit,
    )
