"""What a term kind is made of: its clause category, its parameters and how each is read,
the rule its check applies, the unit of its findings and the payroll columns it needs."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from contracts.rules.terms.payroll import CheckContext


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


class Input(models.TextChoices):
    """How a parameter is entered in a form, and the unit it is read in."""

    MONEY = "money", _("yuan")
    HOURS = "hours", _("hours")
    MULTIPLIER = "multiplier", _("times the wage")
    PERCENT = "percent", _("percent")
    DAY_OF_MONTH = "day_of_month", _("day of the month")
    DAYS = "days", _("days")
    PERIOD = "period", _("year or month")
    TIERS = "tiers", _("tiers by years of service")


@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[Any], Any]
    default: Any = None
    # What a person reads beside the field, and how it is entered.
    label: Any = ""
    input: str = Input.MONEY

    @property
    def required(self) -> bool:
        return self.default is None


# No term is counted in a trillion or more (yuan, hours, days, percent): the ceiling of a
# parameter that names no maximum of its own, so a figure such as 1e999999999 is refused.
PARAM_CEILING = Decimal(10) ** 12


def decimal_param(minimum: Decimal, maximum: Decimal | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except (InvalidOperation, ValueError):
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        if number < minimum:
            raise ValueError(_("Must be at least %(min)s.") % {"min": minimum})
        ceiling = maximum if maximum is not None else PARAM_CEILING
        if number > ceiling:
            raise ValueError(_("Must be at most %(max)s.") % {"max": ceiling})
        # One written form per value, so 3000 and 3000.00 are the same position.
        try:
            return format(number.normalize(), "f")
        except ArithmeticError:  # more places than any term is counted in
            raise ValueError(_("Enter a number.")) from None

    return parse


def integer_param(minimum: int, maximum: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not re.fullmatch(r"\s*\d+\s*", str(value)):
            raise ValueError(_("Enter a whole number."))
        number = int(value)
        if not minimum <= number <= maximum:
            raise ValueError(_("Must be between %(min)s and %(max)s.") % {"min": minimum, "max": maximum})
        return number

    return parse


def period_param(value: Any) -> str:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", text):
        raise ValueError(_("Enter a year (YYYY) or a month (YYYY-MM)."))
    return text


def leave_tiers_param(value: Any) -> list[dict[str, int]]:
    if not isinstance(value, list) or not value:
        raise ValueError(_("Enter a list of tiers, each with from_years and days."))
    tiers = []
    for tier in value:
        if not isinstance(tier, dict) or set(tier) != {"from_years", "days"}:
            raise ValueError(_("Each tier needs exactly from_years and days."))
        tiers.append(
            {"from_years": integer_param(0, 80)(tier["from_years"]), "days": integer_param(0, 366)(tier["days"])}
        )
    tiers.sort(key=lambda tier: tier["from_years"])
    return tiers


STATUTORY_LEAVE_TIERS = [{"from_years": 1, "days": 5}, {"from_years": 10, "days": 10}, {"from_years": 20, "days": 15}]


Checker = Callable[..., pd.DataFrame]


def _monthly(params: dict[str, Any]) -> bool:
    return False


@dataclass(frozen=True)
class TermKind:
    """A typed clause term: everything the house knows of it, declared in one module."""

    code: str
    label: Any
    category: str
    params: tuple[Param, ...]
    # The rule (SPEC §2) its compliance check applies, cited wherever a breach is shown.
    rule: str
    # The unit of its findings' expected, actual and shortfall (``payroll.UNITS``): how a shortfall is worded.
    unit: str
    # The pure check: (payroll, params, *, context: CheckContext) -> findings frame.
    checker: Checker = field(compare=False)
    # The payroll columns without which it cannot be judged at all (any one of each tuple suffices).
    columns: tuple[tuple[str, ...], ...] = ()
    # The parameter whose number is compared between the two sides' positions.
    headline: str | None = None
    # Whether, with these params, it judges calendar years rather than months.
    yearly: Callable[[dict[str, Any]], bool] = field(default=_monthly, compare=False)
    # The term worded as a person reads it, in the active language ("月基本工资不低于 2,850 元").
    wording: Callable[[dict[str, Any]], str] | None = field(default=None, compare=False)

    def describe(self, params: dict[str, Any]) -> str:
        """The term with these parameters as a sentence in the active language."""
        if self.wording is not None:
            try:
                return self.wording(params)
            except (KeyError, TypeError, ValueError, ArithmeticError):
                pass  # parameters stored before a schema change: fall back to the name
        return str(self.label)

    @property
    def headline_param(self) -> "Param | None":
        return next((param for param in self.params if param.name == self.headline), None)

    def check(self, payroll: pd.DataFrame, params: dict[str, Any], *, context: CheckContext) -> pd.DataFrame:
        return self.checker(payroll, params, context=context)


def number_text(value: Any) -> str:
    """A parameter's number as people read it, in the active language's format, with the
    places it was written with (2850, 1.5, 12.5)."""
    number = Decimal(str(value)).normalize()
    exponent = number.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)


def period_text(period: str) -> str:
    """A reference period as people read it: a year ("2025年" / "2025") or a month ("2025年6月" / "June 2025")."""
    if len(period) == 4 and period.isdigit():
        return pgettext("a calendar year", "%(year)s") % {"year": period}
    try:
        month = dt.date.fromisoformat(f"{period}-01")
    except ValueError:
        return period
    return formats.date_format(month, "YEAR_MONTH_FORMAT")
