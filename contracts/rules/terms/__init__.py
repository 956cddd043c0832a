"""The typed clause terms (SPEC §3): one registry, kind -> parameter schema.

A term kind is declared once here and used by the bargaining side (proposals),
by contract clauses and by the compliance checks. Adding a kind means adding one
entry to ``TERM_KINDS``: its parameter schema and the dotted path of its checker
(a pure function in ``contracts.compliance.checks``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from config.errors import InvalidInput


class ClauseCategory(models.TextChoices):
    """The statutory contents of a collective contract (PCC Art. 8)."""

    PAY = "pay", _("Pay")
    WORKING_TIME = "working_time", _("Working time")
    REST_LEAVE = "rest_leave", _("Rest and leave")
    SAFETY_HEALTH = "safety_health", _("Occupational safety and health")
    INSURANCE_WELFARE = "insurance_welfare", _("Supplementary insurance and welfare")
    WOMEN_MINORS = "women_minors", _("Protection of women workers and minors")
    TRAINING = "training", _("Vocational training")
    LABOUR_CONTRACTS = "labour_contracts", _("Labour contract management")
    REWARDS_PENALTIES = "rewards_penalties", _("Rewards and penalties")
    LAYOFFS = "layoffs", _("Redundancies")
    TERM = "term", _("Term of the contract")
    AMENDMENT = "amendment", _("Amendment and termination procedure")
    DISPUTES = "disputes", _("Dispute handling")
    BREACH_LIABILITY = "breach_liability", _("Liability for breach")
    OTHER = "other", _("Other")


@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[Any], Any]
    default: Any = None

    @property
    def required(self) -> bool:
        return self.default is None


def _decimal(minimum: Decimal, maximum: Decimal | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except (InvalidOperation, ValueError):
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        if number < minimum:
            raise ValueError(_("Must be at least %(min)s.") % {"min": minimum})
        if maximum is not None and number > maximum:
            raise ValueError(_("Must be at most %(max)s.") % {"max": maximum})
        # One written form per value, so 3000 and 3000.00 are the same position.
        return format(number.normalize(), "f")

    return parse


def _integer(minimum: int, maximum: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not re.fullmatch(r"\s*\d+\s*", str(value)):
            raise ValueError(_("Enter a whole number."))
        number = int(value)
        if not minimum <= number <= maximum:
            raise ValueError(_("Must be between %(min)s and %(max)s.") % {"min": minimum, "max": maximum})
        return number

    return parse


def _period(value: Any) -> str:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", text):
        raise ValueError(_("Enter a year (YYYY) or a month (YYYY-MM)."))
    return text


def _leave_tiers(value: Any) -> list[dict[str, int]]:
    if not isinstance(value, list) or not value:
        raise ValueError(_("Enter a list of tiers, each with from_years and days."))
    tiers = []
    for tier in value:
        if not isinstance(tier, dict) or set(tier) != {"from_years", "days"}:
            raise ValueError(_("Each tier needs exactly from_years and days."))
        tiers.append({"from_years": _integer(0, 80)(tier["from_years"]), "days": _integer(0, 366)(tier["days"])})
    tiers.sort(key=lambda tier: tier["from_years"])
    return tiers


STATUTORY_LEAVE_TIERS = [{"from_years": 1, "days": 5}, {"from_years": 10, "days": 10}, {"from_years": 20, "days": 15}]


@dataclass(frozen=True)
class TermKind:
    code: str
    label: Any
    category: str
    params: tuple[Param, ...]
    # The parameter whose number is compared between the two sides' positions.
    headline: str | None = None
    # Dotted path of the compliance checker, imported on first use (it needs pandas).
    checker: str | None = field(default=None, compare=False)

    def get_checker(self) -> Callable[..., Any] | None:
        return import_string(self.checker) if self.checker else None


TERM_KINDS: dict[str, TermKind] = {
    kind.code: kind
    for kind in (
        TermKind(
            "min_monthly_wage",
            _("Minimum monthly wage"),
            ClauseCategory.PAY,
            (Param("amount", _decimal(Decimal("0"))),),
            headline="amount",
            checker="contracts.compliance.checks.min_monthly_wage",
        ),
        TermKind(
            "max_overtime_hours_month",
            _("Maximum overtime hours a month"),
            ClauseCategory.WORKING_TIME,
            (Param("hours", _decimal(Decimal("0"), Decimal("744")), default="36"),),
            headline="hours",
            checker="contracts.compliance.checks.max_overtime_hours_month",
        ),
        TermKind(
            "overtime_premium",
            _("Overtime pay premiums"),
            ClauseCategory.PAY,
            (
                Param("weekday", _decimal(Decimal("0"), Decimal("10")), default="1.5"),
                Param("rest_day", _decimal(Decimal("0"), Decimal("10")), default="2.0"),
                Param("holiday", _decimal(Decimal("0"), Decimal("10")), default="3.0"),
            ),
            headline="weekday",
            checker="contracts.compliance.checks.overtime_premium",
        ),
        TermKind(
            "wage_increase_pct",
            _("Wage increase (percent)"),
            ClauseCategory.PAY,
            (Param("percent", _decimal(Decimal("-100"), Decimal("1000"))), Param("reference_period", _period)),
            headline="percent",
            checker="contracts.compliance.checks.wage_increase_pct",
        ),
        TermKind(
            "annual_leave_days",
            _("Paid annual leave"),
            ClauseCategory.REST_LEAVE,
            (Param("tiers", _leave_tiers, default=STATUTORY_LEAVE_TIERS),),
            checker="contracts.compliance.checks.annual_leave_days",
        ),
        TermKind(
            "maternity_leave_days",
            _("Maternity leave (days)"),
            ClauseCategory.WOMEN_MINORS,
            (Param("days", _integer(0, 1000), default=98),),
            headline="days",
            checker="contracts.compliance.checks.maternity_leave_days",
        ),
        TermKind(
            "pay_day",
            _("Pay day"),
            ClauseCategory.PAY,
            (Param("day", _integer(1, 31)),),
            headline="day",
            checker="contracts.compliance.checks.pay_day",
        ),
    )
}

TERM_KIND_CHOICES = [(code, kind.label) for code, kind in TERM_KINDS.items()]


def term_params_validate(*, kind: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The term's parameters, checked against its kind's schema and normalised to JSON values."""
    if kind not in TERM_KINDS:
        raise InvalidInput(_("Unknown term kind “%(kind)s”.") % {"kind": kind}, code="unknown_term_kind")
    params = params or {}
    if not isinstance(params, dict):
        raise InvalidInput(_("Term parameters must be an object."), code="invalid_term_params")
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
        raise InvalidInput(
            _("The parameters do not fit the term kind “%(kind)s”.") % {"kind": kind},
            code="invalid_term_params",
            extra={"params": errors},
        )
    return clean


def term_headline(*, kind: str, params: dict[str, Any]) -> Decimal | None:
    """The number that stands for a position on this term, when it has one."""
    term = TERM_KINDS.get(kind)
    if term is None or term.headline is None or params.get(term.headline) is None:
        return None
    return Decimal(str(params[term.headline]))
