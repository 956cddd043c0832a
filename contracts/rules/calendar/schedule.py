"""A year's schedule as plain values: which days are off or worked, why, and how sure we are."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.rules.calendar.law import Festival, statutory_days


class ScheduleDayKind(models.TextChoices):
    STATUTORY = "statutory", _("statutory holiday")
    # A day off inside a holiday period beyond the statutory days: a bridging day (调休) or
    # an ordinary weekend day the period covers.
    REST = "rest", _("rest day of a holiday period")
    WORKDAY = "workday", _("make-up working day")


class ScheduleSource(models.TextChoices):
    LAW = "law", _("the law (Regulations on National Holidays and Commemorative Days)")
    NOTICE = "notice", _("State Council notice")
    PACKAGE = "package", _("chinese-calendar package")
    ADMIN = "admin", _("entered by an administrator")


@dataclass(frozen=True, order=True)
class ScheduleDay:
    date: dt.date
    kind: str  # ScheduleDayKind
    festival: str  # Festival


@dataclass(frozen=True)
class YearCalendar:
    """Everything the deadline calculator needs to know about one year.

    ``days`` lists only the days that are not ordinary (weekday worked, weekend off);
    ``provisional`` is True when the State Council's schedule for the year is not known.
    """

    year: int
    source: str  # ScheduleSource
    provisional: bool
    days: dict[dt.date, ScheduleDay] = field(default_factory=dict)

    @classmethod
    def from_law(cls, year: int) -> "YearCalendar":
        days = {
            day: ScheduleDay(day, ScheduleDayKind.STATUTORY, festival) for day, festival in statutory_days(year).items()
        }
        return cls(year=year, source=ScheduleSource.LAW, provisional=True, days=days)

    def working(self, day: dt.date) -> bool:
        entry = self.days.get(day)
        if entry is None:
            return day.weekday() < 5
        return entry.kind == ScheduleDayKind.WORKDAY

    def in_holiday_period(self, day: dt.date) -> bool:
        entry = self.days.get(day)
        return entry is not None and entry.kind != ScheduleDayKind.WORKDAY


def with_law(year: int, days: list[ScheduleDay]) -> dict[dt.date, ScheduleDay]:
    """``days`` completed by the statutory days the law fixes whatever a schedule says."""
    merged = {
        day: ScheduleDay(day, ScheduleDayKind.STATUTORY, festival) for day, festival in statutory_days(year).items()
    }
    merged |= {entry.date: entry for entry in days}
    return dict(sorted(merged.items()))


__all__ = ["Festival", "ScheduleDay", "ScheduleDayKind", "ScheduleSource", "YearCalendar", "with_law"]
