"""When a year's holiday schedule changes (a State Council notice is loaded, an administrator
corrects a day), the contracts' open deadlines counted on that year are counted again (R16).

The only computed date a contract stores while it is still open is the end of the
administration's review period (R9), with the effective date that follows it; the filing
deadline (R8) and the renewal window (R10) are computed whenever they are read. Where the
date moves, both sides' negotiators get one alert of the change (``deadline_moved``).

Registered with the calendar in ``ContractsConfig.ready``; bargaining registers its own
(``bargaining.services.calendar_recompute``) and uses ``deadline_moved_alert_raise``."""

import datetime as dt
from typing import Any

from django.db import transaction

from contracts.enterprises.models import Enterprise
from contracts.models import Contract, ContractStatus
from contracts.rules.decisions import provisional_note, provisional_year
from contracts.services.deadline_alerts import BOTH_SIDES, REVIEW, DeadlineKind, alert_recipients
from contracts.services.lifecycle import contract_review_period_recount
from notifications.models import Alert, Level
from notifications.services import alert_raise

TEMPLATE = "deadline_moved"


def years_span(years: frozenset[int]) -> tuple[dt.date, dt.date]:
    """The first and last day of the changed years (a deadline overlapping it may have moved)."""
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


def deadline_moved_alert_raise(
    *,
    kind: DeadlineKind,
    enterprise: Enterprise,
    subject: tuple[str, int],
    title: str,
    start: dt.date,
    previous: dt.date,
    due: dt.date,
    link: str,
    sides: tuple[str, ...] = BOTH_SIDES,
    who: str | None = None,
    detail: str = "",
) -> list[Alert]:
    """Tell the negotiators of ``sides`` once that a deadline counted after ``start`` moved from
    ``previous`` to ``due`` because the holiday calendar changed. The key names the object and
    both dates: the same change is never told twice."""
    subject_type, subject_id = subject
    still_provisional = provisional_year(start, due)
    context = {
        "deadline": kind.key,
        "rule": kind.rule,
        "what": kind.what,
        "who": who or kind.who,
        "title": title,
        "detail": detail,
        "enterprise": enterprise.name,
        "previous_due": previous.isoformat(),
        "due": due.isoformat(),
        "provisional_year": still_provisional,
        subject_type: subject_id,
    }
    return alert_raise(
        recipients=alert_recipients(enterprise=enterprise, sides=sides),
        # A date that comes sooner leaves less time: a warning; a later one is news.
        level=Level.WARNING if due < previous else Level.INFO,
        template=TEMPLATE,
        context=context,
        link=link,
        dedup_key=f"moved:{kind.key}:{subject_type}:{subject_id}:{previous.isoformat()}:{due.isoformat()}",
    )


def moved_alert_labels(context: dict[str, Any]) -> dict[str, Any]:
    """For a ``deadline_moved`` alert whose new date is still provisional: the sentence people
    read beside such a date, in the reader's language (a notifications context processor)."""
    year = context.get("provisional_year")
    if context.get("deadline") and isinstance(year, int):
        return {"provisional_note": provisional_note(year)}
    return {}


def contract_deadlines_recompute(years: frozenset[int]) -> int:
    """Count again the review period (R9) of every filed contract still under review whose
    period overlaps ``years``; returns how many moved. Safe to run twice."""
    first, last = years_span(years)
    candidates = Contract.objects.filter(
        status=ContractStatus.FILED,
        receipt_on__isnull=False,
        receipt_on__lte=last,
        review_deadline__gte=first,
    ).values_list("pk", flat=True)
    moved = 0
    for contract_id in candidates:
        with transaction.atomic():
            contract = (
                Contract.objects.select_for_update()
                .select_related("enterprise")
                .filter(pk=contract_id, status=ContractStatus.FILED)
                .first()
            )
            if contract is None:
                continue
            previous = contract_review_period_recount(contract)
            if previous is None:
                continue
            assert contract.receipt_on is not None and contract.review_deadline is not None  # recounted
            deadline_moved_alert_raise(
                kind=REVIEW,
                enterprise=contract.enterprise,
                subject=("contract", contract.pk),
                title=contract.title,
                start=contract.receipt_on,
                previous=previous,
                due=contract.review_deadline,
                link=f"/contracts/{contract.pk}/",
            )
            moved += 1
    return moved
