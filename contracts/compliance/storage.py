"""Keeping an accepted payroll: its canonical frame as a Parquet file, the columnar copy.

The import service writes it under ``MEDIA_ROOT`` at an unguessable name,
``payroll/<enterprise id>/<random hex>.parquet`` (``config/private_files.py``), beside the
upload itself, which is kept byte for byte under a name of the same kind. Neither is ever
served as media; the upload comes back only through the payroll pages' and API's download,
which check the user's enterprise.

Why a file and not rows in the database: a payroll import is written once and then only
read as a frame, by the compliance runs (only the columns their checks need) and by the
costing. Bulk-loading it into the database would cost far more than it buys: an ORM
``bulk_create`` of 1,000,000 rows into SQLite took 73 s on this machine, while writing the
same rows as Parquet (zstd) takes about 0.5 s and reading them back as a frame about 0.35 s
(bench/RESULTS.md, "Payroll import and compliance checks"); the file is about 8× smaller
than the CSV (10.5 MB for 88 MB), and its schema keeps the canonical column types. A table
of a million rows per import would also grow the database by every import, slow its backups
and need an index per query shape, for data nobody queries row by row. What the database
keeps is what people query: the import's record and problems, and the findings and
breaches of each run.

The file is written to a temporary name and renamed into place, so a reader never sees half
a file and a failed write leaves nothing behind.
"""

import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from contracts.compliance import columns as C

COMPRESSION = "zstd"
_TEXT_KINDS = (C.TEXT, C.GENDER_KIND)


def payroll_frame_path(upload_path: str | Path) -> Path:
    """A place for the canonical frame of the upload at ``upload_path``: beside it, with ``.parquet``
    added (for benchmarks and tests that keep a file outside the media folder)."""
    upload_path = Path(upload_path)
    return upload_path.with_name(upload_path.name + ".parquet")


def payroll_frame_write(frame: pd.DataFrame, *, path: str | Path) -> Path:
    """Write ``frame`` as Parquet at ``path`` atomically; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    text = [name for name in frame.columns if name in C.FIELDS_BY_NAME and C.FIELDS_BY_NAME[name].kind in _TEXT_KINDS]
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(handle)
    try:
        # Dictionaries for the (repetitive) text columns only; statistics buy nothing for a file read whole.
        pq.write_table(table, temporary, compression=COMPRESSION, use_dictionary=text, write_statistics=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def payroll_frame_columns(path: str | Path) -> list[str]:
    """The canonical columns the frame kept at ``path`` has (read from its schema only)."""
    return pq.read_schema(path).names


def payroll_frame_read(path: str | Path, *, columns: list[str] | None = None) -> pd.DataFrame:
    """The canonical frame kept at ``path`` (only ``columns`` when given), with the canonical dtypes."""
    text = pd.StringDtype("pyarrow")
    frame = pq.read_table(path, columns=columns).to_pandas(
        types_mapper={pa.string(): text, pa.large_string(): text}.get
    )
    dtypes = {}
    for spec in C.FIELDS:
        if spec.name not in frame:
            continue
        if spec.kind in (C.TEXT, C.GENDER_KIND):
            dtypes[spec.name] = C.STRING_DTYPE
        elif spec.kind == C.DATE:
            dtypes[spec.name] = C.DATE_DTYPE
        elif spec.kind == C.MONTH:
            dtypes[spec.name] = C.PERIOD_DTYPE
        elif not spec.required:
            dtypes[spec.name] = "Int64"
    return frame.astype(dtypes, copy=False)
