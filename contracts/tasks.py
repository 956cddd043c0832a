"""Celery tasks of the contract core: thin wrappers around services, safe to run twice.
Services queue them by name (``config.queue``); only Celery imports this module."""

from collections import Counter

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from config.tasks import each_object
from contracts.models import Contract, ContractStatus
from contracts.services import deadline_alerts as alerts
from contracts.services import lifecycle
from contracts.services.documents import document_render

DEADLINE_TASK = "contracts.deadline_alerts"


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


@shared_task(name=DEADLINE_TASK)
def deadline_alerts() -> dict[str, int]:
    """Hourly: remind of filing (R8), review (R9) and renewal (R10) deadlines due soon, and
    raise one overdue alert per late filing; safe to run twice.

    The same steps as ``contract_deadline_alerts_raise``, one contract at a time, each in its
    own transaction (``config.tasks.each_object``): a contract that fails (a date stored out
    of range, say) is logged with its id and skipped, and the others still get their alerts."""
    today = timezone.localdate()
    horizon = alerts.reminder_horizon(today)
    raised: Counter[str] = Counter()

    def filing(contract_id: int) -> None:
        with transaction.atomic():
            contract = alerts._locked(contract_id, ContractStatus.SIGNED)
            due = lifecycle.contract_filing_deadline(contract) if contract else None
            if contract is not None and due is not None:
                raised.update(alerts._contract_alert(alerts.FILING, contract, due.due, today))

    def review(contract_id: int) -> None:
        with transaction.atomic():
            contract = alerts._locked(contract_id, ContractStatus.FILED)
            if contract is not None and contract.review_deadline is not None:
                raised.update(alerts._contract_alert(alerts.REVIEW, contract, contract.review_deadline, today))

    def renewal(contract_id: int) -> None:
        with transaction.atomic():
            contract = alerts._locked(contract_id, ContractStatus.EFFECTIVE)
            if contract is None:
                return
            opens = lifecycle.contract_renewal_window(contract, today)["opens_on"]
            if today <= opens:
                raised.update(alerts._contract_alert(alerts.RENEWAL_OPENS, contract, opens, today))
            if contract.term_end <= horizon and not contract.renewals.exists():
                raised.update(alerts._contract_alert(alerts.RENEWAL_CLOSES, contract, contract.term_end, today))

    contracts = Contract.objects.values_list("pk", flat=True)
    signed = contracts.filter(status=ContractStatus.SIGNED, signed_on__isnull=False)
    each_object(list(signed), filing, task=DEADLINE_TASK, what="contract")
    filed = contracts.filter(status=ContractStatus.FILED, review_deadline__gte=today, review_deadline__lte=horizon)
    each_object(list(filed), review, task=DEADLINE_TASK, what="contract")
    effective = contracts.filter(status=ContractStatus.EFFECTIVE, term_end__gte=today)
    each_object(list(effective), renewal, task=DEADLINE_TASK, what="contract")
    return {key: count for key, count in sorted(raised.items()) if count}
