"""Reading payroll cells (SPEC §3): money in fen, dates, months, and blank cells."""

import numpy as np
import pandas as pd
import pytest

from contracts.compliance import columns as C
from contracts.compliance.parsing import parse_payroll


@pytest.mark.parametrize(
    ("cell", "fen"),
    [
        ("5200", 520_000),
        ("5200.5", 520_050),
        ('"5,200.00"', 520_000),
        ("¥5200.01", 520_001),
        ('"￥5,200"', 520_000),
        (" 5200 ", 520_000),
        ("5200.100", 520_010),  # trailing zeros past two places change nothing
        ("0", 0),
    ],
)
def test_money_formats_become_fen(cell, fen):
    result = parse_payroll(f"工号,月份,基本工资\nE1,2026-03,{cell}\n".encode(), filename="x.csv")
    assert result.problems == []
    assert result.frame[C.BASE_WAGE].tolist() == [fen]


@pytest.mark.parametrize("cell", ["2026-03-05", "2026/3/5", "2026年3月5日", "2026/03/05", "20260305"])
def test_date_formats(cell):
    result = parse_payroll(f"工号,月份,基本工资,发薪日期\nE1,2026-02,1,{cell}\n".encode(), filename="x.csv")
    assert result.problems == []
    assert result.frame[C.PAY_DATE].tolist() == [pd.Timestamp("2026-03-05")]


@pytest.mark.parametrize("cell", ["2026-03", "2026/03", "202603", "2026年3月", "2026-3", "2026年03月"])
def test_month_formats(cell):
    result = parse_payroll(f"工号,月份,基本工资\nE1,{cell},1\n".encode(), filename="x.csv")
    assert result.problems == []
    assert result.frame[C.PERIOD].tolist() == [202603]
    assert result.frame[C.PERIOD].dtype == np.int32


def test_blank_optional_cells_are_null_and_blank_rows_are_skipped():
    text = "工号,月份,基本工资,加班费,入职日期\nE1,2026-03,1,,\n,,,,\nE2,2026-03,2,3,\n"
    result = parse_payroll(text.encode(), filename="x.csv")
    assert result.problems == []
    assert result.row_count == 2
    assert result.frame[C.OVERTIME_PAY].tolist() == [pd.NA, 300]
    assert result.frame[C.HIRE_DATE].isna().all()
