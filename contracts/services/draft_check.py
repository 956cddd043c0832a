"""What a draft contract lacks for its kind (PCC Arts. 3, 8, 9–18), and which of its terms fall
below the statutory floor of its rule pack (LCL Art. 55: no collective standard may be below the law's)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract, ContractKind
from contracts.rules.decisions import article
from contracts.rules.packs import RulePack
from contracts.rules.terms import TERM_KINDS, ClauseCategory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

C = ClauseCategory


@dataclass(frozen=True)
class Requirement:
    """One content a contract of a kind must carry: a chapter (clause category) or a typed term,
    with the article that asks for it."""

    article: "StrOrPromise"
    category: str = ""
    term_kind: str = ""


def _chapter(category: str, article: "StrOrPromise") -> Requirement:
    return Requirement(article=article, category=category)


# PCC Art. 8 (十一)–(十四): the term, the procedure to change or end the contract, how disputes over
# it are handled and the liability for breaking it. Every contract, comprehensive or special, has
# them: a special contract is bargained, filed, renewed and ended like any other (PCC Arts. 36–48).
PROCEDURAL = (
    _chapter(C.TERM, gettext_lazy("Provisions on Collective Contracts, Art. 8(11)")),
    _chapter(C.AMENDMENT, gettext_lazy("Provisions on Collective Contracts, Art. 8(12)")),
    _chapter(C.DISPUTES, gettext_lazy("Provisions on Collective Contracts, Art. 8(13)")),
    _chapter(C.BREACH_LIABILITY, gettext_lazy("Provisions on Collective Contracts, Art. 8(14)")),
)
WOMEN_MINORS = _chapter(
    C.WOMEN_MINORS,
    gettext_lazy(
        "Provisions on Collective Contracts, Art. 8(6) and Art. 14; "
        "Law on the Protection of Women's Rights and Interests, Art. 44"
    ),
)

# What a contract must carry, by its kind (PCC Art. 3: a collective contract covers the range of
# matters, a special contract one of them). Art. 8 lets the parties bargain on "several or one" of
# its fifteen items, so no list is national law item by item; a comprehensive contract is held to
# the matters Art. 3 names (pay, working time, rest and leave, safety and health, training,
# insurance and welfare), women's protection (which the Women's Rights Law, Art. 44, puts in every
# collective contract) and the procedural items. Labour contract management, rewards and penalties,
# redundancies (Art. 8 (八)–(十)) and "other" (十五) stay optional.
REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    ContractKind.GENERAL: (
        _chapter(C.PAY, gettext_lazy("Provisions on Collective Contracts, Art. 3; Art. 8(1) and Art. 9")),
        _chapter(C.WORKING_TIME, gettext_lazy("Provisions on Collective Contracts, Art. 3; Art. 8(2) and Art. 10")),
        _chapter(C.REST_LEAVE, gettext_lazy("Provisions on Collective Contracts, Art. 3; Art. 8(3) and Art. 11")),
        _chapter(C.SAFETY_HEALTH, gettext_lazy("Provisions on Collective Contracts, Art. 3; Art. 8(4) and Art. 12")),
        _chapter(
            C.INSURANCE_WELFARE, gettext_lazy("Provisions on Collective Contracts, Art. 3; Art. 8(5) and Art. 13")
        ),
        WOMEN_MINORS,
        _chapter(C.TRAINING, gettext_lazy("Provisions on Collective Contracts, Art. 3; Art. 8(7) and Art. 15")),
        *PROCEDURAL,
    ),
    # A wage special contract: its pay chapter, with the wage standard and the rate of the year's
    # increase as typed terms (PCC Art. 9 (一), (四); Trial Measures for Collective Wage Consultation, Art. 7).
    ContractKind.WAGES: (
        _chapter(C.PAY, gettext_lazy("Provisions on Collective Contracts, Arts. 3 and 9")),
        Requirement(
            term_kind="min_monthly_wage",
            article=gettext_lazy(
                "Provisions on Collective Contracts, Art. 9(1); Trial Measures for Collective Wage Consultation, Art. 7"
            ),
        ),
        Requirement(
            term_kind="wage_increase_pct",
            article=gettext_lazy(
                "Provisions on Collective Contracts, Art. 9(4); Trial Measures for Collective Wage Consultation, Art. 7"
            ),
        ),
        *PROCEDURAL,
    ),
    ContractKind.WOMEN: (
        _chapter(
            C.WOMEN_MINORS,
            gettext_lazy("Provisions on Collective Contracts, Arts. 3 and 14; Labour Contract Law, Art. 52"),
        ),
        *PROCEDURAL,
    ),
    ContractKind.SAFETY: (
        _chapter(
            C.SAFETY_HEALTH,
            gettext_lazy("Provisions on Collective Contracts, Arts. 3 and 12; Labour Contract Law, Art. 52"),
        ),
        *PROCEDURAL,
    ),
}


def contract_requirements(kind: str) -> tuple[Requirement, ...]:
    """What a contract of ``kind`` must carry (an unknown kind: what a comprehensive one must)."""
    return REQUIREMENTS.get(kind, REQUIREMENTS[ContractKind.GENERAL])


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


def _missing(requirement: Requirement) -> dict[str, Any]:
    if requirement.term_kind:
        label = TERM_KINDS[requirement.term_kind].label
        return {
            "term_kind": requirement.term_kind,
            "message": _("A contract of this kind needs a “%(kind)s” term.") % {"kind": label},
            "article": str(requirement.article),
        }
    return {
        "category": requirement.category,
        "message": _("The contract has no clause on “%(category)s”.")
        % {"category": ClauseCategory(requirement.category).label},
        "article": str(requirement.article),
    }


def _param_label(kind: str, param: str) -> str:
    """A parameter as people read it: its label in the term kind's schema, never its code."""
    if param.startswith("tiers["):
        return _("Annual leave after %(years)s years of service") % {"years": param[len("tiers[") : -1]}
    found = next((p for p in TERM_KINDS[kind].params if p.name == param), None)
    return str(found.label) if found is not None and found.label else str(TERM_KINDS[kind].label)


def contract_draft_check(*, contract: Contract) -> dict[str, Any]:
    """What the draft lacks for its kind, and every typed term below the floor of the enterprise's pack."""
    enterprise = contract.enterprise
    pack = enterprise.pack
    clauses = list(contract.clauses.all())
    present = {clause.category for clause in clauses}
    kinds = {term["kind"] for clause in clauses for term in clause.terms}
    missing = [
        _missing(requirement)
        for requirement in contract_requirements(contract.kind)
        if (requirement.term_kind not in kinds if requirement.term_kind else requirement.category not in present)
    ]
    below = []
    for clause in clauses:
        for term in clause.terms:
            for param, value, floor, rule in _term_floors(
                term["kind"], term["params"], pack=pack, minimum_wage=enterprise.local_minimum_wage
            ):
                message = _(
                    "Clause %(clause)s, %(kind)s: “%(param)s” is %(value)s; the law requires at least %(floor)s."
                )
                if rule == "R11":
                    message = _(
                        "Clause %(clause)s, %(kind)s: “%(param)s” is %(value)s; the law allows at most %(floor)s."
                    )
                values = {
                    "clause": clause.number,
                    "kind": TERM_KINDS[term["kind"]].label,
                    "param": _param_label(term["kind"], param),
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
