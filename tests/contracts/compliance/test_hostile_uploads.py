"""Hostile payroll files (issue 12) are refused while they are read, with one problem naming the
limit, the value found and the limit; the import is rejected whole and nothing else is kept."""

import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.utils import translation

from contracts.compliance import parsing
from contracts.compliance.models import ImportStatus, PayrollImport
from contracts.compliance.parsing import parse_payroll, xlsx_slices
from contracts.compliance.tasks import import_payroll
from tests.contracts.compliance.hostile_files import bomb_xlsx
from tests.contracts.compliance.parsing.test_xlsx import xlsx

HEADER: list[object] = ["工号", "姓名", "月份", "基本工资", "加班小时", "加班费", "发薪日期"]
ROWS: list[list[object]] = [
    ["A1001", "王芳", "2025-03", 5200, 12, 537.93, "2025-04-10"],
    ["A1002", "李强", "2025-03", 4300, 0, 0, "2025-04-10"],
    ["A1003", "张伟", "2025-03", 4800, 0, 0, "2025-04-10"],
]


def csv(rows: list[list[object]]) -> bytes:
    return "".join(",".join(map(str, row)) + "\n" for row in rows).encode()


CSV = csv([HEADER, *ROWS])


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """1.2 MB that expands to 1,152 MiB: one shared string of "A"s (built in about a second)."""
    return bomb_xlsx(tmp_path_factory.mktemp("hostile") / "bomb.xlsx")


def only_problem(result) -> dict:
    assert result.frame is None
    assert result.problem_count == 1 and len(result.problems) == 1
    return result.problems[0]


def reason_in(language: str, problem: dict) -> str:
    with translation.override(language):
        return parsing.problems.problem_reason(problem)


def test_the_zip_bomb_is_refused_from_its_directory_alone(bomb, monkeypatch):
    assert bomb.stat().st_size < 1_300_000
    with zipfile.ZipFile(bomb) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) > 1_200_000_000

    def no_extraction(*args, **kwargs):
        raise AssertionError("a part of the bomb was extracted")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_extraction)
    problem = only_problem(parse_payroll(bomb, filename="工资.xlsx"))

    assert problem["code"] == "uncompressed_too_large"
    assert problem["params"] == {"found": "1,152.0", "limit": "1,024.0"}
    assert reason_in("en", problem) == "The spreadsheet expands to 1,152.0 MB when opened; at most 1,024.0 MB are read."
    chinese = reason_in("zh-hans", problem)  # worded from its code and values in each reader's language
    assert "1,152.0" in chinese and "1,024.0" in chinese


def test_the_bomb_breaks_the_compression_ratio_when_its_size_is_allowed(bomb, settings):
    settings.PAYROLL_MAX_UNCOMPRESSED_BYTES = 4 * 2**30

    problem = only_problem(parse_payroll(bomb, filename="工资.xlsx"))

    assert problem["code"] == "compression_ratio"
    assert problem["params"] == {"part": "xl/sharedStrings.xml", "found": "1,028", "limit": "100"}


def test_the_bomb_uploaded_is_rejected_whole_with_one_problem(bomb, upload, django_capture_on_commit_callbacks):
    response, _ = upload(bomb.read_bytes(), name="bomb.xlsx")
    assert response.status_code == 202

    with django_capture_on_commit_callbacks(execute=False):
        import_payroll.run(response.json()["id"])

    payroll = PayrollImport.objects.get(pk=response.json()["id"])
    assert payroll.status == ImportStatus.REJECTED
    assert payroll.problem_count == 1 and [p["code"] for p in payroll.problems] == ["uncompressed_too_large"]
    assert not payroll.columnar and payroll.row_count == 0


def test_a_bomb_whose_directory_lies_about_its_size_is_never_expanded(tmp_path):
    lying = bomb_xlsx(tmp_path / "lying.xlsx", declared=1000)  # says 1,000 bytes, holds 1.2 GB
    with zipfile.ZipFile(lying) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) < 3000

    problem = only_problem(parse_payroll(lying, filename="工资.xlsx"))

    assert problem["code"] == "unreadable_file"  # Python's zipfile stops at the declared size; calamine never sees it


def test_content_that_the_zip_directory_cannot_tell_is_checked_while_it_is_extracted(settings):
    settings.PAYROLL_MAX_CELL_CHARS = 100  # the directory says nothing about a cell's length
    content = xlsx([HEADER, ["A1", "x" * 101, "2025-03", 1, 0, 0, "2025-04-10"]])

    problem = only_problem(parse_payroll(content, filename="p.xlsx"))

    assert (problem["code"], problem["params"]) == ("cell_too_long", {"found": "101", "limit": "100"})


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_columns(kind, settings):
    settings.PAYROLL_MAX_COLUMNS = 8
    header, row = [*HEADER, "备注", "部门"], [*ROWS[0], "", ""]
    content = xlsx([header, row]) if kind == "xlsx" else csv([header, row])

    problem = only_problem(parse_payroll(content, filename=f"p.{kind}"))

    assert (problem["code"], problem["params"]) == ("too_many_columns", {"found": "9", "limit": "8"})
    assert reason_in("en", problem) == "The file has 9 columns; at most 8 are read."


def test_a_cell_far_to_the_right_is_refused_before_calamine_makes_the_sheet_that_wide():
    sheet = xlsx([HEADER, ROWS[0]], numbered=True).replace(b"", b"")
    with zipfile.ZipFile(__import__("io").BytesIO(sheet)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'<row r="3"><c r="XFD3"><v>1</v></c></row></sheetData>'
    )
    content = rezip(parts)

    problem = only_problem(parse_payroll(content, filename="p.xlsx"))

    assert (problem["code"], problem["params"]) == ("too_many_columns", {"found": "16,384", "limit": "200"})


def test_a_few_cells_spread_over_many_rows_are_refused_before_calamine_holds_them_all():
    content = xlsx([HEADER, ROWS[0]], numbered=True)
    with zipfile.ZipFile(__import__("io").BytesIO(content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'<row r="1000000"><c r="G1000000"><v>1</v></c></row></sheetData>'
    )

    problem = only_problem(parse_payroll(rezip(parts), filename="p.xlsx"))

    assert problem["code"] == "sparse_sheet"
    assert problem["params"] == {"found": "1,000,000 × 7", "limit": "4,000,000", "first": "1", "last": "1,000,000"}


def rezip(parts: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_too_long_cell(kind, settings):
    settings.PAYROLL_MAX_CELL_CHARS = 40
    row = [ROWS[0][0], "王" * 41, *ROWS[0][2:]]
    content = xlsx([HEADER, row]) if kind == "xlsx" else csv([HEADER, row])

    problem = only_problem(parse_payroll(content, filename=f"p.{kind}"))

    assert (problem["code"], problem["params"]) == ("cell_too_long", {"found": "41", "limit": "40"})
    assert reason_in("en", problem) == "A cell holds 41 characters; at most 40 are read."


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_rows(kind, settings):
    settings.PAYROLL_MAX_ROWS = 2
    content = xlsx([HEADER, *ROWS]) if kind == "xlsx" else CSV

    problem = only_problem(parse_payroll(content, filename=f"p.{kind}"))

    assert problem["code"] == "too_many_rows"
    assert problem["params"]["limit"] == "2"
    assert reason_in("en", problem) == "The file has more than 2 rows; split it into several files."


def test_a_too_long_csv_line_is_refused_before_it_is_parsed(settings):
    settings.PAYROLL_MAX_LINE_BYTES = 200
    content = CSV + b"A9," + b"x" * 300 + b",2025-03,1,0,0,2025-04-10\n"

    problem = only_problem(parse_payroll(content, filename="p.csv"))

    assert (problem["code"], problem["row"]) == ("line_too_long", 5)
    assert problem["params"] == {"found": "328", "limit": "200"}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_normal_file_still_imports(kind, upload, django_capture_on_commit_callbacks):
    content = xlsx([HEADER, *ROWS]) if kind == "xlsx" else CSV
    response, _ = upload(content, name=f"工资.{kind}")

    with django_capture_on_commit_callbacks(execute=False):
        import_payroll.run(response.json()["id"])

    payroll = PayrollImport.objects.get(pk=response.json()["id"])
    assert (payroll.status, payroll.row_count, payroll.problems) == (ImportStatus.ACCEPTED, 3, [])


def test_xml_read_in_python_refuses_entities():
    assert openpyxl.DEFUSEDXML is True  # openpyxl, if ever used, parses with defusedxml
    content = xlsx([HEADER, ROWS[0]])
    with zipfile.ZipFile(__import__("io").BytesIO(content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + parts["xl/workbook.xml"].replace(b'name="\xe5\xb7\xa5\xe8\xb5\x84"', b'name="&b;"')
    )

    with pytest.raises(xlsx_slices.NotSliceable) as refused:
        list(xlsx_slices.xlsx_slices(rezip(parts)))

    assert type(refused.value.__cause__).__name__ == "EntitiesForbidden"
