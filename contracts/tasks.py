"""Celery tasks of the contracts app: thin wrappers around services, safe to run twice."""

from celery import shared_task

from contracts.services import lifecycle


@shared_task(name="contracts.make_effective")
def make_effective() -> list[int]:
    """Hourly (R9): filed contracts whose review period passed without objection take effect."""
    return lifecycle.contracts_make_effective()


@shared_task(name="contracts.expire")
def expire() -> list[int]:
    """Daily (R10): effective contracts past their term expire."""
    return lifecycle.contracts_expire()


@shared_task(name="contracts.render_document")
def render_document(document_id: int) -> str | None:
    """Render a requested document and store it; a ready document is left alone (safe to run twice)."""
    # The documents service imports this module to queue the task; import it back lazily.
    from contracts.services.documents import document_render

    document = document_render(document_id=document_id)
    return document.status if document is not None else None


@shared_task(name="contracts.import_payroll")
def import_payroll(payroll_id: int) -> str | None:
    """Check an uploaded payroll file; only a pending import is processed (safe to run twice)."""
    from contracts.services.payroll import payroll_import_process

    payroll = payroll_import_process(payroll_id=payroll_id)
    return payroll.status if payroll is not None else None


@shared_task(name="contracts.run_compliance")
def run_compliance(run_id: int) -> str | None:
    """Run a contract's checks against a payroll import; a finished run is left alone."""
    from contracts.services.compliance import compliance_run_execute

    run = compliance_run_execute(run_id=run_id)
    return run.status if run is not None else None


@shared_task(name="contracts.sweep_pending")
def sweep_pending() -> dict[str, int]:
    """Every few minutes: re-queue imports and runs left pending or running by a lost worker or broker."""
    from datetime import timedelta

    from django.utils import timezone

    from contracts.models import ComplianceRun, ImportStatus, PayrollImport, RunStatus

    stale = timezone.now() - timedelta(minutes=10)
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
        import_payroll.delay(payroll_id)
    for run_id in runs:
        run_compliance.delay(run_id)
    return {"imports": len(imports), "runs": len(runs)}


@shared_task(name="contracts.deadline_alerts")
def deadline_alerts() -> dict[str, int]:
    """Hourly: remind of filing (R8), review (R9) and renewal (R10) deadlines due soon, and
    raise one overdue alert per late filing; safe to run twice."""
    from contracts.services.deadline_alerts import contract_deadline_alerts_raise

    return contract_deadline_alerts_raise()
