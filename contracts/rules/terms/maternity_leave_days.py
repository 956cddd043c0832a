"""The days of maternity leave (R19, Special Provisions on Labour Protection of Female Employees, Art. 7);
checked on drafts against the statutory floor, not in payroll files."""

from typing import Any

import pandas as pd
from django.utils.translation import gettext_lazy as _

from contracts.rules.terms import payroll as P
from contracts.rules.terms.base import ClauseCategory, Input, Param, TermKind, integer_param
from contracts.rules.terms.payroll import CheckContext, empty_findings


def check(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Maternity leave is not in the payroll file: nothing to check here."""
    return empty_findings()


def _wording(params: dict[str, Any]) -> str:
    return _("%(days)s days of maternity leave") % {"days": params["days"]}


KIND = TermKind(
    code="maternity_leave_days",
    label=_("Maternity leave (days)"),
    category=ClauseCategory.WOMEN_MINORS,
    params=(Param("days", integer_param(0, 1000), default=98, label=_("Maternity leave"), input=Input.DAYS),),
    headline="days",
    rule="R19",
    unit=P.UNIT_DAY_HUNDREDTHS,
    checker=check,
    wording=_wording,
)
