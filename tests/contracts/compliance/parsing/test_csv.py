"""Reading payroll CSV files (SPEC §3): encodings (GB18030 found past the head of the file too),
header languages, and a path given as text."""

from pathlib import Path

import pandas as pd
import pytest

from contracts.compliance import columns as C
from contracts.compliance.parsing import parse_payroll

SAMPLE = Path("/work/shared/data/payroll-sample-gb18030.csv")

CHINESE = "工号,姓名,性别,入职日期,月份,基本工资,工作日加班,休息日加班,节假日加班,加班费,发薪日期\n"
CHINESE_ROWS = (
    'A1001,王芳,女,2016/3/5,2026-03,"5,200.00",10,2,1.5,¥900.50,2026年4月10日\n'
    "A1002,李雷,男,2020-07-01,2026-03,4800,,,,,\n"
)


def csv_bytes(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")]
)
def test_csv_in_each_encoding_reads_the_same_frame(encoding, detected):
    # given the same Chinese-headed CSV in three encodings
    content = csv_bytes(CHINESE + CHINESE_ROWS, encoding)
    # when parsed
    result = parse_payroll(content, filename="payroll.csv")
    # then it is accepted with the encoding detected and the values converted
    assert result.problems == []
    assert result.encoding == detected
    frame = result.frame
    assert frame[C.EMPLOYEE_ID].tolist() == ["A1001", "A1002"]
    assert frame[C.NAME].tolist() == ["王芳", "李雷"]
    assert frame[C.GENDER].tolist() == ["F", "M"]
    assert frame[C.BASE_WAGE].tolist() == [520_000, 480_000]
    assert frame[C.OT_HOLIDAY_HOURS].tolist() == [150, pd.NA]
    assert frame[C.OVERTIME_HOURS].tolist() == [1350, pd.NA]  # the sum of the three split columns
    assert frame[C.OVERTIME_PAY].tolist() == [90_050, pd.NA]
    assert frame[C.PAY_DATE].tolist()[0] == pd.Timestamp("2026-04-10")
    assert pd.isna(frame[C.PAY_DATE].iloc[1])
    assert frame[C.HIRE_DATE].tolist() == [pd.Timestamp("2016-03-05"), pd.Timestamp("2020-07-01")]
    assert result.periods == ["2026-03"]
    assert result.row_count == 2


def test_the_shared_gb18030_sample_imports_clean():
    # given the HR-system export: GB18030, 员工编号, 月份 as 202503, one 加班小时 column
    result = parse_payroll(SAMPLE, filename=SAMPLE.name)
    # then its 60 rows are accepted
    assert result.problems == [] and result.problem_count == 0
    assert result.encoding == "gb18030"
    assert result.row_count == 60 and len(result.frame) == 60
    assert result.periods == [f"2025-{m:02d}" for m in range(1, 13)]
    first = result.frame.iloc[0]
    assert (first[C.EMPLOYEE_ID], first[C.NAME], first[C.GENDER]) == ("A1001", "王芳", "F")
    assert (first[C.PERIOD], first[C.BASE_WAGE], first[C.OVERTIME_HOURS], first[C.OVERTIME_PAY]) == (
        202501,
        520_000,
        1200,
        53_793,
    )
    assert first[C.HIRE_DATE] == pd.Timestamp("2016-03-05")
    # and with only the total hours, no split columns are made up
    assert not set(C.OT_SPLIT_COLUMNS) & set(result.frame.columns)


def test_english_headers_match_case_insensitively_and_trimmed():
    text = " Employee_ID ,PERIOD, Base Wage ,Overtime_Hours,overtime pay\nE1,2026/03,3000,1.25,10\n"
    result = parse_payroll(text.encode(), filename="en.csv")
    assert result.problems == []
    assert list(result.frame.columns) == [C.EMPLOYEE_ID, C.PERIOD, C.BASE_WAGE, C.OVERTIME_HOURS, C.OVERTIME_PAY]
    assert result.frame[C.OVERTIME_HOURS].tolist() == [125]


def test_a_header_with_a_unit_in_brackets_and_unknown_columns_are_accepted():
    text = "员工编号,月份,基本工资（元）,备注\nE1,202603,3000,无\n"
    result = parse_payroll(text.encode("gb18030"), filename="x.csv")
    assert result.problems == []
    assert list(result.frame.columns) == [C.EMPLOYEE_ID, C.PERIOD, C.BASE_WAGE]


def test_a_path_given_as_text_is_read(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes((CHINESE + CHINESE_ROWS).encode())
    assert parse_payroll(str(path), filename="p.csv").row_count == 2


def test_gb18030_is_detected_when_chinese_first_appears_past_the_head_of_the_file():
    # given a GB18030 file whose first 64 kB are plain ASCII
    ascii_rows = "".join(f"E{i},2026-03,3000,Smith\n" for i in range(5000))
    text = "employee_id,period,base_wage,name\n" + ascii_rows + "Z1,2026-03,3000,王芳\n"
    # when parsed
    result = parse_payroll(text.encode("gb18030"), filename="late.csv")
    # then the Chinese name is read correctly
    assert result.encoding == "gb18030"
    assert result.frame[C.NAME].iloc[-1] == "王芳"
