"""The contract workspace (contracts/pages/contracts.py, contract_clauses.py): chapters in the
order of PCC Art. 8 with the article numbers the document prints, terms worded, the draft check
by article and rule, clauses added, edited (with their typed terms) and removed through forms
built from the term kinds' schemas, and the timeline with each deadline and its rule."""

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from contracts.enterprises.models import Role
from contracts.models import Clause, Contract, ContractStatus
from contracts.services.lifecycle import contract_create
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def page_for():
    """A browser logged in as ``user``, reading the pages in ``language`` (Chinese unless told)."""

    def make(user, language="zh-hans"):
        client = Client()
        client.force_login(type(user).objects.get(pk=user.pk))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def draft(enterprise, union_user):
    """A draft whose clauses were written out of the printed order: disputes first, pay twice."""
    return contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="2027年集体合同",
        term_start=D("2027-01-01"),
        term_end=D("2029-12-31"),
        clauses=[
            {"number": "1", "category": "disputes", "title": "争议处理", "text": "协商解决。"},
            {
                "number": "2",
                "category": "pay",
                "title": "最低工资",
                "text": "职工月基本工资不低于2850元。",
                "terms": [{"kind": "min_monthly_wage", "params": {"amount": "2850"}}],
            },
            {"number": "3", "category": "term", "title": "期限", "text": "三年。"},
            {
                "number": "4",
                "category": "rest_leave",
                "title": "年休假",
                "text": "按工龄享受年休假。",
                "terms": [
                    {
                        "kind": "annual_leave_days",
                        "params": {
                            "tiers": [
                                {"from_years": 1, "days": 5},
                                {"from_years": 10, "days": 10},
                                {"from_years": 20, "days": 15},
                            ]
                        },
                    }
                ],
            },
            {
                "number": "5",
                "category": "pay",
                "title": "加班工资",
                "text": "加班按规定支付。",
                "terms": [{"kind": "overtime_premium", "params": {"weekday": "1.5", "rest_day": "2", "holiday": "3"}}],
            },
        ],
    )


def text_of(response) -> str:
    """The visible text of a page (or of a piece of its HTML), tags dropped and whitespace folded."""
    content = response if isinstance(response, str) else response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content))).strip()


def section(response, element_id: str, end: str = "</section>") -> str:
    """The HTML from the element with id ``element_id`` to the first ``end`` after it."""
    content = response.content.decode()
    start = content.index(f'id="{element_id}"')
    return content[start : content.index(end, start)]


def url(contract, name="contracts:contract", *args):
    return reverse(name, args=[contract.pk, *args])


def clause(contract, number) -> Clause:
    return Clause.objects.get(contract=contract, number=number)


# --- reading ------------------------------------------------------------------------------


def test_clauses_are_grouped_by_chapter_in_printed_order_with_the_documents_article_numbers(
    page_for, draft, union_user
):
    response = page_for(union_user).get(url(draft))
    clauses = section(response, "clauses", end='id="clause-new"')
    headings = re.findall(r"<h[34][^>]*>(.*?)</h[34]>", clauses, flags=re.S)

    # Written disputes (1), pay (2), term (3), leave (4), pay (5); printed chapter by chapter (PCC Art. 8).
    printed = [tuple(text_of(heading).split(" ", 1)) for heading in headings]
    assert printed == [
        ("第一章", "劳动报酬"),
        ("第一条", "最低工资"),
        ("第二条", "加班工资"),
        ("第二章", "休息休假"),
        ("第三条", "年休假"),
        ("第三章", "集体合同期限"),
        ("第四条", "期限"),
        ("第四章", "履行集体合同发生争议时的协商处理办法"),
        ("第五条", "争议处理"),
    ]


def test_the_article_numbers_are_those_the_document_prints(page_for, draft, union_user):
    from contracts.articles import article_numbers

    page = text_of(page_for(union_user).get(url(draft)))

    assert article_numbers(draft.clauses.all()) == {"2": 1, "5": 2, "4": 3, "3": 4, "1": 5}
    assert "第五条 争议处理" in page and "第一条 最低工资" in page


def test_terms_are_worded_as_people_read_them_without_codes(page_for, draft, union_user):
    page = text_of(page_for(union_user).get(url(draft)))

    assert "月基本工资不低于2850元" in page
    assert "工作日加班按工资的1.5倍、休息日加班按2倍、法定节假日加班按3倍支付加班工资" in page
    assert "带薪年休假：工作满1年的5天；工作满10年的10天；工作满20年的15天" in page
    for code in ("min_monthly_wage", "annual_leave_days", "overtime_premium", "rest_leave", "from_years", "params"):
        assert code not in page, code
    assert "{'" not in page and "in_congress" not in page


def test_english_page_words_the_terms_and_numbers_articles(page_for, draft, union_user):
    page = text_of(page_for(union_user, "en").get(url(draft)))

    assert "Chapter 1 Pay Article 1 最低工资" in page
    assert "Article 5 争议处理" in page
    assert "Monthly base wage of at least 2,850 yuan" in page


def test_another_enterprises_contract_is_not_found(page_for, draft, make_member):
    stranger = make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR)

    assert page_for(stranger).get(url(draft)).status_code == 404
    assert page_for(stranger).get(url(draft, "contracts:clause_edit", clause(draft, "2").pk)).status_code == 404


def test_links_to_versions_and_documents(page_for, draft, union_user):
    content = page_for(union_user).get(url(draft)).content.decode()

    assert f'href="{reverse("contracts:contract_versions", args=[draft.pk])}"' in content
    assert f'href="{reverse("contracts:contract_documents", args=[draft.pk])}"' in content


# --- the draft check ----------------------------------------------------------------------


def test_draft_check_names_the_article_and_rule_of_a_term_below_the_floor(page_for, draft, union_user):
    # The local minimum wage is 2,690 yuan (EnterpriseFactory): 2,600 is below it.
    Clause.objects.filter(pk=clause(draft, "2").pk).update(
        terms=[{"kind": "min_monthly_wage", "params": {"amount": "2600"}}]
    )
    short_leave = {"tiers": [{"from_years": 1, "days": 5}, {"from_years": 10, "days": 10}]}
    Clause.objects.filter(pk=clause(draft, "4").pk).update(terms=[{"kind": "annual_leave_days", "params": short_leave}])
    check = text_of(section(page_for(union_user, "en").get(url(draft)), "draft-check"))

    assert (
        "Article 1 Minimum monthly wage: Monthly base wage at least 2,600 yuan, "
        "but the law requires at least 2,690 yuan. R13 · Labour Law, Art. 48"
    ) in check
    # Leave: 10 days after 20 years where the law gives 15 (article 3, the leave clause).
    assert (
        "Article 3 Paid annual leave: Annual leave after 20 years of service 10 days, "
        "but the law requires at least 15 days. R15 · Regulations on Paid Annual Leave for Employees, Art. 3"
    ) in check
    # The contents the draft lacks, with the article that asks for them.
    assert (
        "The contract has no clause on “Amendment and termination procedure”. "
        "Provisions on Collective Contracts, Art. 8(12)"
    ) in check
    assert "amount" not in check and "tiers" not in check


def test_draft_check_in_chinese_cites_the_printed_article_and_the_law(page_for, draft, union_user):
    Clause.objects.filter(pk=clause(draft, "2").pk).update(
        terms=[{"kind": "min_monthly_wage", "params": {"amount": "2600"}}]
    )
    check = text_of(section(page_for(union_user).get(url(draft)), "draft-check"))

    assert "第一条 月最低工资" in check
    assert "R13 · 《劳动法》第四十八条" in check


def test_draft_check_of_a_complete_draft_says_so(page_for, enterprise, union_user):
    # a comprehensive contract: the six matters of PCC Art. 3, women and minors, and the
    # procedural chapters (Art. 8 (十一)–(十四))
    categories = [
        "pay",
        "working_time",
        "rest_leave",
        "safety_health",
        "insurance_welfare",
        "training",
        "women_minors",
        "term",
        "amendment",
        "disputes",
        "breach_liability",
    ]
    contract = contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="完整的合同",
        term_start=D("2027-01-01"),
        term_end=D("2029-12-31"),
        clauses=[
            {"number": str(n), "category": category, "title": category, "text": "……"}
            for n, category in enumerate(categories, 1)
        ],
    )
    content = page_for(union_user).get(url(contract)).content.decode()

    assert 'id="check-fine"' in content
    assert 'id="check-missing"' not in content and 'id="check-below-floor"' not in content


# --- editing a draft's clauses ----------------------------------------------------------


def test_a_clause_and_its_term_are_edited_through_the_form(page_for, draft, union_user):
    wage = clause(draft, "2")
    page = page_for(union_user)
    form = page.get(url(draft, "contracts:clause_edit", wage.pk))
    assert form.status_code == 200
    assert 'name="term-min_monthly_wage-amount"' in form.content.decode()
    assert 'value="2850"' in form.content.decode()

    response = page.post(
        url(draft, "contracts:clause_update", wage.pk),
        {
            "category": "pay",
            "title": "最低工资标准",
            "text": "职工月基本工资不低于3100元。",
            "number": "2",
            "terms": ["min_monthly_wage", "pay_day"],
            "term-min_monthly_wage-amount": "3100",
            "term-pay_day-day": "10",
        },
    )

    assert response.status_code == 302
    wage.refresh_from_db()
    assert wage.title == "最低工资标准"
    assert wage.terms[0] == {"kind": "min_monthly_wage", "params": {"amount": "3100"}}
    assert wage.terms[1]["kind"] == "pay_day" and wage.terms[1]["params"]["day"] == 10
    after = text_of(page.get(response.url))
    assert "月基本工资不低于3100元" in after
    assert "发薪日" in after


def test_a_term_left_unticked_is_removed(page_for, draft, union_user):
    wage = clause(draft, "2")
    response = page_for(union_user).post(
        url(draft, "contracts:clause_update", wage.pk),
        {
            "category": "pay",
            "title": "最低工资",
            "text": "另行约定。",
            "number": "2",
            "term-min_monthly_wage-amount": "2850",
        },
    )

    assert response.status_code == 302
    wage.refresh_from_db()
    assert wage.terms == []


def test_bad_figures_give_a_clear_form_error_and_change_nothing(page_for, draft, union_user):
    wage = clause(draft, "2")
    version = Contract.objects.get(pk=draft.pk).version
    response = page_for(union_user, "en").post(
        url(draft, "contracts:clause_update", wage.pk),
        {
            "category": "pay",
            "title": "最低工资",
            "text": "……",
            "number": "2",
            "terms": ["min_monthly_wage"],
            "term-min_monthly_wage-amount": "-5",
        },
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "The clause was not saved: see the fields marked below." in page
    # The reason stands beside the field it is about.
    field = text_of(
        section(response, f"id_clause-form-{wage.pk}-term-min_monthly_wage-amount", end='<div class="field')
    )
    assert "Must be at least 0." in field
    assert "min_monthly_wage" not in page
    wage.refresh_from_db()
    assert wage.terms == [{"kind": "min_monthly_wage", "params": {"amount": "2850"}}]
    assert Contract.objects.get(pk=draft.pk).version == version


def test_text_instead_of_a_number_is_refused_beside_its_field(page_for, draft, union_user):
    response = page_for(union_user, "en").post(
        url(draft, "contracts:clause_update", clause(draft, "2").pk),
        {
            "category": "pay",
            "text": "…",
            "number": "2",
            "terms": ["min_monthly_wage"],
            "term-min_monthly_wage-amount": "a lot",
        },
    )

    assert response.status_code == 400
    assert "Enter a number." in text_of(response)


def test_a_clause_with_a_term_is_added_through_the_form(page_for, draft, union_user):
    page = page_for(union_user)
    form = page.get(url(draft, "contracts:clause_new") + "?category=working_time")
    assert 'name="term-max_overtime_hours_month-hours"' in form.content.decode()

    response = page.post(
        url(draft, "contracts:clause_add"),
        {
            "category": "working_time",
            "title": "加班时间",
            "text": "每月加班不超过30小时。",
            "number": "6",
            "terms": ["max_overtime_hours_month"],
            "term-max_overtime_hours_month-hours": "30",
        },
    )

    assert response.status_code == 302
    added = clause(draft, "6")
    assert added.terms == [{"kind": "max_overtime_hours_month", "params": {"hours": "30"}}]
    page_text = text_of(page.get(url(draft)))
    # Working time is chapter 2 of PCC Art. 8: the new clause prints as article 3, leave moves to 4.
    assert "第二章 工作时间 第三条 加班时间" in page_text
    assert "第四条 年休假" in page_text


def test_a_duplicate_reference_number_is_explained_on_the_form(page_for, draft, union_user):
    response = page_for(union_user, "en").post(
        url(draft, "contracts:clause_add"), {"category": "training", "text": "培训。", "number": "3"}
    )

    assert response.status_code == 400
    assert "The contract already has a clause numbered 3." in text_of(
        section(response, "clause-form-new-error", "</div>")
    )
    assert Clause.objects.filter(contract=draft).count() == 5


def test_a_clause_is_removed(page_for, draft, union_user):
    response = page_for(union_user).post(url(draft, "contracts:clause_delete", clause(draft, "1").pk))

    assert response.status_code == 302
    assert not Clause.objects.filter(contract=draft, number="1").exists()


def test_htmx_edit_returns_the_form_in_place_and_the_redrawn_workspace(page_for, draft, union_user):
    page = page_for(union_user)
    wage = clause(draft, "2")
    fragment = page.get(url(draft, "contracts:clause_edit", wage.pk), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div class="clause-editor card" id="clause-form-')
    assert "<html" not in fragment.content.decode()

    Clause.objects.filter(pk=wage.pk).update(terms=[{"kind": "min_monthly_wage", "params": {"amount": "2000"}}])
    response = page.post(
        url(draft, "contracts:clause_update", wage.pk),
        {
            "category": "pay",
            "title": "最低工资",
            "text": "……",
            "number": "2",
            "terms": ["min_monthly_wage"],
            "term-min_monthly_wage-amount": "2900",
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="workspace"')
    assert "月基本工资不低于2,900元" in text_of(response)
    assert 'id="check-below-floor"' not in content


def test_htmx_refusal_is_redrawn_in_the_form_it_came_from(page_for, draft, union_user):
    wage = clause(draft, "2")
    response = page_for(union_user).post(
        url(draft, "contracts:clause_update", wage.pk),
        {"category": "pay", "text": "", "number": "2"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    assert response["HX-Retarget"] == f"#clause-form-{wage.pk}"


def test_a_delegate_sees_no_edit_control_and_an_edit_post_is_refused(page_for, draft, make_member, enterprise):
    delegate = make_member(enterprise, Role.CONGRESS_DELEGATE)
    page = page_for(delegate, "en")
    content = page.get(url(draft)).content.decode()
    wage = clause(draft, "2")

    assert reverse("contracts:clause_edit", args=[draft.pk, wage.pk]) not in content
    assert reverse("contracts:clause_add", args=[draft.pk]) not in content
    response = page.post(
        url(draft, "contracts:clause_update", wage.pk),
        {"category": "pay", "text": "改了", "number": "2"},
    )
    assert response.status_code == 403
    assert "Only negotiators and union leaders of this enterprise may change its contracts." in text_of(response)
    wage.refresh_from_db()
    assert wage.text == "职工月基本工资不低于2850元。"


def test_a_contract_past_the_draft_cannot_be_edited(page_for, draft, union_user):
    Contract.objects.filter(pk=draft.pk).update(status=ContractStatus.APPROVED)
    page = page_for(union_user)
    wage = clause(draft, "2")

    assert reverse("contracts:clause_edit", args=[draft.pk, wage.pk]) not in page.get(url(draft)).content.decode()
    response = page.post(url(draft, "contracts:clause_delete", wage.pk))
    assert response.status_code == 409
    assert Clause.objects.filter(pk=wage.pk).exists()


# --- the timeline ----------------------------------------------------------------------


def test_timeline_shows_every_deadline_with_its_rule(page_for, draft, union_user):
    Contract.objects.filter(pk=draft.pk).update(
        status=ContractStatus.FILED,
        signed_on=D("2026-12-01"),
        filed_on=D("2026-12-08"),
        receipt_on=D("2026-12-09"),
        review_deadline=D("2026-12-24"),
        effective_on=D("2026-12-25"),
    )
    response = page_for(union_user, "en").get(url(draft))
    timeline = text_of(section(response, "timeline"))

    assert "R8 · Provisions on Collective Contracts, Art. 42" in timeline
    assert "R9 · Provisions on Collective Contracts, Art. 47; Labour Contract Law, Art. 54" in timeline
    assert "R10 · Provisions on Collective Contracts, Art. 38" in timeline
    assert "within 10 days of signing" in timeline
    assert "objections due by Dec. 24, 2026" in timeline
    assert "received on Dec. 9, 2026" in timeline and "filed on Dec. 8, 2026" in timeline
    # The renewal window opens three months before the term ends (R10).
    assert "renewal window opens Sept. 30, 2029" in timeline


def test_index_lists_contracts_as_cards_with_their_status(page_for, draft, union_user):
    response = page_for(union_user).get(reverse("contracts:index"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="stack contract-list"' in content
    assert "2027年集体合同" in content and "草案" in text_of(response)


def test_cancelling_an_edit_in_place_puts_the_article_back(page_for, draft, union_user):
    wage = clause(draft, "2")
    response = page_for(union_user).get(url(draft, "contracts:clause", wage.pk), headers={"HX-Request": "true"})

    content = response.content.decode()
    assert content.lstrip().startswith(f'<article class="clause" id="clause-{wage.pk}">')
    assert "第一条 最低工资" in text_of(response)


def test_choosing_another_chapter_offers_its_terms_with_and_without_script(page_for, draft, union_user):
    page = page_for(union_user)
    new = url(draft, "contracts:clause_new")

    with_script = page.get(new, {"category": "women_minors", "title": "女职工"}, headers={"HX-Request": "true"})
    content = with_script.content.decode()
    assert "<html" not in content
    assert 'name="term-maternity_leave_days-days"' in content
    assert 'name="term-min_monthly_wage-amount"' not in content
    assert 'value="女职工"' in content

    without_script = page.get(new, {"category": "training"})
    assert "<html" in without_script.content.decode()
    assert "No typed term belongs to this chapter" in text_of(
        page_for(union_user, "en").get(new, {"category": "training"})
    )


def test_the_add_form_on_the_workspace_is_drawn_in_place_with_script(page_for, draft, union_user):
    content = page_for(union_user).get(url(draft)).content.decode()
    form = content[content.index('id="clause-form-new"') :]

    assert f'hx-post="{reverse("contracts:clause_add", args=[draft.pk])}"' in form
    assert f'action="{reverse("contracts:clause_add", args=[draft.pk])}"' in form


def test_an_article_has_a_page_of_its_own(page_for, draft, union_user):
    response = page_for(union_user).get(url(draft, "contracts:clause", clause(draft, "1").pk))

    assert response.status_code == 200
    assert "第五条 争议处理" in text_of(response)


def test_the_workspace_reads_a_fixed_number_of_queries_however_many_clauses(
    page_for, draft, union_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = page_for(union_user)
    with CaptureQueriesContext(connection) as five:
        page.get(url(draft))
    Clause.objects.bulk_create(
        Clause(contract=draft, number=str(n), position=n, category="training", title="培训", text="……")
        for n in range(6, 26)
    )
    with django_assert_max_num_queries(len(five)):
        assert page.get(url(draft)).status_code == 200


def test_breaches_link_to_their_pages_by_printed_article(page_for, enterprise, union_user):
    from contracts.compliance.models import Breach, ComplianceRun, PayrollImport
    from tests.factories import contract_in_effect

    contract = contract_in_effect(enterprise, union_user)  # its wage term is clause "5", printed first
    payroll = PayrollImport.objects.create(
        enterprise=enterprise, file="payroll/x.csv", original_name="x.csv", size=1, checksum="0" * 64
    )
    run = ComplianceRun.objects.create(contract=contract, payroll_import=payroll)
    found = Breach.objects.create(
        contract=contract,
        enterprise=enterprise,
        clause_number="5",
        term_kind="min_monthly_wage",
        period="2025-06",
        unit="fen",
        affected_count=3,
        total_shortfall=30000,
        worst_shortfall=15000,
        first_run=run,
        last_run=run,
    )
    response = page_for(union_user, "en").get(url(contract))

    rows = section(response, "breaches", end="</table>")
    assert f'<a href="{reverse("contracts:breach", args=[found.pk])}">Article 1</a>' in rows
    assert "Minimum monthly wage" in text_of(rows) and "June 2025" in text_of(rows)
    assert "min_monthly_wage" not in text_of(rows)


def test_an_effective_contract_in_its_last_months_says_the_renewal_window_is_open(page_for, enterprise, union_user):
    from django.utils import timezone

    from tests.factories import contract_in_effect

    today = timezone.localdate()
    contract = contract_in_effect(
        enterprise, union_user, term_start=today - dt.timedelta(days=700), term_end=today + dt.timedelta(days=30)
    )
    response = page_for(union_user, "en").get(url(contract))
    timeline = text_of(section(response, "timeline"))

    assert "The renewal window is open." in timeline
    assert "R10 · Provisions on Collective Contracts, Art. 38" in timeline
    # Nothing to move or edit on a contract in effect.
    content = response.content.decode()
    assert 'id="clause-form-new"' not in content and "/clauses/" not in section(response, "clauses")
