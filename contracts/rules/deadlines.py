"""The deadline calculator (R16) on China's official holiday calendar.

Civil Code Art. 201: the day of the event is not counted. Art. 203: a period
whose last day is a statutory holiday (and, in usual practice, a rest day) ends
on the next working day. The calendar, with its make-up working Saturdays and
Sundays, is data (``contracts.rules.calendar``): the State Council's schedule as
loaded into the database or shipped by the ``chinese-calendar`` package. For a
year whose schedule is not yet published, the statutory holidays computed from
the law and the weekends are the rest days, and the result is *provisional*.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from contracts.rules.calendar.store import day_calendar
from contracts.rules.packs import RulePack


@dataclass(frozen=True)
class DayKind:
    working: bool
    # The day lies in a holiday period (a statutory holiday, or a rest day the period covers).
    statutory_holiday: bool
    # The State Council's schedule for the day's year is known (False: provisional).
    calendar_known: bool

    @property
    def provisional(self) -> bool:
        return not self.calendar_known


def day_kind(day: dt.date) -> DayKind:
    """Whether ``day`` is a working day in mainland China."""
    calendar = day_calendar(day)
    return DayKind(
        working=calendar.working(day),
        statutory_holiday=calendar.in_holiday_period(day),
        calendar_known=not calendar.provisional,
    )


def _closes_period(day: dt.date, pack: RulePack) -> bool:
    kind = day_kind(day)
    if pack.weekends_extend_deadlines:
        return kind.working
    return not kind.statutory_holiday


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    nominal: dt.date
    calendar_known: bool

    @property
    def provisional(self) -> bool:
        """The period runs into a year whose holiday schedule is not yet published."""
        return not self.calendar_known

    @property
    def moved(self) -> bool:
        return self.due != self.nominal

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """A period ends at 24:00 (Asia/Shanghai) of its last day."""
        return (today or timezone.localdate()) > self.due


def deadline_after(start: dt.date, days: int, *, pack: RulePack, working_days: bool = False) -> Deadline:
    """The last day of a period of ``days`` days (or working days) counted after ``start``."""
    known = True
    if working_days:
        day, counted = start, 0
        while counted < days:
            day += dt.timedelta(days=1)
            kind = day_kind(day)
            known &= kind.calendar_known
            counted += kind.working
        return Deadline(due=day, nominal=day, calendar_known=known)
    nominal = start + dt.timedelta(days=days)
    day = nominal
    while not _closes_period(day, pack):
        known &= day_kind(day).calendar_known
        day += dt.timedelta(days=1)
    known &= day_kind(day).calendar_known
    return Deadline(due=day, nominal=nominal, calendar_known=known)


def last_working_day_on_or_before(day: dt.date) -> dt.date:
    """R18: wages due on a rest day or holiday are paid on the working day before it."""
    while not day_kind(day).working:
        day -= dt.timedelta(days=1)
    return day
