"""The floor of the monthly base wage (R13, Labour Law Art. 48)."""

import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from contracts.rules.terms import payroll as P
from contracts.rules.terms.base import ClauseCategory, Input, Param, TermKind, decimal_param, number_text
from contracts.rules.terms.payroll import CheckContext, in_force_mask, param_decimal, per_row_findings


def check(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-months whose base wage is below ``amount`` (R13, LL Art. 48); exactly the amount is fine."""
    # base < amount  <=>  base_fen < ceil(amount × 100) for integer fen.
    floor_fen = math.ceil(param_decimal(params, "amount") * 100)
    base = payroll[P.BASE_WAGE].to_numpy(dtype=np.int64)
    rows = np.flatnonzero((base < floor_fen) & in_force_mask(payroll, context))
    return per_row_findings(payroll, rows, np.full(len(rows), floor_fen), base[rows], P.UNIT_FEN)


def _wording(params: dict[str, Any]) -> str:
    return _("Monthly base wage of at least %(amount)s yuan") % {"amount": number_text(params["amount"])}


KIND = TermKind(
    code="min_monthly_wage",
    label=_("Minimum monthly wage"),
    category=ClauseCategory.PAY,
    params=(Param("amount", decimal_param(Decimal("0")), label=_("Monthly base wage at least"), input=Input.MONEY),),
    headline="amount",
    rule="R13",
    unit=P.UNIT_FEN,
    checker=check,
    wording=_wording,
    columns=((P.BASE_WAGE,),),
)
