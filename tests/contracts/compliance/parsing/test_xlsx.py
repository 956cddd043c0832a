"""Reading payroll spreadsheets (SPEC §3): typed cells read as a person sees them, problems at
the rows the spreadsheet shows, and the same result whether the sheet is read in XLSX slices
and chunks or whole."""

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

import pandas as pd
import pytest

from contracts.compliance import columns as C
from contracts.compliance.parsing import parse_payroll, spreadsheet, xlsx_slices
from tests.contracts.compliance.parsing.conftest import problems_of


def xlsx(rows: list[list], *, numbered: bool = False) -> bytes:
    """A minimal .xlsx (inline strings, a date style) written with zipfile: openpyxl is not a dependency.

    ``numbered`` writes row and cell references and leaves out empty cells and rows, as Excel does.
    """

    def cell(value, ref):
        at = f' r="{ref}"' if numbered else ""
        if value is None:
            return "" if numbered else "<c/>"
        if isinstance(value, bool):
            return f'<c{at} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, dt.date):
            return f'<c{at} s="1"><v>{(value - dt.date(1899, 12, 30)).days}</v></c>'
        if isinstance(value, int | float):
            return f"<c{at}><v>{value!r}</v></c>"
        return f'<c{at} t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    def row(number, values):
        cells = "".join(cell(value, f"{chr(65 + i)}{number}") for i, value in enumerate(values))
        if not numbered:
            return f"<row>{cells}</row>"
        return f'<row r="{number}">{cells}</row>' if cells else ""

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    sheet = "".join(row(number, values) for number, values in enumerate(rows, start=1))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{pkg}/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="工资" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        )
        z.writestr(
            "xl/styles.xml",
            f'<styleSheet {ns}><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        )
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet}</sheetData></worksheet>")
    return buffer.getvalue()


def test_xlsx_with_numbers_dates_and_text_cells():
    # given a spreadsheet where cells are typed: numbers, date cells, and some text
    content = xlsx(
        [
            ["工号", "姓名", "月份", "基本工资", "加班费", "入职日期", "发薪日期"],
            [1001, "王芳", 202603, 5200.5, 537.93, dt.date(2016, 3, 5), "2026/4/10"],
            ["A1002", "李雷", "2026-03", "¥4,800.00", None, dt.date(2020, 7, 1), dt.date(2026, 4, 10)],
            ["A1003", "张三", dt.date(2026, 3, 1), 0.1 + 0.2, 0, None, None],  # 0.30000000000000004 CNY
        ]
    )
    # when parsed
    result = parse_payroll(content, filename="工资.xlsx")
    # then the values are those a person sees in the cells
    assert result.problems == []
    assert result.encoding == "spreadsheet"
    frame = result.frame
    assert frame[C.EMPLOYEE_ID].tolist() == ["1001", "A1002", "A1003"]
    assert frame[C.PERIOD].tolist() == [202603] * 3
    assert frame[C.BASE_WAGE].tolist() == [520_050, 480_000, 30]
    assert frame[C.OVERTIME_PAY].tolist() == [53_793, pd.NA, 0]
    assert frame[C.HIRE_DATE].tolist()[:2] == [pd.Timestamp("2016-03-05"), pd.Timestamp("2020-07-01")]
    assert frame[C.PAY_DATE].tolist()[:2] == [pd.Timestamp("2026-04-10")] * 2


def test_xlsx_problems_carry_spreadsheet_row_numbers():
    content = xlsx(
        [
            ["employee_id", "period", "base_wage"],
            ["E1", "2026-03", 1.005],
            ["E2", "2026-03", -1],
            ["E3", "someday", "n/a"],
        ]
    )
    result = parse_payroll(content, filename="p.xlsx")
    assert result.frame is None
    assert problems_of(result) == [
        (2, "base_wage", "1.005", "too_many_decimals"),
        (3, "base_wage", "-1", "negative"),
        (4, "period", "someday", "not_a_month"),
        (4, "base_wage", "n/a", "not_a_number"),
    ]


def read_whole(source):
    raise xlsx_slices.NotSliceable("read whole for this test")
    yield


@pytest.fixture(params=["one slice", "a slice per row", "whole"])
def reading(request, monkeypatch):
    """How a spreadsheet is read: XLSX slices for calamine (one or many), or the whole sheet at once."""
    monkeypatch.setattr(spreadsheet, "CHUNK_ROWS", 2)  # Python converts two rows at a time
    if request.param == "a slice per row":
        monkeypatch.setattr(xlsx_slices, "SLICE_BYTES", 1)
    if request.param == "whole":
        monkeypatch.setattr(spreadsheet, "xlsx_slices", read_whole)
    return request.param


@pytest.mark.parametrize("numbered", [True, False], ids=["rows numbered", "rows unnumbered"])
def test_xlsx_keeps_row_numbers_values_and_duplicates_across_slices_and_chunks(reading, numbered):
    # given a sheet with an empty first row and column, a blank row, and duplicates whose twins
    # lie in other slices and chunks (unnumbered rows past the first slice make it read whole)
    content = xlsx(
        [
            [],
            [None, "工号", "月份", "基本工资", "发薪日期"],  # row 2: the header
            [None, "E1", "2026-03", 3000, dt.date(2026, 4, 10)],
            [None, "E2", "2026-03", "n/a", dt.date(2026, 4, 10)],
            [None, None, None, None, None],  # row 5: blank, skipped
            [None, " E1 ", 202603, -5, "someday"],
            [None, "E3", dt.date(2026, 3, 1), 3000.001, None],
            [None, None, "2026-04", 1, None],
            [None, "E2", "2026-03", 4000, None],
        ],
        numbered=numbered,
    )
    # when parsed
    result = parse_payroll(content, filename="p.xlsx")
    # then every problem carries the row the spreadsheet shows and the cell as written
    assert problems_of(result) == [
        (3, "工号", "E1 2026-03", "duplicate_row"),
        (4, "工号", "E2 2026-03", "duplicate_row"),
        (4, "基本工资", "n/a", "not_a_number"),
        (6, "工号", " E1  202603", "duplicate_row"),
        (6, "基本工资", "-5", "negative"),
        (6, "发薪日期", "someday", "not_a_date"),
        (7, "基本工资", "3000.001", "too_many_decimals"),
        (8, "工号", "", "missing_value"),
        (9, "工号", "E2 2026-03", "duplicate_row"),
    ]
    assert "3, 6" in result.problems[0]["reason"] and "4, 9" in result.problems[1]["reason"]
    assert (result.problem_count, result.row_count) == (9, 6)


def test_xlsx_in_slices_and_chunks_caps_problems_and_counts_them_all(reading):
    rows = [["工号", "月份", "基本工资"]] + [[f"E{i}", "2026-03", "bad"] for i in range(50)]
    content = xlsx(rows, numbered=True)
    result = parse_payroll(content, filename="p.xlsx", max_problems=10)
    assert [(p["row"], p["value"]) for p in result.problems] == [(row, "bad") for row in range(2, 12)]
    assert result.problem_count == 50


def test_xlsx_in_slices_and_chunks_reads_the_frame_the_whole_sheet_gives(reading, monkeypatch):
    # given rows whose month and wage cells change type from row to row, and a gap of empty rows
    rows = [["工号", "月份", "基本工资", "入职日期"]] + [
        [f"E{i}", ["2026-03", 202604, dt.date(2026, 5, 1)][i % 3], [5200, "5,200.50", 1.5][i % 3], dt.date(2016, 3, 5)]
        for i in range(30)
    ]
    rows[10:10] = [[], [None, None]]
    content = xlsx(rows, numbered=True)
    # when parsed as the fixture reads it, and in one piece
    parsed = parse_payroll(content, filename="p.xlsx")
    monkeypatch.setattr(spreadsheet, "CHUNK_ROWS", 1_000)
    monkeypatch.setattr(spreadsheet, "xlsx_slices", read_whole)
    whole = parse_payroll(content, filename="p.xlsx")
    # then the frames are the same
    pd.testing.assert_frame_equal(parsed.frame, whole.frame)
    assert parsed.row_count == whole.row_count == 30
    assert whole.frame[C.PERIOD].tolist()[:3] == [202603, 202604, 202605]


def test_an_xlsx_is_handed_to_calamine_a_slice_at_a_time(monkeypatch):
    # given a numbered sheet and slices of about one row
    monkeypatch.setattr(xlsx_slices, "SLICE_BYTES", 1)
    slices = []

    def counted(source):
        for piece in xlsx_slices.xlsx_slices(source):
            slices.append(piece)
            yield piece

    monkeypatch.setattr(spreadsheet, "xlsx_slices", counted)
    content = xlsx([["工号", "月份", "基本工资"]] + [[f"E{i}", "2026-03", 1] for i in range(5)], numbered=True)
    # when parsed
    result = parse_payroll(content, filename="p.xlsx")
    # then each row went to calamine on its own, and the file reads as usual
    assert len(slices) == 6
    assert result.problems == [] and result.row_count == 5


def test_an_xlsx_whose_rows_are_unnumbered_past_its_first_slice_is_read_whole(monkeypatch):
    # given unnumbered rows cut into slices (calamine would count each slice's rows from the top)
    monkeypatch.setattr(xlsx_slices, "SLICE_BYTES", 1)
    whole_reads = []
    read = spreadsheet._read_whole
    monkeypatch.setattr(spreadsheet, "_read_whole", lambda *args: whole_reads.append(1) or read(*args))
    content = xlsx([["工号", "月份", "基本工资"], ["E1", "2026-03", 1], ["E2", "2026-03", -1]])
    # when parsed
    result = parse_payroll(content, filename="p.xlsx")
    # then the sheet was read whole, with the rows where the spreadsheet shows them
    assert whole_reads == [1]
    assert problems_of(result) == [(3, "基本工资", "-1", "negative")]


def test_a_number_after_a_date_cell_in_the_month_column_is_read_as_a_month():
    # pyarrow alone would infer one date column and read 202604 as a count of days since 1970
    content = xlsx([["工号", "月份", "基本工资"], ["E1", dt.date(2026, 5, 1), 1], ["E2", 202604, 1]])
    assert parse_payroll(content, filename="p.xlsx").frame[C.PERIOD].tolist() == [202605, 202604]


def test_a_true_or_false_cell_is_not_taken_for_a_number():
    content = xlsx([["工号", "月份", "基本工资"], ["E1", "2026-05", 1.5], ["E2", "2026-05", True]])
    assert problems_of(parse_payroll(content, filename="p.xlsx")) == [(3, "基本工资", "True", "not_a_number")]


def test_an_empty_sheet_is_unreadable_and_a_header_alone_has_no_rows():
    assert problems_of(parse_payroll(xlsx([]), filename="p.xlsx")) == [(1, "", "", "unreadable_file")]
    header_only = parse_payroll(xlsx([["工号", "月份", "基本工资"]]), filename="p.xlsx")
    assert problems_of(header_only) == [(2, "", "", "no_rows")]


def test_a_damaged_spreadsheet_is_rejected_as_unreadable():
    result = parse_payroll(b"PK\x03\x04 not really a zip", filename="p.xlsx")
    assert result.frame is None
    assert [p["code"] for p in result.problems] == ["unreadable_file"]
