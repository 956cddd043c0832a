"""The e-mails as they arrive at a real SMTP server: multipart (plain text + HTML), in
Chinese unless the reader chose English, to the recipient only, readable on a phone."""

import re

import pytest

from notifications.models import Delivery, DeliveryStatus, Level, Preference
from notifications.services import alert_raise
from tests.factories import UserFactory
from tests.notifications.conftest import breach_context, deadline_context

pytestmark = pytest.mark.django_db


def raise_alert(users, *, template="breach_found", level=Level.BREACH, context=None, key="k:1"):
    return alert_raise(
        recipients=[u.pk for u in users],
        level=level,
        template=template,
        context=context if context is not None else breach_context(),
        link="/api/v1/breaches/1/",
        dedup_key=key,
    )


def test_breach_e_mail_is_multipart_and_in_chinese_by_default(smtp_backend, send_outbox):
    # given a union leader with no saved preference
    leader = UserFactory(email="leader@example.org", first_name="Wei", last_name="Zhang")
    raise_alert([leader])

    # when the outbox is sent
    assert send_outbox() == [DeliveryStatus.SENT]

    # then one message reached the SMTP server, for the leader only
    (received,) = smtp_backend.received
    assert received.rcpt_tos == ["leader@example.org"]
    assert received.message["To"] == "leader@example.org"
    assert received.message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in received.message.iter_parts()] == ["text/plain", "text/html"]
    # in Chinese: subject, body, the article of law and the amounts in yuan
    assert received.subject == "违约提醒：Hengda Textiles，第 3 条，2026-03"
    text = received.text
    assert "工资核查发现，Hengda Textiles未履行集体合同《Collective contract 2026–2029》。" in text
    assert "涉及职工人数：12" in text
    assert "差额合计：1,234.56元" in text
    assert "单人最大差额：300.00元" in text
    assert "《劳动法》第四十八条" in text
    assert "月最低工资" in text  # the term's name, from the contracts app, in the reader's language
    assert "http://localhost:8000/api/v1/breaches/1/" in text
    html = received.html
    assert '<html lang="zh-hans">' in html
    assert "差额合计" in html
    assert '<a href="http://localhost:8000/api/v1/breaches/1/"' in html


def test_breach_e_mail_is_in_english_for_a_reader_who_chose_english(smtp_backend, send_outbox):
    reader = UserFactory(email="reader@example.org")
    Preference.objects.create(user=reader, language="en")
    raise_alert([reader])

    send_outbox()

    (received,) = smtp_backend.received
    assert received.subject == "Breach at Hengda Textiles: clause 3, 2026-03"
    assert 'did not keep the collective contract "Collective contract 2026–2029"' in received.text
    assert "Total shortfall: ¥1,234.56" in received.text
    assert "Minimum monthly wage" in received.text
    assert '<html lang="en">' in received.html


def test_each_recipient_gets_their_own_message_in_their_own_language(smtp_backend, send_outbox):
    chinese, english = UserFactory(email="zh@example.org"), UserFactory(email="en@example.org")
    Preference.objects.create(user=english, language="en")
    raise_alert([chinese, english])

    send_outbox()

    assert len(smtp_backend.received) == 2
    (to_chinese,) = smtp_backend.to("zh@example.org")
    (to_english,) = smtp_backend.to("en@example.org")
    assert to_chinese.rcpt_tos == ["zh@example.org"]
    assert to_english.rcpt_tos == ["en@example.org"]
    assert to_chinese.subject.startswith("违约提醒")
    assert to_english.subject.startswith("Breach at")


def test_the_html_body_is_laid_out_for_a_phone(smtp_backend, send_outbox):
    raise_alert([UserFactory()])

    send_outbox()

    html = smtp_backend.received[0].html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "max-width:600px" in html
    assert "<table" not in html  # one column: nothing to scroll sideways
    assert "font-size:16px" in html


def test_names_are_escaped_in_html_and_kept_as_written_in_plain_text(smtp_backend, send_outbox):
    raise_alert([UserFactory()], context=breach_context(enterprise="<b>Acme & Sons</b>"))

    send_outbox()

    received = smtp_backend.received[0]
    assert "&lt;b&gt;Acme &amp; Sons&lt;/b&gt;" in received.html
    assert "<b>Acme" not in received.html
    assert "<b>Acme & Sons</b>" in received.text


def test_message_id_is_fixed_per_delivery_and_recorded(smtp_backend, send_outbox):
    raise_alert([UserFactory()])

    send_outbox()

    delivery = Delivery.objects.get()
    received = smtp_backend.received[0]
    assert received.message_id == delivery.message_id
    assert re.fullmatch(rf"<concord\.delivery\.{delivery.pk}\.\d+@localhost>", delivery.message_id)
    assert received.message["X-Concord-Delivery"] == str(delivery.pk)
    assert received.message["Auto-Submitted"] == "auto-generated"


def test_deadline_reminder_names_what_is_due_when_and_who_must_act_in_chinese(smtp_backend, send_outbox, freeze_now):
    import datetime as dt
    from zoneinfo import ZoneInfo

    freeze_now(dt.datetime(2026, 3, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    raise_alert([UserFactory()], template="deadline_soon", level=Level.WARNING, context=deadline_context())

    send_outbox()

    received = smtp_backend.received[0]
    assert received.subject == (
        "期限提醒（2026年3月24日）：将签订的集体合同报送劳动保障行政部门——Collective contract 2026–2029"
    )
    assert "期限：2026年3月24日 （还有 4 天）" in received.text
    assert "责任方：企业方" in received.text
    assert "《集体合同规定》第四十二条" in received.text


def test_overdue_alert_in_english_says_how_late(smtp_backend, send_outbox, freeze_now):
    import datetime as dt
    from zoneinfo import ZoneInfo

    freeze_now(dt.datetime(2026, 3, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    reader = UserFactory()
    Preference.objects.create(user=reader, language="en")
    raise_alert([reader], template="overdue", level=Level.OVERDUE, context=deadline_context())

    send_outbox()

    received = smtp_backend.received[0]
    assert received.subject == (
        "Overdue: filing the signed contract with the labour administration, due March 24, 2026 "
        "– Collective contract 2026–2029"
    )
    assert "Due: March 24, 2026 (3 days late)" in received.text
    assert "Up to: the employer side" in received.text
    assert "Provisions on Collective Contracts, Art. 42" in received.text


def test_a_recipient_without_an_e_mail_address_fails_visibly_instead_of_silently(smtp_backend, send_outbox):
    raise_alert([UserFactory(email="")])

    assert send_outbox() == [DeliveryStatus.FAILED]

    delivery = Delivery.objects.get()
    assert delivery.last_error == "the recipient has no e-mail address"
    assert smtp_backend.received == []


@pytest.mark.parametrize(
    ("language", "subject"),
    [("zh-hans", "违约提醒：华南纺织有限公司，第四条，2026-05"), ("en", "Breach at 华南纺织有限公司: 第四条, 2026-05")],
)
def test_a_clause_numbered_as_chinese_contracts_number_it_is_not_wrapped_twice(
    smtp_backend, send_outbox, language, subject
):
    # given a breach of the clause a Chinese contract numbers "第四条"
    leader = UserFactory(email="leader@example.org")
    Preference.objects.create(user=leader, language=language)
    raise_alert([leader], context=breach_context(enterprise="华南纺织有限公司", clause="第四条", period="2026-05"))

    send_outbox()

    # then the subject names it once, as printed, not "第 第四条 条"
    (received,) = smtp_backend.received
    assert received.subject == subject


# --- links: every e-mail opens the pages of the site it came from --------------------------------

SITE = "https://concord.example.org"


def e_mail_links(received) -> tuple[list[str], list[str]]:
    """The links of a message: the HTML's hrefs and the plain text's addresses."""
    return re.findall(r'href="([^"]+)"', received.html), re.findall(r"https?://\S+", received.text)


def page_of(url: str):
    """The page a link of ours opens: it must start with the site's address."""
    from urllib.parse import urlsplit

    from django.urls import resolve

    assert url.startswith(SITE + "/"), f"{url} is not on {SITE}"
    return resolve(urlsplit(url).path)


def test_an_alerts_e_mail_links_to_its_page_the_inbox_and_the_preferences_on_the_site(
    smtp_backend, send_outbox, settings
):
    settings.NOTIFICATIONS_SITE_URL = SITE + "/"
    leader = UserFactory(email="leader@example.org")
    alert_raise(
        recipients=[leader.pk],
        level=Level.WARNING,
        template="deadline_soon",
        context=deadline_context(contract=7),
        link="/contracts/7/",
        dedup_key="soon:R8:contract:7",
    )

    send_outbox()

    (received,) = smtp_backend.received
    for links in e_mail_links(received):
        pages = [page_of(url) for url in links]
        names = [match.view_name for match in pages]
        # the alert's own page, then the footer's inbox and preferences, in both parts of the message
        assert names == ["contracts:contract", "notifications:alerts", "notifications:preferences"]
        assert pages[0].kwargs == {"pk": 7}
    assert "/api/" not in received.html + received.text  # no developer form any more


def test_a_digests_e_mail_links_each_alert_and_the_inbox_and_the_preferences_on_the_site(
    smtp_backend, send_outbox, settings, freeze_now
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from notifications.models import Mode
    from notifications.services import digests_prepare

    settings.NOTIFICATIONS_SITE_URL = SITE
    morning = dt.datetime(2026, 3, 20, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    reader = UserFactory(email="reader@example.org")
    Preference.objects.create(user=reader, mode=Mode.DAILY_DIGEST, language="en")
    freeze_now(morning - dt.timedelta(hours=2))
    raise_alert([reader], key="breach:1")
    freeze_now(morning)
    digests_prepare(now=morning)

    send_outbox()

    (received,) = smtp_backend.received
    html_links, text_links = e_mail_links(received)
    for links in (html_links, text_links):
        names = {page_of(url).view_name for url in links if "/api/" not in url}
        assert {"notifications:alerts", "notifications:preferences"} <= names
    from django.urls import reverse

    assert received.html.count(f'href="{SITE}{reverse("notifications:preferences")}"') == 1
    assert f"All alerts: {SITE}{reverse('notifications:alerts')}" in received.text
