"""Compliance runs (SPEC §3, §4 ``compliance-runs/``, §5): an accepted import starts the checks
of every contract in effect in its months; a run records findings and one breach per term
and period, safe to run twice; a later clean run remedies a breach, a later dirty one
re-opens it; union leaders and federation officers get one alert per new breach, written
in the run's transaction."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.compliance.models import (
    Breach,
    BreachStatus,
    ComplianceRun,
    Finding,
    ImportStatus,
    PayrollImport,
    RunStatus,
)
from contracts.compliance.services import runs as compliance_services
from contracts.compliance.services.runs import compliance_run_execute
from contracts.compliance.tasks import import_payroll, run_compliance, sweep_pending
from contracts.enterprises.models import Role
from contracts.models import ContractStatus
from notifications.models import Alert
from tests.factories import (
    MIN_WAGE,
    EnterpriseFactory,
    FederationOfficerFactory,
    MembershipFactory,
    contract_in_effect,
    payroll_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

RUNS = "/api/v1/compliance-runs/"


def task_calls(callbacks) -> list[tuple[str, tuple]]:
    """(name, arguments) of the contracts tasks queued on commit; alerts queue their e-mails beside them."""
    calls = []
    for callback in callbacks:
        name = getattr(getattr(callback.func, "__self__", None), "name", "")
        if name.startswith("contracts."):
            calls.append((name, callback.args))
    return calls


@pytest.fixture
def imported(upload, django_capture_on_commit_callbacks):
    """Upload ``content`` through the API and run the import task queued on commit, as the worker
    would; returns the import and the tasks its processing queued."""

    def do(content: bytes, *, to=None, as_client=None):
        response, uploaded = upload(content, to=to, as_client=as_client)
        assert response.status_code == 202, response.json()
        [upload_task] = uploaded
        with django_capture_on_commit_callbacks(execute=False) as queued:
            import_payroll.run(*upload_task.args)
        return PayrollImport.objects.get(pk=response.json()["id"]), queued

    return do


@pytest.fixture
def checked(imported, django_capture_on_commit_callbacks):
    """Import ``content`` and run the compliance run it started; returns the finished run."""

    def do(content: bytes, **kwargs) -> ComplianceRun:
        payroll, queued = imported(content, **kwargs)
        [(name, args)] = task_calls(queued)
        assert name == "contracts.run_compliance"
        with django_capture_on_commit_callbacks(execute=False) as more:
            assert run_compliance.run(*args) == RunStatus.DONE
        assert task_calls(more) == []
        return ComplianceRun.objects.get(pk=args[0], payroll_import=payroll)

    return do


@pytest.fixture
def leaders(enterprise, make_member):
    """Two union leaders of the enterprise and an officer of its federation: who hears of breaches."""
    return [
        make_member(enterprise, Role.UNION_LEADER),
        make_member(enterprise, Role.UNION_LEADER),
        FederationOfficerFactory(federation=enterprise.federation).user,
    ]


def breach_rows(contract):
    return sorted(
        Breach.objects.filter(contract=contract).values_list(
            "pk", "term_kind", "period", "affected_count", "total_shortfall", "worst_employee", "status"
        )
    )


def finding_rows(run):
    return sorted(run.findings.values_list("breach_id", "employee_id", "period", "expected", "actual", "shortfall"))


# --- the automatic run ----------------------------------------------------------------------


def test_an_accepted_import_runs_the_checks_of_the_contract_in_effect_and_queues_the_run_on_commit(
    imported, enterprise, union_user
):
    contract = contract_in_effect(enterprise, union_user)

    payroll, queued = imported(payroll_csv(("A1", "2025-03", 3500)))

    # checked at once on the rows the import holds in memory; the queued task is the safety net
    run = ComplianceRun.objects.get()
    assert (run.contract, run.payroll_import, run.status, run.requested_by) == (
        contract,
        payroll,
        RunStatus.DONE,
        None,
    )
    assert task_calls(queued) == [("contracts.run_compliance", (run.pk,))]


@pytest.mark.parametrize(
    ("period", "started"),
    [("2025-02", False), ("2025-03", True), ("2026-03", True), ("2026-04", False)],
)
def test_the_automatic_run_starts_only_for_months_the_contract_term_touches(
    period, started, imported, enterprise, union_user
):
    # given a contract in effect from 15 March 2025 to 14 March 2026
    contract_in_effect(enterprise, union_user, term_start=dt.date(2025, 3, 15), term_end=dt.date(2026, 3, 14))

    _, queued = imported(payroll_csv(("A1", period, 3500)))

    assert ComplianceRun.objects.exists() is started
    assert len(queued) == int(started)


@pytest.mark.parametrize("status", [ContractStatus.DRAFT, ContractStatus.FILED])
def test_a_contract_not_yet_in_effect_gets_no_automatic_run(status, imported, enterprise, union_user):
    contract_in_effect(enterprise, union_user, status=status)

    _, queued = imported(payroll_csv(("A1", "2025-03", 2000)))

    assert queued == []
    assert not ComplianceRun.objects.exists()


def test_an_expired_contract_is_still_checked_for_the_months_it_was_in_force(imported, enterprise, union_user):
    contract_in_effect(enterprise, union_user, status=ContractStatus.EXPIRED)

    _, queued = imported(payroll_csv(("A1", "2025-03", 2000)))

    assert len(queued) == 1


def test_each_contract_in_effect_gets_its_own_run(imported, enterprise, union_user):
    general = contract_in_effect(enterprise, union_user)
    wages = contract_in_effect(
        enterprise, union_user, terms=[{"kind": "min_monthly_wage", "params": {"amount": "4000"}}]
    )

    _, queued = imported(payroll_csv(("A1", "2025-03", 3500)))

    assert sorted(ComplianceRun.objects.values_list("contract", flat=True)) == sorted([general.pk, wages.pk])
    assert len(queued) == 2


def test_an_import_of_another_enterprise_starts_no_run_of_this_contract(
    imported, enterprise, union_user, make_member, client_for
):
    contract_in_effect(enterprise, union_user)
    other = EnterpriseFactory()
    stranger = make_member(other, Role.UNION_LEADER)

    _, queued = imported(payroll_csv(("A1", "2025-03", 2000)), to=other, as_client=client_for(stranger))

    assert queued == []
    assert not ComplianceRun.objects.exists()


def test_a_run_checks_only_the_months_the_contract_is_in_force(checked, enterprise, union_user):
    contract = contract_in_effect(enterprise, union_user, term_start=dt.date(2025, 7, 1), term_end=dt.date(2026, 6, 30))

    checked(payroll_csv(("A1", "2025-06", 2000), ("A1", "2025-07", 2000)))

    assert [row[2] for row in breach_rows(contract)] == ["2025-07"]


# --- breaches and findings ------------------------------------------------------------------


def test_a_breach_sums_the_shortfalls_of_its_employees_in_fen(checked, enterprise, union_user):
    # given a 3000 CNY minimum, one employee short by 100.00 CNY and one by 0.50 CNY, one exactly at it
    contract = contract_in_effect(enterprise, union_user)

    run = checked(payroll_csv(("A1", "2025-03", "2999.50"), ("A2", "2025-03", "2900.00"), ("A3", "2025-03", 3000)))

    breach = Breach.objects.get()
    assert (breach.contract, breach.enterprise, breach.clause_number, breach.term_kind, breach.period) == (
        contract,
        enterprise,
        "5",
        "min_monthly_wage",
        "2025-03",
    )
    assert (breach.unit, breach.affected_count, breach.total_shortfall) == ("fen", 2, 10_050)
    assert (breach.worst_shortfall, breach.worst_employee) == (10_000, "A2")
    assert (breach.status, breach.first_run, breach.last_run) == (BreachStatus.OPEN, run, run)
    assert breach.clause == contract.clauses.get()
    assert sorted(breach.findings.values_list("employee_id", "period", "expected", "actual", "shortfall")) == [
        ("A1", "2025-03", 300_000, 299_950, 50),
        ("A2", "2025-03", 300_000, 290_000, 10_000),
    ]
    assert (run.status, run.finding_count, run.breach_count) == (RunStatus.DONE, 2, 1)
    assert run.started_at is not None and run.finished_at is not None


def test_one_breach_per_term_and_period(checked, enterprise, union_user):
    contract = contract_in_effect(
        enterprise,
        union_user,
        terms=[MIN_WAGE, {"kind": "max_overtime_hours_month", "params": {"hours": "36"}}],
    )

    checked(
        payroll_csv(
            ("A1", "2025-03", 2000, 40),
            ("A2", "2025-03", 2500, 36),
            ("A1", "2025-04", 2000, 0),
            columns=("employee_id", "period", "base_wage", "overtime_hours"),
        )
    )

    assert sorted(
        Breach.objects.filter(contract=contract).values_list(
            "term_kind", "period", "unit", "affected_count", "total_shortfall"
        )
    ) == [
        ("max_overtime_hours_month", "2025-03", "hour_hundredths", 1, 400),  # 4 hours over 36, in hundredths
        ("min_monthly_wage", "2025-03", "fen", 2, 100_000 + 50_000),
        ("min_monthly_wage", "2025-04", "fen", 1, 100_000),
    ]


def test_a_clean_payroll_gives_a_done_run_and_no_breach(checked, enterprise, union_user):
    contract_in_effect(enterprise, union_user)

    run = checked(payroll_csv(("A1", "2025-03", 3000)))

    assert (run.status, run.finding_count, run.breach_count) == (RunStatus.DONE, 0, 0)
    assert not Breach.objects.exists()


def test_executing_the_same_run_twice_changes_nothing(checked, enterprise, union_user, leaders):
    contract = contract_in_effect(enterprise, union_user)
    run = checked(payroll_csv(("A1", "2025-03", 2000), ("A2", "2025-04", 2500)))
    breaches, findings, alerts = breach_rows(contract), finding_rows(run), Alert.objects.count()

    again = compliance_run_execute(run_id=run.pk)

    assert (again.pk, again.status, again.finished_at) == (run.pk, RunStatus.DONE, run.finished_at)
    assert breach_rows(contract) == breaches
    assert finding_rows(run) == findings
    assert Alert.objects.count() == alerts == 2 * len(leaders)


def test_asking_for_a_finished_run_again_re_runs_it_without_duplicates_or_new_alerts(
    checked, client, enterprise, union_user, leaders, django_capture_on_commit_callbacks
):
    contract = contract_in_effect(enterprise, union_user)
    run = checked(payroll_csv(("A1", "2025-03", 2000), ("A2", "2025-03", 2500), ("A1", "2025-04", 2999)))
    breaches, findings, alerts = breach_rows(contract), finding_rows(run), sorted(Alert.objects.values_list("pk"))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(RUNS, {"contract": contract.pk, "payroll_import": run.payroll_import_id})
    assert response.status_code == 202
    assert (response.json()["id"], response.json()["status"]) == (run.pk, "pending")
    assert task_calls(queued) == [("contracts.run_compliance", (run.pk,))]
    assert run_compliance.run(run.pk) == RunStatus.DONE

    assert ComplianceRun.objects.count() == 1
    assert breach_rows(contract) == breaches
    assert finding_rows(run) == findings
    assert Finding.objects.count() == 3
    assert sorted(Alert.objects.values_list("pk")) == alerts


def test_the_run_task_of_a_finished_run_leaves_it_alone(checked, enterprise, union_user):
    contract_in_effect(enterprise, union_user)
    run = checked(payroll_csv(("A1", "2025-03", 2000)))

    assert run_compliance.run(run.pk) == RunStatus.DONE
    assert run_compliance.run(987654) is None
    assert Finding.objects.count() == 1


# --- remedied and re-opened -----------------------------------------------------------------


def test_a_later_clean_import_of_the_same_period_marks_the_breach_remedied(checked, enterprise, union_user, leaders):
    contract = contract_in_effect(enterprise, union_user)
    first = checked(payroll_csv(("A1", "2025-03", 2000)))
    breach = Breach.objects.get()
    alerts = Alert.objects.count()

    second = checked(payroll_csv(("A1", "2025-03", 3000)))

    breach.refresh_from_db()
    assert (breach.status, breach.status_changed_by, breach.first_run, breach.last_run) == (
        BreachStatus.REMEDIED,
        None,
        first,
        second,
    )
    assert breach.status_changed_at is not None
    assert Breach.objects.filter(contract=contract).count() == 1
    assert Alert.objects.count() == alerts  # putting it right raises no breach alert


def test_a_later_import_of_another_period_leaves_the_breach_open(checked, enterprise, union_user):
    contract_in_effect(enterprise, union_user)
    checked(payroll_csv(("A1", "2025-03", 2000)))

    checked(payroll_csv(("A1", "2025-04", 3000)))

    assert Breach.objects.get().status == BreachStatus.OPEN


@pytest.mark.parametrize("status", [BreachStatus.ACKNOWLEDGED, BreachStatus.DISPUTED])
def test_a_later_clean_import_remedies_an_acknowledged_or_disputed_breach(status, checked, enterprise, union_user):
    contract_in_effect(enterprise, union_user)
    checked(payroll_csv(("A1", "2025-03", 2000)))
    Breach.objects.update(status=status)

    checked(payroll_csv(("A1", "2025-03", 3000)))

    assert Breach.objects.get().status == BreachStatus.REMEDIED


def test_a_closed_breach_is_left_closed_by_a_clean_import(checked, enterprise, union_user):
    contract_in_effect(enterprise, union_user)
    checked(payroll_csv(("A1", "2025-03", 2000)))
    Breach.objects.update(status=BreachStatus.CLOSED)

    checked(payroll_csv(("A1", "2025-03", 3000)))

    assert Breach.objects.get().status == BreachStatus.CLOSED


def test_a_breach_found_again_after_being_remedied_re_opens_and_is_alerted_again(
    checked, enterprise, union_user, leaders
):
    contract_in_effect(enterprise, union_user)
    checked(payroll_csv(("A1", "2025-03", 2000)))
    checked(payroll_csv(("A1", "2025-03", 3000)))
    breach = Breach.objects.get()
    assert breach.status == BreachStatus.REMEDIED

    third = checked(payroll_csv(("A1", "2025-03", 2500), ("A2", "2025-03", 2900)))

    breach.refresh_from_db()
    assert (breach.status, breach.last_run, breach.affected_count, breach.total_shortfall) == (
        BreachStatus.OPEN,
        third,
        2,
        60_000,
    )
    assert Breach.objects.count() == 1
    per_recipient = sorted(Alert.objects.values_list("recipient_id", flat=True))
    assert per_recipient == sorted([user.pk for user in leaders] * 2)  # found, then found again


def test_a_yearly_breach_is_not_remedied_by_an_import_that_cannot_check_the_year(checked, enterprise, union_user):
    # given leave not taken in 2025 by an employee with 8 years of service (5 days due)
    contract_in_effect(enterprise, union_user, terms=[MIN_WAGE, {"kind": "annual_leave_days", "params": {}}])
    columns = ("employee_id", "period", "base_wage", "hire_date", "leave_days_taken")
    checked(payroll_csv(*[("A1", f"2025-{m:02d}", 3000, "2016-03-05", 0) for m in range(1, 13)], columns=columns))
    breach = Breach.objects.get(term_kind="annual_leave_days")
    assert (breach.period, breach.total_shortfall) == ("2025", 500)

    # when a correction file for December 2025 alone is imported
    checked(payroll_csv(("A1", "2025-12", 3000, "2016-03-05", 0), columns=columns))

    # then the year was not checked again: the breach stays open
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN


def test_a_breach_is_not_remedied_by_an_import_without_the_column_its_check_needs(checked, enterprise, union_user):
    # given wages for March 2025 paid on 20 April, after the agreed 15th
    contract_in_effect(enterprise, union_user, terms=[MIN_WAGE, {"kind": "pay_day", "params": {"day": 15}}])
    checked(
        payroll_csv(("A1", "2025-03", 3000, "2025-04-20"), columns=("employee_id", "period", "base_wage", "pay_date"))
    )
    breach = Breach.objects.get(term_kind="pay_day")

    # when the March payroll is imported again without its pay dates
    checked(payroll_csv(("A1", "2025-03", 3000)))

    # then nothing shows the wages were paid on time: the breach stays open
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN


# --- alerts -----------------------------------------------------------------------------------


def test_each_new_breach_alerts_every_union_leader_and_federation_officer_once(
    checked, enterprise, union_user, employer_user, leaders, make_member
):
    contract = contract_in_effect(enterprise, union_user)
    other = EnterpriseFactory()
    outsiders = [
        make_member(other, Role.UNION_LEADER),
        FederationOfficerFactory(federation=other.federation).user,
    ]

    checked(payroll_csv(("A1", "2025-03", 2000), ("A1", "2025-04", 2500)))

    breaches = {breach.period: breach for breach in Breach.objects.filter(contract=contract)}
    assert sorted(Alert.objects.values_list("recipient_id", "link")) == sorted(
        (user.pk, f"/breaches/{breach.pk}/") for user in leaders for breach in breaches.values()
    )
    assert not Alert.objects.filter(recipient__in=[union_user, employer_user, *outsiders]).exists()
    alert = Alert.objects.get(recipient=leaders[0], link=f"/breaches/{breaches['2025-03'].pk}/")
    assert (alert.level, alert.template) == ("breach", "breach_found")
    assert {key: alert.context[key] for key in ("term_kind", "period", "affected", "total_shortfall", "rule")} == {
        "term_kind": "min_monthly_wage",
        "period": "2025-03",
        "affected": 1,
        "total_shortfall": 100_000,
        "rule": "R13",
    }


def test_a_breach_still_found_by_a_later_import_raises_no_new_alert(checked, enterprise, union_user, leaders):
    contract_in_effect(enterprise, union_user)
    checked(payroll_csv(("A1", "2025-03", 2000)))

    checked(payroll_csv(("A1", "2025-03", 2100), ("A2", "2025-03", 2200)))

    breach = Breach.objects.get()
    assert (breach.status, breach.affected_count) == (BreachStatus.OPEN, 2)
    assert Alert.objects.count() == len(leaders)


def test_an_alert_that_cannot_be_written_leaves_no_breach_behind(
    checked, imported, enterprise, union_user, leaders, monkeypatch
):
    # given alerts that fail to be written
    contract_in_effect(enterprise, union_user)

    def fail(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(compliance_services, "alert_raise", fail)

    # when the import checks its rows (and the queued run task tries again)
    _, queued = imported(payroll_csv(("A1", "2025-03", 2000)))
    [(_name, args)] = task_calls(queued)
    with pytest.raises(RuntimeError):
        run_compliance.run(*args)

    # then the breach and its findings are not stored either: they share the alert's transaction
    assert not Breach.objects.exists()
    assert not Finding.objects.exists()
    run = ComplianceRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "outbox unavailable" in run.error


# --- the API ----------------------------------------------------------------------------------


def test_posting_a_run_answers_202_and_queues_it_once_on_commit(
    imported, client, enterprise, union_user, django_capture_on_commit_callbacks
):
    payroll, _ = imported(payroll_csv(("A1", "2025-03", 2000)))  # no contract yet: no automatic run
    contract = contract_in_effect(enterprise, union_user)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(RUNS, {"contract": contract.pk, "payroll_import": payroll.pk})

    assert response.status_code == 202
    body = response.json()
    assert (body["contract"], body["payroll_import"], body["status"], body["breaches"]) == (
        contract.pk,
        payroll.pk,
        "pending",
        [],
    )
    run = ComplianceRun.objects.get()
    assert run.requested_by == union_user
    assert task_calls(queued) == [("contracts.run_compliance", (run.pk,))]


def test_posting_a_run_that_is_still_pending_returns_it_without_queueing_again(
    imported, client, enterprise, union_user, django_capture_on_commit_callbacks
):
    contract = contract_in_effect(enterprise, union_user)
    payroll, _ = imported(payroll_csv(("A1", "2025-03", 2000)))
    ComplianceRun.objects.update(status=RunStatus.PENDING)  # as if its worker had not got to it yet

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(RUNS, {"contract": contract.pk, "payroll_import": payroll.pk})

    assert response.status_code == 202
    assert response.json()["id"] == ComplianceRun.objects.get().pk
    assert queued == []


def test_the_run_result_lists_its_breaches_with_counts_and_shortfall(checked, client, enterprise, union_user):
    contract_in_effect(enterprise, union_user)
    run = checked(payroll_csv(("A1", "2025-03", "2999.50"), ("A2", "2025-03", 2900), ("A1", "2025-04", 2000)))

    response = client.get(f"{RUNS}{run.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["finding_count"], body["breach_count"]) == ("done", 3, 2)
    assert [
        (b["term_kind"], b["period"], b["unit"], b["affected_count"], b["total_shortfall"], b["worst_employee"])
        for b in body["breaches"]
    ] == [
        ("min_monthly_wage", "2025-03", "fen", 2, 10_050, "A2"),
        ("min_monthly_wage", "2025-04", "fen", 1, 100_000, "A1"),
    ]


def test_a_runs_result_keeps_the_figures_it_found_after_a_later_run(checked, client, enterprise, union_user):
    contract_in_effect(enterprise, union_user)
    first = checked(payroll_csv(("A1", "2025-03", 2000)))

    checked(payroll_csv(("A1", "2025-03", 2000), ("A2", "2025-03", 2500)))

    body = client.get(f"{RUNS}{first.pk}/").json()
    assert body["finding_count"] == 1
    assert [(b["affected_count"], b["total_shortfall"]) for b in body["breaches"]] == [(1, 100_000)]


def test_posting_a_run_of_a_rejected_import_is_a_409(imported, client, enterprise, union_user):
    contract = contract_in_effect(enterprise, union_user)
    payroll, _ = imported(payroll_csv(("A1", "2025-03", -1)))
    assert payroll.status == ImportStatus.REJECTED

    response = client.post(RUNS, {"contract": contract.pk, "payroll_import": payroll.pk})

    assert response.status_code == 409
    assert response.json()["code"] == "payroll_not_accepted"
    assert not ComplianceRun.objects.exists()


def test_posting_a_run_of_a_draft_contract_is_a_409(imported, client, enterprise, union_user):
    payroll, _ = imported(payroll_csv(("A1", "2025-03", 2000)))
    contract = contract_in_effect(enterprise, union_user, status=ContractStatus.DRAFT)

    response = client.post(RUNS, {"contract": contract.pk, "payroll_import": payroll.pk})

    assert response.status_code == 409
    assert response.json()["code"] == "contract_not_in_effect"


def test_posting_a_run_of_a_contract_against_another_enterprises_payroll_is_a_400(
    imported, client, enterprise, union_user
):
    # given a user with roles in two enterprises
    other = EnterpriseFactory()
    MembershipFactory(user=union_user, enterprise=other, role=Role.UNION_NEGOTIATOR)
    contract = contract_in_effect(enterprise, union_user)
    theirs, _ = imported(payroll_csv(("A1", "2025-03", 2000)), to=other)

    response = client.post(RUNS, {"contract": contract.pk, "payroll_import": theirs.pk})

    assert response.status_code == 400
    assert response.json()["code"] == "foreign_payroll"
    assert not ComplianceRun.objects.exists()


def test_posting_a_run_of_a_contract_the_user_cannot_see_is_a_400_on_the_contract_field(
    imported, client, enterprise, union_user, make_member
):
    payroll, _ = imported(payroll_csv(("A1", "2025-03", 2000)))
    other = EnterpriseFactory()
    theirs = contract_in_effect(other, make_member(other, Role.UNION_LEADER))

    response = client.post(RUNS, {"contract": theirs.pk, "payroll_import": payroll.pk})

    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["extra"]["fields"])) == ("invalid", ["contract"])


@pytest.mark.parametrize("read_only", ["congress_delegate", "federation_officer"])
def test_posting_a_run_by_a_read_only_role_is_forbidden(
    read_only, imported, client_for, enterprise, union_user, make_member
):
    contract = contract_in_effect(enterprise, union_user)
    payroll, _ = imported(payroll_csv(("A1", "2026-03", 2000)))  # outside the term: no automatic run
    if read_only == "federation_officer":
        user = FederationOfficerFactory(federation=enterprise.federation).user
    else:
        user = make_member(enterprise, Role.CONGRESS_DELEGATE)

    response = client_for(user).post(RUNS, {"contract": contract.pk, "payroll_import": payroll.pk})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not ComplianceRun.objects.exists()


def test_runs_of_another_enterprise_are_neither_listed_nor_shown(
    checked, client, client_for, enterprise, union_user, make_member
):
    contract_in_effect(enterprise, union_user)
    mine = checked(payroll_csv(("A1", "2025-03", 2000)))
    other = EnterpriseFactory()
    stranger = make_member(other, Role.UNION_LEADER)
    contract_in_effect(other, stranger)
    theirs = checked(payroll_csv(("A1", "2025-03", 2000)), to=other, as_client=client_for(stranger))

    listed = client.get(RUNS).json()["results"]

    assert [row["id"] for row in listed] == [mine.pk]
    assert client.get(f"{RUNS}{theirs.pk}/").status_code == 404


def test_compliance_run_list_reads_a_bounded_number_of_queries(
    checked, client, enterprise, union_user, django_assert_max_num_queries
):
    contract_in_effect(enterprise, union_user)

    def add(months):
        for month in months:
            checked(payroll_csv(("A1", f"2025-{month:02d}", 2000)))

    add(range(1, 3))
    with CaptureQueriesContext(connection) as captured:
        assert len(client.get(RUNS).json()["results"]) == 2
    with_two = len(captured)  # now: the next request resets the connection's query log
    add(range(3, 11))

    with django_assert_max_num_queries(with_two):
        response = client.get(RUNS)

    assert len(response.json()["results"]) == 10


# --- the sweep ----------------------------------------------------------------------------------


def test_the_sweep_requeues_imports_and_runs_left_behind_by_a_lost_worker(
    imported, enterprise, union_user, monkeypatch, settings
):
    settings.WORK_REQUEUE_AFTER_SECONDS = 120
    now = timezone.now()
    contract_in_effect(enterprise, union_user)
    lost_message, _ = imported(payroll_csv(("A1", "2025-03", 2000)))  # accepted, its run pending
    stale_run = ComplianceRun.objects.get()
    ComplianceRun.objects.update(status=RunStatus.PENDING)  # as if its message was lost
    three_minutes_ago = now - dt.timedelta(minutes=3)
    PayrollImport.objects.filter(pk=lost_message.pk).update(status=ImportStatus.PENDING, queued_at=three_minutes_ago)
    ComplianceRun.objects.filter(pk=stale_run.pk).update(queued_at=three_minutes_ago)
    dead_worker, _ = imported(payroll_csv(("A1", "2025-04", 2000)))
    PayrollImport.objects.filter(pk=dead_worker.pk).update(
        status=ImportStatus.PROCESSING, lease_until=now - dt.timedelta(seconds=1)
    )
    live_worker, _ = imported(payroll_csv(("A1", "2025-05", 2000)))
    PayrollImport.objects.filter(pk=live_worker.pk).update(
        status=ImportStatus.PROCESSING, lease_until=now + dt.timedelta(minutes=4), queued_at=three_minutes_ago
    )
    just_queued, _ = imported(payroll_csv(("A1", "2025-06", 2000)))
    PayrollImport.objects.filter(pk=just_queued.pk).update(status=ImportStatus.PENDING, queued_at=now)
    sent = []
    monkeypatch.setattr(import_payroll, "delay", lambda *args: sent.append(("import", args)))
    monkeypatch.setattr(run_compliance, "delay", lambda *args: sent.append(("run", args)))

    result = sweep_pending.run()

    assert result == {"imports": 2, "runs": 1, "documents": 0}
    assert sent == [("import", (lost_message.pk,)), ("import", (dead_worker.pk,)), ("run", (stale_run.pk,))]
    # queued again just now: the next sweep leaves them to the messages it sent
    sent.clear()
    PayrollImport.objects.filter(pk=dead_worker.pk).update(lease_until=timezone.now() + dt.timedelta(minutes=5))
    assert sweep_pending.run() == {"imports": 0, "runs": 0, "documents": 0}
    assert sent == []


def test_an_import_held_by_a_live_worker_is_left_to_it_and_one_whose_lease_ran_out_is_taken_over(
    upload,
):
    response, _queued = upload(payroll_csv(("A1", "2025-03", 3000)))
    payroll = PayrollImport.objects.get(pk=response.json()["id"])
    PayrollImport.objects.filter(pk=payroll.pk).update(
        status=ImportStatus.PROCESSING, lease_until=timezone.now() + dt.timedelta(minutes=5)
    )

    import_payroll.run(payroll.pk)  # a second message for it, while its worker lives

    payroll.refresh_from_db()
    assert (payroll.status, payroll.row_count) == (ImportStatus.PROCESSING, None)

    PayrollImport.objects.filter(pk=payroll.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    import_payroll.run(payroll.pk)  # its worker died: the lease ran out

    payroll.refresh_from_db()
    assert (payroll.status, payroll.row_count, payroll.lease_until) == (ImportStatus.ACCEPTED, 1, None)
