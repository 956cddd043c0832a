"""Reading a spreadsheet (XLSX, XLS, ODS) with python-calamine, never the whole sheet as Python objects.

An XLSX file is read slice by slice (``xlsx_slices``): calamine loads one slice
of rows on a worker thread (it lets go of the GIL while it parses) while the
previous slice is converted, so neither calamine's copy of the sheet nor its
Python cells ever exist whole. Any other workbook, or an XLSX laid out otherwise
than expected, is loaded whole by calamine and its rows come into Python
``CHUNK_ROWS`` at a time through ``iter_rows()``.

Either way the rows go to ``_Sheet``: the header is the first row with a cell that
is not empty, and each data row keeps the number the spreadsheet shows.
"""

import io
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

from .limits import (
    ContentCheck,
    DamagedZip,
    LimitExceeded,
    Limits,
    check_header,
    check_rows,
    check_zip_content,
    check_zip_directory,
)
from .problems import UNREADABLE_FILE, problem
from .sheet_chunks import SheetChunks
from .table import Table, map_headers
from .xlsx_slices import NotSliceable, checked_by, xlsx_slices

CHUNK_ROWS = 50_000
_ZIP = b"PK\x03\x04"


class _Unreadable(Exception):
    pass


def read_spreadsheet(source: bytes | Path, *, max_problems: int, limits: Limits | None = None) -> Table:
    """The first sheet of a workbook given as its content or a path; the header is its first non-empty row.

    A zip (XLSX, ODS) is judged from its directory before anything is extracted, and its parts
    pass a ``ContentCheck`` before calamine sees them (``limits``); a file over a limit is
    refused with that one problem."""
    limits = limits or Limits.from_settings()
    zipped = (_magic(source) if isinstance(source, Path) else source[:4]) == _ZIP
    try:
        if zipped:
            check_zip_directory(source, limits)
            try:
                return _read(lambda sheet: _read_slices(source, sheet, ContentCheck(limits)), max_problems, limits)
            except NotSliceable:
                pass  # read whole below, once every part has passed the checks
            try:
                check_zip_content(source, limits)
            except DamagedZip as error:
                raise _Unreadable from error
        return _read(lambda sheet: _read_whole(source, sheet), max_problems, limits)
    except _Unreadable:
        return Table(encoding="spreadsheet", fatal=[problem(None, "", "", UNREADABLE_FILE)])
    except LimitExceeded as refused:
        return Table(encoding="spreadsheet", fatal=[refused.problem])


def _magic(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(4)


def _read(read_rows, max_problems: int, limits: Limits) -> Table:
    table = Table(encoding="spreadsheet")
    sheet = _Sheet(table, max_problems=max_problems, limits=limits)
    read_rows(sheet)
    sheet.finish()
    return table


def _read_whole(source: bytes | Path, sheet: "_Sheet") -> None:
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, Path):
            workbook = CalamineWorkbook.from_path(str(source))
        else:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(source))
        loaded = workbook.get_sheet_by_index(0)
    except Exception as error:  # calamine raises several error types for a damaged file
        raise _Unreadable from error
    if loaded.start is None:  # not one cell (and iter_rows() would panic)
        return
    # Row i of iter_rows() is spreadsheet row i + 1 (the rows above the first used
    # cell come empty), but its cells start at the first used column.
    left, rows, top = loaded.start[1], loaded.iter_rows(), 0
    while block := _take(rows, CHUNK_ROWS):
        if not sheet.feed(top, left, block):
            return
        top += len(block)
        del block  # let the chunk's cells go before the next is read


def _take(rows, count: int) -> list[list]:
    try:
        return list(islice(rows, count))
    except Exception as error:  # a cell calamine cannot hand over
        raise _Unreadable from error


def _read_slices(source: bytes | Path, sheet: "_Sheet", check: ContentCheck) -> None:
    """Raises ``NotSliceable``, before or after some rows, when the workbook is to be read whole."""
    from python_calamine import CalamineWorkbook

    def load(piece: io.BytesIO):
        try:
            return CalamineWorkbook.from_filelike(piece).get_sheet_by_index(0)
        except Exception as error:  # the whole workbook says whether it is damaged
            raise NotSliceable from error

    with ThreadPoolExecutor(1) as loader, checked_by(check):
        loading = None
        for piece in xlsx_slices(source):
            # The next slice loads while this one is converted: at most two are held.
            following = loader.submit(load, piece)
            del piece
            if loading is not None and not _feed_slice(sheet, loading.result()):
                following.cancel()
                return
            loading = following
        if loading is not None:
            _feed_slice(sheet, loading.result())


def _feed_slice(sheet: "_Sheet", loaded) -> bool:
    if loaded.start is None:  # a slice of empty rows
        return True
    top, left = loaded.start
    try:
        rows = loaded.to_python()  # from the slice's first used row and column
    except Exception as error:
        raise _Unreadable from error
    del loaded  # calamine's copy of the slice
    return sheet.feed(top, left, rows)


class _Sheet:
    """Rows of the first sheet in order, a block at a time: the header first, then the data rows."""

    def __init__(self, table: Table, *, max_problems: int, limits: Limits):
        self.table, self.max_problems, self.limits = table, max_problems, limits
        self.data_start = 0  # index (from 0) of the sheet row after the header
        self.chunks: SheetChunks | None = None
        self.next_row = 0  # index (from 0) of the sheet row expected next

    def feed(self, top: int, left: int, rows: list[list]) -> bool:
        """Rows from sheet row index ``top``, their cells from column ``left``; False once nothing more is wanted."""
        if self.chunks is None:
            at = next((i for i, row in enumerate(rows) if any(cell not in ("", None) for cell in row)), None)
            if at is None:
                self.next_row = top + len(rows)
                return True
            table = self.table
            check_header(left + len(rows[at]), self.limits)
            table.headers = [""] * left + ["" if cell is None else str(cell) for cell in rows[at]]
            table.first_row = top + at + 2
            map_headers(table)
            if table.fatal:
                return False
            self.chunks = SheetChunks(table, max_problems=self.max_problems)
            rows, top = rows[at + 1 :], top + at + 1
            self.next_row = self.data_start = top
        if top < self.next_row:
            raise NotSliceable("rows out of order")
        check_rows(top + len(rows) - self.data_start, self.limits)  # before any of them is converted
        if top > self.next_row:  # rows with no cell between two slices
            self.chunks.add([[]] * (top - self.next_row), left=0)
        for start in range(0, len(rows), CHUNK_ROWS):
            self.chunks.add(rows[start : start + CHUNK_ROWS], left=left)
        self.next_row = top + len(rows)
        return True

    def finish(self) -> None:
        if self.chunks is not None:
            self.chunks.finish()
        elif not self.table.fatal:  # no header: an empty sheet
            self.table.fatal.append(problem(1, "", "", UNREADABLE_FILE))
