"""Regional rule packs: every parameter of R1–R18 with its national default.

A region that differs overrides only what differs. An enterprise names its pack;
adding a region means adding one entry to ``PACKS``.
"""

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CongressMajority(models.TextChoices):
    MORE_THAN_HALF = "more_than_half", _("more than half of all delegates")
    HALF_OR_MORE = "half_or_more", _("half or more of all delegates")


@dataclass(frozen=True)
class RulePack:
    code: str
    name: "StrOrPromise"  # a lazy translation: the pack is named in the user's language
    # R1: a written consultation request is answered within N days of receipt.
    reply_days: int = 20
    reply_in_working_days: bool = False
    # R2: representatives per side.
    min_representatives: int = 3
    max_external_fraction: Fraction = Fraction(1, 3)
    employer_side_may_be_smaller: bool = False
    vacancy_fill_days: int = 15
    # R5: a cap on how long talks may stay suspended (None: no cap).
    suspension_max_days: int | None = None
    # R6: workers' congress.
    congress_quorum: Fraction = Fraction(2, 3)
    congress_majority: str = CongressMajority.MORE_THAN_HALF
    # R8, R9: filing and review.
    filing_days: int = 10
    review_days: int = 15
    # R10: contract term and renewal window.
    term_min_years: int = 1
    term_max_years: int = 3
    renewal_window_months: int = 3
    # R11, R12: working time and overtime pay.
    overtime_max_hours_day: Decimal = Decimal("3")
    overtime_max_hours_month: Decimal = Decimal("36")
    overtime_premium_weekday: Decimal = Decimal("1.5")
    overtime_premium_rest_day: Decimal = Decimal("2.0")
    overtime_premium_holiday: Decimal = Decimal("3.0")
    monthly_paid_days: Decimal = Decimal("21.75")
    hours_per_day: Decimal = Decimal("8")
    # R15: annual leave tiers, (years of service from, days).
    annual_leave_tiers: tuple[tuple[int, int], ...] = ((1, 5), (10, 10), (20, 15))
    # R16: whether an ordinary weekend (not only a statutory holiday) moves a
    # period's last day to the next working day. Usual practice: yes.
    weekends_extend_deadlines: bool = True
    # R17: no overtime or night work from this month of pregnancy, or while
    # nursing a child under this many months.
    pregnancy_months_no_overtime: int = 7
    nursing_months: int = 12
    # R19: statutory maternity leave in days (regions add to it).
    maternity_leave_days: int = 98

    def as_dict(self) -> dict[str, object]:
        return {
            key: (str(value) if isinstance(value, Fraction | Decimal) else value)
            for key, value in self.__dict__.items()
            if key != "name"
        } | {"name": str(self.name)}


NATIONAL = RulePack(code="national", name=_("National (Provisions on Collective Contracts)"))

PACKS: dict[str, RulePack] = {
    pack.code: pack
    for pack in (
        NATIONAL,
        replace(NATIONAL, code="beijing", name=_("Beijing"), suspension_max_days=60),
        replace(NATIONAL, code="shanghai", name=_("Shanghai"), reply_days=15, employer_side_may_be_smaller=True),
        replace(
            NATIONAL,
            code="zhejiang",
            name=_("Zhejiang"),
            reply_days=10,
            reply_in_working_days=True,
            employer_side_may_be_smaller=True,
        ),
        replace(NATIONAL, code="chongqing", name=_("Chongqing"), employer_side_may_be_smaller=True),
    )
}

PACK_CHOICES = [(code, pack.name) for code, pack in PACKS.items()]


def rule_pack_get(code: str) -> RulePack:
    """The pack an enterprise names; the national pack for an unknown code."""
    return PACKS.get(code, NATIONAL)
