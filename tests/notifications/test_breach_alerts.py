"""From a payroll check to the union leader's inbox: the compliance run raises the breach
alert in its own transaction, the outbox e-mails it (in Chinese), and the breach becomes
notified once the alert has gone out, at once or in the digest."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.compliance.models import Breach, BreachStatus, ComplianceRun
from contracts.compliance.services.imports import payroll_import_process, payroll_import_upload
from contracts.compliance.services.runs import compliance_run_execute
from contracts.enterprises.models import Role
from contracts.models import Contract, ContractStatus
from contracts.services.lifecycle import contract_create
from notifications.models import Alert, Delivery, Mode, Preference
from notifications.services import digests_prepare
from tests.factories import FederationOfficerFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def effective_contract(enterprise, user) -> Contract:
    """A 2025 contract whose clause 5 sets a 3000 CNY monthly minimum, in effect."""
    contract = contract_create(
        user=user,
        enterprise=enterprise,
        kind="general",
        title="Collective contract 2025",
        term_start=dt.date(2025, 1, 1),
        term_end=dt.date(2025, 12, 31),
        clauses=[
            {
                "number": "5",
                "category": "pay",
                "title": "Wages",
                "text": "No monthly base wage below 3000 CNY.",
                "terms": [{"kind": "min_monthly_wage", "params": {"amount": "3000"}}],
            }
        ],
    )
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.EFFECTIVE, effective_on=contract.term_start)
    return contract


def check_payroll(user, enterprise, rows) -> None:
    """Import a payroll and run the checks it starts, through the services the tasks call."""
    content = "\n".join(["employee_id,period,base_wage", *(",".join(row) for row in rows), ""]).encode()
    payroll = payroll_import_upload(
        user=user, enterprise=enterprise, upload=SimpleUploadedFile("payroll.csv", content, content_type="text/csv")
    )
    payroll_import_process(payroll_id=payroll.pk)
    for run in ComplianceRun.objects.filter(payroll_import=payroll):
        compliance_run_execute(run_id=run.pk)


@pytest.fixture
def leader(enterprise):
    return MembershipFactory(enterprise=enterprise, role=Role.UNION_LEADER, user__email="leader@example.org").user


@pytest.fixture
def found(enterprise, union_user, leader):
    """Two employees under the minimum in March 2025: short by 0.50 and 100.00 CNY."""
    FederationOfficerFactory(federation=enterprise.federation, user__email="officer@example.org")
    effective_contract(enterprise, union_user)
    check_payroll(union_user, enterprise, [("A1", "2025-03", "2999.50"), ("A2", "2025-03", "2900.00")])
    return Breach.objects.get()


def test_a_breach_found_reaches_the_leader_and_the_officer_in_chinese_and_becomes_notified(
    found, smtp_backend, send_outbox
):
    # given the run raised the alert for the union leader and the federation officer
    assert found.status == BreachStatus.OPEN
    assert Delivery.objects.count() == 2

    # when the outbox is sent
    send_outbox()

    # then each received one e-mail about this breach, in Chinese
    assert sorted(r.rcpt_tos[0] for r in smtp_backend.received) == ["leader@example.org", "officer@example.org"]
    (to_leader,) = smtp_backend.to("leader@example.org")
    assert to_leader.subject.startswith("违约提醒：")
    assert "第 5 条，2025-03" in to_leader.subject
    assert "涉及职工人数：2" in to_leader.text
    assert "差额合计：100.50元" in to_leader.text
    assert "单人最大差额：100.00元" in to_leader.text
    # and the breach moved from open to notified
    found.refresh_from_db()
    assert found.status == BreachStatus.NOTIFIED


def test_a_breach_stays_open_while_the_mail_server_refuses_its_alert(found, smtp_backend, send_outbox):
    smtp_backend.handler.refuse_next = 100  # nothing gets through

    assert send_outbox() == ["pending", "pending"]

    assert Alert.objects.filter(template="breach_found").count() == 2
    found.refresh_from_db()
    assert found.status == BreachStatus.OPEN


def test_a_digest_reader_hears_of_the_breach_in_the_digest_and_then_it_is_notified(
    enterprise, union_user, leader, smtp_backend, send_outbox
):
    Preference.objects.create(user=leader, mode=Mode.DAILY_DIGEST)
    effective_contract(enterprise, union_user)
    check_payroll(union_user, enterprise, [("A1", "2025-03", "2500.00")])
    breach = Breach.objects.get()
    assert not Delivery.objects.exists()

    digests_prepare()
    send_outbox()

    (received,) = smtp_backend.received
    assert received.subject.startswith("Concord 每日摘要")
    assert "差额合计：500.00元" in received.text
    breach.refresh_from_db()
    assert breach.status == BreachStatus.NOTIFIED
