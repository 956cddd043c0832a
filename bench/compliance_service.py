"""Benchmark: the whole compliance path as the service runs it, on 1,000,000 payroll rows.

Run from the project root: ``.venv/bin/python bench/compliance_service.py [--rows 1000000]``.

It reuses the payroll file ``bench/compliance.py`` generates (and generates it when it is
missing), sets Django up on a fresh SQLite database in a temporary folder, creates an
enterprise and an effective contract with the six payroll terms, and then times, in one
process, what a worker does:

1. ``payroll_import_upload``: the upload kept byte for byte, with its checksum;
2. ``payroll_import_process``: parse, validate, write the Parquet copy, and run the checks of
   the effective contract on the rows still in memory: findings and breaches stored through
   the database, alerts raised (the end-to-end figure);
3. ``compliance_run_execute`` again, as a re-run does: the rows read back from Parquet.

It prints the seconds of each step, the total, the findings and breaches stored and the
peak resident memory as JSON, and exits non-zero unless the findings stored are exactly
the planted breaches.
"""

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import compliance as generator  # noqa: E402  (bench/compliance.py: the data and its manifest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "concord-bench-compliance")
    args = parser.parse_args()
    data = args.data / f"rows-{args.rows}-v{generator.GENERATOR_VERSION}"
    with tempfile.TemporaryDirectory() as folder:
        generator.setup_django(Path(folder))
        if not (data / "manifest.json").exists():
            data.mkdir(parents=True, exist_ok=True)
            generator.generate(args.rows, data)
        report = run(data, Path(folder))
    report["expected_findings"] = generator.expected_counts(json.loads((data / "manifest.json").read_text()))
    ok = report["findings_by_kind"] == report["expected_findings"]
    report["planted_breaches_found_exactly"] = ok
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if ok else 1


def run(data: Path, folder: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db.models import Count

    from contracts.compliance.models import ComplianceRun, Finding, RunStatus
    from contracts.compliance.services.imports import payroll_import_process, payroll_import_upload
    from contracts.compliance.services.runs import compliance_run_execute
    from contracts.enterprises.models import Enterprise, Federation, Membership, Role
    from contracts.models import Contract, ContractStatus

    call_command("migrate", verbosity=0)
    enterprise = Enterprise.objects.create(
        name="Bench", union_name="Bench union", federation=Federation.objects.create(name="Bench"),
        local_minimum_wage="2000",
    )  # fmt: skip
    leader = get_user_model().objects.create_user("leader")
    Membership.objects.create(user=leader, enterprise=enterprise, role=Role.UNION_LEADER)
    contract = Contract.objects.create(
        enterprise=enterprise, title="Bench contract", kind="general", status=ContractStatus.EFFECTIVE,
        term_start=dt.date(2025, 1, 1), term_end=dt.date(2027, 12, 31),
    )  # fmt: skip
    contract.clauses.create(
        number="1", category="pay", text="The bench terms.",
        terms=[{"kind": kind, "params": params} for _, kind, params in generator.TERMS],
    )  # fmt: skip
    content = (data / "payroll.csv").read_bytes()
    timings = {}
    start = time.perf_counter()
    payroll = payroll_import_upload(
        user=leader, enterprise=enterprise, upload=SimpleUploadedFile("payroll.csv", content, "text/csv")
    )
    timings["upload_kept"] = time.perf_counter() - start
    # What the import task does: parse, validate, store the Parquet copy, and check the rows
    # it holds in memory against the effective contract (findings and breaches stored).
    start = time.perf_counter()
    payroll = payroll_import_process(payroll_id=payroll.pk)
    timings["import_and_checks"] = time.perf_counter() - start
    run = contract.compliance_runs.get()
    # What a re-run does (asked for again, or a retried task): the rows read back from Parquet.
    ComplianceRun.objects.filter(pk=run.pk).update(status=RunStatus.PENDING)
    start = time.perf_counter()
    run = compliance_run_execute(run_id=run.pk)
    timings["rerun_from_parquet"] = time.perf_counter() - start
    by_kind = dict(Finding.objects.filter(run=run).values_list("breach__term_kind").annotate(n=Count("id")).order_by())
    return {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": generator.machine(),
        "rows": payroll.row_count,
        "status": payroll.status,
        "seconds": {key: round(value, 3) for key, value in timings.items()},
        "end_to_end_seconds": round(timings["import_and_checks"], 3),
        "findings_stored": run.finding_count,
        "breaches_stored": run.breach_count,
        "findings_by_kind": by_kind,
        "peak_rss_mb": round(generator.peak_mb(), 1),
    }


if __name__ == "__main__":
    sys.exit(main())
