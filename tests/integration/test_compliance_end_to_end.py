"""Compliance monitoring end to end with a real Celery worker: a payroll file uploaded through
the API is imported by the worker, which then runs the contract's checks and writes the
breaches and their alerts to the database."""

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.compliance.models import Breach, BreachStatus, ComplianceRun, ImportStatus, PayrollImport, RunStatus
from contracts.enterprises.models import Role
from notifications.models import Alert
from tests.factories import EnterpriseFactory, FederationOfficerFactory, contract_in_effect

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SAMPLE = Path("/work/shared/data/payroll-sample-gb18030.csv")
WAIT = 90  # seconds: an upper bound for the worker to get through its tasks, not a timing requirement


def wait_for(condition, *, worker, what: str):
    """Poll ``condition`` until it returns something truthy, failing with the worker's log after ``WAIT``."""
    deadline = time.monotonic() + WAIT
    while True:
        result = condition()
        if result:
            return result
        worker.assert_running()
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {WAIT} s; the worker's log:\n{worker.log()}")
        time.sleep(0.25)


# The contracts in effect here set a 4000 CNY monthly minimum.
MIN_WAGE_4000 = {"kind": "min_monthly_wage", "params": {"amount": "4000"}}


def upload(client, enterprise, content: bytes, name: str):
    return client.post(
        "/api/v1/payroll-imports/",
        {"enterprise": enterprise.pk, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
        format="multipart",
    )


def test_an_uploaded_payroll_is_imported_checked_and_its_breaches_alerted_by_the_worker(
    celery_worker, remove_stored_files, enterprise, union_user, make_member, client_for
):
    # given a contract in effect for 2025 with a 4000 CNY minimum, which A1005 (3900 CNY) falls short of
    # every month of the sample, a union leader and a federation officer to hear of it, and an outsider
    contract = contract_in_effect(enterprise, union_user, title="2025年集体合同", terms=[MIN_WAGE_4000])
    leader = make_member(enterprise, Role.UNION_LEADER)
    officer = FederationOfficerFactory(federation=enterprise.federation).user
    outsider = make_member(EnterpriseFactory(), Role.UNION_LEADER)
    client = client_for(union_user)

    # when the HR export is uploaded through the API
    response = upload(client, enterprise, SAMPLE.read_bytes(), SAMPLE.name)
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    payroll_id = response.json()["id"]

    # then the worker imports it ...
    payroll = wait_for(
        lambda: PayrollImport.objects.filter(
            pk=payroll_id, status__in=[ImportStatus.ACCEPTED, ImportStatus.REJECTED]
        ).first(),
        worker=celery_worker,
        what="the worker did not finish the import",
    )
    assert (payroll.status, payroll.encoding, payroll.row_count, payroll.problem_count) == (
        ImportStatus.ACCEPTED,
        "gb18030",
        60,
        0,
    )
    assert payroll.periods == [f"2025-{month:02d}" for month in range(1, 13)]
    assert Path(payroll.columnar.path).is_file()

    # ... then runs the contract's checks by itself ...
    run = wait_for(
        lambda: ComplianceRun.objects.filter(
            payroll_import=payroll, status__in=[RunStatus.DONE, RunStatus.FAILED]
        ).first(),
        worker=celery_worker,
        what="the worker did not finish the compliance run",
    )
    assert (run.contract_id, run.status, run.requested_by) == (contract.pk, RunStatus.DONE, None)
    assert (run.finding_count, run.breach_count) == (12, 12)

    # ... and the database holds one breach a month, 100 CNY short for A1005, each alerted once
    breaches = list(Breach.objects.filter(contract=contract).order_by("period"))
    assert [(b.term_kind, b.period, b.affected_count, b.total_shortfall, b.worst_employee) for b in breaches] == [
        ("min_monthly_wage", f"2025-{m:02d}", 1, 10_000, "A1005") for m in range(1, 13)
    ]
    expected_alerts = sorted((user.pk, f"/breaches/{b.pk}/") for user in (leader, officer) for b in breaches)
    assert sorted(Alert.objects.values_list("recipient_id", "link")) == expected_alerts
    assert not Alert.objects.filter(recipient__in=[union_user, outsider]).exists()

    # ... whose e-mails the worker sends, after which every breach counts as notified
    wait_for(
        lambda: not Breach.objects.filter(contract=contract).exclude(status=BreachStatus.NOTIFIED).exists(),
        worker=celery_worker,
        what="the breaches were not all notified",
    )

    # and the API shows the run's result and the breaches
    result = client.get(f"/api/v1/compliance-runs/{run.pk}/").json()
    assert [(b["period"], b["affected_count"], b["total_shortfall"]) for b in result["breaches"]] == [
        (f"2025-{m:02d}", 1, 10_000) for m in range(1, 13)
    ]
    listed = client.get("/api/v1/breaches/", {"contract": contract.pk, "status": "notified"}).json()
    assert listed["count"] == 12


def test_a_rejected_upload_is_reported_by_the_worker_and_checks_nothing(
    celery_worker, remove_stored_files, enterprise, union_user, make_member, client_for
):
    # given a contract in effect and a union leader
    contract_in_effect(enterprise, union_user, title="2025年集体合同", terms=[MIN_WAGE_4000])
    make_member(enterprise, Role.UNION_LEADER)
    content = "工号,月份,基本工资\nA1,2025-03,-3000\nA2,2025-03,3000\n".encode("gb18030")

    # when a payroll with a negative wage is uploaded
    response = upload(client_for(union_user), enterprise, content, "bad.csv")
    assert response.status_code == 202

    # then the worker rejects it with the problem, and no run, breach or alert follows
    payroll = wait_for(
        lambda: PayrollImport.objects.filter(
            pk=response.json()["id"], status__in=[ImportStatus.ACCEPTED, ImportStatus.REJECTED]
        ).first(),
        worker=celery_worker,
        what="the worker did not finish the import",
    )
    assert payroll.status == ImportStatus.REJECTED
    assert [(p["row"], p["column"], p["value"]) for p in payroll.problems] == [(2, "基本工资", "-3000")]
    assert payroll.problem_count == 1
    assert not payroll.columnar
    with payroll.file.open("rb") as kept:
        assert kept.read() == content
    assert not ComplianceRun.objects.exists()
    assert not Breach.objects.exists()
    assert not Alert.objects.exists()
