"""The deadline calculator (R16) on China's official holiday calendar.

Every expected date below was worked out by hand from the State Council calendar;
each test first checks the calendar facts it relies on against the
``chinese_calendar`` package, so a wrong premise fails loudly instead of hiding.
The calendar is read from the database (empty here: the package's years, then the law).
"""

import dataclasses
import datetime as dt

import chinese_calendar
import pytest

from contracts.rules.deadlines import Deadline, day_kind, deadline_after, last_working_day_on_or_before
from contracts.rules.packs import NATIONAL, PACKS

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def assert_working(*days: str) -> None:
    for day in days:
        assert chinese_calendar.is_workday(D(day)), f"premise: {day} is a working day"


def assert_rest(*days: str) -> None:
    for day in days:
        assert not chinese_calendar.is_workday(D(day)), f"premise: {day} is a rest day or holiday"


def assert_holiday(name: str, *days: str) -> None:
    for day in days:
        assert chinese_calendar.get_holiday_detail(D(day)) == (True, name), f"premise: {day} is {name}"


def assert_calendar_unpublished(year: int) -> None:
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(dt.date(year, 6, 1))


def days_between(start: str, end: str) -> list[str]:
    first, last = D(start), D(end)
    return [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def count_working_days_after(start: dt.date, until: dt.date) -> int:
    """An independent count of the working days in (start, until]."""
    return sum(chinese_calendar.is_workday(start + dt.timedelta(days=n)) for n in range(1, (until - start).days + 1))


# --- counting: the day of the event is not counted (Civil Code Art. 201) ---------------


def test_deadline_after_does_not_count_the_day_of_receipt():
    # given a request received on a Wednesday whose 20th following day is a Tuesday
    assert_working("2026-03-24")

    # when
    deadline = deadline_after(D("2026-03-04"), 20, pack=NATIONAL)

    # then the period ends on the 20th day after receipt, not the 19th
    assert deadline.due == D("2026-03-24")
    assert deadline.nominal == D("2026-03-24")
    assert deadline.moved is False
    assert deadline.calendar_known is True


def test_deadline_after_one_day_ends_on_the_next_day():
    assert_working("2026-03-05")

    assert deadline_after(D("2026-03-04"), 1, pack=NATIONAL).due == D("2026-03-05")


def test_reply_on_the_due_day_is_not_overdue_but_the_day_after_is():
    # given the 20-day period starting on 2026-03-04, due on the 20th day
    deadline = deadline_after(D("2026-03-04"), 20, pack=NATIONAL)
    assert deadline.due == D("2026-03-24")

    # then the 19th and 20th day are in time, the 21st is late
    assert deadline.is_overdue(today=D("2026-03-23")) is False
    assert deadline.is_overdue(today=D("2026-03-24")) is False
    assert deadline.is_overdue(today=D("2026-03-25")) is True


def test_deadline_is_overdue_uses_the_shanghai_date_by_default(freeze_now):
    # given a period due on 2026-03-24; 00:30 on 03-25 in Shanghai is still 03-24 in UTC
    deadline = Deadline(due=D("2026-03-24"), nominal=D("2026-03-24"), calendar_known=True)
    shanghai = dt.timezone(dt.timedelta(hours=8))

    freeze_now(dt.datetime(2026, 3, 24, 23, 30, tzinfo=shanghai))
    on_due_day = deadline.is_overdue()
    freeze_now(dt.datetime(2026, 3, 25, 0, 30, tzinfo=shanghai))
    just_after = deadline.is_overdue()

    # then the period ends at 24:00 Asia/Shanghai of its last day
    assert on_due_day is False
    assert just_after is True


# --- a last day on a rest day or holiday moves to the next working day (Art. 203) -------


def test_due_date_on_an_ordinary_sunday_moves_to_monday():
    # given 2026-03-02 + 20 days = Sunday 2026-03-22
    assert D("2026-03-22").weekday() == 6
    assert_rest("2026-03-22")
    assert_working("2026-03-23")

    deadline = deadline_after(D("2026-03-02"), 20, pack=NATIONAL)

    assert deadline.nominal == D("2026-03-22")
    assert deadline.due == D("2026-03-23")
    assert deadline.moved is True


@pytest.mark.parametrize(
    ("received", "nominal"),
    [
        ("2026-01-26", "2026-02-15"),  # first day of the holiday
        ("2026-01-27", "2026-02-16"),
        ("2026-01-31", "2026-02-20"),
        ("2026-02-03", "2026-02-23"),  # last day of the holiday
    ],
)
def test_due_date_inside_the_spring_festival_2026_moves_to_the_first_working_day_after_it(received, nominal):
    # given the Spring Festival 2026 holiday 02-15..02-23, and 02-24 a working Tuesday
    assert_holiday("Spring Festival", *days_between("2026-02-15", "2026-02-23"))
    assert_rest(*days_between("2026-02-15", "2026-02-23"))
    assert_working("2026-02-24")

    deadline = deadline_after(D(received), 20, pack=NATIONAL)

    assert deadline.nominal == D(nominal)
    assert deadline.due == D("2026-02-24")
    assert deadline.moved is True
    assert deadline.calendar_known is True


@pytest.mark.parametrize(
    ("received", "makeup_day"),
    [
        ("2026-01-25", "2026-02-14"),  # Saturday before the Spring Festival
        ("2026-02-08", "2026-02-28"),  # Saturday after it
        ("2026-08-31", "2026-09-20"),  # Sunday before National Day
        ("2026-09-20", "2026-10-10"),  # Saturday after National Day
    ],
)
def test_due_date_on_a_makeup_working_weekend_day_stays_there(received, makeup_day):
    # given a weekend day the State Council made a working day
    assert D(makeup_day).weekday() >= 5
    assert_working(makeup_day)

    deadline = deadline_after(D(received), 20, pack=NATIONAL)

    assert deadline.due == D(makeup_day)
    assert deadline.moved is False


@pytest.mark.parametrize(
    ("received", "nominal"),
    [
        ("2026-09-11", "2026-10-01"),  # first day of National Day
        ("2026-09-13", "2026-10-03"),  # a Saturday inside the holiday
        ("2026-09-17", "2026-10-07"),  # last day of National Day
    ],
)
def test_due_date_inside_national_day_2026_moves_to_october_8(received, nominal):
    assert_holiday("National Day", *days_between("2026-10-01", "2026-10-07"))
    assert_rest(*days_between("2026-10-01", "2026-10-07"))
    assert_working("2026-10-08")

    deadline = deadline_after(D(received), 20, pack=NATIONAL)

    assert deadline.nominal == D(nominal)
    assert deadline.due == D("2026-10-08")


def test_due_date_on_the_ordinary_sunday_after_a_makeup_saturday_moves_to_monday():
    # given Saturday 2026-10-10 is a make-up working day but Sunday 10-11 is not
    assert_working("2026-10-10", "2026-10-12")
    assert_rest("2026-10-11")

    assert deadline_after(D("2026-09-21"), 20, pack=NATIONAL).due == D("2026-10-12")


# --- regional packs -------------------------------------------------------------------


def test_shanghai_pack_answers_in_15_days():
    shanghai = PACKS["shanghai"]
    assert_working("2026-03-17")

    deadline = deadline_after(D("2026-03-02"), shanghai.reply_days, pack=shanghai, working_days=False)

    assert shanghai.reply_days == 15
    assert shanghai.reply_in_working_days is False
    assert deadline.due == D("2026-03-17")


def test_shanghai_pack_15_days_ending_in_the_spring_festival_move_past_it():
    shanghai = PACKS["shanghai"]
    assert_rest("2026-02-16")
    assert_working("2026-02-24")

    deadline = deadline_after(D("2026-02-01"), shanghai.reply_days, pack=shanghai)

    assert deadline.nominal == D("2026-02-16")
    assert deadline.due == D("2026-02-24")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Tue; counts Sat 02-14 (make-up), skips 02-15..02-23, counts Sat 02-28 (make-up)
        ("2026-02-10", "2026-03-02"),
        # Fri; two ordinary weekends skipped
        ("2026-03-06", "2026-03-20"),
        # Mon; skips National Day, counts Sat 10-10 (make-up)
        ("2026-09-28", "2026-10-16"),
        # received on a holiday (Mid-Autumn Friday)
        ("2026-09-25", "2026-10-15"),
    ],
)
def test_zhejiang_pack_answers_in_10_working_days(received, due):
    zhejiang = PACKS["zhejiang"]
    # premise: an independent count of working days after receipt reaches 10 exactly on ``due``
    assert count_working_days_after(D(received), D(due)) == 10
    assert_working(due)

    deadline = deadline_after(
        D(received), zhejiang.reply_days, pack=zhejiang, working_days=zhejiang.reply_in_working_days
    )

    assert (zhejiang.reply_days, zhejiang.reply_in_working_days) == (10, True)
    assert deadline.due == D(due)
    assert deadline.calendar_known is True


# --- years without a published calendar: the law's holidays and the weekends ------------


def test_deadline_into_an_unpublished_year_falls_back_to_the_law_and_weekends_and_says_so():
    # given 2026-12-20 + 20 days = Saturday 2027-01-09, and no 2027 calendar yet
    assert_calendar_unpublished(2027)
    assert D("2027-01-09").weekday() == 5

    deadline = deadline_after(D("2026-12-20"), 20, pack=NATIONAL)

    assert deadline.nominal == D("2027-01-09")
    assert deadline.due == D("2027-01-11")
    assert deadline.calendar_known is False


def test_deadline_on_new_years_day_of_an_unpublished_year_moves_past_it_and_the_weekend():
    # given 2026-12-12 + 20 = Friday 2027-01-01: New Year's Day by law, then a weekend
    assert_calendar_unpublished(2027)

    deadline = deadline_after(D("2026-12-12"), 20, pack=NATIONAL)

    assert deadline.nominal == D("2027-01-01")
    assert deadline.due == D("2027-01-04")
    assert deadline.calendar_known is False
    assert deadline.provisional is True


def test_working_day_period_into_an_unpublished_year_is_flagged_unknown():
    assert_calendar_unpublished(2027)

    deadline = deadline_after(D("2026-12-28"), 10, pack=PACKS["zhejiang"], working_days=True)

    # Mon 12-28 .. : 29, 30, 31 (2026, known), 2027-01-01 New Year's Day by law, then 4..8, 11, 12
    assert deadline.due == D("2027-01-12")
    assert deadline.calendar_known is False


def test_deadline_wholly_in_a_later_unpublished_year_skips_weekends():
    assert_calendar_unpublished(2027)
    assert D("2027-03-21").weekday() == 6

    deadline = deadline_after(D("2027-03-01"), 20, pack=NATIONAL)

    assert deadline.due == D("2027-03-22")
    assert deadline.calendar_known is False


# --- packs where only statutory holidays extend a period --------------------------------

HOLIDAYS_ONLY = dataclasses.replace(NATIONAL, code="holidays_only", weekends_extend_deadlines=False)


def test_without_weekend_extension_a_due_date_on_an_ordinary_sunday_stays():
    assert_rest("2026-03-22")
    assert chinese_calendar.get_holiday_detail(D("2026-03-22")) == (True, None)

    deadline = deadline_after(D("2026-03-02"), 20, pack=HOLIDAYS_ONLY)

    assert deadline.due == D("2026-03-22")
    assert deadline.moved is False


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-01-27", "2026-02-24"),  # Mon 02-16, Spring Festival
        ("2026-09-13", "2026-10-08"),  # Sat 10-03, inside National Day
        ("2026-04-14", "2026-05-06"),  # Mon 05-04, Labour Day
    ],
)
def test_without_weekend_extension_a_statutory_holiday_still_extends(received, due):
    assert_rest(
        *days_between((D(received) + dt.timedelta(days=20)).isoformat(), (D(due) - dt.timedelta(1)).isoformat())
    )
    assert_working(due)

    assert deadline_after(D(received), 20, pack=HOLIDAYS_ONLY).due == D(due)


def test_without_weekend_extension_a_period_in_an_unpublished_year_ends_on_its_nominal_day():
    assert_calendar_unpublished(2027)

    deadline = deadline_after(D("2026-12-20"), 20, pack=HOLIDAYS_ONLY)

    assert deadline.due == D("2027-01-09")
    assert deadline.calendar_known is False


# --- R18: paying early when pay day is a rest day -------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-03-16", "2026-03-16"),  # a working Monday stays
        ("2026-03-15", "2026-03-13"),  # ordinary Sunday -> Friday
        ("2026-02-15", "2026-02-14"),  # Spring Festival Sunday -> make-up Saturday
        ("2026-02-23", "2026-02-14"),  # last holiday day -> the make-up Saturday before the holiday
        ("2026-03-01", "2026-02-28"),  # Sunday after the make-up Saturday
        ("2026-10-05", "2026-09-30"),  # National Day
        ("2026-10-11", "2026-10-10"),  # Sunday after the make-up Saturday
        ("2026-01-01", "2025-12-31"),  # New Year's Day, back across the year
    ],
)
def test_last_working_day_on_or_before(day, expected):
    assert_working(expected)
    assert_rest(*days_between((D(expected) + dt.timedelta(days=1)).isoformat(), day))

    assert last_working_day_on_or_before(D(day)) == D(expected)


def test_last_working_day_in_an_unpublished_year_skips_weekends_and_the_laws_holidays():
    assert_calendar_unpublished(2027)

    # Sunday 2027-01-03 -> Thursday 2026-12-31 (Friday 2027-01-01 is New Year's Day by law)
    assert last_working_day_on_or_before(D("2027-01-03")) == D("2026-12-31")


# --- day_kind -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working", "statutory_holiday"),
    [
        ("2026-03-16", True, False),  # ordinary Monday
        ("2026-03-15", False, False),  # ordinary Sunday
        ("2026-02-14", True, False),  # make-up Saturday
        ("2026-09-20", True, False),  # make-up Sunday
        ("2026-02-16", False, True),  # Spring Festival weekday
        ("2026-02-15", False, True),  # Spring Festival Sunday
        ("2026-10-07", False, True),  # National Day
    ],
)
def test_day_kind_in_a_published_year(day, working, statutory_holiday):
    assert chinese_calendar.is_workday(D(day)) is working

    kind = day_kind(D(day))

    assert (kind.working, kind.statutory_holiday, kind.calendar_known) == (working, statutory_holiday, True)


@pytest.mark.parametrize(
    ("day", "working", "statutory_holiday"),
    [
        ("2027-01-01", False, True),  # New Year's Day by law
        ("2027-01-02", False, False),  # an ordinary Saturday until a notice says otherwise
        ("2027-01-03", False, False),
        ("2027-01-04", True, False),
        ("2027-02-05", False, True),  # lunar New Year's Eve
    ],
)
def test_day_kind_in_an_unpublished_year_knows_the_law_and_the_weekends(day, working, statutory_holiday):
    assert_calendar_unpublished(2027)

    kind = day_kind(D(day))

    assert (kind.working, kind.statutory_holiday, kind.calendar_known) == (working, statutory_holiday, False)
