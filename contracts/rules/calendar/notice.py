"""A State Council holiday notice as a small file: its title, number and date, and one line
per range of days off or make-up working days. JSON or CSV (see the README):

JSON::

    {"year": 2027, "title": "国务院办公厅关于2027年部分节假日安排的通知",
     "number": "国办发明电〔2026〕1号", "published_on": "2026-11-20",
     "ranges": [
       {"start": "2027-01-01", "end": "2027-01-03", "kind": "holiday", "name": "元旦"},
       {"start": "2027-02-20", "end": "2027-02-20", "kind": "workday", "name": "春节"}
     ]}

CSV (UTF-8): ``key,value`` lines for year, title, number and published_on, then the header
``start,end,kind,name`` and one line per range. Blank lines and lines starting with ``#``
are skipped.

Parsing is all-or-nothing: every problem is collected, named by its line (CSV) or its range
(JSON, counted from 1) and field, and the file is refused as a whole.
"""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from config.errors import InvalidInput
from contracts.rules.calendar.law import Festival, statutory_days
from contracts.rules.calendar.schedule import ScheduleDayKind

KINDS = {
    "holiday": ScheduleDayKind.REST,
    "rest": ScheduleDayKind.REST,
    "放假": ScheduleDayKind.REST,
    "休": ScheduleDayKind.REST,
    "workday": ScheduleDayKind.WORKDAY,
    "上班": ScheduleDayKind.WORKDAY,
    "班": ScheduleDayKind.WORKDAY,
}
NAMES = {
    **{festival.value: festival for festival in Festival},
    "元旦": Festival.NEW_YEAR,
    "春节": Festival.SPRING_FESTIVAL,
    "清明节": Festival.QINGMING,
    "清明": Festival.QINGMING,
    "劳动节": Festival.LABOUR_DAY,
    "端午节": Festival.DRAGON_BOAT,
    "端午": Festival.DRAGON_BOAT,
    "中秋节": Festival.MID_AUTUMN,
    "中秋": Festival.MID_AUTUMN,
    "国庆节": Festival.NATIONAL_DAY,
    "国庆": Festival.NATIONAL_DAY,
    "其他": Festival.OTHER,
}
RANGE_FIELDS = ("start", "end", "kind", "name")
NOTICE_FIELDS = ("year", "title", "number", "published_on")


class HolidayNoticeInvalid(InvalidInput):
    """A notice file that cannot be loaded; ``extra["problems"]`` lists each line and field."""

    code = "holiday_notice_invalid"


@dataclass(frozen=True)
class NoticeRange:
    where: str  # "line 7" or "range 3", as the problems name it
    start: dt.date
    end: dt.date
    kind: str  # ScheduleDayKind.REST or WORKDAY
    festival: str


@dataclass(frozen=True)
class Notice:
    year: int
    title: str
    number: str
    published_on: dt.date
    ranges: tuple[NoticeRange, ...]


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, where: str, field: str, message: str) -> None:
        self.items.append({"where": where, "field": field, "message": message})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        lines = [_("%(where)s, field “%(field)s”: %(message)s") % item for item in self.items]
        raise HolidayNoticeInvalid(
            _("The notice file was not loaded: %(problems)s") % {"problems": "; ".join(lines)},
            extra={"problems": self.items},
        )


def _date(value: Any, where: str, field: str, problems: _Problems) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.add(where, field, _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": value})
        return None


def _range(raw: dict[str, Any], where: str, problems: _Problems) -> NoticeRange | None:
    missing = [name for name in RANGE_FIELDS if not str(raw.get(name) or "").strip()]
    for name in missing:
        problems.add(where, name, _("is missing"))
    if missing:
        return None
    start = _date(raw["start"], where, "start", problems)
    end = _date(raw["end"], where, "end", problems)
    kind = KINDS.get(str(raw["kind"]).strip().lower())
    if kind is None:
        problems.add(where, "kind", _("“%(value)s” is neither “holiday” nor “workday”") % {"value": raw["kind"]})
    festival = NAMES.get(str(raw["name"]).strip())
    if festival is None:
        problems.add(where, "name", _("“%(value)s” is not a holiday's name") % {"value": raw["name"]})
    if start is None or end is None or kind is None or festival is None:
        return None
    if end < start:
        problems.add(where, "end", _("ends before it starts"))
        return None
    return NoticeRange(where, start, end, kind, festival)


def _check(notice: Notice, problems: _Problems) -> None:
    """The ranges against the year, each other and the law."""
    law = statutory_days(notice.year)
    seen: dict[dt.date, str] = {}
    for entry in notice.ranges:
        if entry.start.year != notice.year or entry.end.year != notice.year:
            field = "start" if entry.start.year != notice.year else "end"
            problems.add(entry.where, field, _("the range is not within %(year)s") % {"year": notice.year})
            continue
        day = entry.start
        while day <= entry.end:
            if day in seen:
                problems.add(
                    entry.where, "start", _("%(day)s is already in %(other)s") % {"day": day, "other": seen[day]}
                )
                break
            seen[day] = entry.where
            if entry.kind == ScheduleDayKind.WORKDAY:
                if day in law:
                    problems.add(entry.where, "kind", _("%(day)s is a statutory holiday by law") % {"day": day})
                    break
                if day.weekday() < 5:
                    problems.add(entry.where, "kind", _("%(day)s is not a Saturday or a Sunday") % {"day": day})
                    break
            day += dt.timedelta(days=1)


def _notice(meta: dict[str, Any], meta_where: dict[str, str], ranges: list[NoticeRange], problems: _Problems):
    for name in NOTICE_FIELDS:
        if not str(meta.get(name) or "").strip():
            problems.add(meta_where.get(name, _("header")), name, _("is missing"))
    year: int | None = None
    if str(meta.get("year") or "").strip():
        try:
            year = int(str(meta["year"]).strip())
        except ValueError:
            problems.add(meta_where.get("year", _("header")), "year", _("is not a year"))
    published_on = None
    if str(meta.get("published_on") or "").strip():
        published_on = _date(
            meta["published_on"], meta_where.get("published_on", _("header")), "published_on", problems
        )
    if not ranges and not problems.items:
        problems.add(_("file"), "ranges", _("no range of days is listed"))
    problems.raise_if_any()
    assert year is not None and published_on is not None
    notice = Notice(
        year=year,
        title=str(meta["title"]).strip(),
        number=str(meta["number"]).strip(),
        published_on=published_on,
        ranges=tuple(ranges),
    )
    _check(notice, problems)
    problems.raise_if_any()
    return notice


def notice_from_json(text: str) -> Notice:
    problems = _Problems()
    data: Any = None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(
            _("line %(line)s") % {"line": error.lineno}, "-", _("not valid JSON (%(error)s)") % {"error": error.msg}
        )
        problems.raise_if_any()
    if not isinstance(data, dict) or not isinstance(data.get("ranges"), list):
        problems.add(_("file"), "ranges", _("a JSON object with a list “ranges” is expected"))
        problems.raise_if_any()
    ranges = []
    for number, raw in enumerate(data["ranges"], 1):
        where = _("range %(number)s") % {"number": number}
        if not isinstance(raw, dict):
            problems.add(where, "-", _("is not an object"))
            continue
        if (entry := _range(raw, where, problems)) is not None:
            ranges.append(entry)
    return _notice(data, {}, ranges, problems)


def notice_from_csv(text: str) -> Notice:
    problems = _Problems()
    meta: dict[str, str] = {}
    meta_where: dict[str, str] = {}
    ranges = []
    header: list[str] | None = None
    for line_number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        where = _("line %(line)s") % {"line": line_number}
        if header is None:
            if cells[0].lower() == "start":
                header = [cell.lower() for cell in cells]
                for name in RANGE_FIELDS:
                    if name not in header:
                        problems.add(where, name, _("the column is missing"))
                continue
            if cells[0] not in NOTICE_FIELDS:
                problems.add(
                    where,
                    cells[0],
                    _("unknown field (expected one of: %(fields)s)") % {"fields": ", ".join(NOTICE_FIELDS)},
                )
                continue
            meta[cells[0]] = cells[1] if len(cells) > 1 else ""
            meta_where[cells[0]] = where
            continue
        if (entry := _range(dict(zip(header, cells, strict=False)), where, problems)) is not None:
            ranges.append(entry)
    if header is None:
        problems.add(_("file"), "start", _("no header line “start,end,kind,name”"))
    return _notice(meta, meta_where, ranges, problems)


def notice_read(path: Path) -> Notice:
    """A notice file, JSON or CSV by its extension."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return notice_from_json(text)
    return notice_from_csv(text)
