"""The versions page (contracts/pages/versions.py): every version of a contract with its change,
and two of them compared side by side, clause by clause, the changed words marked (<del> on the
old side, <ins> on the new), typed terms and the contract's head worded; a bad choice of
versions is a message on the page (400), another enterprise's contract a 404."""

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contracts.enterprises.models import Role
from contracts.models import Clause
from contracts.rules.terms import TERM_KINDS
from contracts.services.lifecycle import clause_add, clause_delete, clause_update, contract_create, contract_update
from tests.factories import ContractFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def page_for():
    """A browser logged in as ``user``, reading the pages in ``language`` (English unless told)."""

    def make(user, language="en"):
        client = Client()
        client.force_login(type(user).objects.get(pk=user.pk))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def contract(enterprise, union_user):
    """Version 1: three clauses, the wage clause with a 2,600 yuan floor."""
    return contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="wages",
        title="2027年度工资专项集体合同",
        term_start=D("2027-01-01"),
        term_end=D("2027-12-31"),
        clauses=[
            {"number": "1", "category": "term", "title": "合同期限", "text": "本合同期限为一年。"},
            {
                "number": "2",
                "category": "pay",
                "title": "最低工资",
                "text": "职工月基本工资不低于2600元，按月支付。",
                "terms": [{"kind": "min_monthly_wage", "params": {"amount": "2600"}}],
            },
            {"number": "3", "category": "training", "title": "培训", "text": "每年培训不少于四十小时。"},
        ],
    )


def clause(contract, number):
    return Clause.objects.get(contract=contract, number=number)


def page_url(contract, **query):
    url = reverse("contracts:contract_versions", args=[contract.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def marked(content: bytes, tag: str, within: str | None = None) -> list[str]:
    """The text of every <del> or <ins> of the page (inside the element with id ``within``)."""
    text = content.decode()
    if within is not None:
        start = text.index(f'id="{within}"')
        end = text.find("</article>", start)
        text = text[start : end if end != -1 else None]
    return [html.unescape(inner) for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", text, flags=re.S)]


def term_lines(content: bytes, clause_id: int) -> list[str]:
    """Each typed term's line in a clause's redline, as a sighted reader reads it."""
    text = content.decode()
    start = text.index(f'id="clause-{clause_id}"')
    text = text[start : text.find("</article>", start)]
    lines = re.findall(r'<li class="term\b[^>]*>(.*?)</li>', text, flags=re.S)
    lines = [re.sub(r'<span class="sr-only">.*?</span>', "", line) for line in lines]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", line)).split()) for line in lines]


def worded(kind, language="en", **params):
    with translation.override(language):
        return TERM_KINDS[kind].describe(params)


# --- comparing ----------------------------------------------------------------------------------


def test_by_default_the_latest_version_is_compared_with_the_one_before(contract, union_user, page_for):
    # given v2 raises the wage floor in words and in its typed term
    wage = clause(contract, "2")
    clause_update(
        user=union_user,
        clause=wage,
        text="职工月基本工资不低于2800元，按月支付。",
        terms=[{"kind": "min_monthly_wage", "params": {"amount": "2800"}}],
    )

    # when the page is opened without a choice
    response = page_for(union_user).get(page_url(contract))

    # then v1 is compared with v2, the figure marked on each side and the term worded old → new
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="redline"' in body
    assert re.search(r'<option value="1" selected>', body) and re.search(r'<option value="2" selected>', body)
    # (the term's wording first, with its figure as English writes it, then the clause's text:
    # only the figure differs in each)
    assert marked(response.content, "del", within=f"clause-{wage.pk}") == ["2,600", "2600"]
    assert marked(response.content, "ins", within=f"clause-{wage.pk}") == ["2,800", "2800"]
    (term,) = term_lines(response.content, wage.pk)
    before, after = worded("min_monthly_wage", amount="2600"), worded("min_monthly_wage", amount="2800")
    assert term.endswith(f"{before} → {after}")
    assert "amount" not in term and "{" not in term
    assert 'data-change="changed"' in body
    # Printed order puts the pay chapter first (PCC Art. 8): stored clause 2 is Article 1.
    assert re.search(rf'id="clause-{wage.pk}".*?<span class="article">Article 1</span>', body, flags=re.S)


def test_the_words_of_a_latin_text_are_marked_whole_and_the_clause_named_by_its_printed_article(
    enterprise, union_user, page_for
):
    contract = contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="Collective contract",
        term_start=D("2026-07-01"),
        term_end=D("2029-06-30"),
        clauses=[
            {"number": "7", "category": "disputes", "title": "Disputes", "text": "Talks first."},
            {"number": "9", "category": "pay", "title": "Wages", "text": "Wages are paid monthly on the 15th."},
        ],
    )
    clause_update(user=union_user, clause=clause(contract, "9"), text="Wages are paid weekly on the 15th.")

    response = page_for(union_user, "zh-hans").get(page_url(contract, **{"from": 1, "to": 2}))

    wage = clause(contract, "9")
    assert marked(response.content, "del", within=f"clause-{wage.pk}") == ["monthly"]
    assert marked(response.content, "ins", within=f"clause-{wage.pk}") == ["weekly"]
    # Pay is printed before disputes (PCC Art. 8): stored number 9 is 第一条.
    assert "第一条" in response.content.decode()


def test_a_chinese_change_marks_only_the_characters_that_changed(contract, union_user, page_for):
    # given v2 lowers the training hours from 四十 to 三十二: 十 and 小时 stay
    training = clause(contract, "3")
    clause_update(user=union_user, clause=training, text="每年培训不少于三十二小时。")

    response = page_for(union_user, "zh-hans").get(page_url(contract, **{"from": 1, "to": 2}))

    assert marked(response.content, "del", within=f"clause-{training.pk}") == ["四"]
    assert marked(response.content, "ins", within=f"clause-{training.pk}") == ["三", "二"]
    body = html.unescape(response.content.decode())
    assert re.search(r"每年培训不少于(<[^>]+>[^<]*</span>)?<ins>三</ins>十", body)


def test_a_chinese_sentence_rewritten_keeps_its_common_words_unmarked(contract, union_user, page_for):
    term = clause(contract, "1")
    clause_update(user=union_user, clause=term, text="双方约定，本合同自签订之日起生效，有效期两年。")

    response = page_for(union_user, "zh-hans").get(page_url(contract, **{"from": 1, "to": 2}))

    assert marked(response.content, "del", within=f"clause-{term.pk}") == ["期限为一"]
    assert marked(response.content, "ins", within=f"clause-{term.pk}") == ["双方约定，", "自签订之日起生效，有效期两"]


def test_a_passage_rewritten_whole_is_one_mark_not_scattered_characters(contract, union_user, page_for):
    # given the wage clause rewritten: a few characters (月, 日, 以, 工资) happen to recur
    wage = clause(contract, "2")
    clause_update(user=union_user, clause=wage, text="工资由公司在次月10日以银行转账方式发放给职工本人。")

    response = page_for(union_user, "zh-hans").get(page_url(contract, **{"from": 1, "to": 2}))

    # then each side is one marked passage, the full stop kept (the term did not change)
    assert marked(response.content, "del", within=f"clause-{wage.pk}") == ["职工月基本工资不低于2600元，按月支付"]
    assert marked(response.content, "ins", within=f"clause-{wage.pk}") == [
        "工资由公司在次月10日以银行转账方式发放给职工本人"
    ]


def test_a_changed_clause_moved_down_by_an_added_one_shows_its_article_then_and_now(contract, union_user, page_for):
    # given v2 adds a second pay clause, printed after the wage clause, and v3 changes the training
    # clause: pay 第一条 第二条, then training 第三条 (it was 第二条), the term chapter last
    clause_add(user=union_user, contract=contract, number="4", category="pay", title="发薪日", text="每月15日发薪。")
    training = clause(contract, "3")
    clause_update(user=union_user, clause=training, text="每年培训不少于五十小时。")

    response = page_for(union_user, "zh-hans").get(page_url(contract, **{"from": 1, "to": 3}))

    heading = re.search(rf'id="clause-{training.pk}".*?<h3>(.*?)</h3>', response.content.decode(), flags=re.S)
    assert heading is not None
    assert re.sub(r"<[^>]+>", "", heading.group(1)) == "第二条 → 第三条 培训"


def test_an_added_clause_is_all_inserted_and_a_removed_one_all_deleted(contract, union_user, page_for):
    added = clause_add(
        user=union_user, contract=contract, number="4", category="pay", title="发薪日", text="每月15日发薪。"
    )
    removed = clause(contract, "3")
    removed_id = removed.pk
    clause_delete(user=union_user, clause=removed)

    response = page_for(union_user).get(page_url(contract, **{"from": 1, "to": 3}))

    assert response.status_code == 200
    assert marked(response.content, "ins", within=f"clause-{added.pk}") == ["每月15日发薪。"]
    assert marked(response.content, "del", within=f"clause-{added.pk}") == []
    assert marked(response.content, "del", within=f"clause-{removed_id}") == ["每年培训不少于四十小时。"]
    assert marked(response.content, "ins", within=f"clause-{removed_id}") == []
    body = response.content.decode()
    assert f'id="clause-{added.pk}" data-change="added"' in body
    assert f'id="clause-{removed_id}" data-change="removed"' in body
    # The clauses come in the printed order of chapters, the removed one where it stood: the new
    # pay clause in the pay chapter before the training clause that was removed.
    assert body.index(f'id="clause-{added.pk}"') < body.index(f'id="clause-{removed_id}"')


def test_the_contracts_title_and_term_changes_are_shown_old_and_new(contract, union_user, page_for):
    contract_update(
        user=union_user, contract=contract, title="2027年度工资专项集体合同（修订）", term_end=D("2028-06-30")
    )

    response = page_for(union_user).get(page_url(contract, **{"from": 1, "to": 2}))

    body = response.content.decode()
    assert 'id="head-title"' in body and 'id="head-term_end"' in body
    assert "（修订）" in marked(response.content, "ins")
    assert "Dec. 31, 2027" in body and "June 30, 2028" in body


def test_a_contract_with_one_version_says_there_is_nothing_to_compare_yet(contract, union_user, page_for):
    response = page_for(union_user).get(page_url(contract))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="only-version"' in body and 'id="version-1"' in body
    assert 'id="compare-form"' not in body and 'id="redline"' not in body
    assert (marked(response.content, "ins"), marked(response.content, "del")) == ([], [])


def test_two_versions_sent_newer_first_are_compared_older_first(contract, union_user, page_for):
    training = clause(contract, "3")
    clause_update(user=union_user, clause=training, text="每年培训不少于三十二小时。")

    response = page_for(union_user).get(page_url(contract, **{"from": 2, "to": 1}))

    assert response.status_code == 200
    assert marked(response.content, "del", within=f"clause-{training.pk}") == ["四"]
    body = response.content.decode()
    assert re.search(r'id="compare-from">.*?<option value="1" selected>', body, flags=re.S)
    assert re.search(r'id="compare-to">.*?<option value="2" selected>', body, flags=re.S)


def test_two_versions_the_same_in_everything_say_nothing_changed(contract, union_user, page_for):
    # given v2 changes a text and v3 puts it back as it was
    term = clause(contract, "1")
    clause_update(user=union_user, clause=term, text="本合同期限为两年。")
    clause_update(user=union_user, clause=term, text="本合同期限为一年。")

    response = page_for(union_user).get(page_url(contract, **{"from": 1, "to": 3}))

    assert response.status_code == 200
    assert 'id="no-difference"' in response.content.decode()
    assert (marked(response.content, "ins"), marked(response.content, "del")) == ([], [])


def test_the_marks_do_not_rely_on_colour_alone(contract, union_user, page_for):
    clause_update(user=union_user, clause=clause(contract, "3"), text="每年培训不少于三十二小时。")

    response = page_for(union_user).get(page_url(contract))

    body = response.content.decode()
    redline = body[body.index('id="redline"') :]
    found = re.search(r'<p class="redline-legend[^"]*">(.*?)</p>', redline, flags=re.S)
    assert found is not None, "no legend of the marks"
    legend = found.group(1)
    assert "<del>removed words</del>" in legend and "<ins>added words</ins>" in legend
    # past the legend, a screen reader is told before each mark what it is
    marks = re.findall(r"(.{0,60})<(del|ins)\b", redline[redline.index("</p>", redline.index("redline-legend")) :])
    assert [tag for _before, tag in marks] == ["del", "ins", "ins"]
    for before, tag in marks:
        said = "Removed text:" if tag == "del" else "Added text:"
        assert before.endswith(f'<span class="sr-only">{said}</span>')


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": 1, "to": 10**30}, f"This contract has no version {10**30}."),
        ({"from": 2, "to": 2}, "Those are the same version: choose two different versions."),
        ({"from": 1, "to": 99}, "This contract has no version 99."),
        ({"from": 0, "to": 1}, "Choose two versions of this contract to compare."),
        ({"from": "one", "to": 1}, "Choose two versions of this contract to compare."),
        ({"from": "", "to": 1}, "Choose two versions of this contract to compare."),
        ({"from": "1e400", "to": "2"}, "Choose two versions of this contract to compare."),
    ],
)
def test_a_bad_choice_of_versions_is_a_message_on_the_page(contract, union_user, page_for, query, message):
    clause_update(user=union_user, clause=clause(contract, "1"), text="本合同期限为两年。")

    response = page_for(union_user).get(page_url(contract, **query))

    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="compare-error"' in body
    assert message in html.unescape(body)
    assert 'id="redline"' not in body
    assert 'id="version-list"' in body and 'id="compare-form"' in body  # still there to pick from
    # each list keeps the version picked where it is one of the contract's, else the default
    expected = {
        name: int(query[name]) if str(query.get(name, "")).isdigit() and int(query[name]) in (1, 2) else default
        for name, default in (("from", 1), ("to", 2))
    }
    for name, number in expected.items():
        assert re.search(rf'id="compare-{name}">.*?<option value="{number}" selected>', body, flags=re.S)


# --- the list of versions -------------------------------------------------------------------------


def test_each_version_is_listed_with_its_change_and_a_link_to_compare_it_with_the_previous(
    contract, union_user, page_for
):
    clause_update(user=union_user, clause=clause(contract, "1"), text="本合同期限为两年。")
    clause_add(user=union_user, contract=contract, number="4", category="other", text="其他。")

    response = page_for(union_user).get(page_url(contract))

    body = html.unescape(response.content.decode())
    for n, change in ((1, "contract drafted"), (2, "Article 3 changed"), (3, "Article 4 added")):
        assert f'id="version-{n}"' in body
        assert change in body
    links = re.findall(r'class="compare-previous" href="([^"]+)"', body)
    base = reverse("contracts:contract_versions", args=[contract.pk])
    assert links == [f"{base}?from=2&to=3", f"{base}?from=1&to=2"]
    assert page_for(union_user).get(links[-1]).status_code == 200


def test_a_contract_without_recorded_versions_says_so(enterprise, union_user, page_for):
    contract = ContractFactory(enterprise=enterprise)  # a row as stored, no version taken

    response = page_for(union_user).get(page_url(contract))

    assert response.status_code == 200
    assert 'id="compare-form"' not in response.content.decode()


# --- who sees it --------------------------------------------------------------------------------------


def test_another_enterprises_contract_is_not_found(contract, make_member, page_for):
    outsider = make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR)

    assert page_for(outsider).get(page_url(contract)).status_code == 404
    assert page_for(outsider).get(page_url(contract, **{"from": 1, "to": 1})).status_code == 404


def test_a_congress_delegate_reads_the_versions_of_the_contract_they_vote_on(
    contract, enterprise, make_member, page_for
):
    delegate = make_member(enterprise, Role.CONGRESS_DELEGATE)

    response = page_for(delegate).get(page_url(contract))

    assert response.status_code == 200


def test_the_page_asks_a_visitor_to_log_in(contract):
    response = Client().get(page_url(contract))

    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
