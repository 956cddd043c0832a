"""The deadline calculator (R16) on China's official holiday calendar.

Civil Code Art. 201: the day of the event is not counted. Art. 203: a period
whose last day is a statutory holiday (and, in usual practice, a rest day) ends
on the next working day. The calendar, with its make-up working Saturdays and
Sundays, comes from the ``chinese-calendar`` package. For a year the State
Council has not yet published, only weekends are known: the result says so.
"""

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from django.utils import timezone

from contracts.rules.packs import RulePack


@dataclass(frozen=True)
class DayKind:
    working: bool
    statutory_holiday: bool
    calendar_known: bool


def day_kind(day: dt.date) -> DayKind:
    """Whether ``day`` is a working day in mainland China."""
    try:
        working = chinese_calendar.is_workday(day)
        holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        weekend = day.weekday() >= 5
        return DayKind(working=not weekend, statutory_holiday=False, calendar_known=False)
    return DayKind(working=working, statutory_holiday=holiday and name is not None, calendar_known=True)


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
