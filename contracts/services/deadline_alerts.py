"""Deadline reminders and overdue alerts (SPEC §5): hourly, each deadline due within a few
days is announced once to the negotiators of the side that owes the action, and each one
that passed with nothing done raises one overdue alert, to the union leaders and the
federation officers as well. The dedup keys name the rule, the object and the due date,
so running the sweep twice raises nothing twice.

Contracts: filing (R8), the administration's review (R9), the renewal window (R10).
Bargaining uses the same helpers for its own deadlines (R1, R2)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from config.batches import each_object
from contracts.enterprises.models import Enterprise, Membership, Role
from contracts.models import Contract, ContractStatus
from contracts.services.lifecycle import contract_filing_deadline, contract_renewal_window
from notifications.models import Level
from notifications.services import alert_raise

SIDE_NEGOTIATORS = {"union": Role.UNION_NEGOTIATOR, "employer": Role.EMPLOYER_NEGOTIATOR}
BOTH_SIDES = ("union", "employer")

# Who must act, as people read it (untranslated here, worded in each reader's language).
WHO = {
    "union": gettext_noop("the union side"),
    "employer": gettext_noop("the employer side"),
    "both": gettext_noop("either side"),
    "administration": gettext_noop("the labour administration"),
}


@dataclass(frozen=True)
class DeadlineKind:
    """A kind of deadline: the rule behind it, what is due (worded when read), whose
    negotiators are reminded, and whether letting it pass raises an overdue alert."""

    key: str
    rule: str
    what: str
    sides: tuple[str, ...]
    who: str
    level: str
    raises_overdue: bool


FILING = DeadlineKind(
    key="R8",
    rule="R8",
    what=gettext_noop("filing the signed contract with the labour administration"),
    sides=("employer",),
    who=WHO["employer"],
    level=Level.WARNING,
    raises_overdue=True,
)
REVIEW = DeadlineKind(
    key="R9",
    rule="R9",
    what=gettext_noop("end of the labour administration's review period"),
    sides=BOTH_SIDES,
    who=WHO["administration"],
    level=Level.INFO,
    raises_overdue=False,  # silence means consent: the contract takes effect (contracts.make_effective)
)
RENEWAL_OPENS = DeadlineKind(
    key="R10-opens",
    rule="R10",
    what=gettext_noop("start of the period in which either side may ask for renewal"),
    sides=BOTH_SIDES,
    who=WHO["both"],
    level=Level.INFO,
    raises_overdue=False,
)
RENEWAL_CLOSES = DeadlineKind(
    key="R10",
    rule="R10",
    what=gettext_noop("end of the contract's term, the last day to ask for renewal"),
    sides=BOTH_SIDES,
    who=WHO["both"],
    level=Level.WARNING,
    raises_overdue=False,
)


def alert_recipients(*, enterprise: Enterprise, sides: tuple[str, ...] = (), leaders: bool = False) -> list[int]:
    """The negotiators of ``sides`` in the enterprise; with ``leaders``, also its union
    leaders and the officers of its federation. Nobody from another enterprise."""
    condition = Q(enterprise_id=enterprise.pk, role__in=[SIDE_NEGOTIATORS[side] for side in sides])
    if leaders:
        condition |= Q(enterprise_id=enterprise.pk, role=Role.UNION_LEADER) | Q(
            federation_id=enterprise.federation_id, role=Role.FEDERATION_OFFICER
        )
    return sorted(set(Membership.objects.filter(condition).values_list("user_id", flat=True)))


def reminder_horizon(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=settings.NOTIFICATIONS_REMINDER_DAYS)


def deadline_alert_raise(
    *,
    kind: DeadlineKind,
    enterprise: Enterprise,
    subject: tuple[str, int],
    title: str,
    due: dt.date,
    today: dt.date,
    link: str,
    sides: tuple[str, ...] | None = None,
    who: str | None = None,
    detail: str = "",
) -> dict[str, int]:
    """Remind of ``due`` when it is at most the reminder horizon away, or raise the overdue
    alert once it has passed; returns the number of new alerts by "<key>:soon|overdue".
    ``subject`` is (kind of object, id), as in the dedup key ``overdue:R8:contract:7:2026-03-24``."""
    sides = kind.sides if sides is None else sides
    overdue = today > due
    if (overdue and not kind.raises_overdue) or due > reminder_horizon(today):
        return {}
    subject_type, subject_id = subject
    context = {
        "deadline": kind.key,
        "rule": kind.rule,
        "what": kind.what,
        "who": who or kind.who,
        "title": title,
        "detail": detail,
        "enterprise": enterprise.name,
        "due": due.isoformat(),
        subject_type: subject_id,
    }
    if overdue:
        alerts = alert_raise(
            recipients=alert_recipients(enterprise=enterprise, sides=sides, leaders=True),
            level=Level.OVERDUE,
            template="overdue",
            context=context,
            link=link,
            dedup_key=f"overdue:{kind.key}:{subject_type}:{subject_id}:{due.isoformat()}",
        )
        return {f"{kind.key}:overdue": len(alerts)}
    alerts = alert_raise(
        recipients=alert_recipients(enterprise=enterprise, sides=sides),
        level=kind.level,
        template="deadline_soon",
        context=context,
        link=link,
        dedup_key=f"soon:{kind.key}:{subject_type}:{subject_id}:{due.isoformat()}",
    )
    return {f"{kind.key}:soon": len(alerts)}


def _contract_alert(kind: DeadlineKind, contract: Contract, due: dt.date, today: dt.date) -> dict[str, int]:
    return deadline_alert_raise(
        kind=kind,
        enterprise=contract.enterprise,
        subject=("contract", contract.pk),
        title=contract.title,
        due=due,
        today=today,
        link=f"/contracts/{contract.pk}/",
    )


def _locked(contract_id: int, status: str) -> Contract | None:
    """The contract, locked, if it is still in ``status`` (the sweep may race a change)."""
    contract = Contract.objects.select_for_update().filter(pk=contract_id, status=status).first()
    if contract is not None:
        contract.enterprise  # noqa: B018 - loaded under the lock, for the rule pack and recipients
    return contract


TASK = "contracts.deadline_alerts"


def contract_deadline_alerts_raise(*, today: dt.date | None = None) -> dict[str, int]:
    """Hourly: remind of the contracts' deadlines due soon (R8, R9, R10) and raise one
    overdue alert for each filing (R8) that is late; returns the new alerts by kind.
    Safe to run twice: the second run raises nothing.

    One contract at a time, each in its own transaction (``config.batches.each_object``): a
    contract that fails is logged with its id and skipped, and the others still get theirs."""
    today = today or timezone.localdate()
    horizon = reminder_horizon(today)
    raised: Counter[str] = Counter()

    def filing(contract_id: int) -> None:
        with transaction.atomic():
            contract = _locked(contract_id, ContractStatus.SIGNED)
            due = contract_filing_deadline(contract) if contract else None
            if contract is not None and due is not None:
                raised.update(_contract_alert(FILING, contract, due.due, today))

    def review(contract_id: int) -> None:
        with transaction.atomic():
            contract = _locked(contract_id, ContractStatus.FILED)
            if contract is not None and contract.review_deadline is not None:
                raised.update(_contract_alert(REVIEW, contract, contract.review_deadline, today))

    def renewal(contract_id: int) -> None:
        with transaction.atomic():
            contract = _locked(contract_id, ContractStatus.EFFECTIVE)
            if contract is None:
                return
            opens = contract_renewal_window(contract, today)["opens_on"]
            if today <= opens:
                raised.update(_contract_alert(RENEWAL_OPENS, contract, opens, today))
            if contract.term_end <= horizon and not contract.renewals.exists():
                raised.update(_contract_alert(RENEWAL_CLOSES, contract, contract.term_end, today))

    contracts = Contract.objects.values_list("pk", flat=True)
    signed = contracts.filter(status=ContractStatus.SIGNED, signed_on__isnull=False)
    each_object(list(signed), filing, task=TASK, what="contract")
    filed = contracts.filter(status=ContractStatus.FILED, review_deadline__gte=today, review_deadline__lte=horizon)
    each_object(list(filed), review, task=TASK, what="contract")
    effective = contracts.filter(status=ContractStatus.EFFECTIVE, term_end__gte=today)
    each_object(list(effective), renewal, task=TASK, what="contract")
    return {key: count for key, count in sorted(raised.items()) if count}
