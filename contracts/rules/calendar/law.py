"""The statutory holidays fixed by law, computed for any year without a published schedule.

全国年节及纪念日放假办法 (Regulations on National Holidays and Commemorative Days), in the
version in force in the year: since 1 January 2025 (State Council Order No. 795) 13 days:
New Year's Day (1 Jan), the Spring Festival (lunar New Year's Eve and the first three days of
the lunar year), Qingming (the day of the solar term), Labour Day (1–2 May), the Dragon Boat
Festival (5th day of the 5th lunar month), the Mid-Autumn Festival (15th day of the 8th lunar
month) and National Day (1–3 Oct). Pure: no database, no I/O.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from lunardate import LunarDate  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The years the lunar calendar library covers, and the 21st century the Qingming formula is for.
FIRST_YEAR = 2000
LAST_YEAR = 2099


class Festival(models.TextChoices):
    NEW_YEAR = "new_year", _("New Year's Day")
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    QINGMING = "qingming", _("Qingming Festival")
    LABOUR_DAY = "labour_day", _("Labour Day")
    DRAGON_BOAT = "dragon_boat", _("Dragon Boat Festival")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
    NATIONAL_DAY = "national_day", _("National Day")
    # A one-off day off by a State Council decision (e.g. 3 September 2015).
    OTHER = "other", _("other day off")


@dataclass(frozen=True)
class HolidayLaw:
    """One version of the regulations: from which year, and how many days each festival has."""

    from_year: int
    title: "StrOrPromise"
    new_years_eve: bool  # the Spring Festival starts on lunar New Year's Eve
    spring_festival_days: int  # counted from the eve when it is included, else from the 1st
    labour_days: int
    traditional_festivals: bool  # Qingming, Dragon Boat and Mid-Autumn are holidays


LAWS = (
    HolidayLaw(
        2025,
        _("Regulations on National Holidays and Commemorative Days (State Council Order No. 795)"),
        new_years_eve=True,
        spring_festival_days=4,
        labour_days=2,
        traditional_festivals=True,
    ),
    HolidayLaw(
        2014,
        _("Regulations on National Holidays and Commemorative Days (State Council Order No. 644)"),
        new_years_eve=False,
        spring_festival_days=3,
        labour_days=1,
        traditional_festivals=True,
    ),
    HolidayLaw(
        2008,
        _("Regulations on National Holidays and Commemorative Days (State Council Order No. 513)"),
        new_years_eve=True,
        spring_festival_days=3,
        labour_days=1,
        traditional_festivals=True,
    ),
    HolidayLaw(
        2000,
        _("Regulations on National Holidays and Commemorative Days (State Council Order No. 270)"),
        new_years_eve=False,
        spring_festival_days=3,
        labour_days=3,
        traditional_festivals=False,
    ),
)


def law_in_force(year: int) -> HolidayLaw | None:
    """The version of the regulations in force in ``year`` (None before 2000 or after 2099)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return next(law for law in LAWS if year >= law.from_year)


def qingming(year: int) -> dt.date:
    """The day of the Qingming solar term (4 or 5 April in the 21st century).

    The usual approximation ``[Y·0.2422 + C] − [Y/4]`` with Y the last two digits of the year
    and C = 4.81 for the 21st century; the tests check it against the published calendars.
    """
    short = year % 100
    return dt.date(year, 4, int(short * 0.2422 + 4.81) - short // 4)


def _lunar(year: int, month: int, day: int) -> dt.date:
    solar: dt.date = LunarDate(year, month, day).to_solar_date()
    return solar


def _run(first: dt.date, days: int) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(days)]


@cache
def statutory_days(year: int) -> dict[dt.date, Festival]:
    """The statutory holidays of ``year`` under the law then in force; empty outside 2000–2099."""
    law = law_in_force(year)
    if law is None:
        return {}
    days: dict[dt.date, Festival] = {dt.date(year, 1, 1): Festival.NEW_YEAR}
    new_year = _lunar(year, 1, 1)
    first = new_year - dt.timedelta(days=1) if law.new_years_eve else new_year
    days |= dict.fromkeys(_run(first, law.spring_festival_days), Festival.SPRING_FESTIVAL)
    days |= dict.fromkeys(_run(dt.date(year, 5, 1), law.labour_days), Festival.LABOUR_DAY)
    if law.traditional_festivals:
        days[qingming(year)] = Festival.QINGMING
        days[_lunar(year, 5, 5)] = Festival.DRAGON_BOAT
        days[_lunar(year, 8, 15)] = Festival.MID_AUTUMN
    days |= dict.fromkeys(_run(dt.date(year, 10, 1), 3), Festival.NATIONAL_DAY)
    return dict(sorted(days.items()))
