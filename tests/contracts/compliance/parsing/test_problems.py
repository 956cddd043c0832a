"""Rejected payroll files (SPEC §3): nothing is accepted from a file with a problem, and every
problem is listed with its row, column, value and reason, duplicates with their twin rows,
up to a cap with the total counted."""

from contracts.compliance.parsing import parse_payroll
from tests.contracts.compliance.parsing.conftest import problems_of


def test_every_bad_cell_is_listed_with_row_column_value_and_reason():
    # given a file with one problem of each kind (the header is row 1)
    text = (
        "工号,月份,基本工资,加班小时,入职日期,性别\n"
        "E1,2026-03,abc,1,2020-01-01,女\n"  # row 2: not a number
        "E2,2026-13,1,1,2020-01-01,女\n"  # row 3: not a month
        "E3,2026-03,-5,1,2020-02-30,女\n"  # row 4: negative, not a date
        "E4,2026-03,1.001,2.345,2020-01-01,X\n"  # row 5: too many decimals twice, unknown gender
        ",2026-03,1,1,2020-01-01,男\n"  # row 6: employee id missing
    )
    # when parsed
    result = parse_payroll(text.encode(), filename="bad.csv")
    # then nothing is accepted and each problem is listed in row order
    assert result.frame is None
    assert problems_of(result) == [
        (2, "基本工资", "abc", "not_a_number"),
        (3, "月份", "2026-13", "not_a_month"),
        (4, "基本工资", "-5", "negative"),
        (4, "入职日期", "2020-02-30", "not_a_date"),
        (5, "基本工资", "1.001", "too_many_decimals"),
        (5, "加班小时", "2.345", "too_many_decimals"),
        (5, "性别", "X", "unknown_gender"),
        (6, "工号", "", "missing_value"),
    ]
    assert result.problem_count == 8
    assert all(p["reason"] for p in result.problems)


def test_a_missing_required_column_is_reported():
    result = parse_payroll("工号,基本工资\nE1,1\n".encode(), filename="x.csv")
    assert result.frame is None
    assert problems_of(result) == [(1, "period", "", "missing_column")]


def test_each_duplicate_employee_month_row_is_reported():
    text = "工号,月份,基本工资\nE1,2026-03,1\nE2,2026-03,1\nE1,202603,2\nE1,2026-04,1\n"
    result = parse_payroll(text.encode(), filename="x.csv")
    assert problems_of(result) == [
        (2, "工号", "E1 2026-03", "duplicate_row"),
        (4, "工号", "E1 202603", "duplicate_row"),
    ]
    assert "2, 4" in result.problems[0]["reason"]


def test_problems_are_capped_with_the_total_counted():
    text = "工号,月份,基本工资\n" + "".join(f"E{i},2026-03,bad\n" for i in range(300))
    result = parse_payroll(text.encode(), filename="x.csv", max_problems=200)
    assert result.frame is None
    assert len(result.problems) == 200
    assert result.problem_count == 300
    assert [p["row"] for p in result.problems[:3]] == [2, 3, 4]


def test_a_row_with_too_many_cells_rejects_the_file():
    result = parse_payroll("工号,月份,基本工资\nE1,2026-03,1\nE2,2026-03,1,9\n".encode(), filename="x.csv")
    assert result.frame is None
    assert problems_of(result) == [(3, "", "E2,2026-03,1,9", "malformed_row")]


def test_a_header_without_rows_is_rejected():
    result = parse_payroll("工号,月份,基本工资\n".encode(), filename="x.csv")
    assert result.frame is None
    assert [p["code"] for p in result.problems] == ["no_rows"]


def test_a_file_pasted_twice_reports_every_duplicate_with_its_twin_row():
    # given 6,000 rows followed by the same 6,000 rows again
    rows = "".join(f"E{i},2026-03,3000\n" for i in range(6000))
    result = parse_payroll(("工号,月份,基本工资\n" + rows + rows).encode(), filename="twice.csv")
    # then all 12,000 rows are duplicates, the first listed with its twin
    assert result.problem_count == 12_000
    assert len(result.problems) == 200
    assert result.problems[0]["row"] == 2
    assert "2, 6002" in result.problems[0]["reason"]
