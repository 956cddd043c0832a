"""The typed clause terms (SPEC §3): one registry of term kinds.

A term kind is used by the bargaining side (proposals), by contract clauses and by the
compliance checks. Each kind is one module here that declares everything about it in a
``TermKind`` (its parameter schema, label, clause category, the rule its check applies, the
unit its shortfalls are worded in, the payroll columns it needs) beside its pure checker.
Adding a kind means writing that module and adding it to ``_KIND_MODULES`` below.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from contracts.errors import InvalidTermParams, UnknownTermKind
from contracts.rules.terms import (
    annual_leave_days,
    maternity_leave_days,
    max_overtime_hours_month,
    min_monthly_wage,
    overtime_premium,
    pay_day,
    wage_increase_pct,
)
from contracts.rules.terms.base import STATUTORY_LEAVE_TIERS, ClauseCategory, Param, TermKind

__all__ = [
    "STATUTORY_LEAVE_TIERS",
    "TERM_KINDS",
    "TERM_KIND_CHOICES",
    "ClauseCategory",
    "Param",
    "TermKind",
    "term_headline",
    "term_params_validate",
    "term_rule",
]

# The order is the order of the choices people see (and of the migrations that store them).
_KIND_MODULES = (
    min_monthly_wage,
    max_overtime_hours_month,
    overtime_premium,
    wage_increase_pct,
    annual_leave_days,
    maternity_leave_days,
    pay_day,
)

TERM_KINDS: dict[str, TermKind] = {module.KIND.code: module.KIND for module in _KIND_MODULES}

TERM_KIND_CHOICES = [(code, kind.label) for code, kind in TERM_KINDS.items()]


def term_params_validate(*, kind: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The term's parameters, checked against its kind's schema and normalised to JSON values."""
    if kind not in TERM_KINDS:
        raise UnknownTermKind(_("Unknown term kind “%(kind)s”.") % {"kind": kind})
    params = params or {}
    if not isinstance(params, dict):
        raise InvalidTermParams(_("Term parameters must be an object."))
    spec = TERM_KINDS[kind].params
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for unknown in sorted(set(params) - {param.name for param in spec}):
        errors[unknown] = str(_("Not a parameter of this term kind."))
    for param in spec:
        if param.name not in params or params[param.name] in (None, ""):
            if param.required:
                errors[param.name] = str(_("This parameter is required."))
            else:
                clean[param.name] = param.parse(param.default)
            continue
        try:
            clean[param.name] = param.parse(params[param.name])
        except ValueError as error:
            errors[param.name] = str(error)
    if errors:
        raise InvalidTermParams(
            _("The parameters do not fit the term kind “%(kind)s”.") % {"kind": kind}, extra={"params": errors}
        )
    return clean


def term_headline(*, kind: str, params: dict[str, Any]) -> Decimal | None:
    """The number that stands for a position on this term, when it has one."""
    term = TERM_KINDS.get(kind)
    if term is None or term.headline is None or params.get(term.headline) is None:
        return None
    return Decimal(str(params[term.headline]))


def term_rule(kind: str) -> str:
    """The rule a kind's check applies; R14 (terms below the contract's standard) for a kind no longer known."""
    term = TERM_KINDS.get(kind)
    return term.rule if term is not None else "R14"
