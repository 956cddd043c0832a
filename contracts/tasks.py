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
