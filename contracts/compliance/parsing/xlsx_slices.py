"""Slicing the first sheet of an XLSX workbook into small workbooks of consecutive rows.

calamine loads a whole sheet into its own memory before it hands over one row;
for a million rows that load alone peaks near 0.9 GB. Each slice here is the same
workbook (shared strings, styles, date system) whose first sheet keeps only some
of the rows, with their own row and cell references, so calamine reads every cell
of a slice exactly as it would in the whole sheet, and holds one slice at a time.

The sheet's XML is cut between rows (just after a ``</row>``), never parsed here.
A workbook laid out otherwise than expected raises ``NotSliceable``, and is read
whole: that is always correct, only heavier.
"""

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree  # type: ignore[import-untyped]

from .limits import CheckedStream, ContentCheck

SLICE_BYTES = 16 << 20  # of sheet XML per slice: about 35,000 rows of 13 columns

_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SMALL_PART = 16 << 20  # workbook.xml and its relationships are a few kB
_HEAD_LIMIT = 16 << 20  # what may come before <sheetData> (columns, views, ...)
_ROOT = re.compile(rb"<((?:[\w.-]+:)?worksheet)[\s>]")
# A slice after the first must start with a numbered row: calamine counts an
# unnumbered one from the top of what it is given, the slice, not the sheet.
_NUMBERED_ROW = re.compile(rb'\s*<row\s[^>]*?(?<=\s)r="\d+"')
# Parts calamine does not read for the first sheet's cells: not copied into slices.
_NOT_COPIED = ("xl/worksheets/", "xl/chartsheets/", "xl/media/", "xl/drawings/", "xl/charts/")


# What a damaged or unexpected archive raises while it is read (RuntimeError: encrypted).
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    KeyError,
    StopIteration,
    ValueError,
    ElementTree.ParseError,
)


class NotSliceable(Exception):
    """The workbook is not laid out as expected: it is to be read whole."""


_CHECK: ContextVar[ContentCheck | None] = ContextVar("xlsx_slices_check", default=None)


@contextmanager
def checked_by(check: ContentCheck) -> Iterator[None]:
    """Slices made within this block pass ``check`` (for the readers that call ``xlsx_slices(source)``)."""
    token = _CHECK.set(check)
    try:
        yield
    finally:
        _CHECK.reset(token)


def xlsx_slices(source: Path | bytes, check: ContentCheck | None = None) -> Iterator[io.BytesIO]:
    """Each slice as an in-memory XLSX file, in sheet order; ``NotSliceable`` may come at any point.

    With ``check`` (or within ``checked_by``), every part copied and every block of the
    sheet's XML passes it before a slice is made of it (``LimitExceeded`` then comes from it)."""
    check = check or _CHECK.get()
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
            yield from _slices(archive, check)
    except _DAMAGED as error:  # calamine, reading the whole workbook, says what is wrong with it
        raise NotSliceable from error


def _slices(archive: zipfile.ZipFile, check: ContentCheck | None) -> Iterator[io.BytesIO]:
    sheet = _first_sheet(archive)
    kept = {}
    for info in archive.infolist():
        if info.filename != sheet and not info.filename.startswith(_NOT_COPIED):
            kept[info.filename] = content = read_part(archive, info)
            if check is not None:
                check.part()
                check.feed(content)
    # calamine reads the shared strings again for every slice: keep that a small part of the work.
    slice_bytes = max(SLICE_BYTES, 4 * len(kept.get("xl/sharedStrings.xml", b"")))
    with archive.open(sheet) as opened:
        stream = opened if check is None else CheckedStream(opened, check)
        head, rest = _head(stream)
        root = _ROOT.search(head)
        if root is None:
            raise NotSliceable("no <worksheet> element")
        tail = b"</sheetData></" + root.group(1) + b">"
        for number, rows in enumerate(_row_blocks(stream, rest, slice_bytes)):
            if number and not _NUMBERED_ROW.match(rows):
                raise NotSliceable("a slice starts with an unnumbered row")
            if check is not None:
                check.check_slice(rows)  # before calamine holds the slice's cells
            yield _workbook(kept, sheet, head + rows + tail)


def read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's content, decompressed a block at a time: ``ZipFile.read`` asks zlib for up to 2 GiB at
    once, so a part whose header lies about its size would be expanded whole before being cut."""
    blocks = []
    with archive.open(info) as stream:
        while block := stream.read(1 << 20):
            blocks.append(block)
    return b"".join(blocks)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet, the one calamine's ``get_sheet_by_index(0)`` reads."""
    parts = [archive.getinfo(name) for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
    if any(part.file_size > _SMALL_PART for part in parts):
        raise NotSliceable("workbook parts too large")
    # Two small parts calamine parses anyway, read with defusedxml: no DTD entity, no external one.
    workbook, relationships = (SafeElementTree.fromstring(read_part(archive, part)) for part in parts)
    first = next(element for element in workbook.iter() if element.tag.rpartition("}")[2] == "sheet")
    target = next(
        element.get("Target", "") for element in relationships if element.get("Id") == first.get(_RELATIONSHIP_ID)
    )
    if target.startswith("/"):
        path = target[1:]
    elif target.startswith("xl/"):
        path = target
    else:
        path = posixpath.normpath("xl/" + target)
    archive.getinfo(path)  # KeyError when the part is missing
    return path


def _head(stream) -> tuple[bytes, bytes]:
    """(everything up to and including ``<sheetData>``, what was read past it)."""
    data = b""
    while (at := data.find(b"<sheetData>")) < 0:
        block = stream.read(1 << 16)
        if not block or len(data) > _HEAD_LIMIT:
            raise NotSliceable("no <sheetData> element")  # an empty sheet, or a prefixed one
        data += block
    at += len(b"<sheetData>")
    return data[:at], data[at:]


def _row_blocks(stream, rest: bytes, size: int) -> Iterator[bytes]:
    """The XML of the sheet's rows, about ``size`` bytes at a time, each block ending after a ``</row>``."""
    pending, final = rest, False
    while True:
        cut = pending.rfind(b"</row>", 0, size)
        if cut < 0:
            cut = pending.find(b"</row>", size)
        if cut >= 0 and (final or len(pending) >= size):
            cut += len(b"</row>")
            yield pending[:cut]
            pending = pending[cut:]
        elif final:
            if pending.strip():
                yield pending
            return
        elif block := stream.read(size):
            pending += block
        else:
            end = pending.rfind(b"</sheetData>")
            if end < 0:
                raise NotSliceable("no </sheetData>")
            pending, final = pending[:end], True


def _workbook(kept: dict[str, bytes], sheet: str, xml: bytes) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in kept.items():
            archive.writestr(name, content)
        archive.writestr(sheet, xml)
    buffer.seek(0)
    return buffer
