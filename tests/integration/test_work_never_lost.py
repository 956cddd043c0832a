"""Work that must not be lost, with real workers killed by SIGKILL in the middle of it (as a crash
or the OOM killer would: no warm shutdown, no acknowledgement, no clean-up): a payroll import and
its compliance checks, and a document being rendered. The lease the dead worker held runs out,
the sweep (or asking again) queues the work once more, and a new worker does it: every task done
once, no breach, finding, alert or e-mail lost or doubled."""

import os
import shutil
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from contracts.compliance.models import Breach, ComplianceRun, Finding, ImportStatus, PayrollImport, RunStatus
from contracts.compliance.services.sweep import compliance_work_requeue
from contracts.documents import pdf
from contracts.enterprises.models import Role
from contracts.models import Document, DocumentStatus
from contracts.services.documents import document_request
from notifications.models import Alert, Delivery, DeliveryStatus
from tests.factories import MIN_WAGE, contract_in_effect, payroll_csv, payroll_upload
from tests.integration.test_notification_outbox import SETTLE
from tests.smtp import WAIT, free_port

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EMPLOYEES = 25_000  # × 12 months: 300,000 rows, a few seconds of work to be killed in
SHORT = 10  # employees paid 2,900 CNY every month, under the contract's 3,000
LEASE = "3"  # seconds a worker's claim lasts here, so a dead worker's runs out within the test


@pytest.fixture
def workers(restartable_worker, smtp_server):
    return restartable_worker(EMAIL_URL=smtp_server.url, WORK_LEASE_SECONDS=LEASE, NOTIFICATIONS_LEASE_SECONDS=LEASE)


def wait_until(condition, *, worker, what: str, timeout: float = WAIT, every: float = 0.2, then=None):
    """Poll ``condition`` until it holds (calling ``then`` between polls: the sweep, say)."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if worker.current is not None and worker.current.process.poll() is None:
            worker.assert_running()
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout:.0f} s; the workers' logs:\n{worker.log()}")
        if then is not None:
            then()
        time.sleep(every)
    return result


def big_payroll() -> bytes:
    lines = ["employee_id,period,base_wage"]
    for month in range(1, 13):
        period = f"2025-{month:02d}"
        lines += [f"E{n:06d},{period},{2900 if n < SHORT else 3500}" for n in range(EMPLOYEES)]
    return ("\n".join(lines) + "\n").encode()


def test_a_worker_killed_in_the_middle_of_an_import_and_its_checks_loses_and_doubles_nothing(
    workers, smtp_server, enterprise, union_user, make_member, remove_stored_files, settings
):
    # given a contract in effect for 2025 with a 3,000 CNY minimum, and a union leader to hear of breaches
    contract = contract_in_effect(enterprise, union_user, terms=[MIN_WAGE])
    leader = make_member(enterprise, Role.UNION_LEADER)
    settings.WORK_REQUEUE_AFTER_SECONDS = 2  # this process runs the sweep, as beat would
    workers.start()

    # when the worker is killed while it reads and checks a 300,000-row payroll
    payroll = payroll_upload(union_user, enterprise, big_payroll())
    wait_until(
        lambda: PayrollImport.objects.filter(pk=payroll.pk, status=ImportStatus.PROCESSING).exists(),
        worker=workers,
        what="the worker did not start the import",
        every=0.02,
    )
    workers.kill()
    killed = PayrollImport.objects.get(pk=payroll.pk)
    assert killed.status == ImportStatus.PROCESSING and killed.lease_until is not None

    # then a new worker, given the work again by the sweep once the dead one's lease ran out, does it
    workers.start()
    wait_until(
        lambda: ComplianceRun.objects.filter(payroll_import=payroll, status=RunStatus.DONE).exists(),
        worker=workers,
        what="the import and its checks were not done again",
        timeout=3 * WAIT,
        every=1.0,
        then=compliance_work_requeue,
    )
    # with one breach a month, ten employees each, and their alerts and e-mails once each
    breaches = list(Breach.objects.filter(contract=contract).order_by("period"))
    assert [(b.period, b.affected_count, b.total_shortfall) for b in breaches] == [
        (f"2025-{m:02d}", SHORT, SHORT * 10_000) for m in range(1, 13)
    ]
    assert Finding.objects.filter(run__payroll_import=payroll).count() == 12 * SHORT
    assert ComplianceRun.objects.filter(payroll_import=payroll).count() == 1
    alerts = Alert.objects.filter(recipient=leader)
    assert sorted(alerts.values_list("link", flat=True)) == sorted(f"/breaches/{b.pk}/" for b in breaches)
    wait_until(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == len(breaches),
        worker=workers,
        what="not every alert's e-mail was sent",
    )
    time.sleep(SETTLE)
    received = Counter(message.message_id for message in smtp_server.received)
    assert sorted(received.values()) == [1] * len(breaches)
    assert {message.rcpt_tos[0] for message in smtp_server.received} == {leader.email}
    assert PayrollImport.objects.get(pk=payroll.pk).status == ImportStatus.ACCEPTED


def test_a_worker_killed_while_it_renders_a_document_leaves_it_to_the_next_who_stores_it_once(
    workers, enterprise, union_user, remove_stored_files, settings
):
    if pdf.soffice_path() is None:  # without LibreOffice a render is too quick to be killed in
        if os.environ.get("CONCORD_REQUIRE_PDF") == "1":
            pytest.fail("CONCORD_REQUIRE_PDF=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice is not installed")
    settings.WORK_REQUEUE_AFTER_SECONDS = 2
    contract = contract_in_effect(enterprise, union_user, terms=[MIN_WAGE])
    workers.start()

    # when the worker is killed once it holds the document (rendering the .docx or its PDF)
    document = document_request(user=union_user, contract=contract, kind="contract")
    wait_until(
        lambda: Document.objects.filter(pk=document.pk, lease_until__isnull=False).exists(),
        worker=workers,
        what="the worker did not take the document",
        every=0.02,
    )
    workers.kill()
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.PENDING

    # then, once the dead worker's lease ran out, asking again hands it to a new worker, which stores it once
    workers.start()
    time.sleep(float(LEASE) + 0.5)
    again = document_request(user=union_user, contract=contract, kind="contract")
    assert again.pk == document.pk
    ready = wait_until(
        lambda: Document.objects.filter(pk=document.pk, status=DocumentStatus.READY).first(),
        worker=workers,
        what="the document was not rendered again",
    )
    assert ready.checksum and ready.file and ready.lease_until is None
    assert Document.objects.filter(contract=contract).count() == 1
    folder = Path(ready.file.path).parent
    assert sorted(path.suffix for path in folder.iterdir() if path.is_file()) == [".docx", ".pdf"]


@pytest.fixture
def own_redis(tmp_path, restartable_worker):
    """A Redis server of this test's own, without persistence (what it holds when stopped is lost),
    that the test stops and starts again on the same port; this process sends its tasks there
    (set after ``restartable_worker`` has pointed them at its own broker)."""
    from urllib.parse import urlsplit

    from kombu import pools

    from config.celery import app as celery_app
    from tests.integration.conftest import _reset_producer_pools

    binary = shutil.which("redis-server")
    if binary is None or not urlsplit(celery_app.conf.broker_url).scheme.startswith("redis"):
        if os.environ.get("CONCORD_REQUIRE_SERVERS") == "1":  # CI's server stage
            pytest.fail("CONCORD_REQUIRE_SERVERS=1 but redis-server or the Redis broker is missing")
        pytest.skip("needs redis-server and CELERY_BROKER_URL on Redis (CI's server stage)")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    class Server:
        process: subprocess.Popen | None = None

        def start(self) -> None:
            self.process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    return
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail("the test's Redis did not start")
                    time.sleep(0.1)

        def stop(self) -> None:
            assert self.process is not None
            self.process.kill()  # as a crash: whatever it held is gone
            self.process.wait(timeout=30)

    def write_to(target: str | None) -> None:
        celery_app.conf["CELERY_BROKER_WRITE_URL"] = target
        celery_app.conf["broker_write_url"] = target
        _reset_producer_pools()
        pools.reset()

    server = Server()
    server.start()
    write_to(url)
    try:
        yield server, url
    finally:
        write_to(None)
        if server.process is not None and server.process.poll() is None:
            server.stop()


OUTAGE = 60  # seconds Redis stays down


def test_imports_queued_when_redis_went_down_for_a_minute_are_each_done_once(
    own_redis, restartable_worker, enterprise, union_user, remove_stored_files, settings
):
    redis, url = own_redis
    settings.WORK_REQUEUE_AFTER_SECONDS = 2
    contract = contract_in_effect(enterprise, union_user, terms=[MIN_WAGE])
    rows = [(f"E{n}", "2025-03", 2900 if n == 0 else 3500) for n in range(3)]

    # given two imports queued in Redis, no worker up yet, and Redis then lost with them
    queued = [payroll_upload(union_user, enterprise, payroll_csv(*rows, ("X", f"2025-0{m}", 4000))) for m in (4, 5)]
    redis.stop()

    # when a third file is uploaded while Redis is down: the upload is kept, pending
    during = payroll_upload(union_user, enterprise, payroll_csv(*rows))
    assert PayrollImport.objects.get(pk=during.pk).status == ImportStatus.PENDING
    time.sleep(OUTAGE)

    # then, Redis back (empty) and a worker started, the sweep queues all three and each is done once
    redis.start()
    worker = restartable_worker(CELERY_BROKER_URL=url, WORK_LEASE_SECONDS=LEASE)
    worker.start()
    payrolls = [*queued, during]
    wait_until(
        lambda: PayrollImport.objects.filter(pk__in=[p.pk for p in payrolls], status=ImportStatus.ACCEPTED).count()
        == 3,
        worker=worker,
        what="the three imports were not all done",
        timeout=3 * WAIT,
        every=1.0,
        then=compliance_work_requeue,
    )
    wait_until(
        lambda: ComplianceRun.objects.filter(payroll_import__in=payrolls, status=RunStatus.DONE).count() == 3,
        worker=worker,
        what="the three compliance runs were not all done",
        then=compliance_work_requeue,
    )
    assert ComplianceRun.objects.filter(payroll_import__in=payrolls).count() == 3
    # E0's March shortfall is one breach, whichever of the three imports found it first
    assert list(Breach.objects.filter(contract=contract).values_list("period", "affected_count")) == [("2025-03", 1)]
