"""The cap on overtime hours a month (R11, Labour Law Art. 41)."""

import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from contracts.rules.terms import payroll as P
from contracts.rules.terms.base import ClauseCategory, Input, Param, TermKind, decimal_param, number_text
from contracts.rules.terms.payroll import (
    CheckContext,
    empty_findings,
    in_force_mask,
    int_column,
    param_decimal,
    per_row_findings,
)


def check(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-months with more overtime than ``hours`` (R11, LL Art. 41); exactly the cap is fine."""
    if P.OVERTIME_HOURS not in payroll:
        return empty_findings()
    # hours > cap  <=>  hundredths > floor(cap × 100) for integer hundredths.
    cap = math.floor(param_decimal(params, "hours", context.pack.overtime_max_hours_month) * 100)
    hours, known = int_column(payroll, P.OVERTIME_HOURS)
    rows = np.flatnonzero(known & (hours > cap) & in_force_mask(payroll, context))
    return per_row_findings(payroll, rows, np.full(len(rows), cap), hours[rows], P.UNIT_HOUR_HUNDREDTHS)


def _wording(params: dict[str, Any]) -> str:
    return _("At most %(hours)s hours of overtime a month") % {"hours": number_text(params["hours"])}


KIND = TermKind(
    code="max_overtime_hours_month",
    label=_("Maximum overtime hours a month"),
    category=ClauseCategory.WORKING_TIME,
    params=(
        Param(
            "hours",
            decimal_param(Decimal("0"), Decimal("744")),
            default="36",
            label=_("Overtime a month at most"),
            input=Input.HOURS,
        ),
    ),
    headline="hours",
    rule="R11",
    unit=P.UNIT_HOUR_HUNDREDTHS,
    checker=check,
    wording=_wording,
    columns=((P.OVERTIME_HOURS, *P.OT_SPLIT_COLUMNS),),
)
