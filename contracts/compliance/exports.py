"""Breaches as files people open in a spreadsheet: a breach's findings as XLSX, the list of
breaches as CSV. Headers in the reader's language, amounts as numbers in the unit their header
names, every string cell made safe (``config.spreadsheets``) so that a cell such as an employee
id ``=HYPERLINK(…)`` is shown as text, never run."""

import datetime as dt
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

from config.spreadsheets import csv_bytes, safe_cell
from contracts.articles import article_label
from contracts.compliance.models import Breach, Finding
from contracts.compliance.selectors import clause_articles
from contracts.rules.terms import TERM_KINDS
from contracts.rules.terms.payroll import UNIT_DATE, UNIT_DAY_HUNDREDTHS, UNIT_FEN, UNIT_HOUR_HUNDREDTHS
from contracts.rules.units import HUNDREDTHS, unit_amount

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def unit_word(unit: str) -> str:
    """The unit a column of amounts is counted in, as its header names it."""
    words = {
        UNIT_FEN: _("yuan"),
        UNIT_HOUR_HUNDREDTHS: _("hours"),
        UNIT_DAY_HUNDREDTHS: _("days"),
        UNIT_DATE: _("days late"),
    }
    return str(words.get(unit, ""))


def _with_unit(header: str, unit: str) -> str:
    word = unit_word(unit)
    return _("%(column)s (%(unit)s)") % {"column": header, "unit": word} if word else header


def finding_value(value: int, unit: str) -> Decimal | dt.date | int:
    """An expected or actual value as a spreadsheet holds it: a number in its unit, a pay date as a date."""
    if unit == UNIT_DATE:
        text = str(int(value))
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        except ValueError:
            return int(value)
    return unit_amount(value, unit)


def finding_headers(unit: str) -> list[str]:
    if unit == UNIT_DATE:
        expected, actual = _("Due date"), _("Paid on")
    else:
        expected, actual = _with_unit(_("Expected"), unit), _with_unit(_("Actual"), unit)
    return [_("Employee"), _("Period"), expected, actual, _with_unit(_("Shortfall"), unit)]


def _sheet_title(breach: Breach) -> str:
    # A sheet's name: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", breach.period)[:31] or "1"


def breach_findings_xlsx(*, breach: Breach, findings: QuerySet[Finding]) -> bytes:
    """The breach's findings, one row each, under a header row (written as it streams: a breach
    of a large payroll holds many rows)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(breach))
    sheet.append([safe_cell(header) for header in finding_headers(breach.unit)])
    number_format = "0.00" if breach.unit in HUNDREDTHS else "0"
    for finding in findings.iterator(chunk_size=2000):
        row: list[Any] = [safe_cell(finding.employee_id), safe_cell(finding.period)]
        for value in (finding.expected, finding.actual):
            cell = WriteOnlyCell(sheet, value=finding_value(value, breach.unit))
            cell.number_format = "yyyy-mm-dd" if breach.unit == UNIT_DATE else number_format
            row.append(cell)
        shortfall = WriteOnlyCell(sheet, value=unit_amount(finding.shortfall, breach.unit))
        shortfall.number_format = number_format
        row.append(shortfall)
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def breach_findings_filename(breach: Breach) -> str:
    return f"breach-{breach.pk}-{breach.period}.xlsx"


def _csv_amount(value: int, unit: str) -> Decimal:
    """An amount as a CSV line writes it: hundredths always with two decimals (1000.50, 400.00)."""
    amount = unit_amount(value, unit)
    return amount.quantize(Decimal("0.01")) if unit in HUNDREDTHS else amount


def breach_list_csv(*, breaches: Iterable[Breach]) -> bytes:
    """The breaches, one line each: where, which clause and term, when, how many employees and
    by how much, in the unit named on the line, and their status."""
    breaches = list(breaches)
    numbers = clause_articles({breach.contract_id for breach in breaches})
    header = [
        _("Enterprise"),
        _("Contract"),
        _("Article"),
        _("Clause"),
        _("Commitment"),
        _("Period"),
        _("Employees affected"),
        _("Total shortfall"),
        _("Worst shortfall"),
        _("Worst affected employee"),
        _("Unit"),
        _("Status"),
    ]
    rows: list[list[Any]] = [header]
    for breach in breaches:
        n = numbers.get((breach.contract_id, breach.clause_number))
        kind = TERM_KINDS.get(breach.term_kind)
        rows.append(
            [
                breach.enterprise.name,
                breach.contract.title,
                article_label(n) if n else "",
                breach.clause.title if breach.clause else "",
                str(kind.label) if kind else breach.term_kind,
                breach.period,
                breach.affected_count,
                _csv_amount(breach.total_shortfall, breach.unit),
                _csv_amount(breach.worst_shortfall, breach.unit),
                breach.worst_employee,
                unit_word(breach.unit),
                breach.get_status_display(),
            ]
        )
    return csv_bytes(rows)
