"""The files people open in a spreadsheet: a breach's findings as XLSX and the list of breaches
as CSV, downloaded from the pages. A cell that begins like a formula (an employee id such as
``=HYPERLINK(…)``) comes back as text, never as a formula; amounts stay numbers in the unit the
header names."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from contracts.compliance.models import Breach
from contracts.enterprises.models import Role
from tests.factories import contract_in_effect, payroll_check, payroll_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

HYPERLINK = '=HYPERLINK("http://evil.example/","click")'
# Each formula-like start the exports must neutralise, as employee ids of the payroll file.
PLANTED = [HYPERLINK, "+86-1", "-5", "@SUM(A1)"]


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@pytest.fixture
def leader(enterprise, make_member):
    client = Client(headers={"accept-language": "en"})
    client.force_login(make_member(enterprise, Role.UNION_LEADER))
    return client


@pytest.fixture
def breach(enterprise, union_user) -> Breach:
    """Under the 3000 CNY floor in March 2025: the planted ids short by 100, 200, 300, 400 CNY, and A1 by 0.50."""
    contract_in_effect(enterprise, union_user, title="=cmd|' /C calc'!A0")
    rows = [(csv_cell(employee), "2025-03", 2900 - 100 * n) for n, employee in enumerate(PLANTED)]
    payroll_check(union_user, enterprise, payroll_csv(*rows, ("A1", "2025-03", "2999.50")))
    return Breach.objects.get()


def test_the_findings_xlsx_holds_formula_like_ids_as_text_and_amounts_as_numbers(breach, leader):
    response = leader.get(reverse("contracts:breach_findings_export", args=[breach.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="breach-{breach.pk}-2025-03.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == [
        "Employee",
        "Period",
        "Expected (yuan)",
        "Actual (yuan)",
        "Shortfall (yuan)",
    ]
    # largest shortfall first: "@SUM(A1)" short by 400, then "-5", "+86-1", the hyperlink, A1
    ids = [row[0] for row in rows[1:]]
    assert [cell.value for cell in ids] == ["'@SUM(A1)", "'-5", "'+86-1", "'" + HYPERLINK, "A1"]
    assert all(cell.data_type == "s" for cell in ids)  # text, not a formula ("f")
    assert not any(cell.data_type == "f" for row in rows for cell in row)
    hyperlink = rows[4]
    assert [cell.value for cell in hyperlink[1:]] == ["2025-03", 3000, 2900, 100]
    assert all(isinstance(cell.value, int | float) for cell in hyperlink[2:])
    assert [cell.value for cell in rows[5][2:]] == [3000, 2999.5, 0.5]


def test_the_findings_xlsx_follows_the_order_the_page_is_sorted_in(breach, leader):
    response = leader.get(
        reverse("contracts:breach_findings_export", args=[breach.pk]), {"sort": "shortfall", "dir": "asc"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "A1",
        "'" + HYPERLINK,
        "'+86-1",
        "'-5",
        "'@SUM(A1)",
    ]


def test_the_breach_list_csv_neutralises_formula_like_cells_and_keeps_numbers(breach, leader):
    response = leader.get(reverse("contracts:breaches_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel reads the Chinese as UTF-8
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [
        "Enterprise",
        "Contract",
        "Article",
        "Clause",
        "Commitment",
        "Period",
        "Employees affected",
        "Total shortfall",
        "Worst shortfall",
        "Worst affected employee",
        "Unit",
        "Status",
    ]
    assert len(lines) == 2
    line = dict(zip(lines[0], lines[1], strict=True))
    assert line["Contract"] == "'=cmd|' /C calc'!A0"
    assert line["Worst affected employee"] == "'@SUM(A1)"
    assert (line["Employees affected"], line["Total shortfall"], line["Worst shortfall"]) == ("5", "1000.50", "400.00")
    assert Decimal(line["Total shortfall"]) == Decimal("1000.50")
    assert (line["Article"], line["Clause"], line["Period"], line["Unit"], line["Status"]) == (
        "Article 1",
        "Wages",
        "2025-03",
        "yuan",
        "open",
    )


def test_the_breach_list_csv_is_narrowed_like_the_page(breach, leader, enterprise, union_user):
    payroll_check(union_user, enterprise, payroll_csv(("B1", "2025-04", "2000")))

    everything = leader.get(reverse("contracts:breaches_export"))
    april = leader.get(reverse("contracts:breaches_export"), {"period": "2025-04"})

    assert len(list(csv.reader(io.StringIO(everything.content.decode("utf-8-sig"))))) == 3
    april_lines = list(csv.reader(io.StringIO(april.content.decode("utf-8-sig"))))
    assert [line[5] for line in april_lines[1:]] == ["2025-04"]


def test_a_congress_delegate_is_refused_both_files(breach, enterprise, make_member):
    delegate = Client()
    delegate.force_login(make_member(enterprise, Role.CONGRESS_DELEGATE))

    assert delegate.get(reverse("contracts:breaches_export")).status_code == 403
    # The same 404 as for a breach that does not exist (issue 12).
    assert delegate.get(reverse("contracts:breach_findings_export", args=[breach.pk])).status_code == 404
