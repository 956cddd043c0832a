"""Converting a spreadsheet's rows a chunk at a time, keeping of the cells as written only what a problem may quote.

A rejected file quotes cells as written, so two things are kept besides the
converted columns: the text of the first ``max_problems`` problem cells, and the
employee-id and month columns as written (a duplicate may be found in any row, and
only once every chunk has been read).
"""

import bisect
from operator import itemgetter

import numpy as np
import pyarrow as pa

from contracts.compliance import columns as C

from .cells import Converted, concatenate
from .table import Table
from .typed_cells import cell_text, convert_cells, typed_cells


class SheetChunks:
    """The data rows of a sheet, added in order; ``finish()`` hands the columns to the table."""

    def __init__(self, table: Table, *, max_problems: int):
        self.table = table
        self.parts: dict[str, list[Converted]] = {name: [] for name in table.mapping}
        self.required = {name for name in C.REQUIRED_COLUMNS if name in table.mapping}
        self.keys = {table.mapping[name]: _Written() for name in (C.EMPLOYEE_ID, C.PERIOD) if name in table.mapping}
        self.quoted: dict[tuple[int, int], str] = {}  # (position, row) -> a problem cell as written
        self.room = max_problems  # problem cells still worth quoting
        self.length = 0

    def add(self, rows: list[list], *, left: int) -> None:
        """Rows whose first cell is in column ``left`` (0 for A); a cell past a row's end is empty."""
        width = len(rows[0]) if rows else 0
        converted = {}
        for name, position in self.table.mapping.items():
            index = position - left
            cells = list(map(itemgetter(index), rows)) if 0 <= index < width else [""] * len(rows)
            typed = typed_cells(cells)
            converted[name] = convert_cells(C.FIELDS_BY_NAME[name].kind, cells, typed)
            self.parts[name].append(converted[name])
            if position in self.keys:
                self.keys[position].add(self.length, cells, typed)
        if rows and self.room > 0:
            self._quote_problems(rows, left, converted)
        self.length += len(rows)

    def _quote_problems(self, rows: list[list], left: int, converted: dict[str, Converted]) -> None:
        """Keep the text of these rows' problem cells, in the order they are listed, while there is room.

        The same rules as ``build`` (any cell code; a blank required cell in a row that is
        not blank), so that the first ``max_problems`` problems of the file are all kept.
        """
        if not converted:
            return
        blank = np.ones(len(rows), bool)
        for result in converted.values():
            blank &= result.null
        found_rows, found_positions = [], []
        for name, result in converted.items():
            bad = result.code != 0
            if name in self.required:
                bad |= result.null & ~blank
            at = np.flatnonzero(bad)
            found_rows.append(at)
            found_positions.append(np.full(len(at), self.table.mapping[name]))
        at_rows, at_positions = np.concatenate(found_rows), np.concatenate(found_positions)
        for i in np.lexsort((at_positions, at_rows))[: self.room]:
            row, position = int(at_rows[i]), int(at_positions[i])
            cells, index = rows[row], position - left
            self.quoted[position, self.length + row] = cell_text(cells[index] if 0 <= index < len(cells) else "")
        self.room -= min(self.room, len(at_rows))

    def finish(self) -> None:
        if not self.length:  # a header and no rows: empty columns all the same
            self.add([], left=0)
        table, quoted, keys = self.table, self.quoted, self.keys
        table.converted = {}
        for name in list(self.parts):  # each column's chunks go as soon as they are joined
            table.converted[name] = concatenate(self.parts.pop(name))
        table.length = self.length

        def written(position: int, row: int) -> object:
            text = quoted.get((position, row))
            return text if text is not None else keys[position].cell(row)

        table.written = written


class _Written:
    """One column's cells as written, chunk by chunk: an arrow array where the chunk has one type."""

    def __init__(self):
        self.starts: list[int] = []
        self.parts: list[pa.Array | np.ndarray] = []

    def add(self, start: int, cells: list, typed: pa.Array | None) -> None:
        self.starts.append(start)
        self.parts.append(typed if typed is not None else np.array(cells, dtype=object))

    def cell(self, row: int) -> str:
        index = bisect.bisect_right(self.starts, row) - 1
        cell = self.parts[index][row - self.starts[index]]
        return cell_text(cell.as_py() if isinstance(cell, pa.Scalar) else cell)
