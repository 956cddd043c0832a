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
value. A spreadsheet is read and converted a slice of rows at a time. Python loops run
over columns, chunks, distinct values and the (capped) problem rows only.

The package, by sub-domain:

- ``problems``: problem codes and the reasons people read;
- ``table``: matching headers to canonical columns; what a reader hands over;
- ``csv_file``: choosing the encoding and reading a CSV with pyarrow;
- ``spreadsheet``: reading a workbook with python-calamine, never whole as Python
  objects; ``xlsx_slices`` cuts an XLSX sheet into workbooks of consecutive rows
  for calamine to load one at a time, ``sheet_chunks`` converts rows a chunk at a
  time;
- ``text_cells`` and ``typed_cells``: converting cells of text, and spreadsheet
  numbers, date cells and mixed columns;
- ``limits``: the limits a hostile file breaks (zip directory, expanded size, columns,
  cell length, rows, CSV line length), checked while it is read;
- ``build``: the checks across rows (blank rows, missing values, duplicates), the
  problem list and the canonical frame.
"""

import contextlib
import gc
from pathlib import Path

from .build import ParseResult, build_result
from .csv_file import read_csv
from .limits import LimitExceeded, Limits
from .problems import (
    DUPLICATE_COLUMN,
    DUPLICATE_ROW,
    MALFORMED_ROW,
    MISSING_COLUMN,
    MISSING_VALUE,
    NEGATIVE,
    NO_ROWS,
    NOT_A_DATE,
    NOT_A_MONTH,
    NOT_A_NUMBER,
    REASONS,
    TOO_LARGE,
    TOO_MANY_DECIMALS,
    UNKNOWN_GENDER,
    UNREADABLE_FILE,
)
from .spreadsheet import read_spreadsheet
from .table import HEADER_INDEX, header_key
from .typed_cells import XLSX_TOLERANCE_ABS, XLSX_TOLERANCE_REL

__all__ = [
    "DUPLICATE_COLUMN",
    "DUPLICATE_ROW",
    "HEADER_INDEX",
    "MALFORMED_ROW",
    "MISSING_COLUMN",
    "MISSING_VALUE",
    "NEGATIVE",
    "NOT_A_DATE",
    "NOT_A_MONTH",
    "NOT_A_NUMBER",
    "NO_ROWS",
    "REASONS",
    "SPREADSHEET_SUFFIXES",
    "TOO_LARGE",
    "TOO_MANY_DECIMALS",
    "UNKNOWN_GENDER",
    "UNREADABLE_FILE",
    "XLSX_TOLERANCE_ABS",
    "XLSX_TOLERANCE_REL",
    "LimitExceeded",
    "Limits",
    "ParseResult",
    "header_key",
    "parse_payroll",
]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (XLSX, ODS), OLE2 (XLS)


def parse_payroll(source: bytes | str | Path, *, filename: str, max_problems: int = 200) -> ParseResult:
    """The canonical payroll frame of a CSV or spreadsheet file, or every problem that rejects it.

    ``source`` is the file's content (bytes) or its path (str or Path);
    ``filename`` (as uploaded) decides between CSV and spreadsheet.
    """
    file: bytes | Path = bytes(source) if isinstance(source, bytes | bytearray | memoryview) else Path(source)
    if isinstance(file, Path):
        with file.open("rb") as handle:  # a spreadsheet is read by calamine from its path
            magic = handle.read(4)
    else:
        magic = file[:4]
    spreadsheet = Path(filename).suffix.casefold() in SPREADSHEET_SUFFIXES or magic in _SPREADSHEET_MAGIC
    # A spreadsheet arrives as many small Python objects, none in a reference cycle:
    # the cyclic garbage collector would only walk them again and again.
    with _gc_paused() if spreadsheet else contextlib.nullcontext():
        limits = Limits.from_settings()  # checked while the file is read (limits.py)
        if spreadsheet:
            table = read_spreadsheet(file, max_problems=max_problems, limits=limits)
        else:
            table = read_csv(file.read_bytes() if isinstance(file, Path) else file, limits)
        if table.fatal:
            return ParseResult(
                frame=None, problems=table.fatal[:max_problems], problem_count=len(table.fatal), encoding=table.encoding
            )
        return build_result(table, max_problems=max_problems)


@contextlib.contextmanager
def _gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
