"""What a reader hands over: the headers matched to canonical columns (SPEC §3) and the converted cells."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from contracts.compliance import columns as C

from .cells import Converted
from .problems import DUPLICATE_COLUMN, problem


def header_key(text: object) -> str:
    """A header as compared: NFKC, case-folded, no spaces/underscores, no trailing unit in brackets."""
    key = unicodedata.normalize("NFKC", str(text)).strip().casefold()
    key = re.sub(r"\s*\([^)]*\)$", "", key)
    return re.sub(r"[\s_\-]+", "", key)


HEADER_INDEX = {header_key(h): f.name for f in C.FIELDS for h in (f.name, *f.headers)}


@dataclass
class Table:
    encoding: str | None
    headers: list[str] = field(default_factory=list)  # as written, by position
    mapping: dict[str, int] = field(default_factory=dict)  # canonical name -> position
    converted: dict[str, Converted] = field(default_factory=dict)  # canonical name -> its cells, converted
    # (position, row) -> the cell as written, quoted in a problem; row counts from the first data row.
    written: Callable[[int, int], object] = lambda position, row: ""
    first_row: int = 2  # spreadsheet row number of the first data row
    length: int = 0
    fatal: list[dict] = field(default_factory=list)


def map_headers(table: Table) -> list[int]:
    """Positions of the recognised columns; a duplicated meaning is fatal."""
    seen: dict[str, int] = {}
    for position, header in enumerate(table.headers):
        name = HEADER_INDEX.get(header_key(header))
        if name is None:
            continue
        if name in seen:
            table.fatal.append(problem(1, header, header, DUPLICATE_COLUMN))
        seen[name] = position
    table.mapping = seen
    return sorted(seen.values())
