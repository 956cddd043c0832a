"""Deadline reminders and overdue alerts of the talks: the written answer to a
consultation request (R1, owed by the side that received it) and the filling of a
representative's vacancy (R2, PCC Art. 31, owed by that representative's side).
Same rules as the contracts' (``contracts.services.deadline_alerts``): once per
deadline, safe to run twice."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from bargaining.models import Negotiation, NegotiationStatus, Representative, Side
from bargaining.services.representatives import CLOSED, vacancy_fill_deadline
from config.batches import each_object
from contracts.services.deadline_alerts import WHO, DeadlineKind, deadline_alert_raise
from notifications.models import Level

REPLY = DeadlineKind(
    key="R1",
    rule="R1",
    what=gettext_noop("written answer to the consultation request"),
    sides=(),  # the side that received the request: set per negotiation
    who="",
    level=Level.WARNING,
    raises_overdue=True,
)
VACANCY = DeadlineKind(
    key="R2",
    rule="R2",
    what=gettext_noop("filling the vacancy of a bargaining representative"),
    sides=(),  # the representative's side: set per vacancy
    who="",
    level=Level.WARNING,
    raises_overdue=True,
)


def _reply_alert(negotiation: Negotiation, today: dt.date) -> dict[str, int]:
    assert negotiation.reply_due is not None  # picked for its reply_due (reply_due__isnull=False)
    owed_by = Side(negotiation.requested_by).other
    return deadline_alert_raise(
        kind=REPLY,
        enterprise=negotiation.enterprise,
        subject=("negotiation", negotiation.pk),
        title=negotiation.title,
        due=negotiation.reply_due,
        today=today,
        link=f"/negotiations/{negotiation.pk}/",
        sides=(owed_by.value,),
        who=WHO[owed_by.value],
    )


def _vacancy_alert(representative: Representative, today: dt.date) -> dict[str, int]:
    deadline = vacancy_fill_deadline(representative=representative)
    if deadline is None or deadline["filled"]:
        return {}
    negotiation = representative.negotiation
    return deadline_alert_raise(
        kind=VACANCY,
        enterprise=negotiation.enterprise,
        subject=("representative", representative.pk),
        title=negotiation.title,
        detail=representative.name,
        due=deadline["fill_due"],
        today=today,
        link=f"/negotiations/{negotiation.pk}/",
        sides=(representative.side,),
        who=WHO[representative.side],
    )


TASK = "bargaining.deadline_alerts"


def negotiation_deadline_alerts_raise(*, today: dt.date | None = None) -> dict[str, int]:
    """Hourly: remind of answers (R1) and vacancies (R2) due soon, and raise one overdue
    alert for each that is late; returns the new alerts by kind. Safe to run twice.

    One object at a time, each in its own transaction (``config.batches.each_object``): one
    that fails (a date stored out of range, say) is logged with its id and skipped, and every
    other enterprise still gets its reminders."""
    today = today or timezone.localdate()
    raised: Counter[str] = Counter()

    def reply(negotiation_id: int) -> None:
        with transaction.atomic():
            negotiation = (
                Negotiation.objects.select_for_update()
                .filter(pk=negotiation_id, status=NegotiationStatus.REQUESTED, reply_due__isnull=False)
                .first()
            )
            if negotiation is not None:
                raised.update(_reply_alert(negotiation, today))

    def vacancy(representative_id: int) -> None:
        with transaction.atomic():
            negotiation = Negotiation.objects.select_for_update(of=("self",)).get(representatives__pk=representative_id)
            if negotiation.status in CLOSED:
                return
            representative = Representative.objects.select_related("negotiation__enterprise").get(pk=representative_id)
            raised.update(_vacancy_alert(representative, today))

    requested = Negotiation.objects.filter(status=NegotiationStatus.REQUESTED, reply_due__isnull=False)
    each_object(list(requested.values_list("pk", flat=True)), reply, task=TASK, what="negotiation")
    vacancies = Representative.objects.filter(vacated_on__isnull=False, replacement__isnull=True).exclude(
        negotiation__status__in=CLOSED
    )
    each_object(list(vacancies.values_list("pk", flat=True)), vacancy, task=TASK, what="representative")
    return {key: count for key, count in sorted(raised.items()) if count}
