"""A State Council holiday notice loaded from a file (``load_holidays --notice``): it settles
a provisional year, it is loaded all or nothing, and loading it twice changes nothing."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from contracts.rules.calendar.law import Festival
from contracts.rules.calendar.models import HolidayDay, HolidayYear
from contracts.rules.calendar.notice import HolidayNoticeInvalid, notice_from_csv, notice_from_json
from contracts.rules.calendar.schedule import ScheduleDayKind, ScheduleSource
from contracts.rules.calendar.services import LoadOutcome, holiday_law_load, holiday_notice_load, holiday_package_load
from contracts.rules.calendar.store import calendar_cache_clear
from contracts.rules.deadlines import day_kind, deadline_after
from contracts.rules.packs import NATIONAL

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat

TITLE = "国务院办公厅关于2027年部分节假日安排的通知"
NUMBER = "国办发明电〔2026〕9号"

# A notice for 2027 as a test would have it (the real one is not yet published): New Year's
# Day alone with Saturday 2 January worked, a nine-day Spring Festival, Labour Day 1–5 May.
NOTICE_CSV = f"""\
# 2027 holiday notice
year,2027
title,{TITLE}
number,{NUMBER}
published_on,2026-11-20
start,end,kind,name
2027-01-01,2027-01-01,holiday,元旦
2027-01-02,2027-01-02,workday,元旦
2027-02-05,2027-02-13,holiday,春节
2027-01-31,2027-01-31,workday,春节
2027-02-20,2027-02-20,workday,春节
2027-04-03,2027-04-05,holiday,清明节
2027-05-01,2027-05-05,holiday,劳动节
2027-04-25,2027-04-25,workday,劳动节
2027-05-08,2027-05-08,workday,劳动节
2027-06-09,2027-06-09,holiday,端午节
2027-09-15,2027-09-15,holiday,中秋节
2027-10-01,2027-10-07,holiday,国庆节
2027-09-26,2027-09-26,workday,国庆节
2027-10-09,2027-10-09,workday,国庆节
"""


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """A notice loaded here is rolled back with the test: no other test may see it cached."""
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def notice_file(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(NOTICE_CSV, encoding="utf-8")
    return path


def load(path) -> str:
    """Run the command in English and return what it printed."""
    from io import StringIO

    out = StringIO()
    with translation.override("en"):
        call_command("load_holidays", "--notice", str(path), stdout=out)
    return out.getvalue()


def as_json(csv_text: str) -> dict:
    lines = [line for line in csv_text.splitlines() if line and not line.startswith("#")]
    meta = dict(line.split(",", 1) for line in lines[:4])
    ranges = [dict(zip(("start", "end", "kind", "name"), line.split(","), strict=True)) for line in lines[5:]]
    return {**meta, "year": int(meta["year"]), "ranges": ranges}


# --- a notice settles a provisional year ----------------------------------------------


def test_after_the_notice_a_request_received_2026_12_12_is_due_on_the_make_up_saturday_not_provisional(
    notice_file,
):
    # given the law alone: due Monday 2027-01-04, provisional
    before = deadline_after(D("2026-12-12"), NATIONAL.reply_days, pack=NATIONAL)
    assert (before.due, before.provisional) == (D("2027-01-04"), True)

    output = load(notice_file)

    after = deadline_after(D("2026-12-12"), NATIONAL.reply_days, pack=NATIONAL)
    assert after.nominal == D("2027-01-01")
    assert after.due == D("2027-01-02")
    assert after.provisional is False
    assert f"{TITLE} ({NUMBER}, 2026-11-20)" in output
    assert "2027: loaded" in output


def test_the_notice_is_stored_with_its_number_and_date_and_each_day_with_its_source(notice_file):
    load(notice_file)

    year = HolidayYear.objects.get(year=2027)
    assert (year.source, year.notice_title, year.notice_number, year.published_on) == (
        ScheduleSource.NOTICE,
        TITLE,
        NUMBER,
        D("2026-11-20"),
    )
    assert year.provisional is False

    def stored(day):
        row = HolidayDay.objects.get(date=D(day))
        return (row.kind, row.festival, row.source)

    # the statutory days are the law's, whatever the notice says; the rest is the notice's
    assert stored("2027-02-05") == (ScheduleDayKind.STATUTORY, Festival.SPRING_FESTIVAL, ScheduleSource.LAW)
    assert stored("2027-02-09") == (ScheduleDayKind.REST, Festival.SPRING_FESTIVAL, ScheduleSource.NOTICE)
    assert stored("2027-01-02") == (ScheduleDayKind.WORKDAY, Festival.NEW_YEAR, ScheduleSource.NOTICE)
    assert year.days.filter(kind=ScheduleDayKind.STATUTORY).count() == 13
    assert year.days.filter(kind=ScheduleDayKind.WORKDAY).count() == 7


def test_the_notice_makes_bridging_days_rest_and_make_up_days_working():
    result = holiday_notice_load(notice=notice_from_csv(NOTICE_CSV))

    # Tuesday 2027-02-09 to Friday 02-12 bridge the Spring Festival; Sunday 01-31 is worked
    assert [day_kind(D(f"2027-02-{n:02}")).working for n in range(9, 13)] == [False] * 4
    assert day_kind(D("2027-01-31")).working is True
    assert day_kind(D("2027-02-15")).working is True
    assert result.outcome == LoadOutcome.CREATED
    assert result.was_provisional is True
    # the days whose status changed are those the deadlines computed before must look at again
    assert D("2027-01-02") in result.changed_days
    assert D("2027-02-09") in result.changed_days
    assert D("2027-02-05") not in result.changed_days  # a holiday by law before and after
    assert D("2027-03-01") not in result.changed_days


def test_a_notice_that_omits_a_statutory_day_still_has_it_by_law():
    text = NOTICE_CSV.replace("2027-04-03,2027-04-05,holiday,清明节\n", "")

    holiday_notice_load(notice=notice_from_csv(text))

    kind = day_kind(D("2027-04-05"))
    assert (kind.working, kind.statutory_holiday, kind.provisional) == (False, True, False)
    assert HolidayDay.objects.get(date=D("2027-04-05")).source == ScheduleSource.LAW


def test_a_json_notice_loads_the_same_days_as_the_csv(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(as_json(NOTICE_CSV), ensure_ascii=False), encoding="utf-8")

    load(path)

    from_json = list(HolidayDay.objects.order_by("date").values_list("date", "kind", "festival", "source"))
    HolidayYear.objects.all().delete()
    holiday_notice_load(notice=notice_from_csv(NOTICE_CSV))
    from_csv = list(HolidayDay.objects.order_by("date").values_list("date", "kind", "festival", "source"))
    assert from_json == from_csv
    assert len(from_json) == 34


# --- loading the same notice twice changes nothing --------------------------------------


def test_loading_the_same_notice_twice_changes_nothing_and_says_so(notice_file):
    load(notice_file)
    year = HolidayYear.objects.get(year=2027)
    rows = list(HolidayDay.objects.order_by("date").values_list("id", "date", "kind", "festival", "source"))

    output = load(notice_file)

    assert "2027: already loaded, nothing changed" in output
    assert HolidayYear.objects.get(year=2027).loaded_at == year.loaded_at
    assert list(HolidayDay.objects.order_by("date").values_list("id", "date", "kind", "festival", "source")) == rows
    assert holiday_notice_load(notice=notice_from_csv(NOTICE_CSV)).changed_days == ()


def test_a_corrected_notice_replaces_the_year_and_names_the_days_that_changed():
    holiday_notice_load(notice=notice_from_csv(NOTICE_CSV))

    corrected = NOTICE_CSV.replace("2027-10-09,2027-10-09,workday,国庆节\n", "")
    result = holiday_notice_load(notice=notice_from_csv(corrected))

    assert result.outcome == LoadOutcome.UPDATED
    assert result.was_provisional is False
    assert result.changed_days == (D("2027-10-09"),)
    assert day_kind(D("2027-10-09")).working is False


def test_the_package_load_keeps_a_year_that_has_a_notice():
    # given a notice for 2026 that (unlike the real one) gives Thursday 2026-10-08 off
    text = "year,2026\ntitle,国务院办公厅关于2026年部分节假日安排的通知\nnumber,国办发明电〔2025〕7号\n"
    text += "published_on,2025-11-04\nstart,end,kind,name\n2026-10-01,2026-10-08,holiday,国庆节\n"
    holiday_notice_load(notice=notice_from_csv(text))

    results = holiday_package_load(years=[2026])

    assert results[0].outcome == LoadOutcome.SKIPPED
    assert HolidayYear.objects.get(year=2026).source == ScheduleSource.NOTICE
    assert day_kind(D("2026-10-08")).working is False


# --- a bad notice file names its line and field, and loads nothing ----------------------


def test_a_bad_line_names_its_line_and_field_and_nothing_is_loaded(tmp_path):
    # line 13 of the file is Labour Day; its end is not a date
    text = NOTICE_CSV.replace("2027-05-01,2027-05-05,holiday", "2027-05-01,2027-05-35,holiday")
    assert text.splitlines()[12].startswith("2027-05-01")
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        load(path)

    assert "line 13, field “end”: “2027-05-35” is not a date (YYYY-MM-DD)" in str(raised.value)
    assert HolidayYear.objects.exists() is False
    assert HolidayDay.objects.exists() is False
    assert deadline_after(D("2026-12-12"), 20, pack=NATIONAL).provisional is True


@pytest.mark.parametrize(
    ("replace", "by", "where", "field", "message"),
    [
        (
            "2027-01-02,workday,元旦",
            "2027-01-02,off,元旦",
            "line 8",
            "kind",
            "“off” is neither “holiday” nor “workday”",
        ),
        ("2027-06-09,holiday,端午节", "2027-06-09,holiday,端阳", "line 16", "name", "“端阳” is not a holiday's name"),
        (
            "2027-01-02,2027-01-02,workday",
            "2027-01-04,2027-01-04,workday",
            "line 8",
            "kind",
            "is not a Saturday or a Sunday",
        ),
        (
            "2027-09-15,2027-09-15,holiday",
            "2027-09-15,2027-09-15,workday",
            "line 17",
            "kind",
            "is a statutory holiday by law",
        ),
        ("2027-10-01,2027-10-07,holiday", "2027-10-07,2027-10-01,holiday", "line 18", "end", "ends before it starts"),
        ("2027-06-09,2027-06-09,holiday", "2027-06-09,2028-06-09,holiday", "line 16", "end", "is not within 2027"),
        ("2027-10-09,2027-10-09,workday", "2027-10-07,2027-10-07,workday", "line 20", "start", "is already in line 18"),
        (f"number,{NUMBER}\n", "", "header", "number", "is missing"),
    ],
)
def test_each_kind_of_bad_line_is_named_and_refused(replace, by, where, field, message):
    assert replace in NOTICE_CSV

    with translation.override("en"), pytest.raises(HolidayNoticeInvalid) as raised:
        notice_from_csv(NOTICE_CSV.replace(replace, by))

    problems = raised.value.extra["problems"]
    assert [(p["where"], p["field"]) for p in problems] == [(where, field)]
    assert message in problems[0]["message"]
    assert raised.value.code == "holiday_notice_invalid"


def test_every_problem_of_a_file_is_listed_at_once():
    text = NOTICE_CSV.replace("2027-01-01,2027-01-01,holiday", "2027-01-01,,holiday").replace(",劳动节", ",")

    with translation.override("en"), pytest.raises(HolidayNoticeInvalid) as raised:
        notice_from_csv(text)

    assert [(p["where"], p["field"]) for p in raised.value.extra["problems"]] == [
        ("line 7", "end"),
        ("line 13", "name"),
        ("line 14", "name"),
        ("line 15", "name"),
    ]


def test_a_json_notice_names_the_range_and_field():
    data = as_json(NOTICE_CSV)
    data["ranges"][2]["start"] = "5 Feb 2027"

    with translation.override("en"), pytest.raises(HolidayNoticeInvalid) as raised:
        notice_from_json(json.dumps(data))

    assert [(p["where"], p["field"]) for p in raised.value.extra["problems"]] == [("range 3", "start")]


def test_a_file_that_is_not_json_is_refused_with_its_line():
    with translation.override("en"), pytest.raises(HolidayNoticeInvalid) as raised:
        notice_from_json('{"year": 2027,\n "title": }')

    assert raised.value.extra["problems"][0]["where"] == "line 2"


def test_writing_the_law_alone_never_replaces_a_loaded_notice():
    holiday_notice_load(notice=notice_from_csv(NOTICE_CSV))

    result = holiday_law_load(year=2027)

    assert result.outcome == LoadOutcome.SKIPPED
    assert HolidayYear.objects.get(year=2027).source == ScheduleSource.NOTICE
    assert day_kind(D("2027-01-02")).working is True
