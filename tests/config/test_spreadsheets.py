"""A cell a spreadsheet would run as a formula is written as text; every other value is left as it is."""

import csv
import io

import pytest

from config.spreadsheets import csv_bytes, safe_cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_string_beginning_like_a_formula_is_written_behind_an_apostrophe(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", ["王丽", "A1002", "1+1", "", 42, -5, 3.5, None])
def test_other_values_and_numbers_are_left_as_they_are(value):
    assert safe_cell(value) == value


def test_the_csv_opens_in_excel_as_utf_8_with_every_hostile_cell_made_text():
    data = csv_bytes([["姓名", "金额"], ["=SUM(A1:A9)", -5], ["@cmd", 12]])

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["姓名", "金额"], ["'=SUM(A1:A9)", "-5"], ["'@cmd", "12"]]
