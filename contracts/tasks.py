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
