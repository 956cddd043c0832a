"""Celery tasks of payroll compliance: thin wrappers around its services, safe to run twice.
Services queue them by name (``config.queue``); only Celery imports this module."""

from celery import shared_task

from contracts.compliance.services.imports import payroll_import_process
from contracts.compliance.services.runs import compliance_run_execute
from contracts.compliance.services.sweep import compliance_work_requeue


@shared_task(name="contracts.import_payroll")
def import_payroll(payroll_id: int) -> str | None:
    """Check an uploaded payroll file; only a pending import is processed (safe to run twice)."""
    payroll = payroll_import_process(payroll_id=payroll_id)
    return payroll.status if payroll is not None else None


@shared_task(name="contracts.run_compliance")
def run_compliance(run_id: int) -> str | None:
    """Run a contract's checks against a payroll import; a finished run is left alone."""
    run = compliance_run_execute(run_id=run_id)
    return run.status if run is not None else None


@shared_task(name="contracts.sweep_pending")
def sweep_pending() -> dict[str, int]:
    """Every few minutes: re-queue imports and runs left pending or running by a lost worker or broker."""
    return compliance_work_requeue()
