"""Reads of payroll compliance shared by the API, the pages and bargaining's costing; each
applies the user's visibility, so no caller can forget it.

Payroll files and findings name colleagues and their wages: they are read by the negotiators,
union leaders and administrators of an enterprise and by its federation's officers, not by a
workers' congress delegate for being one."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from contracts.articles import article_numbers
from contracts.compliance.models import (
    Breach,
    BreachStatus,
    ComplianceRun,
    Finding,
    ImportStatus,
    PayrollImport,
    RunStatus,
)
from contracts.enterprises.access import CONFIDENTIAL_READERS, User, confidential_enterprise_list
from contracts.enterprises.models import Enterprise
from contracts.models import Clause, Document, DocumentKind

# The readers of everything confidential (contracts.enterprises.access), the one place it is said.
COMPLIANCE_READERS = CONFIDENTIAL_READERS


def compliance_enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """The enterprises whose payroll compliance the user may read."""
    return confidential_enterprise_list(user=user)


def payroll_import_list(*, user: User) -> QuerySet[PayrollImport]:
    """The payroll imports of the enterprises the user holds a role in."""
    return PayrollImport.objects.filter(enterprise__in=compliance_enterprise_list(user=user))


def compliance_run_list(*, user: User) -> QuerySet[ComplianceRun]:
    """The compliance runs of the contracts of the user's enterprises."""
    return ComplianceRun.objects.filter(contract__enterprise__in=compliance_enterprise_list(user=user))


def breach_list(*, user: User) -> QuerySet[Breach]:
    """The breaches found in the user's enterprises."""
    return Breach.objects.filter(enterprise__in=compliance_enterprise_list(user=user))


# --- what the pages read about imports and breaches --------------------------------------------


def payroll_import_rows(*, user: User) -> QuerySet[PayrollImport]:
    """The user's payroll imports with what a list of them shows: who uploaded each, how many
    breaches its runs found or found again, and whether its checks are still running."""
    caused = (
        Breach.objects.filter(
            Q(first_run__payroll_import=OuterRef("pk")) | Q(last_run__payroll_import=OuterRef("pk")),
            enterprise_id=OuterRef("enterprise_id"),
        )
        .order_by()
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    checking = ComplianceRun.objects.filter(
        payroll_import=OuterRef("pk"), status__in=[RunStatus.PENDING, RunStatus.RUNNING]
    )
    return (
        payroll_import_list(user=user)
        .select_related("enterprise", "uploaded_by")
        .annotate(breach_total=Coalesce(Subquery(caused, output_field=IntegerField()), 0), checking=Exists(checking))
    )


def payroll_import_busy(payroll: PayrollImport) -> bool:
    """Whether the import or the checks it started are still at work (a page keeps asking)."""
    if payroll.status in (ImportStatus.PENDING, ImportStatus.PROCESSING):
        return True
    checking = getattr(payroll, "checking", None)
    if checking is None:
        checking = payroll.compliance_runs.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING]).exists()
    return bool(checking)


def payroll_import_breaches(*, user: User, payroll_import: PayrollImport) -> QuerySet[Breach]:
    """The breaches the import's runs found, or found again."""
    return breach_list(user=user).filter(
        Q(first_run__payroll_import=payroll_import) | Q(last_run__payroll_import=payroll_import)
    )


@dataclass(frozen=True)
class BreachFilters:
    """What a list of breaches may be narrowed to (each None for all)."""

    enterprise: int | None = None
    contract: int | None = None
    status: str | None = None
    term_kind: str | None = None
    period: str | None = None
    payroll_import: int | None = None


def breach_list_filtered(*, user: User, filters: BreachFilters) -> QuerySet[Breach]:
    """The user's breaches narrowed by ``filters``."""
    breaches = breach_list(user=user)
    if filters.enterprise is not None:
        breaches = breaches.filter(enterprise_id=filters.enterprise)
    if filters.contract is not None:
        breaches = breaches.filter(contract_id=filters.contract)
    if filters.status:
        breaches = breaches.filter(status=filters.status)
    if filters.term_kind:
        breaches = breaches.filter(term_kind=filters.term_kind)
    if filters.period:
        breaches = breaches.filter(period=filters.period)
    if filters.payroll_import is not None:
        breaches = breaches.filter(
            Q(first_run__payroll_import_id=filters.payroll_import)
            | Q(last_run__payroll_import_id=filters.payroll_import)
        )
    return breaches


def clause_articles(contract_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """(contract id, clause number) -> the clause's printed article number, for every clause of
    the contracts, in one query (``contracts.articles`` numbers them)."""
    by_contract: dict[int, list[Clause]] = defaultdict(list)
    for clause in Clause.objects.filter(contract_id__in=set(contract_ids)).only(
        "contract_id", "number", "category", "position"
    ):
        by_contract[clause.contract_id].append(clause)
    return {
        (contract_id, number): n
        for contract_id, clauses in by_contract.items()
        for number, n in article_numbers(clauses).items()
    }


# Columns a breach's findings may be sorted by, and the order of ties.
FINDING_SORTS = {
    "employee": ("employee_id", "period"),
    "period": ("period", "employee_id"),
    "expected": ("expected", "employee_id"),
    "actual": ("actual", "employee_id"),
    "shortfall": ("shortfall", "employee_id"),
}
DEFAULT_FINDING_SORT = ("shortfall", "desc")


def breach_findings(*, breach: Breach, sort: str = "shortfall", direction: str = "desc") -> QuerySet[Finding]:
    """The breach's findings in the order asked for (by shortfall, largest first, unless told);
    an unknown column or direction falls back to that."""
    if sort not in FINDING_SORTS or direction not in ("asc", "desc"):
        sort, direction = DEFAULT_FINDING_SORT
    first, tie = FINDING_SORTS[sort]
    return breach.findings.order_by(f"-{first}" if direction == "desc" else first, tie, "pk")


@dataclass(frozen=True)
class StatusChange:
    status: str
    label: str
    by: Any  # the user, or None when the system moved it (an alert sent, a later run)
    at: Any
    reason: str


def breach_history(*, breach: Breach) -> list[StatusChange]:
    """The breach's statuses in the order it took them, with who moved it, when, and a dispute's reason."""
    labels = dict(BreachStatus.choices)
    changes: list[StatusChange] = []
    records = breach.history.select_related("status_changed_by").order_by("history_date", "history_id")
    for record in records:
        if changes and changes[-1].status == record.status:
            continue
        changes.append(
            StatusChange(
                status=record.status,
                label=str(labels.get(record.status, record.status)),
                by=record.status_changed_by,
                at=record.status_changed_at or record.history_date,
                reason=record.dispute_reason if record.status == BreachStatus.DISPUTED else "",
            )
        )
    if not changes or changes[-1].status != breach.status:
        # A status the system set without a history record (the alert sent: notified).
        changes.append(
            StatusChange(
                status=breach.status,
                label=str(labels.get(breach.status, breach.status)),
                by=breach.status_changed_by,
                at=breach.status_changed_at,
                reason=breach.dispute_reason if breach.status == BreachStatus.DISPUTED else "",
            )
        )
    return changes


def breach_notice(*, breach: Breach) -> Document | None:
    """The latest rectification notice asked for about the breach, if any."""
    return (
        Document.objects.filter(
            contract_id=breach.contract_id, kind=DocumentKind.RECTIFICATION_NOTICE, subject_id=breach.pk
        )
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
