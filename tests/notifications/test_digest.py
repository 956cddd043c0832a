"""The 08:00 daily digest: one e-mail per reader and day whatever the number of runs,
leading with the worst breach, then overdue deadlines and those due within 7 days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from notifications.models import Alert, Delivery, DeliveryStatus, Digest, Level, Mode, Preference
from notifications.services import alert_raise, digests_prepare
from notifications.signals import alert_delivered
from notifications.tasks import send_digests
from tests.factories import UserFactory
from tests.notifications.conftest import breach_context, deadline_context

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = dt.datetime(2026, 3, 20, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def reader(db):
    user = UserFactory(email="reader@example.org")
    Preference.objects.create(user=user, mode=Mode.DAILY_DIGEST)
    return user


def breach(user, n, *, worst, total, enterprise="Hengda Textiles"):
    return alert_raise(
        recipients=[user.pk],
        level=Level.BREACH,
        template="breach_found",
        context=breach_context(
            breach=n, enterprise=enterprise, clause=str(n), worst_shortfall=worst, total_shortfall=total
        ),
        link=f"/api/v1/breaches/{n}/",
        dedup_key=f"breach:{n}",
    )


def deadline(user, key, *, template="deadline_soon", level=Level.WARNING, **context):
    return alert_raise(
        recipients=[user.pk],
        level=level,
        template=template,
        context=deadline_context(**context),
        link="/contracts/7/",
        dedup_key=key,
    )


def test_running_the_digest_twice_sends_one_e_mail(reader, smtp_backend, send_outbox, freeze_now):
    # given two breaches awaiting the reader's digest
    freeze_now(MORNING - dt.timedelta(hours=3))
    breach(reader, 1, worst=100, total=100)
    breach(reader, 2, worst=200, total=400)
    freeze_now(MORNING)

    # when the digest job runs twice (and its e-mails are sent after each run)
    first = digests_prepare()
    send_outbox()
    second = digests_prepare()
    send_outbox()

    # then one digest carried both alerts, and one e-mail went out
    assert len(first) == 1 and second == []
    digest = Digest.objects.get()
    assert (digest.recipient, digest.date) == (reader, dt.date(2026, 3, 20))
    assert digest.alerts.count() == 2
    assert Delivery.objects.get(digest=digest).status == DeliveryStatus.SENT
    assert len(smtp_backend.received) == 1
    assert smtp_backend.received[0].rcpt_tos == ["reader@example.org"]


def test_the_digest_task_twice_makes_one_digest(reader, freeze_now):
    freeze_now(MORNING)
    breach(reader, 1, worst=100, total=100)

    assert len(send_digests()) == 1
    assert send_digests() == []
    assert Digest.objects.count() == 1
    assert Delivery.objects.filter(digest__isnull=False).count() == 1


def test_the_digest_leads_with_the_worst_breach_then_lists_them_worst_first(
    reader, smtp_backend, send_outbox, freeze_now
):
    freeze_now(MORNING)
    breach(reader, 1, worst=100, total=100, enterprise="Alpha Works")
    breach(reader, 2, worst=50000, total=90000, enterprise="Beta Mills")
    breach(reader, 3, worst=3000, total=120000, enterprise="Gamma Foods")

    digests_prepare()
    send_outbox()

    received = smtp_backend.received[0]
    text = received.text
    worst_block = text.index("最严重的违约")
    listing = text.index("新发现的违约 (3)")
    assert worst_block < listing
    assert text.index("Beta Mills", worst_block) < listing  # the worst breach leads
    assert "单人最大差额：500.00元" in text[worst_block:listing]
    assert text.index("Beta Mills", listing) < text.index("Gamma Foods", listing) < text.index("Alpha Works", listing)
    assert "涉及职工人数：12 · 差额合计：900.00元" in text
    html = received.html
    assert html.index("最严重的违约") < html.index("Beta Mills") < html.index("新发现的违约")


def test_the_digest_lists_overdue_and_upcoming_deadlines_soonest_first_in_chinese(
    reader, smtp_backend, send_outbox, freeze_now
):
    freeze_now(MORNING)
    breach(reader, 1, worst=100, total=100)
    deadline(
        reader,
        "soon:R1",
        rule="R1",
        due="2026-03-26",
        title="Wage talks 2026",
        what="written answer to the consultation request",
    )
    deadline(reader, "soon:R8", rule="R8", due="2026-03-23", title="Collective contract 2026–2029")
    deadline(reader, "overdue:R8", template="overdue", level=Level.OVERDUE, due="2026-03-18", title="Old contract")

    digests_prepare()
    send_outbox()

    received = smtp_backend.received[0]
    assert received.subject == "Concord 每日摘要（2026年3月20日）：新违约 1 项，期限 3 项"
    text = received.text
    assert text.index("最严重的违约") < text.index("已逾期 (1)") < text.index("7 天内到期 (2)")
    assert "已逾期：将签订的集体合同报送劳动保障行政部门（期限 2026年3月18日）——Old contract" in text
    upcoming = text[text.index("7 天内到期") :]
    assert upcoming.index("2026年3月23日") < upcoming.index("2026年3月26日")
    assert "书面答复协商要约 – Wage talks 2026" in upcoming


def test_the_digest_is_in_english_for_an_english_reader(reader, smtp_backend, send_outbox, freeze_now):
    Preference.objects.filter(user=reader).update(language="en")
    freeze_now(MORNING)
    breach(reader, 1, worst=100, total=100)
    breach(reader, 2, worst=100, total=100)

    digests_prepare()
    send_outbox()

    received = smtp_backend.received[0]
    assert received.subject == "Concord daily digest, March 20, 2026: 2 new breaches, 0 deadlines"
    assert "Worst breach" in received.text
    assert '<html lang="en">' in received.html


def test_alerts_raised_after_todays_digest_wait_for_tomorrows(reader, smtp_backend, send_outbox, freeze_now):
    freeze_now(MORNING)
    breach(reader, 1, worst=100, total=100)
    digests_prepare()
    send_outbox()
    freeze_now(MORNING + dt.timedelta(hours=2))
    breach(reader, 2, worst=100, total=100, enterprise="Later Ltd")

    assert digests_prepare() == []  # today's digest is made; nothing more today

    freeze_now(MORNING + dt.timedelta(days=1))
    (tomorrow,) = digests_prepare()
    send_outbox()
    assert list(Digest.objects.get(pk=tomorrow).alerts.values_list("context__breach", flat=True)) == [2]
    assert len(smtp_backend.received) == 2
    assert "Later Ltd" in smtp_backend.received[1].text
    assert "Later Ltd" not in smtp_backend.received[0].text


def test_alerts_e_mailed_at_once_or_opted_out_are_not_in_a_digest(reader, freeze_now):
    freeze_now(MORNING)
    at_once = UserFactory()
    Preference.objects.filter(user=reader).update(opted_out_levels=[Level.INFO])
    breach(at_once, 1, worst=100, total=100)
    deadline(reader, "soon:R9", level=Level.INFO, rule="R9")

    assert digests_prepare() == []
    assert not Digest.objects.exists()
    assert Alert.objects.filter(digest__isnull=False).count() == 0


def test_delivering_a_digest_announces_each_alert_it_carried(reader, smtp_backend, send_outbox, freeze_now):
    freeze_now(MORNING)
    alerts = [*breach(reader, 1, worst=100, total=100), *breach(reader, 2, worst=100, total=100)]
    heard = []

    def receiver(sender, alert, **kwargs):
        heard.append(alert.pk)

    digests_prepare()
    alert_delivered.connect(receiver)
    try:
        send_outbox()
    finally:
        alert_delivered.disconnect(receiver)

    assert sorted(heard) == sorted(a.pk for a in alerts)
