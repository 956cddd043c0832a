"""Benchmark: how fast a hostile payroll file is refused, and the worker's peak memory meanwhile.

Run: ``.venv/bin/python bench/hostile_upload.py``

Each case runs in a fresh process (so ``ru_maxrss`` is that case's own peak) and calls
``parse_payroll`` on a file built on the fly, as the import task does:

- ``bomb``: a 1.2 MB XLSX whose one shared string expands to 1,152 MiB (1.2 GB);
- ``bomb-ratio``: the same with the size limit lifted to 4 GiB, so the compression ratio refuses it;
- ``bomb-lying``: the same bomb whose zip headers claim 1,000 bytes for the huge part;
- ``xlsx-5000`` and ``csv-5000``: normal files of 5,000 rows, accepted.

Targets (issue 12): the bomb refused in under 5 s with the process under 500 MB.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = ["bomb", "bomb-ratio", "bomb-lying", "xlsx-5000", "csv-5000"]
HEADER = ["工号", "姓名", "月份", "基本工资", "加班小时", "加班费", "发薪日期"]


def rows(count: int) -> list[list]:
    generator = random.Random(20261204)
    return [
        [f"E{i:06d}", "王芳", "2025-03", generator.randint(2700, 9000), generator.randint(0, 30), 0, "2025-04-10"]
        for i in range(count)
    ]


def run_case(case: str, folder: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from contracts.compliance.parsing import parse_payroll
    from tests.contracts.compliance.hostile_files import bomb_xlsx
    from tests.contracts.compliance.parsing.test_xlsx import xlsx

    if case.startswith("bomb"):
        path = bomb_xlsx(folder / "bomb.xlsx", declared=1000 if case == "bomb-lying" else None)
        if case == "bomb-ratio":
            settings.PAYROLL_MAX_UNCOMPRESSED_BYTES = 4 * 2**30
    elif case == "xlsx-5000":
        path = folder / "payroll.xlsx"
        path.write_bytes(xlsx([HEADER, *rows(5000)]))
    else:
        path = folder / "payroll.csv"
        path.write_text("\n".join(",".join(map(str, row)) for row in [HEADER, *rows(5000)]) + "\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = parse_payroll(path, filename=path.name)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    return {
        "case": case,
        "file_mb": round(path.stat().st_size / 2**20, 2),
        "seconds": round(seconds, 3),
        "peak_mb": round(peak / 1024, 1),
        "peak_before_mb": round(before / 1024, 1),
        "accepted": result.accepted,
        "rows": result.row_count,
        "problems": [problem["code"] for problem in result.problems][:3],
        "reason": result.problems[0]["reason"] if result.problems else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES, help="run one case in this process and print it as JSON")
    args = parser.parse_args()
    if args.case:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(run_case(args.case, Path(folder)), ensure_ascii=False))
        return
    results = []
    for case in CASES:
        done = subprocess.run(
            [sys.executable, __file__, "--case", case], capture_output=True, text=True, check=True, cwd=ROOT
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )
    print("Run: `.venv/bin/python bench/hostile_upload.py` (each case in a fresh process)\n")
    print("| case | file | time to parse / refuse | process peak (ru_maxrss) | result |")
    print("|---|---|---|---|---|")
    for r in results:
        outcome = f"accepted, {r['rows']:,} rows" if r["accepted"] else f"refused: {', '.join(r['problems'])}"
        print(
            f"| {r['case']} | {r['file_mb']} MB | {r['seconds']:.3f} s | {r['peak_mb']:,.0f} MB "
            f"(before parsing {r['peak_before_mb']:,.0f} MB) | {outcome} |"
        )
    print()
    for r in results:
        if r["reason"]:
            print(f"- {r['case']}: {r['reason']}")


if __name__ == "__main__":
    main()
