"""The day of the month wages are paid (R18, Interim Provisions on Wage Payment, Art. 7)."""

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from contracts.rules.deadlines import last_working_day_on_or_before
from contracts.rules.terms import payroll as P
from contracts.rules.terms.base import ClauseCategory, Input, Param, TermKind, integer_param
from contracts.rules.terms.payroll import (
    CheckContext,
    empty_findings,
    findings_frame,
    in_force_mask,
    month_text,
    row_ids,
)


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


def check(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-months whose wage was paid after its due date (R18, 工资支付暂行规定 Art. 7)."""
    if P.PAY_DATE not in payroll:
        return empty_findings()
    day = int(params["day"])
    paid = payroll[P.PAY_DATE].to_numpy(dtype="datetime64[D]")
    rows = np.flatnonzero(~np.isnat(paid) & in_force_mask(payroll, context))
    periods = payroll[P.PERIOD].to_numpy()[rows]
    distinct, index = np.unique(periods, return_inverse=True)
    due = np.array([pay_due_date(int(p), day) for p in distinct], dtype="datetime64[D]")[index]
    late = paid[rows] > due
    at = rows[late]
    if not len(at):
        return empty_findings()
    return findings_frame(
        row_ids(payroll, at),
        month_text(periods[late]),
        _yyyymmdd(due[late]),
        _yyyymmdd(paid[at]),
        (paid[at] - due[late]).astype(np.int64),
        P.UNIT_DATE,
    )


def _wording(params: dict[str, Any]) -> str:
    return _("Wages paid by day %(day)s of the following month") % {"day": params["day"]}


KIND = TermKind(
    code="pay_day",
    label=_("Pay day"),
    category=ClauseCategory.PAY,
    params=(Param("day", integer_param(1, 31), label=_("Paid by day"), input=Input.DAY_OF_MONTH),),
    headline="day",
    rule="R18",
    unit=P.UNIT_DATE,
    checker=check,
    wording=_wording,
    columns=((P.PAY_DATE,),),
)
