"""Celery tasks of the contract core: thin wrappers around services, safe to run twice.
Services queue them by name (``config.queue``); only Celery imports this module."""

from celery import shared_task

from contracts.services import lifecycle
from contracts.services.deadline_alerts import contract_deadline_alerts_raise
from contracts.services.documents import document_render


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
    document = document_render(document_id=document_id)
    return document.status if document is not None else None


@shared_task(name="contracts.deadline_alerts")
def deadline_alerts() -> dict[str, int]:
    """Hourly: remind of filing (R8), review (R9) and renewal (R10) deadlines due soon, and
    raise one overdue alert per late filing; safe to run twice."""
    return contract_deadline_alerts_raise()
