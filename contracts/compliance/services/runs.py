"""Compliance runs: check one payroll import against every typed term of a contract,
record findings and breaches (one per term and period), and hand new breaches to
notifications in the same transaction."""

import itertools
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.leases import LeasedWork
from config.queue import enqueue_on_commit
from contracts.articles import clause_article
from contracts.compliance import columns as C
from contracts.compliance.checks import (
    CheckContext,
    breach_summary,
    columns_needed,
    evaluated_periods,
    months_in_force,
    run_checks,
)
from contracts.compliance.models import (
    Breach,
    BreachStatus,
    ComplianceRun,
    Finding,
    ImportStatus,
    PayrollImport,
    RunStatus,
)
from contracts.compliance.storage import payroll_frame_columns, payroll_frame_read
from contracts.enterprises.access import CONTRACT_WRITE_ROLES, require_role
from contracts.enterprises.models import Enterprise, Membership, Role
from contracts.errors import ContractNotInEffect, ForeignPayroll, PayrollNotAccepted
from contracts.models import Contract, ContractStatus
from contracts.rules.decisions import article
from contracts.rules.terms import TERM_KINDS, term_rule
from notifications.models import Level
from notifications.services import alert_raise

logger = logging.getLogger(__name__)

ACTIVE = (BreachStatus.OPEN, BreachStatus.NOTIFIED, BreachStatus.ACKNOWLEDGED, BreachStatus.DISPUTED)
FINDINGS_BATCH = 5000
# A run is leased work (config/leases.py); a failed run's queued task tries it once more.
RUNS = LeasedWork(ComplianceRun, waiting=RunStatus.PENDING, working=RunStatus.RUNNING, also_claims=(RunStatus.FAILED,))


def contract_periods(contract: Contract) -> set[str]:
    """The months ("YYYY-MM") a contract's term touches."""
    return {f"{p // 100:04d}-{p % 100:02d}" for p in months_in_force(contract.term_start, contract.term_end)}


@transaction.atomic
def compliance_run_start(*, user, contract: Contract, payroll_import: PayrollImport) -> ComplianceRun:
    """Ask for the checks of ``contract`` against ``payroll_import``; asking again re-runs the same run."""
    if user is not None:
        require_role(
            user=user,
            enterprise=contract.enterprise,
            roles=CONTRACT_WRITE_ROLES,
            message=_("Only negotiators and union leaders of this enterprise may run compliance checks."),
        )
    if payroll_import.enterprise_id != contract.enterprise_id:
        raise ForeignPayroll(_("The payroll import belongs to another enterprise."))
    if payroll_import.status != ImportStatus.ACCEPTED:
        raise PayrollNotAccepted(_("Only an accepted payroll import can be checked."))
    if contract.status not in (ContractStatus.EFFECTIVE, ContractStatus.EXPIRED):
        raise ContractNotInEffect(_("Only a contract that is or was in effect can be checked."))
    run, created = ComplianceRun.objects.select_for_update().get_or_create(
        contract=contract, payroll_import=payroll_import, defaults={"requested_by": user}
    )
    if not created:
        if run.status in (RunStatus.PENDING, RunStatus.RUNNING):
            return run
        run.status, run.error, run.queued_at = RunStatus.PENDING, "", timezone.now()
        run.save(update_fields=["status", "error", "queued_at"])
    # The row is what counts: a broker that refuses the message is logged, and the sweep queues it.
    enqueue_on_commit("contracts.run_compliance", run.pk, robust=True)
    return run


def _contract_terms(contract: Contract) -> dict[str, tuple[Any, dict[str, Any]]]:
    """term id ("<clause number>|<kind>") -> (clause, term) for every checked term of the contract."""
    terms = {}
    for clause in contract.clauses.all():
        for term in clause.terms:
            if term["kind"] in TERM_KINDS:
                terms[f"{clause.number}|{term['kind']}"] = (clause, term)
    return terms


@dataclass(frozen=True)
class Checked:
    """What the checks of one contract found in one payroll frame, before anything is stored."""

    terms: dict[str, tuple[Any, dict[str, Any]]]
    findings: pd.DataFrame
    summary: pd.DataFrame
    evaluated: dict[str, set[str]]


def compliance_check(*, contract: Contract, payroll: pd.DataFrame | None = None, path: str | None = None) -> Checked:
    """Run every typed term of ``contract`` over the payroll (a frame in memory, or its
    columnar copy at ``path``): pure computation, nothing stored."""
    terms = _contract_terms(contract)
    wanted = columns_needed(term["kind"] for _, term in terms.values())
    if payroll is None:
        if path is None:
            raise TypeError("compliance_check() needs the payroll frame or its path")
        payroll = payroll_frame_read(path, columns=[name for name in payroll_frame_columns(path) if name in wanted])
    else:
        payroll = payroll[[name for name in payroll.columns if name in wanted]]
    context = CheckContext(
        pack=contract.enterprise.pack, periods=months_in_force(contract.term_start, contract.term_end)
    )
    findings = run_checks(payroll, [(key, term["kind"], term["params"]) for key, (_, term) in terms.items()], context)
    evaluated = {
        key: evaluated_periods(payroll, term["kind"], term["params"], context) for key, (_, term) in terms.items()
    }
    return Checked(terms=terms, findings=findings, summary=breach_summary(findings), evaluated=evaluated)


def compliance_run_execute(
    *, run_id: int, payroll: pd.DataFrame | None = None, checked: Checked | None = None
) -> ComplianceRun | None:
    """Run the checks and record their outcome. Safe to run twice: the same run replaces its
    findings and updates the same breaches, so nothing is duplicated.

    ``payroll`` is the import's canonical frame when the caller still holds it in memory, and
    ``checked`` what the checks already found in it (the import itself); otherwise the rows are
    read from the columnar copy."""
    if not RUNS.claim(run_id, started_at=timezone.now()):
        # Done, or another worker is on it (the sweep takes it up if that worker is lost).
        return ComplianceRun.objects.filter(pk=run_id).first()
    run = ComplianceRun.objects.get(pk=run_id)
    try:
        return _execute(run, payroll, checked)
    except Exception as error:
        # Failed, with the reason on record and nothing half-stored. Nothing retries it on its own
        # (the sweep takes up pending and running runs only): after an import, the run task queued
        # with it runs it once more; otherwise it stays failed, listed in the admin, until someone
        # asks for the run again (compliance_run_start re-runs a failed run).
        ComplianceRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], lease_until=None
        )
        raise


def _execute(run: ComplianceRun, payroll: pd.DataFrame | None, checked: Checked | None) -> ComplianceRun:
    run_id = run.pk
    contract = Contract.objects.select_related("enterprise").get(pk=run.contract_id)
    if checked is None:
        checked = compliance_check(contract=contract, payroll=payroll, path=run.payroll_import.columnar.path)
    terms, findings, summary, evaluated = checked.terms, checked.findings, checked.summary, checked.evaluated
    with transaction.atomic():
        run = ComplianceRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING:
            return run
        _record(run=run, contract=contract, terms=terms, findings=findings, summary=summary, evaluated=evaluated)
        run.status, run.finished_at, run.lease_until = RunStatus.DONE, timezone.now(), None
        run.finding_count, run.breach_count = len(findings), len(summary)
        run.save()
    return run


def _record(*, run, contract, terms, findings: pd.DataFrame, summary: pd.DataFrame, evaluated) -> None:
    run.findings.all().delete()
    found: set[tuple[str, str, str]] = set()
    new_breaches: list[Breach] = []
    breach_ids: dict[tuple[str, str], int] = {}
    worst = _worst_employees(findings)
    recipients = breach_recipients(contract.enterprise)
    for row in summary.itertuples(index=False):
        term_id, period = getattr(row, C.TERM_ID), getattr(row, C.PERIOD)
        clause, term = terms[term_id]
        key = (clause.number, term["kind"], period)
        found.add(key)
        breach, created = Breach.objects.select_for_update().get_or_create(
            contract=contract,
            clause_number=clause.number,
            term_kind=term["kind"],
            period=period,
            defaults={
                "enterprise_id": contract.enterprise_id,
                "clause": clause,
                "unit": getattr(row, C.UNIT),
                "affected_count": int(getattr(row, C.AFFECTED)),
                "total_shortfall": int(getattr(row, C.TOTAL_SHORTFALL)),
                "worst_shortfall": int(getattr(row, C.WORST_SHORTFALL)),
                "worst_employee": worst.get((term_id, period), ""),
                "first_run": run,
                "last_run": run,
            },
        )
        if not created:
            breach.unit = getattr(row, C.UNIT)
            breach.affected_count = int(getattr(row, C.AFFECTED))
            breach.total_shortfall = int(getattr(row, C.TOTAL_SHORTFALL))
            breach.worst_shortfall = int(getattr(row, C.WORST_SHORTFALL))
            breach.worst_employee = worst.get((term_id, period), "")
            breach.last_run = run
            if breach.status in (BreachStatus.REMEDIED, BreachStatus.CLOSED):
                # Found again after being put right: it is a live breach again.
                breach.status, breach.status_changed_by, breach.status_changed_at = (
                    BreachStatus.OPEN,
                    None,
                    timezone.now(),
                )
                new_breaches.append(breach)
            breach.save()
        else:
            new_breaches.append(breach)
        breach_ids[(term_id, period)] = breach.pk
    _store_findings(run, findings, breach_ids)
    _remedy_clean(run=run, contract=contract, terms=terms, found=found, evaluated=evaluated)
    for breach in new_breaches:
        _alert(breach, recipients)


def _worst_employees(findings: pd.DataFrame) -> dict[tuple[str, str], str]:
    if findings.empty:
        return {}
    top = findings.sort_values(C.SHORTFALL, ascending=False, kind="stable").drop_duplicates([C.TERM_ID, C.PERIOD])
    return {(t, p): str(e) for t, p, e in zip(top[C.TERM_ID], top[C.PERIOD], top[C.EMPLOYEE_ID], strict=True)}


def _store_findings(run: ComplianceRun, findings: pd.DataFrame, breach_ids: dict[tuple[str, str], int]) -> None:
    """Insert the findings in batches of plain rows: a model instance per finding would cost
    more than all the checks together (see bench/compliance_service.py)."""
    if findings.empty:
        return
    keys = zip(findings[C.TERM_ID], findings[C.PERIOD], strict=True)
    rows = zip(
        itertools.repeat(run.pk),
        (breach_ids[key] for key in keys),
        findings[C.EMPLOYEE_ID].astype(str).tolist(),
        findings[C.PERIOD].astype(str).tolist(),
        findings[C.EXPECTED].astype(np.int64).tolist(),
        findings[C.ACTUAL].astype(np.int64).tolist(),
        findings[C.SHORTFALL].astype(np.int64).tolist(),
        strict=False,
    )
    meta = Finding._meta
    names = ["run", "breach", "employee_id", "period", "expected", "actual", "shortfall"]
    concrete = {field.name: field for field in meta.concrete_fields}  # every name is a column of the table
    columns = ", ".join(connection.ops.quote_name(concrete[name].column) for name in names)
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * 7)})"  # noqa: S608 (identifiers from the model, quoted)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, FINDINGS_BATCH)):
            cursor.executemany(sql, batch)


def _remedy_clean(*, run, contract, terms, found, evaluated: dict[str, set[str]]) -> None:
    """A later run that judged a term and period and found it clean marks its live breach remedied.

    Only what the run could judge counts: a period outside the file, a missing column or an
    incomplete year leaves the breach as it was."""
    for breach in Breach.objects.select_for_update().filter(contract=contract, status__in=ACTIVE):
        term_id = f"{breach.clause_number}|{breach.term_kind}"
        if term_id not in terms or breach.period not in evaluated.get(term_id, set()):
            continue
        if (breach.clause_number, breach.term_kind, breach.period) not in found:
            breach.status, breach.status_changed_at, breach.status_changed_by = (
                BreachStatus.REMEDIED,
                timezone.now(),
                None,
            )
            breach.last_run = run
            breach.save()


def run_breaches(*, run: ComplianceRun) -> list[dict[str, Any]]:
    """The breaches one run found, with the counts and shortfall of that run's own findings."""
    rows = (
        Finding.objects.filter(run=run)
        .values(
            "breach_id",
            "breach__clause_number",
            "breach__term_kind",
            "breach__period",
            "breach__unit",
            "breach__status",
        )
        .annotate(
            affected=Count("employee_id", distinct=True),
            total=Sum("shortfall"),
            worst=Max("shortfall"),
            worst_employee=Subquery(
                Finding.objects.filter(run=run, breach_id=OuterRef("breach_id"))
                .order_by("-shortfall", "employee_id")
                .values("employee_id")[:1]
            ),
        )
        .order_by("breach__term_kind", "breach__period")
    )
    return [
        {
            "id": row["breach_id"],
            "clause_number": row["breach__clause_number"],
            "term_kind": row["breach__term_kind"],
            "period": row["breach__period"],
            "unit": row["breach__unit"],
            "status": row["breach__status"],
            "affected_count": row["affected"],
            "total_shortfall": row["total"],
            "worst_shortfall": row["worst"],
            "worst_employee": row["worst_employee"],
        }
        for row in rows
    ]


def breach_recipients(enterprise: Enterprise) -> list[int]:
    """Breaches go to the enterprise's union leaders and its federation's officers."""
    return list(
        Membership.objects.filter(
            Q(enterprise_id=enterprise.pk, role=Role.UNION_LEADER)
            | Q(federation_id=enterprise.federation_id, role=Role.FEDERATION_OFFICER)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def breach_facts(breach: Breach) -> dict[str, Any]:
    """What an alert or a notice says about a breach: JSON values only. ``clause`` is the clause's
    stored number, ``clause_article`` the article the contract prints it as (第N条, ``contracts.articles``),
    which is how the e-mail names it."""
    rule = term_rule(breach.term_kind)
    return {
        "breach": breach.pk,
        "enterprise": breach.enterprise.name,
        "contract": breach.contract.title,
        "clause": breach.clause_number,
        "clause_article": clause_article(breach.contract, breach.clause_number),
        "term_kind": breach.term_kind,
        "period": breach.period,
        "unit": breach.unit,
        "affected": breach.affected_count,
        "total_shortfall": breach.total_shortfall,
        "worst_shortfall": breach.worst_shortfall,
        "rule": rule,
        "article": article(rule),
    }


def _alert(breach: Breach, recipients: list[int]) -> None:
    alert_raise(
        recipients=recipients,
        level=Level.BREACH,
        template="breach_found",
        context=breach_facts(breach),
        link=reverse("contracts:breach", args=[breach.pk]),
        dedup_key=f"breach:{breach.pk}:{breach.status_changed_at or breach.created_at:%Y%m%d%H%M%S%f}",
    )
