"""From a table of converted columns to the accepted payroll frame, or the list of problems.

The checks that span columns and rows live here: blank rows are skipped, a blank
required cell is a problem, a repeated (employee_id, period) is a problem on every
row that repeats it. Problems are listed by row, then by column position.
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from contracts.compliance import columns as C

from .cells import Converted, to_numpy
from .problems import CELL_CODES, DUPLICATE, DUPLICATE_ROW, MISSING, MISSING_COLUMN, MISSING_VALUE, NO_ROWS, problem
from .table import Table


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


def build_result(table: Table, *, max_problems: int) -> ParseResult:
    """The frame of a table whose every row and cell is valid, else its problems (capped)."""
    mapping = table.mapping
    fatal = [problem(1, name, "", MISSING_COLUMN) for name in C.REQUIRED_COLUMNS if name not in mapping]
    converted = table.converted
    n = table.length
    row_numbers = np.arange(table.first_row, table.first_row + n)
    blank = np.ones(n, bool)
    for result in converted.values():
        blank &= result.null
    for name in C.REQUIRED_COLUMNS:
        if name in converted:
            result = converted[name]
            result.code[result.null & ~blank] = MISSING
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
        found_codes.append(np.full(len(duplicate_rows), DUPLICATE, np.int16))
    rows = np.concatenate(found_rows) if found_rows else np.empty(0, np.int64)
    cols = np.concatenate(found_cols) if found_cols else np.empty(0, np.int64)
    codes = np.concatenate([c.astype(np.int16) for c in found_codes]) if found_codes else np.empty(0, np.int16)
    if not fatal and not len(rows) and blank.all():
        fatal.append(problem(table.first_row, "", "", NO_ROWS))
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


def _duplicates(converted: dict[str, Converted], blank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions, keys): every row whose (employee_id, period) occurs more than once, and that pair as a number."""
    if C.EMPLOYEE_ID not in converted or C.PERIOD not in converted:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ids, periods = converted[C.EMPLOYEE_ID], converted[C.PERIOD]
    usable = ~ids.null & ~periods.null & (periods.code == 0) & ~blank
    values = ids.values.combine_chunks() if isinstance(ids.values, pa.ChunkedArray) else ids.values
    codes = to_numpy(pc.fill_null(pc.dictionary_encode(values).indices, 0)).astype(np.int64)
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
    value = table.written(position, row)
    if code == MISSING:
        return problem(int(row_numbers[row]), header, value, MISSING_VALUE)
    if code == DUPLICATE:
        period_raw = table.written(mapping[C.PERIOD], row)
        return problem(int(row_numbers[row]), header, f"{value} {period_raw}", DUPLICATE_ROW, rows=same_key(row))
    reason = CELL_CODES[code]
    assert reason is not None  # code 0 is a fine cell, never listed as a problem
    return problem(int(row_numbers[row]), header, value, reason)


def _frame(converted: dict[str, Converted], keep: np.ndarray | None) -> pd.DataFrame:
    data: dict[str, Any] = {}  # column name -> ndarray or pandas extension array
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
