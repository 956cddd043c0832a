"""What a draft contract lacks, and which of its terms fall below the statutory floor
of its rule pack (LCL Art. 55: no collective standard may be below the law's)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from contracts.models import Contract, ContractKind
from contracts.rules.decisions import article
from contracts.rules.packs import RulePack
from contracts.rules.terms import TERM_KINDS, ClauseCategory

# The statutory contents a complete contract must have (PCC Art. 8), whatever its kind.
REQUIRED_CATEGORIES = (
    ClauseCategory.TERM,
    ClauseCategory.AMENDMENT,
    ClauseCategory.DISPUTES,
    ClauseCategory.BREACH_LIABILITY,
    ClauseCategory.WOMEN_MINORS,
)
# A special contract must carry the term its subject is about.
REQUIRED_TERMS: dict[str, tuple[str, ...]] = {ContractKind.WAGES: ("min_monthly_wage", "wage_increase_pct")}


@dataclass(frozen=True)
class Shortfall:
    clause: str
    kind: str
    param: str
    value: str
    floor: str
    rule: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "article": article(self.rule)}


def _leave_entitlement(tiers: list[dict[str, int]], years: int) -> int:
    days = 0
    for tier in sorted(tiers, key=lambda t: t["from_years"]):
        if years >= tier["from_years"]:
            days = tier["days"]
    return days


def _term_floors(kind: str, params: dict[str, Any], *, pack: RulePack, minimum_wage: Decimal | None):
    """(param, value, floor, rule) for each parameter below its floor."""
    if kind == "min_monthly_wage" and minimum_wage is not None and Decimal(params["amount"]) < minimum_wage:
        yield "amount", params["amount"], minimum_wage, "R13"
    elif kind == "max_overtime_hours_month" and Decimal(params["hours"]) > pack.overtime_max_hours_month:
        yield "hours", params["hours"], pack.overtime_max_hours_month, "R11"
    elif kind == "overtime_premium":
        floors = {
            "weekday": pack.overtime_premium_weekday,
            "rest_day": pack.overtime_premium_rest_day,
            "holiday": pack.overtime_premium_holiday,
        }
        for name, floor in floors.items():
            if Decimal(params[name]) < floor:
                yield name, params[name], floor, "R12"
    elif kind == "annual_leave_days":
        statutory = [{"from_years": y, "days": d} for y, d in pack.annual_leave_tiers]
        boundaries = sorted({t["from_years"] for t in statutory + params["tiers"] if t["from_years"] >= 1})
        for years in boundaries:
            given, due = _leave_entitlement(params["tiers"], years), _leave_entitlement(statutory, years)
            if given < due:
                yield f"tiers[{years}]", given, due, "R15"
    elif kind == "maternity_leave_days" and int(params["days"]) < pack.maternity_leave_days:
        yield "days", params["days"], pack.maternity_leave_days, "R19"


def contract_draft_check(*, contract: Contract) -> dict[str, Any]:
    """Missing statutory contents and every typed term below the floor of the enterprise's pack."""
    enterprise = contract.enterprise
    pack = enterprise.pack
    clauses = list(contract.clauses.all())
    present = {clause.category for clause in clauses}
    kinds = {term["kind"] for clause in clauses for term in clause.terms}
    missing = [
        {
            "category": category,
            "message": _("The contract has no clause on “%(category)s”.")
            % {"category": ClauseCategory(category).label},
        }
        for category in REQUIRED_CATEGORIES
        if category not in present
    ]
    missing += [
        {
            "term_kind": kind,
            "message": _("A contract of this kind needs a “%(kind)s” term.") % {"kind": TERM_KINDS[kind].label},
        }
        for kind in REQUIRED_TERMS.get(contract.kind, ())
        if kind not in kinds
    ]
    below = []
    for clause in clauses:
        for term in clause.terms:
            for param, value, floor, rule in _term_floors(
                term["kind"], term["params"], pack=pack, minimum_wage=enterprise.local_minimum_wage
            ):
                message = _("Clause %(clause)s: %(kind)s %(param)s is %(value)s; the law requires at least %(floor)s.")
                if rule == "R11":
                    message = _("Clause %(clause)s: %(kind)s %(param)s is %(value)s; the law allows at most %(floor)s.")
                values = {
                    "clause": clause.number,
                    "kind": TERM_KINDS[term["kind"]].label,
                    "param": param,
                    "value": value,
                    "floor": floor,
                }
                below.append(
                    Shortfall(clause.number, term["kind"], param, str(value), str(floor), rule, message % values)
                )
    return {
        "complete": not missing,
        "below_floor": [shortfall.as_dict() for shortfall in below],
        "missing": missing,
        "can_submit": not below,
        "pack": pack.code,
    }
