"""Converting columns of text cells (every CSV cell, and spreadsheet cells holding text).

Column-wise with pyarrow.compute: numbers take one cheap regular expression and
one cast when every cell is a plain number, and a fuller pass only for the cells
that are not; dates and months are parsed once per distinct value.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from contracts.compliance import columns as C

from .cells import Converted, to_numpy
from .problems import (
    CODE,
    NEGATIVE,
    NOT_A_DATE,
    NOT_A_MONTH,
    NOT_A_NUMBER,
    TOO_LARGE,
    TOO_MANY_DECIMALS,
    UNKNOWN_GENDER,
)

_GENDERS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F", "f": "F", "female": "F"}


def _trim(strings: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(strings)


_PLAIN_NUMBER = r"^\d{1,13}(\.\d{0,2})?$"


def _strings_fixed2(strings: pa.ChunkedArray) -> Converted:
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
        values[:] = np.rint(to_numpy(pc.cast(strings, pa.float64())) * 100)
        return Converted(values, null, code)
    plain_np = to_numpy(plain)
    if plain_np.any():
        values[plain_np] = np.rint(to_numpy(pc.cast(pc.filter(strings, plain), pa.float64())) * 100)
    rest_at = np.flatnonzero(~plain_np)
    rest = pc.replace_substring(pc.take(strings, pa.array(rest_at)).combine_chunks(), ",", "")
    separated = to_numpy(pc.match_substring_regex(rest, _PLAIN_NUMBER))
    if separated.any():
        values[rest_at[separated]] = np.rint(
            to_numpy(pc.cast(pc.filter(rest, pa.array(separated)), pa.float64())) * 100
        )
    if separated.all():
        return Converted(values, null, code)
    rest_at, rest = rest_at[~separated], pc.filter(rest, pa.array(~separated))
    rest = pc.replace_substring_regex(_trim(rest), r"[，¥￥\s]|元$|^CNY|^RMB", "")
    empty = to_numpy(pc.equal(rest, ""))
    number = to_numpy(pc.match_substring_regex(rest, r"^[+-]?(\d+(\.\d*)?|\.\d+)$"))
    precise = to_numpy(pc.match_substring_regex(rest, r"\.\d{2}\d*[1-9]"))
    large = to_numpy(pc.match_substring_regex(rest, r"^[+-]?0*\d{14}"))
    ok = number & ~precise & ~large
    fen = np.rint(to_numpy(pc.cast(pc.if_else(pa.array(ok), rest, "0"), pa.float64())) * 100).astype(np.int64)
    sub = np.zeros(len(rest_at), np.int8)
    sub[~number & ~empty] = CODE[NOT_A_NUMBER]
    sub[number & precise] = CODE[TOO_MANY_DECIMALS]
    sub[number & ~precise & large] = CODE[TOO_LARGE]
    sub[ok & (fen < 0)] = CODE[NEGATIVE]
    values[rest_at], null[rest_at], code[rest_at] = fen, empty, sub
    return Converted(values, null, code)


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
        hit = to_numpy(pc.is_valid(found)) & ~matched
        if hit.any():
            for name in names:
                group = pc.fill_null(pc.struct_field(found, name), "0")
                parts[name][hit] = to_numpy(pc.cast(group, pa.int64()))[hit]
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


def _strings_by_distinct(strings: pa.ChunkedArray, parse_distinct, bad_code: str) -> Converted:
    """Parse each distinct value once (payroll dates and months repeat a lot)."""
    n = len(strings)
    if parse_distinct is _parse_distinct_dates:
        try:  # the ISO fast path: one cast, which refuses anything but YYYY-MM-DD (and 2026-02-30)
            days = to_numpy(pc.cast(strings, pa.date32())).astype(C.DATE_DTYPE)
            return Converted(days, np.zeros(n, bool), np.zeros(n, np.int8))
        except pa.ArrowInvalid:
            pass
    distinct = _trim(pc.unique(strings))
    index = to_numpy(pc.index_in(strings, value_set=pc.unique(strings)))
    values, valid = parse_distinct(distinct)
    empty = to_numpy(pc.equal(distinct, ""))
    code = np.where(~valid & ~empty, CODE[bad_code], 0).astype(np.int8)
    return Converted(values[index], empty[index], code[index])


def _strings_text(strings: pa.ChunkedArray) -> Converted:
    trimmed = _trim(strings)
    null = pc.equal(trimmed, "")
    values = pc.if_else(null, pa.scalar(None, pa.string()), trimmed)
    return Converted(values, to_numpy(null), np.zeros(len(strings), np.int8))


def _strings_gender(strings: pa.ChunkedArray) -> Converted:
    distinct = pc.unique(strings)
    index = pc.index_in(strings, value_set=distinct)
    texts = [text.strip() for text in distinct.to_pylist()]
    mapped = pa.array([_GENDERS.get(text.casefold()) for text in texts], pa.string())
    empty = np.array([not text for text in texts], bool)
    unknown = np.array([bool(text) and text.casefold() not in _GENDERS for text in texts], bool)
    index_np = to_numpy(index)
    code = np.where(unknown[index_np], CODE[UNKNOWN_GENDER], 0).astype(np.int8)
    return Converted(pc.take(mapped, index), empty[index_np], code)


def convert_strings(kind: str, strings: pa.ChunkedArray) -> Converted:
    if kind in (C.MONEY, C.HUNDREDTHS):
        return _strings_fixed2(strings)
    if kind == C.DATE:
        return _strings_by_distinct(strings, _parse_distinct_dates, NOT_A_DATE)
    if kind == C.MONTH:
        return _strings_by_distinct(strings, _parse_distinct_months, NOT_A_MONTH)
    if kind == C.GENDER_KIND:
        return _strings_gender(strings)
    return _strings_text(strings)
