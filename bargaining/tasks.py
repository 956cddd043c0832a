"""Celery tasks of the bargaining app: thin wrappers around services, safe to run twice."""

from celery import shared_task

from bargaining.services.deadline_alerts import negotiation_deadline_alerts_raise


@shared_task(name="bargaining.deadline_alerts")
def deadline_alerts() -> dict[str, int]:
    """Hourly: remind of answers to consultation requests (R1) and vacancies (R2) due soon,
    and raise one overdue alert for each that is late; safe to run twice."""
    return negotiation_deadline_alerts_raise()
