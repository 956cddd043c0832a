"""The agreed wage increase against a reference period (R14, Labour Contract Law Art. 55)."""

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from contracts.rules.terms import payroll as P
from contracts.rules.terms.base import (
    ClauseCategory,
    Input,
    Param,
    TermKind,
    decimal_param,
    number_text,
    period_param,
    period_text,
)
from contracts.rules.terms.payroll import (
    CheckContext,
    as_period,
    employee_codes,
    empty_findings,
    findings_frame,
    in_force_mask,
    int_bincount,
    param_decimal,
)


def check(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """The enterprise's mean base wage rose less than ``percent`` against ``reference_period``.

    The mean is over the employee-months of the employees present in both the
    reference period and the checked period; periods have the same length: a
    month against each later checked month, or a calendar year against each
    later calendar year whose twelve months are all in the file and in force.
    expected = the required mean (fen, rounded up), actual = the mean reached (fen,
    rounded down); the comparison itself is exact.
    """
    percent = param_decimal(params, "percent")
    reference = str(params["reference_period"])
    factor = 1 + Fraction(percent) / 100
    periods = payroll[P.PERIOD].to_numpy().astype(np.int64)
    in_force = in_force_mask(payroll, context)
    yearly = len(reference) == 4
    unit_of = periods // 100 if yearly else periods
    ref_unit = int(reference) if yearly else as_period(reference)
    checked = np.unique(unit_of[in_force & (unit_of > ref_unit)])
    if yearly:
        months_per_year = pd.Series(periods[in_force]).drop_duplicates() // 100
        counts = months_per_year.value_counts()
        checked = np.array([y for y in checked if counts.get(y, 0) == 12], np.int64)
    ref_rows = unit_of == ref_unit
    if not checked.size or not ref_rows.any():
        return empty_findings()
    codes = employee_codes(payroll[P.EMPLOYEE_ID])
    n_employees = int(codes.max()) + 1
    base = payroll[P.BASE_WAGE].to_numpy(dtype=np.int64)
    # Per employee: rows and wage total in the reference period ...
    ref_count = np.bincount(codes[ref_rows], minlength=n_employees)
    ref_total = int_bincount(codes[ref_rows], base[ref_rows], n_employees)
    # ... and per (employee, checked period), in one dense table.
    chk_rows = np.flatnonzero(in_force & np.isin(unit_of, checked))
    slot = codes[chk_rows] * len(checked) + np.searchsorted(checked, unit_of[chk_rows])
    size = n_employees * len(checked)
    chk_count = np.bincount(slot, minlength=size).reshape(n_employees, len(checked))
    chk_total = int_bincount(slot, base[chk_rows], size).reshape(n_employees, len(checked))
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
        return empty_findings()
    labels, expected_all, actual_all, shortfall = zip(*found, strict=True)
    return findings_frame([P.ENTERPRISE] * len(found), labels, expected_all, actual_all, shortfall, P.UNIT_FEN)


def _by_year(params: dict[str, Any]) -> bool:
    """A reference period of a whole year ("2025") compares calendar years."""
    return len(str(params.get("reference_period"))) == 4


def _wording(params: dict[str, Any]) -> str:
    return _("Wages rise by %(percent)s%% over %(period)s") % {
        "percent": number_text(params["percent"]),
        "period": period_text(str(params["reference_period"])),
    }


KIND = TermKind(
    code="wage_increase_pct",
    label=_("Wage increase (percent)"),
    category=ClauseCategory.PAY,
    params=(
        Param("percent", decimal_param(Decimal("-100"), Decimal("1000")), label=_("Increase"), input=Input.PERCENT),
        Param("reference_period", period_param, label=_("Compared with"), input=Input.PERIOD),
    ),
    headline="percent",
    rule="R14",
    unit=P.UNIT_FEN,
    checker=check,
    wording=_wording,
    columns=((P.BASE_WAGE,),),
    yearly=_by_year,
)
