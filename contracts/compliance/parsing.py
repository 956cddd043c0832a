"""Reading a payroll file (SPEC §3) into the canonical frame, or listing every problem.

``parse_payroll`` accepts CSV (UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, GB18030)
and spreadsheets (XLSX, XLS, ODS through python-calamine). The file is all or
nothing: any problem and the result has no frame, only the problems (row as the
user sees it in a spreadsheet: the header is row 1), capped at ``max_problems``
with the total in ``problem_count``. Column names, dtypes and units are those of
``columns.py``.

The hot path is column-wise: pyarrow reads every CSV column as text, and each
column is converted with pyarrow.compute kernels (one cheap regular expression
and one cast for a column whose cells are all plain numbers; a fuller pass only
for the cells that are not). Dates and months are parsed once per distinct
value. Python loops run over columns, over distinct values and over the
(capped) problem rows only.
"""

import codecs
import contextlib
import csv
import datetime as dt
import gc
import io
import os
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.utils.translation import gettext_lazy as _

from contracts.compliance import columns as C

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")

# Problem codes, each with the reason shown to people (``code`` stays stable).
MISSING_COLUMN = "missing_column"
DUPLICATE_COLUMN = "duplicate_column"
MISSING_VALUE = "missing_value"
NOT_A_NUMBER = "not_a_number"
NOT_A_DATE = "not_a_date"
NOT_A_MONTH = "not_a_month"
NEGATIVE = "negative"
TOO_MANY_DECIMALS = "too_many_decimals"
TOO_LARGE = "too_large"
UNKNOWN_GENDER = "unknown_gender"
DUPLICATE_ROW = "duplicate_row"
MALFORMED_ROW = "malformed_row"
UNREADABLE_FILE = "unreadable_file"
NO_ROWS = "no_rows"

REASONS = {
    MISSING_COLUMN: _("The required column is missing."),
    DUPLICATE_COLUMN: _("Two columns have this meaning; keep one."),
    MISSING_VALUE: _("This value is required."),
    NOT_A_NUMBER: _("Not a number."),
    NOT_A_DATE: _("Not a date (write 2026-03-05, 2026/3/5 or 2026年3月5日)."),
    NOT_A_MONTH: _("Not a month (write 2026-03, 2026/03, 202603 or 2026年3月)."),
    NEGATIVE: _("Must not be negative."),
    TOO_MANY_DECIMALS: _("At most two decimal places."),
    TOO_LARGE: _("Number too large."),
    UNKNOWN_GENDER: _("Write 男 or 女 (M or F)."),
    DUPLICATE_ROW: _("The same employee and month appear more than once (rows %(rows)s)."),
    MALFORMED_ROW: _("This row does not have as many cells as the header."),
    UNREADABLE_FILE: _("The file cannot be read as CSV or as a spreadsheet."),
    NO_ROWS: _("The file has a header but no payroll rows."),
}
# Per-cell codes live in int8 arrays; 0 means the cell is fine.
_CELL_CODES = (None, NOT_A_NUMBER, NOT_A_DATE, NOT_A_MONTH, NEGATIVE, TOO_MANY_DECIMALS, TOO_LARGE, UNKNOWN_GENDER)
_CODE = {code: index for index, code in enumerate(_CELL_CODES) if code}
_MISSING = -1  # a required cell left blank
_DUPLICATE = 100  # a repeated (employee_id, period)

_GENDERS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F", "f": "F", "female": "F"}

# A spreadsheet number is taken as whole fen (hundredths) when it lies within this
# distance of one: binary floating point cannot hold 537.93 exactly.
XLSX_TOLERANCE_ABS = 1e-6
XLSX_TOLERANCE_REL = 1e-12
# 13 integer digits keep value × 100 exact in a float64 and in int64.
_MAX_NUMBER = 1e13
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_WORKERS = min(4, os.cpu_count() or 1)
_HEAD = 1 << 16


@dataclass
class ParseResult:
    frame: pd.DataFrame | None
    problems: list[dict] = field(default_factory=list)
    problem_count: int = 0
    row_count: int = 0
    encoding: str | None = None  # "utf-8", "utf-8-sig", "utf-16", "gb18030" or "spreadsheet"
    periods: list[str] = field(default_factory=list)  # sorted "YYYY-MM"

    @property
    def accepted(self) -> bool:
        return self.frame is not None


def header_key(text: object) -> str:
    """A header as compared: NFKC, case-folded, no spaces/underscores, no trailing unit in brackets."""
    key = unicodedata.normalize("NFKC", str(text)).strip().casefold()
    key = re.sub(r"\s*\([^)]*\)$", "", key)
    return re.sub(r"[\s_\-]+", "", key)


HEADER_INDEX = {header_key(h): f.name for f in C.FIELDS for h in (f.name, *f.headers)}


def parse_payroll(source: bytes | str | Path, *, filename: str, max_problems: int = 200) -> ParseResult:
    """The canonical payroll frame of a CSV or spreadsheet file, or every problem that rejects it.

    ``source`` is the file's content (bytes) or its path (str or Path);
    ``filename`` (as uploaded) decides between CSV and spreadsheet.
    """
    path = None if isinstance(source, bytes | bytearray | memoryview) else Path(source)
    data = path.read_bytes() if path is not None else bytes(source)
    suffix = Path(filename).suffix.casefold()
    spreadsheet = suffix in SPREADSHEET_SUFFIXES or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
    # A spreadsheet arrives as millions of small Python objects, none in a reference
    # cycle: the cyclic garbage collector would only walk them again and again.
    with _gc_paused() if spreadsheet else contextlib.nullcontext():
        table = _read_spreadsheet(data, path) if spreadsheet else _read_csv(data)
        if table.fatal:
            return ParseResult(
                frame=None, problems=table.fatal[:max_problems], problem_count=len(table.fatal), encoding=table.encoding
            )
        return _build(table, max_problems=max_problems)


@contextlib.contextmanager
def _gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- reading --------------------------------------------------------------------


@dataclass
class _Table:
    encoding: str | None
    headers: list[str] = field(default_factory=list)  # as written, by position
    columns: dict[int, object] = field(default_factory=dict)  # position -> pa.ChunkedArray (CSV) or object ndarray
    first_row: int = 2  # spreadsheet row number of the first data row
    length: int = 0
    mapping: dict[str, int] = field(default_factory=dict)  # canonical name -> position
    fatal: list[dict] = field(default_factory=list)


def _problem(row: int | None, column: str, value: object, code: str, **params: object) -> dict:
    reason = str(REASONS[code]) % params if params else str(REASONS[code])
    return {"row": row, "column": column, "value": "" if value is None else str(value), "reason": reason, "code": code}


def _detect_encoding(data: bytes) -> str:
    """BOM first; else strict UTF-8 on the head of the file (the rest is checked by pyarrow), else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:  # not final: a character cut by the 64 kB boundary is fine
        codecs.getincrementaldecoder("utf-8")("strict").decode(data[:_HEAD])
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _read_csv(data: bytes) -> _Table:
    encoding = _detect_encoding(data)
    table = _Table(encoding=encoding)
    text_head = data[:_HEAD].decode(encoding, errors="replace")
    header = next(csv.reader(io.StringIO(text_head)), None)
    if not header or not any(cell.strip() for cell in header):
        table.fatal.append(_problem(1, "", "", UNREADABLE_FILE))
        return table
    table.headers = header
    wanted = _map_headers(table)
    if table.fatal:
        return table
    names = [f"c{i}" for i in range(len(header))]
    buffer = pa.py_buffer(data)
    if encoding == "utf-8-sig":
        buffer = buffer.slice(3)
    convert_options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        include_columns=[names[i] for i in wanted] or names[:1],
        strings_can_be_null=False,
    )
    while True:
        read_options = pacsv.ReadOptions(
            column_names=names, skip_rows=1, encoding="utf8" if encoding.startswith("utf-8") else encoding
        )
        try:
            arrow = pacsv.read_csv(
                pa.BufferReader(buffer),
                read_options=read_options,
                parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
                convert_options=convert_options,
            )
            break
        except pa.ArrowInvalid as error:
            # pyarrow checks every text cell is UTF-8; past the head, GB18030 shows here.
            if encoding == "utf-8" and "utf8" in str(error).casefold().replace("-", ""):
                encoding = table.encoding = "gb18030"
                continue
            table.fatal.extend(_malformed_rows(data, encoding, len(header)))
            return table
        except UnicodeDecodeError:
            table.fatal.extend(_malformed_rows(data, encoding, len(header)))
            return table
    table.length = arrow.num_rows
    table.columns = {i: arrow.column(names[i]) for i in wanted}
    return table


def _malformed_rows(data: bytes, encoding: str, width: int) -> list[dict]:
    """The rows pyarrow refused; only for a rejected file, so a plain loop is fine."""
    problems = []
    try:
        reader = csv.reader(io.StringIO(data.decode(encoding)))
        for number, row in enumerate(reader, start=1):
            if row and len(row) != width:
                problems.append(_problem(number, "", ",".join(row)[:200], MALFORMED_ROW))
    except (UnicodeDecodeError, csv.Error):
        pass
    return problems or [_problem(None, "", "", UNREADABLE_FILE)]


def _read_spreadsheet(data: bytes, path: Path | None) -> _Table:
    from python_calamine import CalamineWorkbook

    table = _Table(encoding="spreadsheet")
    try:
        workbook = CalamineWorkbook.from_path(str(path)) if path else CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine raises several error types for a damaged file
        table.fatal.append(_problem(None, "", "", UNREADABLE_FILE))
        return table
    start = next((i for i, row in enumerate(rows) if any(cell not in ("", None) for cell in row)), None)
    if start is None:
        table.fatal.append(_problem(1, "", "", UNREADABLE_FILE))
        return table
    table.headers = ["" if cell is None else str(cell) for cell in rows[start]]
    table.first_row = start + 2
    wanted = _map_headers(table)
    if table.fatal:
        return table
    body = rows[start + 1 :]
    table.length = len(body)
    if body:
        columns = list(zip(*body, strict=True))
        table.columns = {i: columns[i] for i in wanted}
    else:
        table.columns = dict.fromkeys(wanted, ())
    return table


def _map_headers(table: _Table) -> list[int]:
    """Positions of the recognised columns; a duplicated meaning is fatal."""
    seen: dict[str, int] = {}
    for position, header in enumerate(table.headers):
        name = HEADER_INDEX.get(header_key(header))
        if name is None:
            continue
        if name in seen:
            table.fatal.append(_problem(1, header, header, DUPLICATE_COLUMN))
        seen[name] = position
    table.mapping = seen
    return sorted(seen.values())


# --- converting one column -------------------------------------------------------


@dataclass
class _Converted:
    values: object  # np.ndarray, or pa.ChunkedArray for text
    null: np.ndarray
    code: np.ndarray  # int8, 0 where fine


def _trim(strings: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(strings)


def _np(array: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return array.to_numpy(zero_copy_only=False)


_PLAIN_NUMBER = r"^\d{1,13}(\.\d{0,2})?$"


def _strings_fixed2(strings: pa.ChunkedArray) -> _Converted:
    """Decimal text with at most two places -> int64 hundredths (fen for money).

    Three stages, each on what the previous one left: plain numbers (one regular
    expression and one cast), then the same without thousands separators, then
    the full treatment (spaces, ¥, signs, every reason a cell is refused).
    """
    n = len(strings)
    values = np.zeros(n, np.int64)
    null = np.zeros(n, bool)
    code = np.zeros(n, np.int8)
    plain = pc.match_substring_regex(strings, _PLAIN_NUMBER)
    if pc.all(plain).as_py() is not False:  # True, or None for an empty column
        values[:] = np.rint(_np(pc.cast(strings, pa.float64())) * 100)
        return _Converted(values, null, code)
    plain_np = _np(plain)
    if plain_np.any():
        values[plain_np] = np.rint(_np(pc.cast(pc.filter(strings, plain), pa.float64())) * 100)
    rest_at = np.flatnonzero(~plain_np)
    rest = pc.replace_substring(pc.take(strings, pa.array(rest_at)).combine_chunks(), ",", "")
    separated = _np(pc.match_substring_regex(rest, _PLAIN_NUMBER))
    if separated.any():
        values[rest_at[separated]] = np.rint(_np(pc.cast(pc.filter(rest, pa.array(separated)), pa.float64())) * 100)
    if separated.all():
        return _Converted(values, null, code)
    rest_at, rest = rest_at[~separated], pc.filter(rest, pa.array(~separated))
    rest = pc.replace_substring_regex(_trim(rest), r"[，¥￥\s]|元$|^CNY|^RMB", "")
    empty = _np(pc.equal(rest, ""))
    number = _np(pc.match_substring_regex(rest, r"^[+-]?(\d+(\.\d*)?|\.\d+)$"))
    precise = _np(pc.match_substring_regex(rest, r"\.\d{2}\d*[1-9]"))
    large = _np(pc.match_substring_regex(rest, r"^[+-]?0*\d{14}"))
    ok = number & ~precise & ~large
    fen = np.rint(_np(pc.cast(pc.if_else(pa.array(ok), rest, "0"), pa.float64())) * 100).astype(np.int64)
    sub = np.zeros(len(rest_at), np.int8)
    sub[~number & ~empty] = _CODE[NOT_A_NUMBER]
    sub[number & precise] = _CODE[TOO_MANY_DECIMALS]
    sub[number & ~precise & large] = _CODE[TOO_LARGE]
    sub[ok & (fen < 0)] = _CODE[NEGATIVE]
    values[rest_at], null[rest_at], code[rest_at] = fen, empty, sub
    return _Converted(values, null, code)


_DATE_PATTERNS = (
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?)?$",  # a time of day (often 00:00:00) is ignored
    r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$",
)
_MONTH_PATTERNS = (r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?$", r"^(?P<y>\d{4})(?P<m>\d{2})$")


def _extract(distinct: pa.Array, patterns: tuple[str, ...], names: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(matched, {group: int64 values}) of each distinct text against the first pattern it matches."""
    matched = np.zeros(len(distinct), bool)
    parts = {name: np.zeros(len(distinct), np.int64) for name in names}
    for pattern in patterns:
        found = pc.extract_regex(distinct, pattern)
        hit = _np(pc.is_valid(found)) & ~matched
        if hit.any():
            for name in names:
                group = pc.fill_null(pc.struct_field(found, name), "0")
                parts[name][hit] = _np(pc.cast(group, pa.int64()))[hit]
            matched |= hit
    return matched, parts


def _dates_from_parts(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(datetime64[D] values, valid) for year/month/day arrays; 2026-02-30 is not valid."""
    valid = (y >= 1900) & (y <= 2999) & (m >= 1) & (m <= 12) & (d >= 1)
    month = np.where(valid, (y - 1970) * 12 + m - 1, 0).astype("datetime64[M]")
    days_in_month = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(np.int64)
    valid &= d <= days_in_month
    days = month.astype("datetime64[D]") + np.where(valid, d - 1, 0).astype("timedelta64[D]")
    return days, valid


def _parse_distinct_dates(distinct: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    matched, parts = _extract(distinct, _DATE_PATTERNS, "ymd")
    days, valid = _dates_from_parts(parts["y"], parts["m"], parts["d"])
    return days.astype(C.DATE_DTYPE), matched & valid


def _parse_distinct_months(distinct: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    matched, parts = _extract(distinct, _MONTH_PATTERNS, "ym")
    y, m = parts["y"], parts["m"]
    valid = matched & (m >= 1) & (m <= 12) & (y >= 1900) & (y <= 2999)
    return np.where(valid, y * 100 + m, 0).astype(C.PERIOD_DTYPE), valid


def _strings_by_distinct(strings: pa.ChunkedArray, parse_distinct, bad_code: str) -> _Converted:
    """Parse each distinct value once (payroll dates and months repeat a lot)."""
    n = len(strings)
    if parse_distinct is _parse_distinct_dates:
        try:  # the ISO fast path: one cast, which refuses anything but YYYY-MM-DD (and 2026-02-30)
            days = _np(pc.cast(strings, pa.date32())).astype(C.DATE_DTYPE)
            return _Converted(days, np.zeros(n, bool), np.zeros(n, np.int8))
        except pa.ArrowInvalid:
            pass
    distinct = _trim(pc.unique(strings))
    index = _np(pc.index_in(strings, value_set=pc.unique(strings)))
    values, valid = parse_distinct(distinct)
    empty = _np(pc.equal(distinct, ""))
    code = np.where(~valid & ~empty, _CODE[bad_code], 0).astype(np.int8)
    return _Converted(values[index], empty[index], code[index])


def _strings_text(strings: pa.ChunkedArray) -> _Converted:
    trimmed = _trim(strings)
    null = pc.equal(trimmed, "")
    values = pc.if_else(null, pa.scalar(None, pa.string()), trimmed)
    return _Converted(values, _np(null), np.zeros(len(strings), np.int8))


def _strings_gender(strings: pa.ChunkedArray) -> _Converted:
    distinct = pc.unique(strings)
    index = pc.index_in(strings, value_set=distinct)
    texts = [text.strip() for text in distinct.to_pylist()]
    mapped = pa.array([_GENDERS.get(text.casefold()) for text in texts], pa.string())
    empty = np.array([not text for text in texts], bool)
    unknown = np.array([bool(text) and text.casefold() not in _GENDERS for text in texts], bool)
    index_np = _np(index)
    code = np.where(unknown[index_np], _CODE[UNKNOWN_GENDER], 0).astype(np.int8)
    return _Converted(pc.take(mapped, index), empty[index_np], code)


def _convert_strings(kind: str, strings: pa.ChunkedArray) -> _Converted:
    if kind in (C.MONEY, C.HUNDREDTHS):
        return _strings_fixed2(strings)
    if kind == C.DATE:
        return _strings_by_distinct(strings, _parse_distinct_dates, NOT_A_DATE)
    if kind == C.MONTH:
        return _strings_by_distinct(strings, _parse_distinct_months, NOT_A_MONTH)
    if kind == C.GENDER_KIND:
        return _strings_gender(strings)
    return _strings_text(strings)


_NUMERIC_KINDS = (C.MONEY, C.HUNDREDTHS, C.DATE, C.MONTH)


def _convert_cells(kind: str, cells: tuple) -> _Converted:
    """A spreadsheet column: a typed column converts at once; a mixed one by type group."""
    try:
        typed = pa.array(cells)  # one inferred type for a homogeneous column
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        typed = None
    if typed is not None:
        kind_of = typed.type
        if pa.types.is_string(kind_of):
            return _convert_strings(kind, pa.chunked_array([typed]))
        if (pa.types.is_floating(kind_of) or pa.types.is_integer(kind_of)) and kind in _NUMERIC_KINDS:
            return _convert_numbers(kind, _np(typed).astype(np.float64))
        if (pa.types.is_date(kind_of) or pa.types.is_timestamp(kind_of)) and kind in (C.DATE, C.MONTH):
            return _convert_days(kind, _np(pc.cast(typed, pa.date32())).astype("datetime64[D]"))
    return _convert_mixed(kind, np.array(cells, dtype=object))


def _convert_numbers(kind: str, numbers: np.ndarray) -> _Converted:
    if kind == C.DATE:
        return _serials_to_dates(numbers)
    if kind == C.MONTH:
        return _numbers_to_months(numbers)
    return _numbers_fixed2(numbers)


def _convert_days(kind: str, days: np.ndarray) -> _Converted:
    n = len(days)
    if kind == C.DATE:
        return _Converted(days.astype(C.DATE_DTYPE), np.zeros(n, bool), np.zeros(n, np.int8))
    months = days.astype("datetime64[M]").astype(np.int64)
    values = ((1970 + months // 12) * 100 + months % 12 + 1).astype(C.PERIOD_DTYPE)
    return _Converted(values, np.zeros(n, bool), np.zeros(n, np.int8))


def _convert_mixed(kind: str, cells: np.ndarray) -> _Converted:
    n = len(cells)
    # Element-wise comparisons of a numpy array of types, not one type comparison.
    types = np.fromiter(map(type, cells), dtype=object, count=n)
    is_str = types == str  # noqa: E721
    is_num = (types == float) | (types == int)  # noqa: E721
    is_date = (types == dt.date) | (types == dt.datetime)
    is_empty = types == type(None)  # noqa: E721
    if kind in (C.TEXT, C.GENDER_KIND):
        values = np.full(n, "", dtype=object)
        values[is_str] = cells[is_str]
        other = ~is_str & ~is_empty
        values[other] = [_cell_text(cell) for cell in cells[other]]
        return _convert_strings(kind, pa.chunked_array([pa.array(values, pa.string())]))
    strings = _convert_strings(kind, pa.chunked_array([pa.array(cells[is_str], pa.string())]))
    dtype = {C.DATE: C.DATE_DTYPE, C.MONTH: C.PERIOD_DTYPE}.get(kind, np.int64)
    values = np.zeros(n, dtype=dtype)
    null = is_empty.copy()
    code = np.zeros(n, np.int8)
    values[is_str], null[is_str], code[is_str] = strings.values, strings.null, strings.code
    if is_num.any():
        converted = _convert_numbers(kind, cells[is_num].astype(np.float64))
        values[is_num], code[is_num] = converted.values, converted.code
    if is_date.any():
        if kind in (C.DATE, C.MONTH):
            ordinals = np.fromiter(map(dt.date.toordinal, cells[is_date]), np.int64, int(is_date.sum()))
            days = (ordinals - dt.date(1970, 1, 1).toordinal()).astype("datetime64[D]")
            values[is_date] = _convert_days(kind, days).values
        else:
            code[is_date] = _CODE[NOT_A_NUMBER]
    code[~(is_str | is_num | is_date | is_empty)] = _CODE[NOT_A_DATE if kind == C.DATE else NOT_A_NUMBER]
    return _Converted(values, null, code)


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _numbers_fixed2(numbers: np.ndarray) -> _Converted:
    scaled = numbers * 100
    whole = np.rint(scaled)
    n = len(numbers)
    code = np.zeros(n, np.int8)
    finite = np.isfinite(scaled)
    code[~finite | (np.abs(numbers) >= _MAX_NUMBER)] = _CODE[TOO_LARGE]
    off = np.abs(scaled - whole) > np.maximum(XLSX_TOLERANCE_ABS, np.abs(scaled) * XLSX_TOLERANCE_REL)
    code[(code == 0) & off] = _CODE[TOO_MANY_DECIMALS]
    values = np.where(code == 0, whole, 0).astype(np.int64)
    code[(code == 0) & (values < 0)] = _CODE[NEGATIVE]
    return _Converted(values, np.zeros(n, bool), code)


def _serials_to_dates(numbers: np.ndarray) -> _Converted:
    ok = np.isfinite(numbers) & (numbers >= 1) & (numbers < 2958466)
    days = np.floor(np.where(ok, numbers, 1)).astype(np.int64)
    values = (_EXCEL_EPOCH + days.astype("timedelta64[D]")).astype(C.DATE_DTYPE)
    return _Converted(values, np.zeros(len(numbers), bool), np.where(ok, 0, _CODE[NOT_A_DATE]).astype(np.int8))


def _numbers_to_months(numbers: np.ndarray) -> _Converted:
    whole = np.isfinite(numbers) & (numbers == np.floor(numbers)) & (numbers >= 0) & (numbers < 1e9)
    as_int = np.where(whole, numbers, 0).astype(np.int64)
    y, m = as_int // 100, as_int % 100
    valid = whole & (y >= 1900) & (y <= 2999) & (m >= 1) & (m <= 12)
    values = np.where(valid, as_int, 0).astype(C.PERIOD_DTYPE)
    return _Converted(values, np.zeros(len(numbers), bool), np.where(valid, 0, _CODE[NOT_A_MONTH]).astype(np.int8))


def _convert(kind: str, raw: object) -> _Converted:
    if isinstance(raw, pa.ChunkedArray):
        return _convert_strings(kind, raw)
    return _convert_cells(kind, raw)


# --- the whole file ----------------------------------------------------------------


def _build(table: _Table, *, max_problems: int) -> ParseResult:
    mapping = table.mapping
    fatal = [_problem(1, name, "", MISSING_COLUMN) for name in C.REQUIRED_COLUMNS if name not in mapping]
    names = list(mapping)
    with ThreadPoolExecutor(_WORKERS) as pool:
        converted = dict(
            zip(
                names,
                pool.map(lambda name: _convert(C.FIELDS_BY_NAME[name].kind, table.columns[mapping[name]]), names),
                strict=True,
            )
        )
    n = table.length
    row_numbers = np.arange(table.first_row, table.first_row + n)
    blank = np.ones(n, bool)
    for result in converted.values():
        blank &= result.null
    for name in C.REQUIRED_COLUMNS:
        if name in converted:
            result = converted[name]
            result.code[result.null & ~blank] = _MISSING
    duplicate_rows, duplicate_keys = _duplicates(converted, blank)

    # Gather every problem, sorted by row then column position.
    found_rows, found_cols, found_codes = [], [], []
    for name, result in converted.items():
        at = np.flatnonzero(result.code)
        found_rows.append(at)
        found_cols.append(np.full(len(at), mapping[name]))
        found_codes.append(result.code[at])
    if len(duplicate_rows):
        found_rows.append(duplicate_rows)
        found_cols.append(np.full(len(duplicate_rows), mapping[C.EMPLOYEE_ID]))
        found_codes.append(np.full(len(duplicate_rows), _DUPLICATE, np.int16))
    rows = np.concatenate(found_rows) if found_rows else np.empty(0, np.int64)
    cols = np.concatenate(found_cols) if found_cols else np.empty(0, np.int64)
    codes = np.concatenate([c.astype(np.int16) for c in found_codes]) if found_codes else np.empty(0, np.int16)
    if not fatal and not len(rows) and blank.all():
        fatal.append(_problem(table.first_row, "", "", NO_ROWS))
    total = len(fatal) + len(rows)
    if total:
        order = np.lexsort((cols, rows))[: max(0, max_problems - len(fatal))]
        same_key = _same_key_rows(duplicate_rows, duplicate_keys, row_numbers)
        problems = fatal + [
            _cell_problem(table, mapping, int(rows[i]), int(cols[i]), int(codes[i]), row_numbers, same_key)
            for i in order
        ]
        return ParseResult(
            frame=None, problems=problems, problem_count=total, row_count=int((~blank).sum()), encoding=table.encoding
        )

    frame = _frame(converted, keep=None if not blank.any() else ~blank)
    periods = np.unique(frame[C.PERIOD].to_numpy())
    return ParseResult(
        frame=frame,
        row_count=len(frame),
        encoding=table.encoding,
        periods=[f"{p // 100:04d}-{p % 100:02d}" for p in periods.tolist()],
    )


def _duplicates(converted: dict[str, _Converted], blank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions, keys): every row whose (employee_id, period) occurs more than once, and that pair as a number."""
    if C.EMPLOYEE_ID not in converted or C.PERIOD not in converted:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ids, periods = converted[C.EMPLOYEE_ID], converted[C.PERIOD]
    usable = ~ids.null & ~periods.null & (periods.code == 0) & ~blank
    values = ids.values.combine_chunks() if isinstance(ids.values, pa.ChunkedArray) else ids.values
    codes = _np(pc.fill_null(pc.dictionary_encode(values).indices, 0)).astype(np.int64)
    period = np.asarray(periods.values, np.int64)
    month = (period // 100) * 12 + period % 100
    first = int(month[usable].min()) if usable.any() else 0
    span = int(month[usable].max()) - first + 1 if usable.any() else 1
    key = codes * span + np.where(usable, month - first, 0)
    if (int(codes.max(initial=0)) + 1) * span <= 4 * len(key) + 1024:
        # Few months per employee: count every (employee, month) cell directly.
        counts = np.bincount(key[usable], minlength=(int(codes.max(initial=0)) + 1) * span)
        at = np.flatnonzero(usable & (counts[key] > 1))
        return at, key[at]
    order = np.argsort(np.where(usable, key, -1 - np.arange(len(key))), kind="stable")
    ordered = key[order]
    same = (ordered[1:] == ordered[:-1]) & usable[order][1:] & usable[order][:-1]
    repeated = np.zeros(len(key), bool)
    repeated[order[1:][same]] = True
    repeated[order[:-1][same]] = True
    at = np.flatnonzero(repeated)
    return at, key[at]


def _raw_value(table: _Table, position: int, row: int) -> object:
    column = table.columns[position]
    if isinstance(column, pa.ChunkedArray):
        return column[row].as_py()
    return _cell_text(column[row])


def _same_key_rows(rows: np.ndarray, keys: np.ndarray, row_numbers: np.ndarray):
    """A function: position of a duplicated row -> the row numbers sharing its key, as text."""
    order = np.argsort(keys, kind="stable")
    sorted_keys, sorted_rows = keys[order], rows[order]
    key_of = dict(zip(rows.tolist(), keys.tolist(), strict=True)) if len(rows) <= 10_000 else None

    def shown(row: int) -> str:
        key = key_of[row] if key_of is not None else keys[np.flatnonzero(rows == row)[0]]
        start, end = np.searchsorted(sorted_keys, [key, key + 1])
        numbers = [str(int(row_numbers[i])) for i in sorted_rows[start : min(end, start + 10)]]
        return ", ".join(numbers) + (", …" if end - start > 10 else "")

    return shown


def _cell_problem(table, mapping, row, position, code, row_numbers, same_key) -> dict:
    header = table.headers[position]
    value = _raw_value(table, position, row)
    if code == _MISSING:
        return _problem(int(row_numbers[row]), header, value, MISSING_VALUE)
    if code == _DUPLICATE:
        period_raw = _raw_value(table, mapping[C.PERIOD], row)
        return _problem(int(row_numbers[row]), header, f"{value} {period_raw}", DUPLICATE_ROW, rows=same_key(row))
    return _problem(int(row_numbers[row]), header, value, _CELL_CODES[code])


def _frame(converted: dict[str, _Converted], keep: np.ndarray | None) -> pd.DataFrame:
    data: dict[str, object] = {}
    for spec in C.FIELDS:
        result = converted.get(spec.name)
        if result is None:
            continue
        values = result.values
        if spec.kind in (C.TEXT, C.GENDER_KIND):
            if keep is not None:
                values = pc.filter(values, pa.array(keep))
            data[spec.name] = pd.arrays.ArrowStringArray(values)
            continue
        null = result.null
        if keep is not None:
            values, null = values[keep], null[keep]
        if spec.kind == C.MONTH:
            data[spec.name] = values.astype(C.PERIOD_DTYPE)
        elif spec.kind == C.DATE:
            data[spec.name] = np.where(null, np.datetime64("NaT"), values).astype(C.DATE_DTYPE)
        elif spec.required:
            data[spec.name] = values
        else:
            data[spec.name] = pd.arrays.IntegerArray(values, null)
    splits = [name for name in C.OT_SPLIT_COLUMNS if name in data]
    if C.OVERTIME_HOURS not in data and splits:
        total = sum(converted[name].values[keep] if keep is not None else converted[name].values for name in splits)
        none = np.logical_and.reduce([np.asarray(data[name].isna()) for name in splits])
        data[C.OVERTIME_HOURS] = pd.arrays.IntegerArray(np.asarray(total, np.int64), none)
    order = [spec.name for spec in C.FIELDS if spec.name in data]
    return pd.DataFrame({name: data[name] for name in order}, copy=False)
