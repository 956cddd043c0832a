"""The State Council's published schedules as the ``chinese-calendar`` package ships them.

The package lists, per day, the holidays (a holiday period's every day, weekends included)
and the make-up working days, for the years it knows. Pure: no database.
"""

import datetime as dt
from functools import cache

from chinese_calendar import constants

from contracts.rules.calendar.law import Festival, statutory_days
from contracts.rules.calendar.schedule import ScheduleDay, ScheduleDayKind

FESTIVALS = {
    constants.Holiday.new_years_day.value: Festival.NEW_YEAR,
    constants.Holiday.spring_festival.value: Festival.SPRING_FESTIVAL,
    constants.Holiday.tomb_sweeping_day.value: Festival.QINGMING,
    constants.Holiday.labour_day.value: Festival.LABOUR_DAY,
    constants.Holiday.dragon_boat_festival.value: Festival.DRAGON_BOAT,
    constants.Holiday.mid_autumn_festival.value: Festival.MID_AUTUMN,
    constants.Holiday.national_day.value: Festival.NATIONAL_DAY,
}

PACKAGE_NAME = "chinese-calendar"


def package_version() -> str:
    from importlib.metadata import version

    return version("chinesecalendar")


@cache
def package_years() -> tuple[int, ...]:
    """The years whose schedule the installed package knows."""
    return tuple(sorted({day.year for day in constants.holidays} | {day.year for day in constants.workdays}))


@cache
def package_schedule(year: int) -> tuple[ScheduleDay, ...]:
    """The year's holidays and make-up working days as the package has them, each statutory
    day named by the law (the package misses a few, e.g. the Dragon Boat Saturday 2012-06-23)."""
    law = statutory_days(year)
    days: dict[dt.date, ScheduleDay] = {}
    for day, name in constants.holidays.items():
        if day.year == year:
            festival = FESTIVALS.get(name, Festival.OTHER)
            kind = ScheduleDayKind.STATUTORY if day in law else ScheduleDayKind.REST
            days[day] = ScheduleDay(day, kind, law.get(day, festival))
    for day, name in constants.workdays.items():
        if day.year == year:
            days[day] = ScheduleDay(day, ScheduleDayKind.WORKDAY, FESTIVALS.get(name, Festival.OTHER))
    for day, festival in law.items():
        days.setdefault(day, ScheduleDay(day, ScheduleDayKind.STATUTORY, festival))
    return tuple(sorted(days.values()))
