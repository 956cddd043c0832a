"""Writing a year's schedule: from a State Council notice, from the ``chinese-calendar``
package, or from the law alone. Each write replaces the year as a whole, in one
transaction, and does nothing at all when the year already holds exactly that schedule."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from contracts.rules.calendar.law import statutory_days
from contracts.rules.calendar.models import HolidayDay, HolidayYear
from contracts.rules.calendar.notice import Notice
from contracts.rules.calendar.package import package_schedule, package_years
from contracts.rules.calendar.recompute import calendar_recompute_soon
from contracts.rules.calendar.schedule import ScheduleDay, ScheduleDayKind, ScheduleSource, with_law
from contracts.rules.calendar.store import calendar_changed, year_calendar


class LoadOutcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


OUTCOME_LABELS = {
    LoadOutcome.CREATED: _("loaded"),
    LoadOutcome.UPDATED: _("updated"),
    LoadOutcome.UNCHANGED: _("already loaded, nothing changed"),
    LoadOutcome.SKIPPED: _("kept as it is: the year has a published schedule or an administrator's entries"),
}


@dataclass(frozen=True)
class LoadResult:
    year: int
    outcome: str  # LoadOutcome
    # The days whose working status or holiday period differs from what the deadlines read before.
    changed_days: tuple[dt.date, ...] = field(default=())
    was_provisional: bool = False


@dataclass(frozen=True)
class _Schedule:
    year: int
    source: str
    title: str
    number: str
    published_on: dt.date | None
    # (day, source of the day) for every day that is not ordinary.
    days: dict[dt.date, tuple[ScheduleDay, str]]


def _notice_days(notice: Notice) -> dict[dt.date, tuple[ScheduleDay, str]]:
    law = statutory_days(notice.year)
    days: dict[dt.date, tuple[ScheduleDay, str]] = {}
    for entry in notice.ranges:
        day = entry.start
        while day <= entry.end:
            if day in law:
                days[day] = (ScheduleDay(day, ScheduleDayKind.STATUTORY, law[day]), ScheduleSource.LAW)
            else:
                days[day] = (ScheduleDay(day, entry.kind, entry.festival), ScheduleSource.NOTICE)
            day += dt.timedelta(days=1)
    for day, festival in law.items():
        days.setdefault(day, (ScheduleDay(day, ScheduleDayKind.STATUTORY, festival), ScheduleSource.LAW))
    return dict(sorted(days.items()))


def _stored(year: HolidayYear) -> _Schedule:
    return _Schedule(
        year=year.year,
        source=year.source,
        title=year.notice_title,
        number=year.notice_number,
        published_on=year.published_on,
        days={day.date: (ScheduleDay(day.date, day.kind, day.festival), day.source) for day in year.days.all()},
    )


def _working_status(days: dict[dt.date, ScheduleDay], day: dt.date) -> tuple[bool, bool]:
    entry = days.get(day)
    if entry is None:
        return (day.weekday() < 5, False)
    return (entry.kind == ScheduleDayKind.WORKDAY, entry.kind != ScheduleDayKind.WORKDAY)


def _schedule_store(schedule: _Schedule, *, replaces: frozenset[str] | None = None) -> LoadResult:
    """Write ``schedule`` over its year; with ``replaces``, only over a year from one of those
    sources that no administrator has edited (else the year is kept: SKIPPED).

    Once the write commits, the open deadlines counted on the year are counted again
    (``contracts.rules.calendar.recompute``); loading what is there already changes no date,
    and running the recompute then mends any left behind by a process that stopped midway."""
    result = _schedule_write(schedule, replaces=replaces)
    if result.outcome != LoadOutcome.SKIPPED:
        calendar_recompute_soon(years=[result.year])
    return result


@transaction.atomic
def _schedule_write(schedule: _Schedule, *, replaces: frozenset[str] | None = None) -> LoadResult:
    before = year_calendar(schedule.year)
    existing = HolidayYear.objects.select_for_update().filter(year=schedule.year).first()
    if existing is not None:
        stored = _stored(existing)
        if stored == schedule:
            return LoadResult(schedule.year, LoadOutcome.UNCHANGED, was_provisional=before.provisional)
        has_admin_days = any(source == ScheduleSource.ADMIN for _, source in stored.days.values())
        if replaces is not None and (existing.source not in replaces or has_admin_days):
            return LoadResult(schedule.year, LoadOutcome.SKIPPED, was_provisional=before.provisional)
        existing.days.all().delete()
        existing.source = schedule.source
        existing.notice_title = schedule.title
        existing.notice_number = schedule.number
        existing.published_on = schedule.published_on
        existing.save()
        year, outcome = existing, LoadOutcome.UPDATED
    else:
        year = HolidayYear.objects.create(
            year=schedule.year,
            source=schedule.source,
            notice_title=schedule.title,
            notice_number=schedule.number,
            published_on=schedule.published_on,
        )
        outcome = LoadOutcome.CREATED
    HolidayDay.objects.bulk_create(
        HolidayDay(year=year, date=day, kind=entry.kind, festival=entry.festival, source=source)
        for day, (entry, source) in schedule.days.items()
    )
    calendar_changed()
    after = {day: entry for day, (entry, _source) in schedule.days.items()}
    candidates = sorted(set(before.days) | set(after))
    changed = tuple(day for day in candidates if _working_status(before.days, day) != _working_status(after, day))
    return LoadResult(schedule.year, outcome, changed_days=changed, was_provisional=before.provisional)


def holiday_notice_load(*, notice: Notice) -> LoadResult:
    """Load a State Council notice as its year's schedule; the statutory days stay the law's."""
    return _schedule_store(
        _Schedule(
            year=notice.year,
            source=ScheduleSource.NOTICE,
            title=notice.title,
            number=notice.number,
            published_on=notice.published_on,
            days=_notice_days(notice),
        )
    )


def holiday_package_load(*, years: list[int] | None = None) -> list[LoadResult]:
    """Load the years the ``chinese-calendar`` package knows; a year that has a notice or
    an administrator's entries is kept as it is."""
    law_source: str = ScheduleSource.LAW
    package_source: str = ScheduleSource.PACKAGE
    results = []
    for year in years or package_years():
        law = statutory_days(year)
        days = {
            entry.date: (entry, law_source if entry.date in law else package_source) for entry in package_schedule(year)
        }
        schedule = _Schedule(year, ScheduleSource.PACKAGE, "", "", None, days)
        results.append(_schedule_store(schedule, replaces=frozenset({ScheduleSource.PACKAGE, ScheduleSource.LAW})))
    return results


def holiday_law_load(*, year: int) -> LoadResult:
    """Write the statutory days of a year without a notice, so the admin shows them to edit."""
    law_source: str = ScheduleSource.LAW
    days = {day: (entry, law_source) for day, entry in with_law(year, []).items()}
    schedule = _Schedule(year, ScheduleSource.LAW, "", "", None, days)
    return _schedule_store(schedule, replaces=frozenset({ScheduleSource.LAW}))
