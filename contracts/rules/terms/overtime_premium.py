"""The premiums on overtime pay (R12, Labour Law Art. 44)."""

from decimal import Decimal
from fractions import Fraction
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

_INT64_SAFE = 2**62


def check(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-months paid less than the overtime premium (R12, LL Art. 44).

    expected = base_wage / monthly_paid_days / hours_per_day × (weekday·wd + rest_day·rd + holiday·hd),
    computed exactly in integers and rounded half up to the fen; a breach is a
    shortfall of 2 fen or more (the SPEC's "− 0.01" absorbs one fen of rounding).
    Without the split columns every overtime hour counts as working-day overtime.
    """
    if P.OVERTIME_PAY not in payroll:
        return empty_findings()
    pack = context.pack
    rates = [
        param_decimal(params, "weekday", pack.overtime_premium_weekday),
        param_decimal(params, "rest_day", pack.overtime_premium_rest_day),
        param_decimal(params, "holiday", pack.overtime_premium_holiday),
    ]
    # A finite Decimal's exponent is an int ('n', 'N', 'F' mark NaN and infinity).
    places = max([0, *(-exp for rate in rates if isinstance(exp := rate.as_tuple().exponent, int))])
    scaled_rates = [int(rate.scaleb(places)) for rate in rates]
    splits = [name for name in P.OT_SPLIT_COLUMNS if name in payroll]
    if splits:
        weighted = np.zeros(len(payroll), np.int64)
        for name, rate in zip(P.OT_SPLIT_COLUMNS, scaled_rates, strict=True):
            if name in payroll:
                weighted += rate * int_column(payroll, name)[0]
    elif P.OVERTIME_HOURS in payroll:
        weighted = scaled_rates[0] * int_column(payroll, P.OVERTIME_HOURS)[0]
    else:
        return empty_findings()
    pay, paid_known = int_column(payroll, P.OVERTIME_PAY)
    base = payroll[P.BASE_WAGE].to_numpy(dtype=np.int64)
    candidates = np.flatnonzero(paid_known & (weighted > 0) & in_force_mask(payroll, context))
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
    return per_row_findings(payroll, rows, expected[breach], actual[breach], P.UNIT_FEN)


def _wording(params: dict[str, Any]) -> str:
    return _(
        "Overtime paid at %(weekday)s× the wage on working days, %(rest_day)s× on rest days and "
        "%(holiday)s× on statutory holidays"
    ) % {name: number_text(params[name]) for name in ("weekday", "rest_day", "holiday")}


KIND = TermKind(
    code="overtime_premium",
    label=_("Overtime pay premiums"),
    category=ClauseCategory.PAY,
    params=(
        Param(
            "weekday",
            decimal_param(Decimal("0"), Decimal("10")),
            default="1.5",
            label=_("On a working day"),
            input=Input.MULTIPLIER,
        ),
        Param(
            "rest_day",
            decimal_param(Decimal("0"), Decimal("10")),
            default="2.0",
            label=_("On a rest day"),
            input=Input.MULTIPLIER,
        ),
        Param(
            "holiday",
            decimal_param(Decimal("0"), Decimal("10")),
            default="3.0",
            label=_("On a statutory holiday"),
            input=Input.MULTIPLIER,
        ),
    ),
    headline="weekday",
    rule="R12",
    unit=P.UNIT_FEN,
    checker=check,
    wording=_wording,
    columns=((P.OVERTIME_PAY,), (P.OVERTIME_HOURS, *P.OT_SPLIT_COLUMNS)),
)
