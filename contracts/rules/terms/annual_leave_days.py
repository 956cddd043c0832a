"""Paid annual leave by years of service (R15, Regulations on Paid Annual Leave, Art. 3)."""

from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from contracts.rules.packs import RulePack
from contracts.rules.terms import payroll as P
from contracts.rules.terms.base import STATUTORY_LEAVE_TIERS, ClauseCategory, Input, Param, TermKind, leave_tiers_param
from contracts.rules.terms.payroll import (
    CheckContext,
    employee_codes,
    empty_findings,
    findings_frame,
    in_force_mask,
    int_bincount,
    int_column,
    row_ids,
)


def _tiers(params: dict[str, Any], pack: RulePack) -> list[tuple[int, int]]:
    tiers = params.get("tiers") or pack.annual_leave_tiers
    pairs = [(int(t["from_years"]), int(t["days"])) if isinstance(t, dict) else (int(t[0]), int(t[1])) for t in tiers]
    return sorted(pairs)


def check(payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
    """Employee-years with less paid annual leave taken than the tier entitles (R15).

    Only a calendar year whose twelve months are all in the file (and in force)
    for that employee, with leave recorded in every month, is checked. Years of
    service are counted as of 1 January: from the January row's ``service_years``
    (工龄) when the file has it, else whole years since ``hire_date``; a tier
    starts at exactly its number of years (10 years of service → the 10-year tier).
    """
    if P.LEAVE_DAYS_TAKEN not in payroll or not ({P.SERVICE_YEARS, P.HIRE_DATE} & set(payroll.columns)):
        return empty_findings()
    tiers = _tiers(params, context.pack)
    periods = payroll[P.PERIOD].to_numpy().astype(np.int64)
    taken, taken_known = int_column(payroll, P.LEAVE_DAYS_TAKEN)
    rows = np.flatnonzero(in_force_mask(payroll, context))
    if not len(rows):
        return empty_findings()
    codes = employee_codes(payroll[P.EMPLOYEE_ID])[rows]
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
    taken_sum = int_bincount(group, taken[rows], n).astype(np.int64)

    # Years of service (hundredths) as of 1 January, read on each group's January row.
    january = np.flatnonzero(periods[rows] % 100 == 1)
    service = np.full(n, -1, np.int64)
    group_year = keys % span + first_year
    if P.HIRE_DATE in payroll:
        hired = payroll[P.HIRE_DATE].to_numpy(dtype="datetime64[D]")[rows[january]]
        known = ~np.isnat(hired)
        hire_year = hired.astype("datetime64[Y]").astype(np.int64) + 1970
        after_new_year = hired > hired.astype("datetime64[Y]")  # hired later than 1 January of that year
        whole = group_year[group[january]] - hire_year - after_new_year
        service[group[january][known]] = np.maximum(whole[known], 0) * 100
    if P.SERVICE_YEARS in payroll:
        value, known = int_column(payroll, P.SERVICE_YEARS)
        at = january[known[rows[january]]]
        service[group[at]] = value[rows[at]]
    thresholds = np.array([from_years * 100 for from_years, _ in tiers], np.int64)
    days = np.array([0] + [d for _, d in tiers], np.int64)
    entitled = days[np.searchsorted(thresholds, service, side="right")] * 100
    breach = np.flatnonzero(complete & (service >= 0) & (taken_sum < entitled))
    first_row = np.zeros(n, np.int64)
    first_row[group[::-1]] = rows[::-1]  # any row of the group gives its employee id
    return findings_frame(
        row_ids(payroll, first_row[breach]),
        group_year[breach].astype(str).astype(object),
        entitled[breach],
        taken_sum[breach],
        entitled[breach] - taken_sum[breach],
        P.UNIT_DAY_HUNDREDTHS,
    )


def _always(params: dict[str, Any]) -> bool:
    return True


def _wording(params: dict[str, Any]) -> str:
    tiers = sorted(params["tiers"], key=lambda tier: int(tier["from_years"]))
    parts = [
        _("%(days)s days from %(years)s years of service") % {"days": tier["days"], "years": tier["from_years"]}
        for tier in tiers
    ]
    return _("Paid annual leave: %(tiers)s") % {"tiers": _("; ").join(parts)}


KIND = TermKind(
    code="annual_leave_days",
    label=_("Paid annual leave"),
    category=ClauseCategory.REST_LEAVE,
    params=(
        Param(
            "tiers",
            leave_tiers_param,
            default=STATUTORY_LEAVE_TIERS,
            label=_("Days by years of service"),
            input=Input.TIERS,
        ),
    ),
    rule="R15",
    unit=P.UNIT_DAY_HUNDREDTHS,
    checker=check,
    wording=_wording,
    columns=((P.LEAVE_DAYS_TAKEN,), (P.HIRE_DATE, P.SERVICE_YEARS)),
    yearly=_always,
)
