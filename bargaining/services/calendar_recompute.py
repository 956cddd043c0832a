"""When a year's holiday schedule changes, the answers still awaited (R1) are counted again.

A negotiation stores the date its written answer is due (``reply_due``) and the facts of
that decision (``reply_rule``). For every request still unanswered whose period overlaps a
changed year, the decision is taken again on the calendar as it now stands and stored when
its facts differ (a date confirmed, no longer provisional, is stored without an alert);
where the date moved, both sides' negotiators get one alert of the change.

A vacancy's fill-by date (R2) is not stored: it is computed whenever it is read, so it
follows the calendar by itself. Registered with the calendar in ``BargainingConfig.ready``."""

import datetime as dt

from django.db import transaction

from bargaining.models import Negotiation, NegotiationStatus, Side
from bargaining.services.deadline_alerts import REPLY
from bargaining.services.negotiations import negotiation_reply_deadline
from contracts.services.calendar_recompute import deadline_moved_alert_raise, years_span
from contracts.services.deadline_alerts import WHO


def negotiation_deadlines_recompute(years: frozenset[int]) -> int:
    """Count again the answer deadline of every request awaiting an answer whose period
    overlaps ``years``; returns how many moved. Safe to run twice."""
    first, last = years_span(years)
    candidates = Negotiation.objects.filter(
        status=NegotiationStatus.REQUESTED,
        responded_on__isnull=True,
        request_received_on__lte=last,
        reply_due__gte=first,
    ).values_list("pk", flat=True)
    moved = 0
    for negotiation_id in candidates:
        with transaction.atomic():
            negotiation = (
                Negotiation.objects.select_for_update()
                .select_related("enterprise")
                .filter(pk=negotiation_id, status=NegotiationStatus.REQUESTED, responded_on__isnull=True)
                .first()
            )
            if negotiation is None or negotiation.request_received_on is None:
                continue
            facts = negotiation_reply_deadline(negotiation=negotiation)
            if facts == negotiation.reply_rule:
                continue
            previous, due = negotiation.reply_due, dt.date.fromisoformat(facts["due"])
            negotiation.reply_due, negotiation.reply_rule = due, facts
            negotiation.save(update_fields=["reply_due", "reply_rule"])
            if previous is None or previous == due:
                continue
            owed_by = Side(negotiation.requested_by).other.value
            deadline_moved_alert_raise(
                kind=REPLY,
                enterprise=negotiation.enterprise,
                subject=("negotiation", negotiation.pk),
                title=negotiation.title,
                start=negotiation.request_received_on,
                previous=previous,
                due=due,
                link=f"/negotiations/{negotiation.pk}/",
                who=WHO[owed_by],
            )
            moved += 1
    return moved
