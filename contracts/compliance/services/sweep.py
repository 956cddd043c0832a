"""Work a lost worker or broker left behind: imports and runs still pending or running after a
while are queued again. Each task is safe to run twice, so queuing one too many costs nothing."""

from datetime import timedelta

from django.utils import timezone

from config.queue import enqueue
from contracts.compliance.models import ComplianceRun, ImportStatus, PayrollImport, RunStatus

STALE_AFTER = timedelta(minutes=10)


def compliance_work_requeue() -> dict[str, int]:
    """Queue again every import and run left pending or running for longer than ``STALE_AFTER``."""
    stale = timezone.now() - STALE_AFTER
    imports = list(
        PayrollImport.objects.filter(
            status__in=[ImportStatus.PENDING, ImportStatus.PROCESSING], uploaded_at__lt=stale
        ).values_list("pk", flat=True)
    )
    runs = list(
        ComplianceRun.objects.filter(
            status__in=[RunStatus.PENDING, RunStatus.RUNNING], created_at__lt=stale
        ).values_list("pk", flat=True)
    )
    for payroll_id in imports:
        enqueue("contracts.import_payroll", payroll_id)
    for run_id in runs:
        enqueue("contracts.run_compliance", run_id)
    return {"imports": len(imports), "runs": len(runs)}
