"""Converting spreadsheet cells: numbers, date cells, and columns that mix types.

python-calamine hands over Python objects (str, float, int, bool, date, datetime,
time, timedelta; "" for an empty cell). A column whose cells share one type becomes
one typed arrow array at once; a mixed one is converted by type group, with Python
loops only over the cells that are neither text nor numbers.
"""

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from contracts.compliance import columns as C

from .cells import Converted, to_numpy
from .problems import CODE, NEGATIVE, NOT_A_DATE, NOT_A_MONTH, NOT_A_NUMBER, TOO_LARGE, TOO_MANY_DECIMALS
from .text_cells import convert_strings

# A spreadsheet number is taken as whole fen (hundredths) when it lies within this
# distance of one: binary floating point cannot hold 537.93 exactly.
XLSX_TOLERANCE_ABS = 1e-6
XLSX_TOLERANCE_REL = 1e-12
# 13 integer digits keep value × 100 exact in a float64 and in int64.
_MAX_NUMBER = 1e13
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")

_NUMERIC_KINDS = (C.MONEY, C.HUNDREDTHS, C.DATE, C.MONTH)
_NUMBER_TYPES = {int, float}
# The arrow type pyarrow would infer for cells all of one Python type; naming it
# spares the inference (for floats it costs ten times the conversion itself).
_ARROW_TYPES = {
    str: pa.string(),
    float: pa.float64(),
    int: pa.int64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
    dt.datetime: pa.timestamp("us"),
    dt.time: pa.time64("us"),
    dt.timedelta: pa.duration("us"),
}


def typed_cells(cells: Sequence) -> pa.Array | None:
    """The cells as one arrow array when they share one type (or are all numbers), else None.

    The types are checked first: pyarrow's inference takes its cue from the first
    cell and reads [date, 202604.0] as two dates (the number as days since 1970) and
    [1.5, True] as two numbers. A chunk of rows is more often uniform than a whole
    column, so this matters more when a sheet is read in chunks.
    """
    types = set(map(type, cells))
    if len(types) > 1 and not types <= _NUMBER_TYPES:
        return None
    arrow_type = _ARROW_TYPES.get(types.pop()) if len(types) == 1 else pa.float64() if types else None
    try:
        return pa.array(cells, type=arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        return None


def convert_cells(kind: str, cells: Sequence, typed: pa.Array | None) -> Converted:
    """A spreadsheet column: a typed one (``typed`` is ``typed_cells(cells)``) at once, a mixed one by type group."""
    if typed is not None:
        kind_of = typed.type
        if pa.types.is_string(kind_of):
            return convert_strings(kind, pa.chunked_array([typed]))
        if (pa.types.is_floating(kind_of) or pa.types.is_integer(kind_of)) and kind in _NUMERIC_KINDS:
            return _convert_numbers(kind, to_numpy(typed).astype(np.float64))
        if (pa.types.is_date(kind_of) or pa.types.is_timestamp(kind_of)) and kind in (C.DATE, C.MONTH):
            return _convert_days(kind, to_numpy(pc.cast(typed, pa.date32())).astype("datetime64[D]"))
    return _convert_mixed(kind, np.array(cells, dtype=object))


def _convert_numbers(kind: str, numbers: np.ndarray) -> Converted:
    if kind == C.DATE:
        return _serials_to_dates(numbers)
    if kind == C.MONTH:
        return _numbers_to_months(numbers)
    return _numbers_fixed2(numbers)


def _convert_days(kind: str, days: np.ndarray) -> Converted:
    n = len(days)
    if kind == C.DATE:
        return Converted(days.astype(C.DATE_DTYPE), np.zeros(n, bool), np.zeros(n, np.int8))
    months = days.astype("datetime64[M]").astype(np.int64)
    values = ((1970 + months // 12) * 100 + months % 12 + 1).astype(C.PERIOD_DTYPE)
    return Converted(values, np.zeros(n, bool), np.zeros(n, np.int8))


def _convert_mixed(kind: str, cells: np.ndarray) -> Converted:
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
        values[other] = [cell_text(cell) for cell in cells[other]]
        return convert_strings(kind, pa.chunked_array([pa.array(values, pa.string())]))
    strings = convert_strings(kind, pa.chunked_array([pa.array(cells[is_str], pa.string())]))
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
            code[is_date] = CODE[NOT_A_NUMBER]
    code[~(is_str | is_num | is_date | is_empty)] = CODE[NOT_A_DATE if kind == C.DATE else NOT_A_NUMBER]
    return Converted(values, null, code)


def cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _numbers_fixed2(numbers: np.ndarray) -> Converted:
    scaled = numbers * 100
    whole = np.rint(scaled)
    n = len(numbers)
    code = np.zeros(n, np.int8)
    finite = np.isfinite(scaled)
    code[~finite | (np.abs(numbers) >= _MAX_NUMBER)] = CODE[TOO_LARGE]
    off = np.abs(scaled - whole) > np.maximum(XLSX_TOLERANCE_ABS, np.abs(scaled) * XLSX_TOLERANCE_REL)
    code[(code == 0) & off] = CODE[TOO_MANY_DECIMALS]
    values = np.where(code == 0, whole, 0).astype(np.int64)
    code[(code == 0) & (values < 0)] = CODE[NEGATIVE]
    return Converted(values, np.zeros(n, bool), code)


def _serials_to_dates(numbers: np.ndarray) -> Converted:
    ok = np.isfinite(numbers) & (numbers >= 1) & (numbers < 2958466)
    days = np.floor(np.where(ok, numbers, 1)).astype(np.int64)
    values = (_EXCEL_EPOCH + days.astype("timedelta64[D]")).astype(C.DATE_DTYPE)
    return Converted(values, np.zeros(len(numbers), bool), np.where(ok, 0, CODE[NOT_A_DATE]).astype(np.int8))


def _numbers_to_months(numbers: np.ndarray) -> Converted:
    whole = np.isfinite(numbers) & (numbers == np.floor(numbers)) & (numbers >= 0) & (numbers < 1e9)
    as_int = np.where(whole, numbers, 0).astype(np.int64)
    y, m = as_int // 100, as_int % 100
    valid = whole & (y >= 1900) & (y <= 2999) & (m >= 1) & (m <= 12)
    values = np.where(valid, as_int, 0).astype(C.PERIOD_DTYPE)
    return Converted(values, np.zeros(len(numbers), bool), np.where(valid, 0, CODE[NOT_A_MONTH]).astype(np.int8))
