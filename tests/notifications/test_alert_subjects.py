"""A breach alert names the breached clause as the contract prints it, once: "第三条", never
"第 第三条 条" (the article wrapped in "第 … 条" a second time) and never the negotiators' own
stored number; the same words in the subject, the plain text and the HTML, and in the digest.
Its link opens the breach's own page on the site."""

import datetime as dt

import pytest
from django.urls import reverse

from contracts.compliance.models import Breach
from contracts.enterprises.models import Role
from contracts.models import Contract, ContractStatus
from contracts.services.lifecycle import contract_create
from notifications.models import Mode, Preference
from notifications.services import digests_prepare
from tests.factories import MIN_WAGE, MembershipFactory, payroll_check, payroll_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

SITE = "https://concord.example.org"


@pytest.fixture
def leader(enterprise):
    return MembershipFactory(enterprise=enterprise, role=Role.UNION_LEADER, user__email="leader@example.org").user


@pytest.fixture
def make_breach(enterprise, union_user, leader, settings):
    """A breach of the clause the negotiators numbered "第八条", printed as the third article:
    the third clause of the pay chapter, the contract's first."""
    settings.NOTIFICATIONS_SITE_URL = SITE

    def make() -> Breach:
        return _breach(enterprise, union_user)

    return make


@pytest.fixture
def breach(make_breach) -> Breach:
    return make_breach()


def _breach(enterprise, union_user) -> Breach:
    contract = contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="2025年集体合同",
        term_start=dt.date(2025, 1, 1),
        term_end=dt.date(2025, 12, 31),
        clauses=[
            {"number": "第一条", "category": "disputes", "title": "争议", "text": "双方协商解决争议。"},
            {"number": "第二条", "category": "pay", "title": "工资", "text": "按月发放工资。"},
            {"number": "第三条", "category": "working_time", "title": "工时", "text": "每日八小时。"},
            {"number": "第五条", "category": "pay", "title": "工资调整", "text": "每年调整一次。"},
            {"number": "第八条", "category": "pay", "title": "最低工资", "text": "不低于3000元。", "terms": [MIN_WAGE]},
        ],
    )
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.EFFECTIVE, effective_on=contract.term_start)
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", "2900.00")))
    return Breach.objects.get()


@pytest.mark.parametrize(
    ("language", "article", "subject"),
    [
        ("zh-hans", "第三条", "违约提醒：{enterprise}，第三条，2025-03"),
        ("en", "Article 3", "Breach at {enterprise}: Article 3, 2025-03"),
    ],
)
def test_the_alert_names_the_printed_article_once(
    breach, leader, smtp_backend, send_outbox, language, article, subject
):
    Preference.objects.create(user=leader, language=language)

    send_outbox()

    (received,) = smtp_backend.to("leader@example.org")
    assert received.subject == subject.format(enterprise=breach.enterprise.name)
    assert received.subject.count(article) == 1
    assert "第 第" not in received.subject and "条 条" not in received.subject
    # the negotiators' own number of the clause is not what the e-mail cites
    assert "第八条" not in received.subject
    assert "第八条" not in received.text
    for body in (received.text, received.html):
        assert article in body
        assert "第 第" not in body
        assert "第 3 条" not in body


def test_the_alert_text_names_the_clause_under_its_label(breach, leader, smtp_backend, send_outbox):
    send_outbox()

    (received,) = smtp_backend.to("leader@example.org")
    assert "条款：第三条 · 月最低工资" in received.text
    assert received.text.count("第三条") == 1


def test_the_alert_links_to_the_breach_page_on_the_site(breach, leader, smtp_backend, send_outbox):
    send_outbox()

    (received,) = smtp_backend.to("leader@example.org")
    page = SITE + reverse("contracts:breach", args=[breach.pk])
    assert page.endswith(f"/breaches/{breach.pk}/")
    assert page in received.text
    assert f'href="{page}"' in received.html


def test_the_digest_names_the_printed_article_once(make_breach, leader, smtp_backend, send_outbox):
    # given a leader who reads breaches in the daily digest, and the breach found
    Preference.objects.create(user=leader, mode=Mode.DAILY_DIGEST)
    make_breach()
    assert send_outbox() == []

    # when the digest is made and sent
    digests_prepare()
    send_outbox()

    (received,) = smtp_backend.to("leader@example.org")
    assert "第三条" in received.text
    assert "第 第" not in received.text and "第 第" not in received.html
    assert "第八条" not in received.text
