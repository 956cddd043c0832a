"""Benchmark: importing a 1,000,000-row payroll and running every compliance check on it.

Run from the project root:
``.venv/bin/python bench/compliance.py [--rows 1000000] [--repeat 3] [--xlsx-repeat 2] [--no-xlsx]``.

It generates (once; kept in ``--data``, default ``/tmp/concord-bench-compliance``) a
payroll CSV of ``--rows`` rows rounded up to whole years: ceil(rows / 12) employees
× the 12 months of 2025, shaped like the shared GB18030 sample (Chinese headers,
月份 as 202503, base wage with thousands separators, dates as 2025/3/10, split
overtime columns), with breaches of each kind planted in known numbers and edge
rows that must not be found (a wage exactly at the minimum, exactly 36 h, a
premium one fen short, leave at exactly 10 and 20 years of service, pay on a due
date moved before a weekend). Then it measures, each phase in a fresh Python
process so that its peak resident memory (``VmHWM``) is its own:

a. ``pyarrow.csv.read_csv`` of the file alone (the floor);
b. ``parse_payroll`` (read, convert, validate) plus writing the Parquet file;
c. ``run_checks`` with the six payroll term kinds (the frame read from Parquet first, untimed);
d. a naive per-row implementation (csv module, ``Decimal`` per cell, checks row by
   row) on the first 100,000 rows, scaled ×10;
e. an XLSX of the same rows: python-calamine's bare read (open + ``to_python()``, every
   cell a Python object) against ``parse_payroll`` (which hands calamine the sheet a
   slice of rows at a time and converts each before the next), and calamine's own
   load of the whole sheet into its Rust memory (open + ``get_sheet_by_index``, not
   one Python cell): the memory floor of any whole-sheet read.

It exits non-zero when the checks do not find exactly the planted breaches, or
the naive implementation disagrees on its subset. Each phase is printed as it ends
(stderr), then the whole report as JSON (stdout), from which bench/RESULTS.md is written.
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 20261127
GENERATOR_VERSION = 3
MIN_WAGE = "2690"
OT_CAP = "36"
PAY_DAY = 15
RAISE_PERCENT = "3"
REFERENCE = "2025-01"
TIERS = [{"from_years": 1, "days": 5}, {"from_years": 10, "days": 10}, {"from_years": 20, "days": 15}]
TERMS = [
    ("min_monthly_wage", "min_monthly_wage", {"amount": MIN_WAGE}),
    ("max_overtime_hours_month", "max_overtime_hours_month", {"hours": OT_CAP}),
    ("overtime_premium", "overtime_premium", {"weekday": "1.5", "rest_day": "2.0", "holiday": "3.0"}),
    ("wage_increase_pct", "wage_increase_pct", {"percent": RAISE_PERCENT, "reference_period": REFERENCE}),
    ("annual_leave_days", "annual_leave_days", {"tiers": TIERS}),
    ("pay_day", "pay_day", {"day": PAY_DAY}),
]
HEADERS = [
    "员工编号", "姓名", "部门", "性别", "入职日期", "月份", "基本工资",
    "工作日加班", "休息日加班", "节假日加班", "加班费", "年休假天数", "发薪日期",
]  # fmt: skip
NAIVE_ROWS = 100_000
REPEATED = {"arrow_read", "parse", "checks"}


def setup_django(folder: Path) -> None:
    os.environ["CONCORD_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["CACHE_URL"] = "locmemcache://"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def peak_mb() -> float:
    """This process's peak resident memory in MiB.

    ``VmHWM`` of /proc/self/status, not ``ru_maxrss``: Linux carries ``ru_maxrss``
    across exec, so a child would report its parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- generating the data ---------------------------------------------------------------


def generate(rows: int, folder: Path) -> dict:
    """Write payroll.csv and manifest.json (planted breaches by kind) into ``folder``."""
    import numpy as np
    import pandas as pd

    from contracts.rules.terms.pay_day import pay_due_date

    rng = np.random.default_rng(SEED)
    employees = math.ceil(rows / 12)
    n = employees * 12
    emp = np.repeat(np.arange(employees), 12)
    month = np.tile(np.arange(1, 13), employees)
    period = 202500 + month

    # Hire dates, with edge employees at exactly 10 and 20 years of service on 1 January 2025.
    hire = np.datetime64("1990-01-01") + rng.integers(0, 12_600, employees).astype("timedelta64[D]")
    hire[0::97] = np.datetime64("2015-01-01")  # exactly 10 years
    hire[1::97] = np.datetime64("2005-01-01")  # exactly 20 years
    hire[2::97] = np.datetime64("2015-01-02")  # a day short of 10 years
    hire[3::97] = np.datetime64("2024-06-01")  # under a year: no leave due
    hire_year = hire.astype("datetime64[Y]").astype(int) + 1970
    service = 2025 - hire_year - (hire > hire.astype("datetime64[Y]"))
    entitled = np.select([service >= 20, service >= 10, service >= 1], [1500, 1000, 500], 0)

    # Base wage: January, unchanged until June, +5 % from July (so Feb–Jun miss a +3 % promise).
    january = rng.integers(3_000, 15_000, employees) * 100 + rng.choice([0, 50], employees)
    base = np.repeat(january, 12)
    raised = month >= 7
    base[raised] = (base[raised] * 105 + 50) // 100
    not_january = np.flatnonzero(month != 1)
    picks = rng.choice(not_january, 1_500, replace=False)
    min_breach, min_edge = picks[:1_200], picks[1_200:]
    base[min_breach] = rng.integers(100_000, 269_000, len(min_breach))
    base[min_breach[:100]] = 268_999
    base[min_edge] = 269_000

    # Overtime: at most 36 h in total, some exactly 36 h, some planted above.
    wd = rng.integers(0, 2_000, n)
    rd = rng.integers(0, 1_000, n)
    hd = rng.integers(0, 600, n)
    wd[rng.random(n) < 0.3] = 0
    picks = rng.choice(n, 1_400, replace=False)
    ot_breach, ot_edge = picks[:900], picks[900:]
    wd[ot_edge] = 3_600 - rd[ot_edge] - hd[ot_edge]
    wd[ot_breach] = 3_601 - rd[ot_breach] - hd[ot_breach] + rng.integers(0, 1_500, len(ot_breach))

    # Overtime pay: exactly due (rounded half up), some one fen short (tolerated), some planted short.
    weighted = 15 * wd + 20 * rd + 30 * hd  # rates × 10
    num, den = base * weighted, 100 * 10 * 174
    due_pay = (2 * num + den) // (2 * den)
    pay = due_pay.copy()
    payable = np.flatnonzero(due_pay >= 10)
    picks = rng.choice(payable, 3_500, replace=False)
    pay_breach, pay_edge = picks[:1_500], picks[1_500:]
    pay[pay_edge] -= 1
    pay[pay_breach] -= np.minimum(rng.integers(2, 5_000, len(pay_breach)), due_pay[pay_breach])

    # Annual leave: taken in one month; exactly the entitlement or more, some planted half a day short.
    extra = rng.choice([0, 0, 50, 100, 200], employees)
    total_leave = entitled + extra
    due_leave = np.flatnonzero(entitled > 0)
    leave_breach = rng.choice(due_leave, 2_000, replace=False)
    total_leave[leave_breach] = entitled[leave_breach] - 50
    leave = np.zeros(n, np.int64)
    leave_month = rng.integers(1, 13, employees)
    leave[np.arange(employees) * 12 + leave_month - 1] = total_leave

    # Pay dates: on the due date (moved before weekends and holidays), some planted late.
    due = np.array([np.datetime64(pay_due_date(202500 + m, PAY_DAY)) for m in range(1, 13)])
    paid = due[month - 1].copy()
    late = rng.choice(n, 1_000, replace=False)
    paid[late] += rng.integers(1, 4, len(late)).astype("timedelta64[D]")

    names = np.array(["王芳", "李雷", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊"])
    departments = np.array(["装配一线", "装配二线", "质检", "仓储物流", "设备维修", "行政"])
    genders = np.array(["男", "女"])

    def money(fen: np.ndarray) -> list[str]:
        return [f"{f / 100:,.2f}" for f in fen.tolist()]

    def hundredths(value: np.ndarray) -> list[str]:
        return [f"{v // 100}" if v % 100 == 0 else f"{v / 100:.2f}" for v in value.tolist()]

    def slash_dates(days: np.ndarray) -> np.ndarray:
        text = pd.Series(days.astype("datetime64[D]")).dt.strftime("%Y/%-m/%-d")
        return text.to_numpy()

    frame = pd.DataFrame(
        {
            "员工编号": np.char.add("E", np.char.zfill(emp.astype(str), 6)),
            "姓名": names[emp % len(names)],
            "部门": departments[emp % len(departments)],
            "性别": genders[emp % 2],
            "入职日期": slash_dates(hire)[emp],
            "月份": period,
            "基本工资": money(base),
            "工作日加班": hundredths(wd),
            "休息日加班": hundredths(rd),
            "节假日加班": hundredths(hd),
            "加班费": [f"{p / 100:.2f}" for p in pay.tolist()],
            "年休假天数": hundredths(leave),
            "发薪日期": slash_dates(paid),
        }
    )
    frame.to_csv(folder / "payroll.csv", index=False, encoding="utf-8")

    # What the checks must find: (row or employee) indices per kind.
    increase_months = [f"2025-{m:02d}" for m in range(2, 7)]
    manifest = {
        "rows": n,
        "employees": employees,
        "planted": {
            "min_monthly_wage": sorted(min_breach.tolist()),
            "max_overtime_hours_month": sorted(ot_breach.tolist()),
            "overtime_premium": sorted(pay_breach.tolist()),
            "pay_day": sorted(late.tolist()),
            "annual_leave_days": sorted((leave_breach * 12).tolist()),  # first row of each employee-year
            "wage_increase_pct": increase_months,
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def expected_counts(manifest: dict, rows: int | None = None) -> dict[str, int]:
    """Planted breaches among the first ``rows`` rows (all when None)."""
    limit = manifest["rows"] if rows is None else rows
    counts = {}
    for kind, planted in manifest["planted"].items():
        if kind == "wage_increase_pct":
            counts[kind] = len(planted)
        elif kind == "annual_leave_days":  # an employee-year counts only when all 12 rows are in
            counts[kind] = sum(1 for first in planted if first + 12 <= limit)
        else:
            counts[kind] = sum(1 for row in planted if row < limit)
    return counts


def write_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    """A streaming .xlsx writer (shared strings, numbers, date cells), as Excel lays a sheet out."""
    with open(csv_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        body = list(reader)
    strings: dict[str, int] = {}

    def shared(text: str) -> int:
        index = strings.get(text)
        if index is None:
            index = strings[text] = len(strings)
        return index

    epoch = dt.date(1899, 12, 30).toordinal()
    date_cache: dict[str, int] = {}

    def serial(text: str) -> int:
        value = date_cache.get(text)
        if value is None:
            y, m, d = (int(part) for part in text.split("/"))
            value = date_cache[text] = dt.date(y, m, d).toordinal() - epoch
        return value

    letters = [chr(65 + i) for i in range(len(header))]
    kinds = ["s", "s", "s", "s", "d", "p", "n", "n", "n", "n", "n", "n", "d"]
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    with zipfile.ZipFile(xlsx_path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet {ns}><sheetData>'.encode())
            cells = "".join(f'<c r="{letters[i]}1" t="s"><v>{shared(h)}</v></c>' for i, h in enumerate(header))
            sheet.write(f'<row r="1">{cells}</row>'.encode())
            chunk = []
            for number, row in enumerate(body, start=2):
                parts = [f'<row r="{number}">']
                for i, value in enumerate(row):
                    kind, ref = kinds[i], f"{letters[i]}{number}"
                    if kind == "s":
                        parts.append(f'<c r="{ref}" t="s"><v>{shared(value)}</v></c>')
                    elif kind == "d":
                        parts.append(f'<c r="{ref}" s="1"><v>{serial(value)}</v></c>')
                    elif kind == "p":
                        parts.append(f'<c r="{ref}" t="s"><v>{shared(value[:4] + "-" + value[4:])}</v></c>')
                    else:
                        parts.append(f'<c r="{ref}"><v>{value.replace(",", "")}</v></c>')
                parts.append("</row>")
                chunk.append("".join(parts))
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())
        sst = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        z.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sst {ns} count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">{sst}</sst>',
        )
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="工资" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        )
        z.writestr(
            "xl/styles.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet {ns}><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/>'
            '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        )


# --- the naive per-row implementation ----------------------------------------------------

_DATE = re.compile(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?")


def naive_checks(path: Path, limit: int) -> dict[str, int]:
    """What a straightforward implementation does: csv module, Decimal per cell, checks row by row."""
    from contracts.rules.terms.pay_day import pay_due_date

    def number(text: str) -> Decimal:
        value = Decimal(text.replace(",", "").replace("¥", "").replace("￥", "").strip() or "0")
        if value < 0 or value != value.quantize(Decimal("0.01")):
            raise ValueError(text)
        return value

    def date(text: str) -> dt.date:
        y, m, d = (int(g) for g in _DATE.fullmatch(text.strip()).groups())
        return dt.date(y, m, d)

    counts = dict.fromkeys([kind for kind, _, _ in TERMS], 0)
    seen: set[tuple[str, int]] = set()
    leave: dict[tuple[str, int], list] = {}
    wages: dict[int, dict[str, Decimal]] = {}
    divisor = Decimal("21.75") * 8
    minimum, cap = Decimal(MIN_WAGE), Decimal(OT_CAP)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        at = {name: header.index(name) for name in HEADERS}
        for count, row in enumerate(reader):
            if count >= limit:
                break
            employee, period = row[at["员工编号"]].strip(), int(row[at["月份"]])
            if (employee, period) in seen:
                raise ValueError("duplicate")
            seen.add((employee, period))
            base = number(row[at["基本工资"]])
            wd, rd, hd = (number(row[at[h]]) for h in ("工作日加班", "休息日加班", "节假日加班"))
            pay, taken = number(row[at["加班费"]]), number(row[at["年休假天数"]])
            hired, paid = date(row[at["入职日期"]]), date(row[at["发薪日期"]])
            if base < minimum:
                counts["min_monthly_wage"] += 1
            if wd + rd + hd > cap:
                counts["max_overtime_hours_month"] += 1
            expected = (base / divisor * (Decimal("1.5") * wd + 2 * rd + 3 * hd)).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            if pay < expected - Decimal("0.01"):
                counts["overtime_premium"] += 1
            if paid > pay_due_date(period, PAY_DAY):
                counts["pay_day"] += 1
            entry = leave.setdefault((employee, period // 100), [0, Decimal(0), hired])
            entry[0] += 1
            entry[1] += taken
            wages.setdefault(period, {})[employee] = base
    for (_employee, year), (months, taken, hired) in leave.items():
        if months != 12:
            continue
        years = year - hired.year - (1 if (hired.month, hired.day) > (1, 1) else 0)
        days = max((tier["days"] for tier in TIERS if years >= tier["from_years"]), default=0)
        if taken < days:
            counts["annual_leave_days"] += 1
    reference = wages.get(int(REFERENCE.replace("-", "")), {})
    factor = 1 + Decimal(RAISE_PERCENT) / 100
    for period, month_wages in wages.items():
        if period <= int(REFERENCE.replace("-", "")):
            continue
        both = reference.keys() & month_wages.keys()
        if both and sum(month_wages[e] for e in both) < sum(reference[e] for e in both) * factor:
            counts["wage_increase_pct"] += 1
    return counts


# --- phases, each run in a fresh process --------------------------------------------------


def phase(name: str, data: Path, work: Path) -> dict:
    setup_django(work)
    csv_path, xlsx_path = data / "payroll.csv", data / "payroll.xlsx"
    result: dict = {"phase": name}
    if name == "baseline":
        import pandas  # noqa: F401
        import pyarrow.csv  # noqa: F401

        from contracts.compliance import checks, parsing  # noqa: F401
    elif name == "arrow_read":
        import pyarrow.csv as pacsv

        start = time.perf_counter()
        table = pacsv.read_csv(csv_path)
        result["seconds"] = time.perf_counter() - start
        result["rows"] = table.num_rows
    elif name == "parse":
        from contracts.compliance.parsing import parse_payroll
        from contracts.compliance.storage import payroll_frame_path, payroll_frame_write

        upload = work / "payroll.csv"
        start = time.perf_counter()
        parsed = parse_payroll(csv_path, filename="payroll.csv")
        parsed_at = time.perf_counter()
        if parsed.frame is None:
            raise SystemExit(f"rejected: {parsed.problem_count} problems, first {parsed.problems[:5]}")
        stored = payroll_frame_write(parsed.frame, path=payroll_frame_path(upload))
        end = time.perf_counter()
        result |= {
            "seconds": end - start,
            "parse_seconds": parsed_at - start,
            "store_seconds": end - parsed_at,
            "rows": parsed.row_count,
            "parquet_mb": stored.stat().st_size / 2**20,
            "csv_mb": csv_path.stat().st_size / 2**20,
            "frame_mb": int(parsed.frame.memory_usage(deep=True).sum()) / 2**20,
        }
    elif name == "checks":
        from contracts.compliance.checks import CheckContext, breach_summary, run_checks
        from contracts.compliance.storage import payroll_frame_path, payroll_frame_read

        start = time.perf_counter()
        frame = payroll_frame_read(payroll_frame_path(work / "payroll.csv"))
        result["read_parquet_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        findings = run_checks(frame, TERMS, CheckContext())
        summary = breach_summary(findings)
        result["seconds"] = time.perf_counter() - start
        result["found"] = {kind: int((findings["term_id"] == kind).sum()) for kind, _, _ in TERMS}
        result["breaches"] = len(summary)
        subset = frame.iloc[:NAIVE_ROWS]
        sub_findings = run_checks(subset, TERMS, CheckContext())
        result["found_subset"] = {kind: int((sub_findings["term_id"] == kind).sum()) for kind, _, _ in TERMS}
    elif name == "naive":
        start = time.perf_counter()
        result["found_subset"] = naive_checks(csv_path, NAIVE_ROWS)
        result["seconds"] = time.perf_counter() - start
        result["rows"] = NAIVE_ROWS
    elif name == "xlsx_load":
        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        sheet = CalamineWorkbook.from_path(str(xlsx_path)).get_sheet_by_index(0)
        result["seconds"] = time.perf_counter() - start
        result["rows"] = sheet.height - 1
    elif name == "xlsx_bare":
        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        rows = CalamineWorkbook.from_path(str(xlsx_path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
        result["seconds"] = time.perf_counter() - start
        result["rows"] = len(rows) - 1
    elif name == "xlsx_parse":
        from contracts.compliance.parsing import parse_payroll

        start = time.perf_counter()
        parsed = parse_payroll(xlsx_path, filename="payroll.xlsx")
        result["seconds"] = time.perf_counter() - start
        result["rows"] = parsed.row_count
        result["problems"] = parsed.problem_count
    result["peak_mb"] = peak_mb()
    return result


def best_of(runs: list[dict]) -> dict:
    """The fastest run, with every run's time and the highest peak memory of all."""
    best = min(runs, key=lambda run: run.get("seconds", 0))
    return best | {
        "runs_seconds": [round(run.get("seconds", 0), 3) for run in runs],
        "peak_mb": max(run["peak_mb"] for run in runs),
    }


def run_phase(name: str, data: Path, work: Path) -> dict:
    command = [sys.executable, __file__, "--phase", name, "--data", str(data), "--work", str(work)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def machine() -> dict:
    import pandas
    import pyarrow

    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram = next(
        (
            int(line.split()[1]) / 2**20
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(ram, 1),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "load": os.getloadavg(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "concord-bench-compliance")
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX comparison")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each CSV phase; the best counts")
    parser.add_argument("--xlsx-repeat", type=int, default=2, help="rounds of the XLSX phases; the best counts")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.data, args.work)))
        return 0

    data = args.data / f"rows-{args.rows}-v{GENERATOR_VERSION}"
    data.mkdir(parents=True, exist_ok=True)
    timings_path = data / "generation.json"
    generation = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    if not (data / "manifest.json").exists():
        with tempfile.TemporaryDirectory() as folder:
            setup_django(Path(folder))
            start = time.perf_counter()
            generate(args.rows, data)
            generation["csv_seconds"] = time.perf_counter() - start
        timings_path.write_text(json.dumps(generation))
    if not args.no_xlsx and not (data / "payroll.xlsx").exists():
        start = time.perf_counter()
        write_xlsx(data / "payroll.csv", data / "payroll.xlsx")
        generation["xlsx_seconds"] = time.perf_counter() - start
        timings_path.write_text(json.dumps(generation))
    manifest = json.loads((data / "manifest.json").read_text())

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        runs: dict[str, list[dict]] = {}
        for name in ["baseline", "arrow_read", "parse", "checks", "naive"]:
            # The machine is shared: the best of --repeat runs is the figure, every run is kept.
            runs[name] = [run_phase(name, data, work) for _ in range(args.repeat if name in REPEATED else 1)]
            results[name] = best_of(runs[name])
            print(f"{name}: {json.dumps(results[name])}", file=sys.stderr)
        # The XLSX phases take turns (load, bare, parse, load, ...) so that a busier
        # moment of the machine weighs on each of them alike.
        xlsx_phases = [] if args.no_xlsx else ["xlsx_load", "xlsx_bare", "xlsx_parse"]
        for _ in range(args.xlsx_repeat):
            for name in xlsx_phases:
                runs.setdefault(name, []).append(run_phase(name, data, work))
        for name in xlsx_phases:
            results[name] = best_of(runs[name])
            print(f"{name}: {json.dumps(results[name])}", file=sys.stderr)

    rows = manifest["rows"]
    a, b, c = (results[p]["seconds"] for p in ("arrow_read", "parse", "checks"))
    d = results["naive"]["seconds"] * rows / NAIVE_ROWS
    want, want_subset = expected_counts(manifest), expected_counts(manifest, NAIVE_ROWS)
    ok = results["checks"]["found"] == want
    ok_subset = results["naive"]["found_subset"] == want_subset == results["checks"]["found_subset"]
    report = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": machine(),
        "generation": generation,
        "rows": rows,
        "phases": results,
        "import_and_checks_seconds": b + c,
        "ratio_import_checks_to_arrow_read": (b + c) / a,
        "naive_scaled_seconds": d,
        "ratio_naive_to_import_checks": d / (b + c),
        "planted": want,
        "planted_found_exactly": ok,
        "naive_subset_agrees": ok_subset,
    }
    if "xlsx_bare" in results:
        report["ratio_xlsx_parse_to_bare"] = results["xlsx_parse"]["seconds"] / results["xlsx_bare"]["seconds"]
        report["xlsx_parse_peak_over_calamine_load_peak_mb"] = (
            results["xlsx_parse"]["peak_mb"] - results["xlsx_load"]["peak_mb"]
        )
    print(json.dumps(report, indent=2, default=str))
    if not ok:
        print(f"MISMATCH: found {results['checks']['found']}, planted {want}", file=sys.stderr)
    if not ok_subset:
        print(
            f"MISMATCH on {NAIVE_ROWS} rows: naive {results['naive']['found_subset']}, "
            f"fast {results['checks']['found_subset']}, planted {want_subset}",
            file=sys.stderr,
        )
    return 0 if ok and ok_subset else 1


if __name__ == "__main__":
    sys.exit(main())
