"""The problems that reject a payroll file: stable codes, the reasons people read, per-cell codes."""

from django.utils.translation import gettext_lazy as _

MISSING_COLUMN = "missing_column"
DUPLICATE_COLUMN = "duplicate_column"
MISSING_VALUE = "missing_value"
NOT_A_NUMBER = "not_a_number"
NOT_A_DATE = "not_a_date"
NOT_A_MONTH = "not_a_month"
NEGATIVE = "negative"
TOO_MANY_DECIMALS = "too_many_decimals"
TOO_LARGE = "too_large"
UNKNOWN_GENDER = "unknown_gender"
DUPLICATE_ROW = "duplicate_row"
MALFORMED_ROW = "malformed_row"
UNREADABLE_FILE = "unreadable_file"
NO_ROWS = "no_rows"
# A file over a limit (parsing/limits.py): rejected with this one problem.
TOO_MANY_ENTRIES = "too_many_entries"
UNCOMPRESSED_TOO_LARGE = "uncompressed_too_large"
COMPRESSION_RATIO = "compression_ratio"
TOO_MANY_COLUMNS = "too_many_columns"
CELL_TOO_LONG = "cell_too_long"
TOO_MANY_ROWS = "too_many_rows"
LINE_TOO_LONG = "line_too_long"
SPARSE_SHEET = "sparse_sheet"

REASONS = {
    MISSING_COLUMN: _("The required column is missing."),
    DUPLICATE_COLUMN: _("Two columns have this meaning; keep one."),
    MISSING_VALUE: _("This value is required."),
    NOT_A_NUMBER: _("Not a number."),
    NOT_A_DATE: _("Not a date (write 2026-03-05, 2026/3/5 or 2026年3月5日)."),
    NOT_A_MONTH: _("Not a month (write 2026-03, 2026/03, 202603 or 2026年3月)."),
    NEGATIVE: _("Must not be negative."),
    TOO_MANY_DECIMALS: _("At most two decimal places."),
    TOO_LARGE: _("Number too large."),
    UNKNOWN_GENDER: _("Write 男 or 女 (M or F)."),
    DUPLICATE_ROW: _("The same employee and month appear more than once (rows %(rows)s)."),
    MALFORMED_ROW: _("This row does not have as many cells as the header."),
    UNREADABLE_FILE: _("The file cannot be read as CSV or as a spreadsheet."),
    NO_ROWS: _("The file has a header but no payroll rows."),
    TOO_MANY_ENTRIES: _("The spreadsheet is made of %(found)s parts; at most %(limit)s are read."),
    UNCOMPRESSED_TOO_LARGE: _("The spreadsheet expands to %(found)s MB when opened; at most %(limit)s MB are read."),
    COMPRESSION_RATIO: _(
        "A part of the spreadsheet (%(part)s) expands %(found)s times when opened; at most %(limit)s times is read."
    ),
    TOO_MANY_COLUMNS: _("The file has %(found)s columns; at most %(limit)s are read."),
    CELL_TOO_LONG: _("A cell holds %(found)s characters; at most %(limit)s are read."),
    TOO_MANY_ROWS: _("The file has more than %(limit)s rows; split it into several files."),
    LINE_TOO_LONG: _("This line is %(found)s bytes long; at most %(limit)s are read."),
    SPARSE_SHEET: _(
        "Rows %(first)s to %(last)s span %(found)s cells, almost all empty; at most %(limit)s are read at once. "
        "Delete the empty rows and columns."
    ),
}

# Per-cell codes live in int8 arrays; 0 means the cell is fine.
CELL_CODES = (None, NOT_A_NUMBER, NOT_A_DATE, NOT_A_MONTH, NEGATIVE, TOO_MANY_DECIMALS, TOO_LARGE, UNKNOWN_GENDER)
CODE = {code: index for index, code in enumerate(CELL_CODES) if code}
MISSING = -1  # a required cell left blank
DUPLICATE = 100  # a repeated (employee_id, period)


def problem(row: int | None, column: str, value: object, code: str, **params: object) -> dict:
    """One problem as listed to people: row as the spreadsheet shows it (the header is row 1).

    ``code`` and ``params`` are kept beside the reason so that it can be worded again in each
    reader's language (``problem_reason``)."""
    params = {key: str(value) for key, value in params.items()}
    return {
        "row": row,
        "column": column,
        "value": "" if value is None else str(value),
        "reason": problem_reason({"code": code, "params": params}),
        "code": code,
        "params": params,
    }


def problem_reason(problem: dict) -> str:
    """The reason of a stored problem in the active language."""
    template = REASONS.get(problem.get("code", ""))
    if template is None:
        return problem.get("reason", "")
    params = problem.get("params") or {}
    return str(template) % params if params else str(template)
