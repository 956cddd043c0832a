"""Celery tasks of the bargaining app: thin wrappers around services, safe to run twice.

A scheduled task that meets one bad object (a date stored out of range before the edges
checked dates, say) logs it with its id, skips it and goes on with the rest
(``config.tasks.each_object``): one negotiation never stops every enterprise's reminders."""

from collections import Counter

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from bargaining.models import Negotiation, NegotiationStatus, Representative
from bargaining.services import deadline_alerts as alerts
from bargaining.services.representatives import CLOSED
from config.tasks import each_object

TASK = "bargaining.deadline_alerts"


@shared_task(name=TASK)
def deadline_alerts() -> dict[str, int]:
    """Hourly: remind of answers to consultation requests (R1) and vacancies (R2) due soon,
    and raise one overdue alert for each that is late; safe to run twice.

    The same steps as ``negotiation_deadline_alerts_raise``, one object at a time, each in
    its own transaction, so that one failing object is logged and skipped."""
    today = timezone.localdate()
    raised: Counter[str] = Counter()

    def reply(negotiation_id: int) -> None:
        with transaction.atomic():
            negotiation = (
                Negotiation.objects.select_for_update()
                .filter(pk=negotiation_id, status=NegotiationStatus.REQUESTED, reply_due__isnull=False)
                .first()
            )
            if negotiation is not None:
                raised.update(alerts._reply_alert(negotiation, today))

    def vacancy(representative_id: int) -> None:
        with transaction.atomic():
            negotiation = Negotiation.objects.select_for_update(of=("self",)).get(representatives__pk=representative_id)
            if negotiation.status in CLOSED:
                return
            representative = Representative.objects.select_related("negotiation__enterprise").get(pk=representative_id)
            raised.update(alerts._vacancy_alert(representative, today))

    requested = Negotiation.objects.filter(status=NegotiationStatus.REQUESTED, reply_due__isnull=False)
    each_object(list(requested.values_list("pk", flat=True)), reply, task=TASK, what="negotiation")
    vacancies = Representative.objects.filter(vacated_on__isnull=False, replacement__isnull=True).exclude(
        negotiation__status__in=CLOSED
    )
    each_object(list(vacancies.values_list("pk", flat=True)), vacancy, task=TASK, what="representative")
    return {key: count for key, count in sorted(raised.items()) if count}
