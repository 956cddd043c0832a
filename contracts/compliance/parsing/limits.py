"""Limits on a payroll file, checked while it is read, before its rows are converted.

A hostile file is refused with one problem naming the limit, the value found and the limit
(``LimitExceeded``); the import is then rejected whole, like any other, and nothing of it is
kept but the upload and that problem. The limits are settings (``PAYROLL_MAX_*``):

- an XLSX (any zip: XLSX, XLSM, ODS) is judged from its zip directory alone before a byte
  is extracted: number of entries, total uncompressed size, and the compression ratio of
  each entry over 1 MiB; a 1.2 MB file that would expand to 1.2 GB never gets further;
- then, while its parts are decompressed (by Python's zipfile, which never yields more than
  an entry's declared size), ``ContentCheck`` counts the bytes really produced, the longest
  cell text (the longest run between two ``<``, counted in characters when it could be too
  long) and the highest column a cell reference names; a slice of the sheet goes to
  calamine only once it has passed, so calamine never allocates a sheet wider than allowed;
- the header row (any file) may not have more columns than allowed, and a sheet or CSV may
  not have more data rows than allowed (counted as they come: reading stops at the limit);
- a CSV line may not be longer than allowed (measured on the bytes before pyarrow reads
  them), nor a cell it reads.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from .problems import (
    CELL_TOO_LONG,
    COMPRESSION_RATIO,
    LINE_TOO_LONG,
    SPARSE_SHEET,
    TOO_MANY_COLUMNS,
    TOO_MANY_ENTRIES,
    TOO_MANY_ROWS,
    UNCOMPRESSED_TOO_LARGE,
    problem,
)

SLICE_CELLS = 4_000_000  # rows × columns calamine may hold for one slice (a full slice is about 500,000)
_RATIO_FROM = 1 << 20  # an entry smaller than this expands to little whatever its ratio
_LT = 60  # b"<"


@dataclass(frozen=True)
class Limits:
    uncompressed_bytes: int = 1024 << 20
    compression_ratio: int = 100
    zip_entries: int = 1000
    columns: int = 200
    cell_chars: int = 32_767
    rows: int = 1_048_576
    line_bytes: int = 1 << 20
    # Cells calamine holds for a sheet read whole (it keeps rows × columns, empty ones too).
    sheet_cells: int = 16_000_000

    @classmethod
    def from_settings(cls) -> "Limits":
        defaults = cls()
        return cls(
            uncompressed_bytes=getattr(settings, "PAYROLL_MAX_UNCOMPRESSED_BYTES", defaults.uncompressed_bytes),
            compression_ratio=getattr(settings, "PAYROLL_MAX_COMPRESSION_RATIO", defaults.compression_ratio),
            zip_entries=getattr(settings, "PAYROLL_MAX_ZIP_ENTRIES", defaults.zip_entries),
            columns=getattr(settings, "PAYROLL_MAX_COLUMNS", defaults.columns),
            cell_chars=getattr(settings, "PAYROLL_MAX_CELL_CHARS", defaults.cell_chars),
            rows=getattr(settings, "PAYROLL_MAX_ROWS", defaults.rows),
            line_bytes=getattr(settings, "PAYROLL_MAX_LINE_BYTES", defaults.line_bytes),
            sheet_cells=getattr(settings, "PAYROLL_MAX_SHEET_CELLS", defaults.sheet_cells),
        )


class LimitExceeded(Exception):
    """The file breaks a limit: ``problem`` is the one problem it is rejected with."""

    def __init__(self, problem: dict):
        super().__init__(problem["reason"])
        self.problem = problem


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f}"


def exceeded(code: str, *, value: object, limit: object, row: int | None = None, column: str = "", **params) -> None:
    """Refuse the file with one problem: ``value`` (what was found) and ``limit`` go into its reason."""
    raise LimitExceeded(problem(row, column, "", code, found=value, limit=limit, **params))


def check_zip_directory(source: Path | bytes, limits: Limits) -> None:
    """Judge a zip from its directory alone (nothing is extracted); ``LimitExceeded`` if it breaks a limit.
    A damaged archive is left to the reader, which says it cannot be read."""
    import io

    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(entries) > limits.zip_entries:
        exceeded(TOO_MANY_ENTRIES, value=f"{len(entries):,}", limit=f"{limits.zip_entries:,}")
    total = sum(entry.file_size for entry in entries)
    if total > limits.uncompressed_bytes:
        exceeded(UNCOMPRESSED_TOO_LARGE, value=_megabytes(total), limit=_megabytes(limits.uncompressed_bytes))
    for entry in entries:
        if entry.file_size >= _RATIO_FROM and entry.file_size > limits.compression_ratio * max(entry.compress_size, 1):
            exceeded(
                COMPRESSION_RATIO,
                value=f"{entry.file_size / max(entry.compress_size, 1):,.0f}",
                limit=f"{limits.compression_ratio:,}",
                part=entry.filename[:100],
            )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class ContentCheck:
    """Fed the decompressed bytes of a workbook's XML parts, block by block, in order within each part."""

    def __init__(self, limits: Limits, *, every_column: bool = False):
        """``every_column``: note the widest column of every cell reference (for a sheet read whole);
        else only references of columns that could be past the limit are looked at."""
        self.limits = limits
        self.total = 0
        self.run = b""  # the text since the last "<" of the part being fed
        self.run_cap = 4 * limits.cell_chars + 4  # UTF-8: more bytes than this are surely too many characters
        self.tail = b""  # the end of the last block, for a cell reference cut between blocks
        self.widest = 0  # the highest column number a cell reference has named so far
        self.highest = 0  # the highest row number a row or cell has named so far
        letters = len(_column_letters(limits.columns)) if limits.columns > 0 and not every_column else 1
        # An attribute named r (XML allows spaces around "=") whose value starts like a cell
        # reference; a literal first lets re skip from "r" to "r" (about 3 ms a MB of sheet XML).
        self.reference = re.compile(rb"""r\s*=\s*["']([A-Za-z]{%d,3})[0-9]""" % letters)
        self.sheet = False  # whether the part being fed is a worksheet (cell references are looked at)

    def part(self, *, sheet: bool = False) -> None:
        """A new part begins (a worksheet when ``sheet``)."""
        self.run, self.tail, self.sheet = b"", b"", sheet

    def feed(self, block: bytes) -> None:
        if not block:
            return
        self.total += len(block)
        if self.total > self.limits.uncompressed_bytes:
            exceeded(
                UNCOMPRESSED_TOO_LARGE,
                value=f"> {_megabytes(self.limits.uncompressed_bytes)}",
                limit=_megabytes(self.limits.uncompressed_bytes),
            )
        self._cells(block)
        if self.sheet:
            self._columns(block)

    def _cells(self, block: bytes) -> None:
        first = block.find(b"<")
        if first < 0:
            self._grow(block)
            return
        self._grow(block[:first])
        self._judge(self.run)
        self.run = b""
        last = block.rfind(b"<")
        # A run of more than ``cell_chars`` bytes between two "<" holds a whole half-run-long
        # stretch, aligned on ``half``, with no "<": look for those (a memchr each), then judge
        # the run around one exactly. Ordinary XML has a "<" every few dozen bytes.
        half = max(1, self.limits.cell_chars // 2)
        for start in range(first + 1, last - half + 1, half):
            if block.find(b"<", start, start + half) < 0:
                self._judge(block[block.rfind(b"<", 0, start) + 1 : block.find(b"<", start + half)])
        self._grow(block[last + 1 :])

    def _grow(self, text: bytes) -> None:
        if len(self.run) + len(text) > self.run_cap:
            self._judge((self.run + text)[: self.run_cap + 1])
        self.run += text

    def _judge(self, text: bytes) -> None:
        """``text`` runs from just after a ``<``: a tag, then the text of a cell (or of a part)."""
        if len(text) <= self.limits.cell_chars:
            return
        tag_end = text.find(b">")
        if 0 <= tag_end < self.run_cap:
            text = text[tag_end + 1 :]
        chars = len(text.decode("utf-8", "replace"))
        if chars > self.limits.cell_chars:
            exceeded(CELL_TOO_LONG, value=f"{chars:,}", limit=f"{self.limits.cell_chars:,}")

    def _columns(self, block: bytes) -> None:
        window = self.tail + block
        self.tail = block[-32:]
        widest = _widest(self.reference, window)
        if widest > self.limits.columns:
            exceeded(TOO_MANY_COLUMNS, value=f"{widest:,}", limit=f"{self.limits.columns:,}")
        self.widest = max(self.widest, widest, 1)
        self.highest = max(self.highest, last_row_number(window))
        if self.highest > self.limits.rows + 1:  # the header is a row too
            exceeded(TOO_MANY_ROWS, value=f"{self.highest - 1:,}", limit=f"{self.limits.rows:,}")

    def check_slice(self, xml: bytes) -> None:
        """A slice of rows: calamine holds every cell from its first row to its last, empty or not."""
        first = first_row_number(xml)
        if not first:
            return
        span = max(1, last_row_number(xml) - first + 1)
        if span <= 2 * xml.count(b"<row") + 1000:
            return  # rows one after the other, as a spreadsheet writes them
        widest = _widest(_ANY_REFERENCE, xml) or 1
        self.check_dense(span, budget=SLICE_CELLS, first=first, widest=widest)

    def check_dense(self, rows: int, *, budget: int, first: int = 1, widest: int | None = None) -> None:
        """calamine holds ``rows`` × the widest columns cells: refuse a sheet that spreads a few over too many."""
        widest = widest or self.widest
        if rows * widest > budget:
            exceeded(
                SPARSE_SHEET,
                value=f"{rows:,} × {widest:,}",
                limit=f"{budget:,}",
                first=f"{first:,}",
                last=f"{first + rows - 1:,}",
            )


_ANY_REFERENCE = re.compile(rb"""r\s*=\s*["']([A-Za-z]{1,3})[0-9]""")
_SPACE = frozenset(b" \t\r\n")


def _widest(pattern: re.Pattern, xml: bytes) -> int:
    """The highest column the ``r`` attributes in ``xml`` name (an ``r`` just after a space: not ``spr``)."""
    return max(
        (
            _column_number(found[1])
            for found in pattern.finditer(xml)
            if found.start() and xml[found.start() - 1] in _SPACE
        ),
        default=0,
    )


_ROW_NUMBER = re.compile(rb'<(?:[\w.-]+:)?row\s[^>]*?(?<=\s)r="(\d{1,9})"')


def first_row_number(xml: bytes) -> int:
    found = _ROW_NUMBER.search(xml)
    return int(found.group(1)) if found else 0


def last_row_number(xml: bytes) -> int:
    """The number of the last numbered row in ``xml`` (0 when none)."""
    at = len(xml)
    while (at := max(xml.rfind(b"<row ", 0, at), xml.rfind(b":row ", 0, at))) >= 0:
        start = at if xml[at] == _LT else xml.rfind(b"<", 0, at)
        found = _ROW_NUMBER.match(xml, max(start, 0))
        if found:
            return int(found.group(1))
    return 0


def check_header(width: int, limits: Limits) -> None:
    if width > limits.columns:
        exceeded(TOO_MANY_COLUMNS, value=f"{width:,}", limit=f"{limits.columns:,}", row=1)


def check_cell(chars: int, limits: Limits, *, row: int | None = None) -> None:
    if chars > limits.cell_chars:
        exceeded(CELL_TOO_LONG, value=f"{chars:,}", limit=f"{limits.cell_chars:,}", row=row)


def check_rows(count: int, limits: Limits) -> None:
    if count > limits.rows:
        exceeded(TOO_MANY_ROWS, value=f"{count:,}", limit=f"{limits.rows:,}")


def check_csv_lines(data: bytes, limits: Limits) -> None:
    """The longest line (in bytes, a quoted line break counted as one) against the limit, before parsing."""
    if len(data) <= limits.line_bytes:
        return
    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
    bounds = np.concatenate(([-1], ends, [len(data)]))
    longest = int((np.diff(bounds) - 1).max())
    if longest > limits.line_bytes:
        row = int(np.argmax(np.diff(bounds) - 1)) + 1
        exceeded(LINE_TOO_LONG, value=f"{longest:,}", limit=f"{limits.line_bytes:,}", row=row)


class CheckedStream:
    """A part's stream that shows every block it hands over to a ``ContentCheck`` first."""

    def __init__(self, stream, check: ContentCheck, *, sheet: bool = True):
        self.stream, self.check = stream, check
        check.part(sheet=sheet)

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(size)
        self.check.feed(block)
        return block


class DamagedZip(Exception):
    """Python's zipfile cannot read the archive (a CRC or a size that does not match, an unknown
    method, a password): it is not handed to calamine, whose own reader might expand it further."""


def check_zip_content(source: Path | bytes, limits: Limits) -> None:
    """Decompress every part (a block at a time, nothing kept) through a ``ContentCheck``: for a workbook
    that calamine is to read whole, so that it is given only one that passed (``DamagedZip`` else)."""
    import io

    check = ContentCheck(limits, every_column=True)
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
            for entry in archive.infolist():
                with archive.open(entry) as part:
                    stream = CheckedStream(part, check, sheet=entry.filename.startswith("xl/worksheets/"))
                    while stream.read(1 << 20):
                        pass
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as error:
        raise DamagedZip from error
    check.check_dense(check.highest, budget=limits.sheet_cells)
