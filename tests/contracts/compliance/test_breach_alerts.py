"""From a payroll check to the union leader's inbox: the compliance run raises the breach
alert in its own transaction, the outbox e-mails it (in Chinese), and the breach becomes
notified once the alert has gone out, at once or in the digest."""

import pytest

from contracts.compliance.models import Breach, BreachStatus
from contracts.enterprises.models import Role
from notifications.models import Alert, Delivery, Mode, Preference
from notifications.services import digests_prepare
from tests.factories import FederationOfficerFactory, MembershipFactory, contract_in_effect, payroll_check, payroll_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def leader(enterprise):
    return MembershipFactory(enterprise=enterprise, role=Role.UNION_LEADER, user__email="leader@example.org").user


@pytest.fixture
def found(enterprise, union_user, leader):
    """Two employees under the minimum in March 2025: short by 0.50 and 100.00 CNY."""
    FederationOfficerFactory(federation=enterprise.federation, user__email="officer@example.org")
    contract_in_effect(enterprise, union_user)
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", "2999.50"), ("A2", "2025-03", "2900.00")))
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
    # the clause stored as "5" is named as the contract prints it, its first article, once
    assert "，第一条，2025-03" in to_leader.subject
    assert "第 " not in to_leader.subject
    assert "条款：第一条 · 月最低工资" in to_leader.text
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
    contract_in_effect(enterprise, union_user)
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", "2500.00")))
    breach = Breach.objects.get()
    assert not Delivery.objects.exists()

    digests_prepare()
    send_outbox()

    (received,) = smtp_backend.received
    assert received.subject.startswith("Concord 每日摘要")
    assert "差额合计：500.00元" in received.text
    breach.refresh_from_db()
    assert breach.status == BreachStatus.NOTIFIED
