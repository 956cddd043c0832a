"""The holiday calendar as data (R16, R18): the law's statutory days for any year, the
published years from ``chinese-calendar`` loaded into the database, the order in which a
year's calendar is found (database, package, law), the per-process cache and the admin."""

import datetime as dt
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from contracts.rules.calendar.law import Festival, qingming, statutory_days
from contracts.rules.calendar.models import HolidayDay, HolidayYear
from contracts.rules.calendar.package import package_years
from contracts.rules.calendar.schedule import ScheduleDayKind, ScheduleSource
from contracts.rules.calendar.services import LoadOutcome, holiday_package_load
from contracts.rules.calendar.store import calendar_cache_clear, calendar_changed
from contracts.rules.deadlines import day_kind, deadline_after, last_working_day_on_or_before
from contracts.rules.packs import NATIONAL

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Each test reads the calendar from its own database, not from a copy another test left."""
    calendar_cache_clear()
    yield
    calendar_cache_clear()


def days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


# --- the law (全国年节及纪念日放假办法, State Council Order No. 795) ------------------------


def test_the_law_gives_2027_its_13_statutory_days():
    assert statutory_days(2027) == {
        D("2027-01-01"): Festival.NEW_YEAR,
        # lunar New Year's Eve and the first three days of the lunar year
        D("2027-02-05"): Festival.SPRING_FESTIVAL,
        D("2027-02-06"): Festival.SPRING_FESTIVAL,
        D("2027-02-07"): Festival.SPRING_FESTIVAL,
        D("2027-02-08"): Festival.SPRING_FESTIVAL,
        D("2027-04-05"): Festival.QINGMING,
        D("2027-05-01"): Festival.LABOUR_DAY,
        D("2027-05-02"): Festival.LABOUR_DAY,
        D("2027-06-09"): Festival.DRAGON_BOAT,  # 5th day of the 5th lunar month
        D("2027-09-15"): Festival.MID_AUTUMN,  # 15th day of the 8th lunar month
        D("2027-10-01"): Festival.NATIONAL_DAY,
        D("2027-10-02"): Festival.NATIONAL_DAY,
        D("2027-10-03"): Festival.NATIONAL_DAY,
    }


@pytest.mark.parametrize(("year", "count"), [(2025, 13), (2026, 13), (2030, 13), (2024, 11), (2014, 11), (2013, 11)])
def test_the_number_of_statutory_days_follows_the_law_in_force(year, count):
    # 13 since 2025 (Order No. 795); 11 under Orders No. 644 (2014–2024) and No. 513 (2008–2013)
    assert len(statutory_days(year)) == count


@pytest.mark.parametrize("year", range(2008, 2027))
def test_the_qingming_formula_gives_the_day_the_published_calendar_names(year):
    name = chinese_calendar.get_holiday_detail(qingming(year))

    assert name == (True, "Tomb-sweeping Day")
    assert qingming(year).month == 4 and qingming(year).day in (4, 5)


def test_the_qingming_formula_matches_the_solar_term_dates():
    # the day of the Qingming term, 2004–2027 (astronomical tables)
    expected = [4, 5, 5, 5, 4, 4, 5, 5, 4, 4, 5, 5, 4, 4, 5, 5, 4, 4, 5, 5, 4, 4, 5, 5]

    assert [qingming(year).day for year in range(2004, 2028)] == expected


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_of_the_law_is_a_holiday_in_chinese_calendar(year):
    days = statutory_days(year)

    assert len(days) == 13
    for day in days:
        assert chinese_calendar.get_holiday_detail(day)[0] is True, day
        assert chinese_calendar.is_workday(day) is False, day


# --- a year without a notice: the law and the weekends, provisional ---------------------


def test_spring_festival_2027_is_a_holiday_from_the_law_alone():
    assert 2027 not in package_years()
    assert HolidayYear.objects.filter(year=2027).exists() is False

    kinds = [day_kind(D(day)) for day in ("2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08")]

    assert [(kind.working, kind.statutory_holiday, kind.provisional) for kind in kinds] == [(False, True, True)] * 4
    # the day before New Year's Eve and the day after the third day are working days
    assert day_kind(D("2027-02-04")).working is True
    assert day_kind(D("2027-02-09")).working is True


def test_a_deadline_ending_on_lunar_new_years_eve_2027_moves_past_the_festival_and_is_provisional():
    # 2027-01-16 + 20 days = Friday 2027-02-05, New Year's Eve
    deadline = deadline_after(D("2027-01-16"), 20, pack=NATIONAL)

    assert deadline.nominal == D("2027-02-05")
    assert deadline.due == D("2027-02-09")
    assert deadline.provisional is True


def test_a_request_received_2026_12_12_is_due_2027_01_04_provisionally():
    # R1: the national pack answers in 20 days; 1 Jan 2027 is New Year's Day, 2–3 Jan a weekend
    assert (NATIONAL.reply_days, NATIONAL.reply_in_working_days) == (20, False)

    deadline = deadline_after(D("2026-12-12"), NATIONAL.reply_days, pack=NATIONAL)

    assert deadline.nominal == D("2027-01-01")
    assert deadline.due == D("2027-01-04")
    assert deadline.provisional is True
    assert deadline.calendar_known is False


def test_pay_day_on_mid_autumn_2027_moves_to_the_day_before_by_law():
    # R18: Wednesday 2027-09-15 is the Mid-Autumn Festival by law
    assert last_working_day_on_or_before(D("2027-09-15")) == D("2027-09-14")


# --- the published years: the package, in the database or not -------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_a_published_year_is_as_chinese_calendar_says_and_never_provisional(year):
    for day in days_of(year):
        kind = day_kind(day)
        assert kind.working is chinese_calendar.is_workday(day), day
        assert kind.provisional is False, day


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_read_from_the_database_after_load_holidays_is_as_chinese_calendar_says(
    year, django_assert_num_queries
):
    call_command("load_holidays", "--year", str(year), stdout=StringIO())
    assert HolidayYear.objects.get(year=year).source == ScheduleSource.PACKAGE
    calendar_cache_clear()

    # the whole year is read with one query
    with django_assert_num_queries(1):
        kinds = {day: day_kind(day) for day in days_of(year)}

    assert [day for day, kind in kinds.items() if kind.working is not chinese_calendar.is_workday(day)] == []
    assert not any(kind.provisional for kind in kinds.values())


def test_a_deadline_in_2026_equals_chinese_calendars_and_is_not_provisional():
    # 2026-09-17 + 20 = 2026-10-07, the last day of National Day; 10-08 is the first working day
    assert chinese_calendar.is_workday(D("2026-10-08")) is True

    deadline = deadline_after(D("2026-09-17"), 20, pack=NATIONAL)

    assert deadline.due == D("2026-10-08")
    assert deadline.provisional is False


def test_load_holidays_loads_every_package_year_with_its_sources_and_a_second_run_changes_nothing(capsys):
    with translation.override("en"):
        call_command("load_holidays")
        first = capsys.readouterr().out
        rows = list(HolidayDay.objects.order_by("date").values_list("id", "date", "kind", "festival", "source"))

        call_command("load_holidays")
        second = capsys.readouterr().out

    assert sorted(HolidayYear.objects.values_list("year", flat=True)) == list(package_years())
    assert list(HolidayDay.objects.order_by("date").values_list("id", "date", "kind", "festival", "source")) == rows
    assert first.count("2026: loaded") == 1
    assert second.count("already loaded, nothing changed") == len(package_years())
    # a statutory day is the law's, a bridging day and a make-up working day the package's
    assert HolidayDay.objects.get(date=D("2026-02-16")).source == ScheduleSource.LAW
    assert HolidayDay.objects.get(date=D("2026-02-23")).kind == ScheduleDayKind.REST
    assert HolidayDay.objects.get(date=D("2026-02-23")).source == ScheduleSource.PACKAGE
    makeup = HolidayDay.objects.get(date=D("2026-02-14"))
    assert (makeup.kind, makeup.festival, makeup.source) == (
        ScheduleDayKind.WORKDAY,
        Festival.SPRING_FESTIVAL,
        ScheduleSource.PACKAGE,
    )


def test_load_holidays_refuses_a_year_the_package_does_not_know():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2027"):
        call_command("load_holidays", "--year", "2027")

    assert HolidayYear.objects.exists() is False


def test_load_holidays_law_writes_a_provisional_year_that_reads_as_the_law():
    call_command("load_holidays", "--law", "2027", stdout=StringIO())

    year = HolidayYear.objects.get(year=2027)
    assert year.provisional is True
    assert sorted(year.days.values_list("date", flat=True)) == sorted(statutory_days(2027))
    assert day_kind(D("2027-10-02")).statutory_holiday is True
    assert day_kind(D("2027-10-02")).provisional is True


def test_the_database_year_takes_precedence_over_the_package():
    # given 2026 loaded, and an administrator marks Monday 2026-03-16 a rest day
    holiday_package_load(years=[2026])
    assert day_kind(D("2026-03-16")).working is True
    HolidayDay.objects.create(
        year=HolidayYear.objects.get(year=2026),
        date=D("2026-03-16"),
        kind=ScheduleDayKind.REST,
        festival=Festival.OTHER,
        source=ScheduleSource.ADMIN,
    )

    calendar_changed()

    assert day_kind(D("2026-03-16")).working is False
    # and the package load now keeps the year as the administrator left it
    assert holiday_package_load(years=[2026])[0].outcome == LoadOutcome.SKIPPED
    assert day_kind(D("2026-03-16")).working is False


def test_the_cache_keeps_a_year_until_the_calendar_changes(django_assert_num_queries):
    day_kind(D("2027-03-01"))

    with django_assert_num_queries(0):
        for n in range(300):
            day_kind(D("2027-01-01") + dt.timedelta(days=n))

    calendar_changed()
    with django_assert_num_queries(1):
        day_kind(D("2027-03-01"))


# --- the admin page of a year's schedule ----------------------------------------------


def test_the_admin_shows_a_years_schedule_with_its_days(admin_client):
    holiday_package_load(years=[2026])
    year = HolidayYear.objects.get(year=2026)

    listing = admin_client.get(reverse("admin:contracts_holidayyear_changelist"))
    page = admin_client.get(reverse("admin:contracts_holidayyear_change", args=[year.pk]))

    assert listing.status_code == 200
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026-02-14" in html
    assert html.count('name="days-') > 0
    assert year.days.count() == int(page.context["inline_admin_formsets"][0].formset.total_form_count())


def test_a_day_changed_in_the_admin_is_the_administrators_and_the_deadlines_see_it(admin_client):
    holiday_package_load(years=[2026])
    day = HolidayDay.objects.get(date=D("2026-02-14"))  # a make-up working Saturday
    assert day_kind(D("2026-02-14")).working is True

    response = admin_client.post(
        reverse("admin:contracts_holidayday_change", args=[day.pk]),
        {"year": day.year_id, "date": "2026-02-14", "kind": ScheduleDayKind.REST, "festival": Festival.SPRING_FESTIVAL},
    )

    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.kind, day.source) == (ScheduleDayKind.REST, ScheduleSource.ADMIN)
    assert day_kind(D("2026-02-14")).working is False


def test_the_admin_refuses_a_make_up_working_day_on_a_statutory_holiday(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    holiday_package_load(years=[2026])
    day = HolidayDay.objects.get(date=D("2026-10-01"))

    response = admin_client.post(
        reverse("admin:contracts_holidayday_change", args=[day.pk]),
        {"year": day.year_id, "date": "2026-10-01", "kind": ScheduleDayKind.WORKDAY, "festival": Festival.NATIONAL_DAY},
    )

    assert response.status_code == 200
    assert "A statutory holiday cannot be a working day." in response.content.decode()
    day.refresh_from_db()
    assert day.kind == ScheduleDayKind.STATUTORY


def test_a_load_made_by_another_process_is_seen_once_the_shared_generation_changes(monkeypatch):
    from django.core.cache import cache

    from contracts.rules.calendar import store

    # given this process has read 2027 from the law (Saturday 2 January a rest day)
    assert day_kind(D("2027-01-02")).working is False
    # when another process writes a schedule for 2027 (here: straight into the table)
    year = HolidayYear.objects.create(year=2027, source=ScheduleSource.ADMIN)
    HolidayDay.objects.create(
        year=year, date=D("2027-01-02"), kind=ScheduleDayKind.WORKDAY, festival=Festival.NEW_YEAR, source="admin"
    )
    monkeypatch.setattr(store, "RECHECK_SECONDS", 0.0)
    # then this process keeps its copy until the shared generation moves
    assert day_kind(D("2027-01-02")).working is False
    cache.set(store.GENERATION_KEY, object().__hash__(), timeout=None)
    assert day_kind(D("2027-01-02")).working is True
    assert day_kind(D("2027-01-02")).provisional is False
