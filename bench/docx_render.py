"""Benchmark: rendering a 60-clause collective contract to .docx (and once to PDF).

Run from the project root: ``.venv/bin/python bench/docx_render.py [--runs 30] [--clauses 60]``.

It sets Django up on a throw-away SQLite database in a temporary folder (nothing
under ``var/`` is touched), creates an enterprise and a contract of N clauses
through the services, then times, ``--runs`` times each:

- ``context``: building the rendering context from the database (version snapshot,
  labels through gettext, dates);
- ``render``: the pure (template, context) → .docx bytes function;
- ``total``: both, as the worker does them.

Where LibreOffice is installed it also times one PDF conversion (a cold start with
a fresh profile, as every conversion in the service is). Target: median .docx
render under 0.1 s.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLAUSE_TEXT = (
    "企业应当按照国家和本市的有关规定，结合本企业的经营状况，合理确定职工工资水平，"
    "职工月工资不低于当地最低工资标准，加班工资按照《劳动法》第四十四条的规定支付。"
)
CATEGORIES = [
    "pay",
    "working_time",
    "rest_leave",
    "safety_health",
    "insurance_welfare",
    "women_minors",
    "training",
    "labour_contracts",
    "rewards_penalties",
    "layoffs",
    "term",
    "amendment",
    "disputes",
    "breach_liability",
    "other",
]


def setup_django(folder: Path) -> None:
    os.environ["CONCORD_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["CACHE_URL"] = "locmemcache://"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def make_contract(clauses: int):
    import datetime as dt

    from django.contrib.auth import get_user_model

    from contracts.enterprises.models import Enterprise, Federation, Membership, Role
    from contracts.services.lifecycle import contract_create

    federation = Federation.objects.create(name="深圳市总工会")
    enterprise = Enterprise.objects.create(
        name="深圳某电子有限公司", union_name="深圳某电子有限公司工会", federation=federation
    )
    user = get_user_model().objects.create(username="bench", first_name="张三")
    Membership.objects.create(user=user, enterprise=enterprise, role=Role.UNION_NEGOTIATOR)
    return contract_create(
        user=user,
        enterprise=enterprise,
        kind="general",
        title="2026—2029年度集体合同",
        term_start=dt.date(2026, 7, 1),
        term_end=dt.date(2029, 6, 30),
        clauses=[
            {
                "number": f"第{n}条",
                "category": CATEGORIES[(n - 1) * len(CATEGORIES) // clauses],
                "title": f"条款{n}",
                # Every third clause has two paragraphs and the characters that need escaping.
                "text": CLAUSE_TEXT + ("\n双方另行约定 A&B <C> 的事项。" if n % 3 == 0 else ""),
            }
            for n in range(1, clauses + 1)
        ],
        union_chief=user,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": model, "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clauses", type=int, default=60)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF conversion")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="concord-bench-") as folder:
        setup_django(Path(folder))
        from contracts.documents import pdf
        from contracts.documents.context import contract_context
        from contracts.documents.render import render_docx
        from contracts.documents.templates import template_path

        contract = make_contract(args.clauses)
        template = template_path("contract")
        # One warm-up run: imports, the gettext catalogue and lxml's first parse.
        docx = render_docx(template, contract_context(contract=contract, language="zh-hans", version=contract.version))

        timings: dict[str, list[float]] = {"context": [], "render": [], "total": []}
        for _ in range(args.runs):
            started = time.perf_counter()
            context = contract_context(contract=contract, language="zh-hans", version=contract.version)
            built = time.perf_counter()
            docx = render_docx(template, context)
            done = time.perf_counter()
            timings["context"].append(built - started)
            timings["render"].append(done - built)
            timings["total"].append(done - started)

        info = machine()
        print(f"machine: nproc={info['nproc']}, cpu={info['cpu']}, python={info['python']}")
        print(f"contract: {args.clauses} clauses, {len(docx):,} bytes of .docx; {args.runs} runs")
        print(f"{'step':<10}{'median s':>10}{'p95 s':>10}{'max s':>10}")
        for step, values in timings.items():
            print(f"{step:<10}{statistics.median(values):>10.4f}{percentile(values, 0.95):>10.4f}{max(values):>10.4f}")

        if args.no_pdf:
            return
        if not pdf.pdf_available():
            print("pdf: LibreOffice is not installed; skipped")
            return
        started = time.perf_counter()
        result = pdf.docx_to_pdf(docx)
        print(f"pdf: one conversion {time.perf_counter() - started:.2f} s, {len(result):,} bytes")


if __name__ == "__main__":
    main()
