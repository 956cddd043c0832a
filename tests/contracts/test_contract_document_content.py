"""What the generated contract .docx says, as a filed Chinese collective contract says it: its
articles numbered 第一条 … 第N条 down the printed page across chapters, the congress approval with
its figures (R6), the day each chief representative signed (R7), and the filing (R8) and review
(R9) record once the contract has them; each from the contract's own data. The documents are
asked for and rendered through the services the page and the worker use."""

import datetime as dt
import io
import re

import docx
import pytest
from django.utils import timezone, translation

from contracts.articles import article_label, chinese_numeral, clause_article
from contracts.models import CongressMode, CongressSession, Contract
from contracts.services.congress import congress_session_close, congress_session_open, congress_tally_record
from contracts.services.documents import document_render, document_request
from contracts.services.lifecycle import (
    clause_add,
    contract_create,
    contract_file,
    contract_record_objection,
    contract_record_receipt,
    contract_sign,
    contract_submit_to_congress,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

SHANGHAI = dt.timezone(dt.timedelta(hours=8))

# Entered as the negotiators drafted them: chapters out of the statutory order, each clause
# numbered by the negotiators in the order they wrote it.
DRAFTED = [
    ("1", "disputes", "争议处理", "双方协商解决争议。"),
    ("2", "working_time", "工作时间", "每日工作不超过八小时。"),
    ("3", "pay", "工资", "员工月工资不低于3000元。"),
    ("4", "term", "合同期限", "本合同期限三年。"),
    ("5", "pay", "工资支付", "每月10日前发放工资。"),
    ("6", "amendment", "变更", "变更须经双方协商一致。"),
    ("7", "breach_liability", "违约责任", "违约方承担相应责任。"),
    ("8", "women_minors", "女职工保护", "女职工享受特殊保护。"),
]
# Added after the draft was written, in a chapter printed before the others.
ADDED_LAST = ("9", "pay", "加班工资", "加班工资按法定标准支付。")

# The printed order (PCC Art. 8): pay, working time, women and minors, term, amendment, disputes,
# liability; each chapter keeps its clauses' own order.
PRINTED_TITLES = ["工资", "工资支付", "加班工资", "工作时间", "女职工保护", "合同期限", "变更", "争议处理", "违约责任"]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def drafted(enterprise, union_user, employer_user):
    contract = contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="2026年集体合同",
        term_start=dt.date(2026, 7, 1),
        term_end=dt.date(2029, 6, 30),
        clauses=[
            {"number": number, "category": category, "title": title, "text": text}
            for number, category, title, text in DRAFTED
        ],
        union_chief=union_user,
        employer_chief=employer_user,
    )
    number, category, title, text = ADDED_LAST
    clause_add(user=union_user, contract=contract, number=number, category=category, title=title, text=text)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def signed(drafted, union_user, employer_user, freeze_now):
    """Passed by the congress on 2026-06-01 (30 delegates, 24 present: 20 for, 3 against, 1 abstaining),
    signed by the union chief on 2026-06-03 and by the employer chief on 2026-06-05."""
    freeze_now(at(dt.date(2026, 6, 1)))
    contract_submit_to_congress(user=union_user, contract=drafted)
    session = congress_session_open(
        user=union_user, contract=drafted, delegates_total=30, held_on=dt.date(2026, 6, 1), mode=CongressMode.TALLY
    )
    congress_tally_record(user=union_user, session=session, present=24, yes=20, no=3, abstain=1)
    congress_session_close(user=union_user, session=session)
    freeze_now(at(dt.date(2026, 6, 3)))
    contract_sign(user=union_user, contract=drafted)
    freeze_now(at(dt.date(2026, 6, 5)))
    contract_sign(user=employer_user, contract=drafted)
    drafted.refresh_from_db()
    return drafted


def rendered(contract: Contract, user, freeze_now, *, language="zh-hans", on: dt.date = dt.date(2026, 6, 20)):
    """The contract's current version as the worker renders it on ``on`` (not a signing day)."""
    contract.refresh_from_db()
    freeze_now(at(on, 15))
    document = document_request(user=user, contract=contract, kind="contract", language=language)
    document = document_render(document_id=document.pk)
    assert document.status == "ready", document.error
    return docx.Document(io.BytesIO(document.file.read()))


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def cells(document) -> list[str]:
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def everything(document) -> str:
    return "\n".join(paragraphs(document) + cells(document))


ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条\u3000(.*)$")


def test_articles_are_numbered_one_to_n_down_the_printed_page_across_chapters(signed, union_user, freeze_now):
    document = rendered(signed, union_user, freeze_now)

    # the chapter and article headings as they are printed, top to bottom
    body = paragraphs(document)
    printed = document.paragraphs[: body.index("签字")]  # the articles end where the signature page begins
    headings = [(p.style.name, p.text) for p in printed if p.style.name in ("Heading 1", "Heading 2")]
    chapters = [text for style, text in headings if style == "Heading 1" and text.startswith("第")]
    assert chapters == [
        "第一章\u3000劳动报酬",
        "第二章\u3000工作时间",
        "第三章\u3000女职工和未成年工特殊保护",
        "第四章\u3000集体合同期限",
        "第五章\u3000变更、解除集体合同的程序",
        "第六章\u3000履行集体合同发生争议时的协商处理办法",
        "第七章\u3000违反集体合同的责任",
    ]
    articles = [ARTICLE.match(text) for style, text in headings if style == "Heading 2"]
    assert all(articles), headings
    # numbered 1..n consecutively in printed order, whatever number the negotiators gave a clause
    assert [match.group(1) for match in articles] == [chinese_numeral(n) for n in range(1, len(PRINTED_TITLES) + 1)]
    assert [match.group(2) for match in articles] == PRINTED_TITLES
    # and each article sits under its own chapter: the first three under pay, the last under liability
    order = [text for _style, text in headings]
    assert order.index("第一章\u3000劳动报酬") < order.index("第一条\u3000工资") < order.index("第二章\u3000工作时间")
    assert order.index("第四条\u3000工作时间") > order.index("第二章\u3000工作时间")
    assert order[order.index("第七章\u3000违反集体合同的责任") + 1] == "第九条\u3000违约责任"


def test_the_printed_article_is_the_one_the_contract_page_alerts_and_notices_cite(signed):
    # clause "9", added last, is printed third (under pay); clause "1" (disputes) is printed eighth
    assert clause_article(signed, "9") == 3
    assert clause_article(signed, "1") == 8
    with translation.override("zh-hans"):
        assert article_label(clause_article(signed, "9")) == "第三条"


def test_the_contract_carries_the_congress_approval_with_its_figures_and_rule(signed, union_user, freeze_now):
    text = paragraphs(rendered(signed, union_user, freeze_now))

    assert "职工代表大会审议" in text
    assert (
        "本合同经2026年6月1日职工代表大会审议表决：应到代表30人，实到代表24人；"
        "赞成20票，反对3票，弃权1票。表决结果：通过。"
    ) in text
    assert "适用规则：R6 · 《集体合同规定》第三十六条；《企业民主管理规定》第二十条" in text
    # the figures are the session's own
    session = CongressSession.objects.get(contract=signed)
    assert (session.delegates_total, session.present, session.yes, session.no, session.abstain) == (30, 24, 20, 3, 1)


def test_the_approval_line_in_english(signed, union_user, freeze_now):
    text = paragraphs(rendered(signed, union_user, freeze_now, language="en"))

    assert (
        "On June 1, 2026 the workers' congress voted on this contract: 30 delegates in all, 24 present; "
        "20 for, 3 against, 1 abstaining. Result: Passed."
    ) in text


def test_each_chief_signs_on_the_day_the_contract_records_not_the_day_it_is_printed(signed, union_user, freeze_now):
    document = rendered(signed, union_user, freeze_now, on=dt.date(2026, 6, 20))
    table = cells(document)

    union_day = timezone.localtime(signed.union_signed_at).date()
    employer_day = timezone.localtime(signed.employer_signed_at).date()
    assert (union_day, employer_day) == (dt.date(2026, 6, 3), dt.date(2026, 6, 5))
    assert f"日期：{chinese_date(union_day)}" in table
    assert f"日期：{chinese_date(employer_day)}" in table
    # the union's date is in the union's column, the employer's in the employer's
    signature_rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert signature_rows[-1] == [f"日期：{chinese_date(union_day)}", f"日期：{chinese_date(employer_day)}"]
    assert "2026年6月20日" not in everything(document)


def test_a_draft_has_no_approval_no_signing_dates_and_no_filing_record(drafted, union_user, freeze_now):
    document = rendered(drafted, union_user, freeze_now)

    assert not [line for line in paragraphs(document) if "职工代表大会审议表决" in line]
    assert cells(document)[-2:] == ["日期：______年____月____日", "日期：______年____月____日"]
    assert "备案与审查" not in paragraphs(document)


def test_a_signed_contract_not_yet_filed_has_no_filing_record(signed, union_user, freeze_now):
    assert "备案与审查" not in paragraphs(rendered(signed, union_user, freeze_now))


def test_the_filing_and_review_record_once_the_administration_received_the_contract(signed, union_user, freeze_now):
    # given the contract filed on 2026-06-08 and received on 2026-06-09
    contract_file(user=union_user, contract=signed, filed_on=dt.date(2026, 6, 8))
    signed.refresh_from_db()
    filed_only = paragraphs(rendered(signed, union_user, freeze_now))
    contract_record_receipt(user=union_user, contract=signed, receipt_on=dt.date(2026, 6, 9))
    signed.refresh_from_db()

    text = paragraphs(rendered(signed, union_user, freeze_now))

    # once filed, before the receipt, the record says so and has no review yet
    assert "备案与审查" in filed_only
    assert "报送备案日期：2026年6月8日" in filed_only
    assert "劳动保障行政部门收到日期：尚未收到" in filed_only
    assert not [line for line in filed_only if line.startswith("审查期限届满日")]
    # once received, the review period and the day it takes effect, from the contract's own dates
    assert "报送备案日期：2026年6月8日" in text
    assert "劳动保障行政部门收到日期：2026年6月9日" in text
    assert signed.review_deadline is not None and signed.effective_on is not None
    assert f"审查期限届满日：{chinese_date(signed.review_deadline)}" in text
    assert f"生效日期：{chinese_date(signed.effective_on)}（审查期限内未提出异议的）" in text
    assert "劳动行政部门审查意见书：未收到" in text
    assert "适用规则：R8 · 《集体合同规定》第四十二条" in text
    assert "适用规则：R9 · 《集体合同规定》第四十七条；《劳动合同法》第五十四条" in text


def test_an_objection_is_recorded_on_the_redraft_without_the_old_signatures(signed, union_user, freeze_now):
    contract_file(user=union_user, contract=signed, filed_on=dt.date(2026, 6, 8), receipt_on=dt.date(2026, 6, 9))
    signed.refresh_from_db()
    contract_record_objection(
        user=union_user, contract=signed, objected_on=dt.date(2026, 6, 15), text="第三条工资标准表述不清。"
    )
    signed.refresh_from_db()

    document = rendered(signed, union_user, freeze_now)
    text = paragraphs(document)

    assert "劳动行政部门审查意见书：2026年6月15日收到" in text
    assert "第三条工资标准表述不清。" in text
    assert not [line for line in text if line.startswith("报送备案日期")]
    assert cells(document)[-2:] == ["日期：______年____月____日", "日期：______年____月____日"]
