"""Costing: what each side's latest position would cost the employer, measured on a payroll import.

Each typed position is costed on the import's latest month and multiplied by 12: a
wage floor costs the shortfall of everyone paid below it (the same check that finds
breaches later), an overtime premium the shortfall of overtime pay below its rates,
a wage increase its percentage of the month's base wages. Terms without a price
(overtime caps, leave, pay day) are listed without a cost.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from bargaining.models import Negotiation
from bargaining.selectors import negotiation_gap
from contracts.compliance import columns as C
from contracts.compliance.checks import CheckContext
from contracts.compliance.models import ImportStatus, PayrollImport
from contracts.compliance.storage import payroll_frame_read
from contracts.enterprises.access import may_read_confidential
from contracts.errors import ForeignPayroll, PayrollNotAccepted
from contracts.rules.terms import TERM_KINDS

SHORTFALL_PRICED = {"min_monthly_wage", "overtime_premium"}
MONTHS = 12


def _monthly_cost(payroll, kind: str, params: dict[str, Any], context: CheckContext) -> tuple[int, int] | None:
    """(fen a month, employees affected) of one position, or None when the term has no price."""
    if kind in SHORTFALL_PRICED:
        findings = TERM_KINDS[kind].check(payroll, params, context=context)
        return int(findings[C.SHORTFALL].sum()), int(findings[C.EMPLOYEE_ID].nunique())
    if kind == "wage_increase_pct":
        base = Decimal(int(payroll[C.BASE_WAGE].sum()))
        cost = (base * Decimal(params["percent"]) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(cost), len(payroll)
    return None


def costing_reader_required(*, user, negotiation: Negotiation) -> None:
    """Costing prices the payroll: read by ``CONFIDENTIAL_READERS`` only. Anyone else (a workers'
    congress delegate) gets the 404 of a negotiation that does not exist."""
    if not may_read_confidential(user=user, enterprise=negotiation.enterprise):
        raise Http404(_("No such negotiation."))


def negotiation_costing(*, user, negotiation: Negotiation, payroll_import: PayrollImport) -> dict[str, Any]:
    """Each side's latest typed positions priced on the import's latest month (fen a month and a year)."""
    costing_reader_required(user=user, negotiation=negotiation)
    if payroll_import.enterprise_id != negotiation.enterprise_id:
        raise ForeignPayroll(_("The payroll import belongs to another enterprise."))
    if payroll_import.status != ImportStatus.ACCEPTED:
        raise PayrollNotAccepted(_("Only an accepted payroll import can be used for costing."))
    frame = payroll_frame_read(payroll_import.columnar.path)
    latest = int(frame[C.PERIOD].max())
    month = frame[frame[C.PERIOD] == latest]
    context = CheckContext(pack=negotiation.enterprise.pack, periods=frozenset({latest}))
    topics = []
    for topic in negotiation_gap(negotiation=negotiation):
        kind = topic["term_kind"]
        if not kind:
            continue
        sides = {}
        for side in ("union", "employer"):
            position = topic[side]
            priced = _monthly_cost(month, kind, position["params"], context) if position else None
            sides[side] = (
                None
                if priced is None
                else {
                    "params": position["params"],
                    "monthly_cost_fen": priced[0],
                    "annual_cost_fen": priced[0] * MONTHS,
                    "employees_affected": priced[1],
                }
            )
        difference = (
            sides["union"]["annual_cost_fen"] - sides["employer"]["annual_cost_fen"]
            if sides["union"] and sides["employer"]
            else None
        )
        topics.append(
            {
                "clause_category": topic["clause_category"],
                "term_kind": kind,
                "union": sides["union"],
                "employer": sides["employer"],
                "annual_difference_fen": difference,
            }
        )
    return {
        "payroll_import": payroll_import.pk,
        "period": f"{latest // 100:04d}-{latest % 100:02d}",
        "headcount": int(month[C.EMPLOYEE_ID].nunique()),
        "topics": topics,
    }
