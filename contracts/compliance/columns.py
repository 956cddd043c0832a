"""Column names and units of the canonical payroll frame and of the findings frame.

The canonical payroll frame (what ``parse_payroll`` returns and ``storage`` keeps):

| column | pandas dtype | unit |
|---|---|---|
| employee_id, name, department | ``string[pyarrow]`` | text, trimmed |
| gender | ``string[pyarrow]`` | ``"M"`` or ``"F"`` (男/女, M/F, male/female) |
| period | ``int32`` | the month as the integer YYYYMM (202603 is March 2026) |
| hire_date, pay_date | ``datetime64[s]`` | a day at midnight (pandas has no day unit) |
| base_wage, overtime_pay | ``int64`` / ``Int64`` | fen (0.01 CNY) |
| overtime_hours, ot_*_hours | ``Int64`` | hundredths of an hour |
| leave_days_taken | ``Int64`` | hundredths of a day |
| service_years | ``Int64`` | hundredths of a year |

Required columns (employee_id, period, base_wage) never hold a null; optional
columns are present only when the file has them and hold ``<NA>`` for a blank
cell. ``overtime_hours`` is present whenever the file has it or any of the three
split columns (then it is their sum, blank when all three are blank).

The findings frame (what every checker returns) is described in
``contracts.rules.terms.payroll``, where the column names are defined.
"""

from dataclasses import dataclass

# The column names and units are the checks' vocabulary: they live with the term kinds.
from contracts.rules.terms.payroll import (  # noqa: F401 (this module is the frame's one reference)
    ACTUAL,
    AFFECTED,
    BASE_WAGE,
    DEPARTMENT,
    EMPLOYEE_ID,
    ENTERPRISE,
    EXPECTED,
    FINDING_COLUMNS,
    GENDER,
    HIRE_DATE,
    LEAVE_DAYS_TAKEN,
    NAME,
    OT_HOLIDAY_HOURS,
    OT_REST_DAY_HOURS,
    OT_SPLIT_COLUMNS,
    OT_WEEKDAY_HOURS,
    OVERTIME_HOURS,
    OVERTIME_PAY,
    PAY_DATE,
    PERIOD,
    RUN_FINDING_COLUMNS,
    SERVICE_YEARS,
    SHORTFALL,
    SUMMARY_COLUMNS,
    TERM_ID,
    TOTAL_SHORTFALL,
    UNIT,
    UNIT_DATE,
    UNIT_DAY_HUNDREDTHS,
    UNIT_FEN,
    UNIT_HOUR_HUNDREDTHS,
    UNITS,
    WORST_SHORTFALL,
)

# Value kinds: how a cell is read.
TEXT = "text"
GENDER_KIND = "gender"
DATE = "date"
MONTH = "month"
MONEY = "money"  # decimal CNY with at most 2 places -> int fen
HUNDREDTHS = "hundredths"  # decimal with at most 2 places -> int hundredths


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool
    headers: tuple[str, ...]  # accepted headers besides the English name itself


FIELDS: tuple[Field, ...] = (
    Field(EMPLOYEE_ID, TEXT, True, ("工号", "员工编号", "employee id", "employee no", "staff id")),
    Field(NAME, TEXT, False, ("姓名",)),
    Field(DEPARTMENT, TEXT, False, ("部门",)),
    Field(GENDER, GENDER_KIND, False, ("性别", "sex")),
    Field(HIRE_DATE, DATE, False, ("入职日期",)),
    Field(PERIOD, MONTH, True, ("月份", "工资月份", "month")),
    Field(BASE_WAGE, MONEY, True, ("基本工资",)),
    Field(OVERTIME_HOURS, HUNDREDTHS, False, ("加班时长", "加班小时")),
    Field(OT_WEEKDAY_HOURS, HUNDREDTHS, False, ("工作日加班",)),
    Field(OT_REST_DAY_HOURS, HUNDREDTHS, False, ("休息日加班",)),
    Field(OT_HOLIDAY_HOURS, HUNDREDTHS, False, ("节假日加班",)),
    Field(OVERTIME_PAY, MONEY, False, ("加班工资", "加班费")),
    Field(LEAVE_DAYS_TAKEN, HUNDREDTHS, False, ("年休假天数",)),
    Field(PAY_DATE, DATE, False, ("发薪日期",)),
    Field(SERVICE_YEARS, HUNDREDTHS, False, ("工龄",)),
)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}
REQUIRED_COLUMNS = tuple(field.name for field in FIELDS if field.required)

# pandas dtypes of the canonical frame (optional money/hour columns are nullable).
STRING_DTYPE = "string[pyarrow]"
DATE_DTYPE = "datetime64[s]"
PERIOD_DTYPE = "int32"
