"""Reading a CSV payroll file: choosing the encoding, pyarrow's reader, converting each column.

pyarrow reads every recognised column as text (and checks UTF-8 as it goes); each
column is then converted on its own thread (pyarrow.compute releases the GIL).
"""

import codecs
import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from contracts.compliance import columns as C

from .limits import LimitExceeded, Limits, check_cell, check_csv_lines, check_header, check_rows
from .problems import MALFORMED_ROW, UNREADABLE_FILE, problem
from .table import Table, map_headers
from .text_cells import convert_strings

_WORKERS = min(4, os.cpu_count() or 1)
_HEAD = 1 << 16


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


def read_csv(data: bytes, limits: Limits | None = None) -> Table:
    """The table of a CSV file; one over a limit (``limits``) is refused with that one problem."""
    limits = limits or Limits.from_settings()
    try:
        return _read_csv(data, limits)
    except LimitExceeded as refused:
        return Table(encoding=_detect_encoding(data), fatal=[refused.problem])


def _read_csv(data: bytes, limits: Limits) -> Table:
    check_csv_lines(data, limits)  # before pyarrow holds any of it
    encoding = _detect_encoding(data)
    table = Table(encoding=encoding)
    text_head = data[:_HEAD].decode(encoding, errors="replace")
    header = next(csv.reader(io.StringIO(text_head)), None)
    if not header or not any(cell.strip() for cell in header):
        table.fatal.append(problem(1, "", "", UNREADABLE_FILE))
        return table
    check_header(len(header), limits)
    for cell in header:
        check_cell(len(cell), limits, row=1)
    table.headers = header
    wanted = map_headers(table)
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
    check_rows(arrow.num_rows, limits)
    columns = {position: arrow.column(names[position]) for position in wanted}
    for column in columns.values():
        check_cell(pc.max(pc.utf8_length(column)).as_py() or 0, limits)
    table.length = arrow.num_rows
    with ThreadPoolExecutor(_WORKERS) as pool:
        jobs = {
            name: pool.submit(convert_strings, C.FIELDS_BY_NAME[name].kind, columns[position])
            for name, position in table.mapping.items()
        }
        table.converted = {name: job.result() for name, job in jobs.items()}
    table.written = lambda position, row: columns[position][row].as_py()
    return table


def _malformed_rows(data: bytes, encoding: str, width: int) -> list[dict]:
    """The rows pyarrow refused; only for a rejected file, so a plain loop is fine."""
    problems = []
    try:
        reader = csv.reader(io.StringIO(data.decode(encoding)))
        for number, row in enumerate(reader, start=1):
            if row and len(row) != width:
                problems.append(problem(number, "", ",".join(row)[:200], MALFORMED_ROW))
    except (UnicodeDecodeError, csv.Error):
        pass
    return problems or [problem(None, "", "", UNREADABLE_FILE)]
