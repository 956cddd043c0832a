"""Cells of the files people open in a spreadsheet (XLSX, CSV): a value that begins like a
formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) is written as text behind an
apostrophe, so a name such as ``=HYPERLINK(…)`` is shown, never run (OWASP "CSV injection").
Numbers stay numbers: only strings are touched."""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may hold it: a formula-like string behind an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def csv_bytes(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> bytes:
    """Rows as a CSV file in UTF-8 (with the BOM Excel needs to read Chinese), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")
