"""Which calendar a year has, read once per process: the database's schedule when one is
loaded, else the ``chinese-calendar`` package's when it knows the year, else the law alone
(provisional).

Deadline calculators ask about one day at a time in loops, so a year is read with one query
and kept. Loading a schedule calls ``calendar_changed``: it clears this process's copy at
once and, after the commit, bumps a generation number in the shared cache, which every
other process (web workers, Celery) looks at no more than once every few seconds.
"""

import datetime as dt
import threading
import time

from django.core.cache import cache
from django.db import transaction

from contracts.rules.calendar.models import HolidayYear
from contracts.rules.calendar.package import package_schedule, package_years
from contracts.rules.calendar.schedule import ScheduleDay, ScheduleSource, YearCalendar, with_law

GENERATION_KEY = "contracts.calendar.generation"
# How stale another process's copy may be after a load, at most.
RECHECK_SECONDS = 5.0

_lock = threading.Lock()
_years: dict[int, YearCalendar] = {}
_generation: object = None
_checked_at = float("-inf")


def _read(year: int) -> YearCalendar:
    # One query: the year's row joined to its days (a year without days gives one row of None).
    rows: list[tuple[str, dt.date | None, str | None, str | None]] = list(
        HolidayYear.objects.filter(year=year).values_list("source", "days__date", "days__kind", "days__festival")
    )
    if rows:
        source = rows[0][0]
        stored = [
            ScheduleDay(date, kind, festival)
            for _, date, kind, festival in rows
            if date is not None and kind is not None and festival is not None
        ]
        return YearCalendar(
            year=year, source=source, provisional=source == ScheduleSource.LAW, days=with_law(year, stored)
        )
    if year in package_years():
        shipped = {entry.date: entry for entry in package_schedule(year)}
        return YearCalendar(year=year, source=ScheduleSource.PACKAGE, provisional=False, days=shipped)
    return YearCalendar.from_law(year)


def _recheck() -> None:
    global _generation, _checked_at
    now = time.monotonic()
    if now - _checked_at < RECHECK_SECONDS:
        return
    _checked_at = now
    generation = cache.get(GENERATION_KEY)
    if generation != _generation:
        _generation = generation
        _years.clear()


def year_calendar(year: int) -> YearCalendar:
    """The calendar of ``year``, from this process's copy when it has one."""
    with _lock:
        _recheck()
        known = _years.get(year)
    if known is not None:
        return known
    calendar = _read(year)
    with _lock:
        _years[year] = calendar
    return calendar


def day_calendar(day: dt.date) -> YearCalendar:
    return year_calendar(day.year)


def calendar_cache_clear() -> None:
    """Forget this process's copy (tests, and a task that must see a load made elsewhere)."""
    global _checked_at
    with _lock:
        _years.clear()
        _checked_at = float("-inf")


def _bump_generation() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    calendar_cache_clear()


def calendar_changed() -> None:
    """A schedule was written: every process reads the calendar anew."""
    calendar_cache_clear()
    transaction.on_commit(_bump_generation)
