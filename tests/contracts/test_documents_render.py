"""Rendering generated documents: the templates, the contexts built from models, the
pure (template, context) → .docx function, and the PDF conversion."""

import datetime as dt
import io
import os
import stat
import sys
import time

import docx
import pytest
from django.utils import timezone
from docx.oxml.ns import qn

from bargaining.models import Side
from contracts.documents import pdf
from contracts.documents.context import (
    ContextUnavailable,
    chinese_numeral,
    contract_context,
    minutes_context,
    rectification_notice_context,
    resolution_context,
)
from contracts.documents.labels import LABELS, ZH_HANS
from contracts.documents.render import render_docx
from contracts.documents.templates import BUILDERS, template_bytes, template_path
from contracts.enterprises.models import Enterprise, Role
from contracts.models import CongressMode, CongressSession, Contract
from contracts.services.lifecycle import clause_add, contract_create
from tests.factories import NegotiationFactory, RepresentativeFactory, SessionFactory

CLAUSES = [
    # Entered out of the statutory order: working time before pay.
    {
        "number": "第十条",
        "category": "working_time",
        "title": "工作时间",
        "text": "每日工作不超过八小时。\n每周工作不超过四十小时。",
    },
    {"number": "第六条", "category": "pay", "title": "工资", "text": "员工月工资不低于3000元，A&B <C>。"},
    {"number": "第二十条", "category": "disputes", "title": "", "text": "双方协商解决争议。"},
]


# --- helpers ----------------------------------------------------------------------------


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def cells(document) -> list[str]:
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def east_asia_font(r_pr) -> str | None:
    fonts = r_pr.find(qn("w:rFonts")) if r_pr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


@pytest.fixture
def chiefs(enterprise, make_member):
    return (
        make_member(enterprise, Role.UNION_LEADER, first_name="张三"),
        make_member(enterprise, Role.EMPLOYER_NEGOTIATOR, first_name="李四"),
    )


@pytest.fixture
def signed_contract(enterprise, union_user, chiefs):
    """A contract of three clauses whose union chief has signed and employer chief has not."""
    contract = contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="2026年集体合同",
        term_start=dt.date(2026, 7, 1),
        term_end=dt.date(2029, 6, 30),
        clauses=CLAUSES,
        union_chief=chiefs[0],
        employer_chief=chiefs[1],
    )
    Contract.objects.filter(pk=contract.pk).update(
        union_signed_at=dt.datetime(2026, 6, 20, 10, tzinfo=dt.UTC),
    )
    contract.refresh_from_db()
    return contract


def render_contract(contract, language="zh-hans", version=None):
    context = contract_context(contract=contract, language=language, version=version)
    return open_docx(render_docx(template_path("contract"), context))


# --- templates --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_committed_template_is_what_the_builder_makes(kind):
    # given the template file in templates/docx, when the builder runs again, then the bytes agree
    assert template_path(kind).read_bytes() == template_bytes(kind), (
        f"templates/docx/{BUILDERS[kind][0]} is stale: run `python -m contracts.documents.templates`"
    )


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_template_styles_name_chinese_fonts(kind):
    document = open_docx(template_path(kind).read_bytes())
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))

    assert east_asia_font(defaults) == "SimSun"
    assert east_asia_font(document.styles["Normal"].element.rPr) == "SimSun"
    headings = [style for style in document.styles if style.name in ("Title", "Heading 1", "Heading 2")]
    assert headings
    for heading in headings:
        fonts = heading.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "SimHei"
        # A theme font would override the named one in Word.
        assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_every_label_has_chinese_wording():
    assert set(LABELS.values()) <= set(ZH_HANS)


@pytest.mark.parametrize(("n", "numeral"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (15, "十五"), (20, "二十")])
def test_chinese_numerals_for_chapters(n, numeral):
    assert chinese_numeral(n) == numeral


# --- the contract -------------------------------------------------------------------------


@pytest.mark.django_db
def test_contract_in_chinese_groups_clauses_by_category_in_statutory_order(signed_contract, enterprise):
    document = render_contract(signed_contract)

    assert styled(document, "Title") == ["2026年集体合同"]
    assert styled(document, "Heading 1") == [
        "合同双方",
        "第一章\u3000劳动报酬",
        "第二章\u3000工作时间",
        "第三章\u3000履行集体合同发生争议时的协商处理办法",
        "签字",
    ]
    # articles are numbered down the printed page, not by the negotiators' own clause numbers
    assert styled(document, "Heading 2") == ["第一条\u3000工资", "第二条\u3000工作时间", "第三条"]
    body = texts(document)
    assert "每日工作不超过八小时。" in body
    assert "每周工作不超过四十小时。" in body
    assert f"甲方（工会）：{enterprise.union_name}" in body
    assert f"乙方（企业）：{enterprise.name}" in body
    assert "合同期限：自2026年7月1日起至2029年6月30日止" in body


@pytest.mark.django_db
def test_clause_text_with_ampersand_and_angle_brackets_is_printed_as_written(signed_contract):
    document = render_contract(signed_contract)

    assert "员工月工资不低于3000元，A&B <C>。" in texts(document)


@pytest.mark.django_db
def test_signature_block_names_both_chiefs_and_dates_only_the_signature_given(signed_contract, enterprise):
    table = cells(render_contract(signed_contract))

    assert enterprise.union_name in table
    assert table.count("（盖章）") == 2  # a line of its own under each party
    assert "首席代表：张三" in table
    assert "首席代表：李四" in table
    # The union chief signed at 18:00 in Shanghai; the employer chief has not signed.
    assert "日期：2026年6月20日" in table
    assert "日期：______年____月____日" in table


@pytest.mark.django_db
def test_contract_in_english_translates_labels_but_not_the_clauses(signed_contract, enterprise):
    document = render_contract(signed_contract, language="en")

    assert styled(document, "Heading 1")[:3] == ["The parties", "Chapter 1 Pay", "Chapter 2 Working time"]
    body = texts(document)
    assert f"Party A (trade union): {enterprise.union_name}" in body
    assert "Term: from July 1, 2026 to June 30, 2029" in body
    assert "员工月工资不低于3000元，A&B <C>。" in body
    assert "Chief representative: 张三" in cells(document)


@pytest.mark.django_db
def test_every_run_of_the_rendered_contract_names_an_east_asian_font(signed_contract):
    document = render_contract(signed_contract)
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    runs += [run for c in document.tables[0]._cells for p in c.paragraphs for run in p.runs if run.text.strip()]

    assert runs
    assert {east_asia_font(run._r.rPr) for run in runs} <= {"SimSun", "SimHei"}


@pytest.mark.django_db
def test_contract_document_shows_the_version_asked_for(signed_contract, union_user):
    # given version 1 of the contract, and a clause added afterwards
    first_version = signed_contract.version
    clause_add(user=union_user, contract=signed_contract, number="第三十条", category="training", text="每年培训。")
    signed_contract.refresh_from_db()

    # when version 1 is rendered, then the later clause is not in it
    old = texts(render_contract(signed_contract, version=first_version))
    new = texts(render_contract(signed_contract, version=signed_contract.version))
    assert "每年培训。" not in old
    assert "每年培训。" in new


@pytest.mark.django_db
def test_rendering_is_deterministic(signed_contract):
    context = contract_context(contract=signed_contract, language="zh-hans")

    assert render_docx(template_path("contract"), context) == render_docx(template_path("contract"), context)


def test_a_missing_context_value_fails_loudly():
    with pytest.raises(Exception, match="undefined"):
        render_docx(template_path("contract"), {"labels": {}})


# --- minutes ------------------------------------------------------------------------------


@pytest.fixture
def minutes_round(enterprise, signed_contract):
    """Round 2 of the negotiation the contract came from, union chief signed, employer not yet."""
    negotiation = NegotiationFactory(enterprise=enterprise, title="2026年工资协商")
    union_chief = RepresentativeFactory(negotiation=negotiation, side=Side.UNION, is_chief=True, name="王工会")
    union_rep = RepresentativeFactory(negotiation=negotiation, side=Side.UNION, name="赵代表")
    RepresentativeFactory(negotiation=negotiation, side=Side.EMPLOYER, is_chief=True, name="钱经理")
    expert = RepresentativeFactory(negotiation=negotiation, side=Side.EMPLOYER, is_external=True, name="孙律师")
    session = SessionFactory(
        negotiation=negotiation,
        round_no=2,
        held_at=dt.datetime(2026, 5, 12, 1, 30, tzinfo=dt.UTC),
        location="三楼会议室",
        chair_side=Side.EMPLOYER,
        agenda=["工资增长幅度", "加班费 & 调休"],
        minutes="双方陈述了各自立场。\n工会方提出增长8%。",
        union_signed_by=union_chief,
        union_signed_at=dt.datetime(2026, 5, 12, 4, tzinfo=dt.UTC),
    )
    session.attendees.set([union_chief, union_rep, expert])
    Contract.objects.filter(pk=signed_contract.pk).update(negotiation_id=negotiation.pk)
    signed_contract.refresh_from_db()
    return session


@pytest.mark.django_db
def test_minutes_print_round_attendees_agenda_record_and_signatures(signed_contract, minutes_round):
    context = minutes_context(contract=signed_contract, session_id=minutes_round.pk, language="zh-hans")
    document = open_docx(render_docx(template_path("minutes"), context))
    body = texts(document)

    assert styled(document, "Title") == ["集体协商会议记录"]
    assert "第2轮" in body
    assert "时间：2026年5月12日 09:30" in body
    assert "地点：三楼会议室" in body
    assert "主持方：企业方" in body
    assert "工会方：王工会（首席代表）、赵代表" in body
    assert "企业方：孙律师（外部专家）" in body
    assert [t for t in body if t[:2] in ("1.", "2.")] == ["1. 工资增长幅度", "2. 加班费 & 调休"]
    assert "工会方提出增长8%。" in body
    table = cells(document)
    assert "王工会" in table and "钱经理" in table
    assert "日期：2026年5月12日" in table
    assert "日期：______年____月____日" in table


@pytest.mark.django_db
def test_minutes_of_a_round_of_another_negotiation_are_refused(signed_contract, minutes_round, enterprise):
    other_round = SessionFactory(negotiation=NegotiationFactory(enterprise=enterprise))

    with pytest.raises(ContextUnavailable):
        minutes_context(contract=signed_contract, session_id=other_round.pk, language="zh-hans")


# --- congress resolution ------------------------------------------------------------------


@pytest.mark.django_db
def test_resolution_prints_attendance_counts_outcome_and_rule(signed_contract, enterprise):
    CongressSession.objects.create(
        contract=signed_contract,
        delegates_total=30,
        held_on=dt.date(2026, 6, 15),
        mode=CongressMode.TALLY,
        contract_version=signed_contract.version,
        present=21,
        yes=17,
        no=3,
        abstain=1,
        closed_at=timezone.now(),
        passed=True,
    )

    document = open_docx(
        render_docx(template_path("resolution"), resolution_context(contract=signed_contract, language="zh-hans"))
    )
    body, table = texts(document), cells(document)

    assert styled(document, "Title") == ["职工代表大会决议"]
    assert body[body.index(enterprise.name) + 1].startswith(f"2026年6月15日，{enterprise.name}职工代表大会")
    assert table == ["应到代表", "30", "实到代表", "21", "赞成", "17", "反对", "3", "弃权", "1",
                     "表决方式", "纸质投票，人工计票", "表决结果", "通过"]  # fmt: skip
    assert "职工代表大会通过集体合同草案《2026年集体合同》。" in body
    assert "适用规则：R6 · 《集体合同规定》第三十六条；《企业民主管理规定》第二十条" in body


@pytest.mark.django_db
def test_resolution_in_english_of_a_rejected_draft(signed_contract):
    CongressSession.objects.create(
        contract=signed_contract,
        delegates_total=30,
        held_on=dt.date(2026, 6, 15),
        contract_version=1,
        present=19,
        yes=15,
        no=3,
        abstain=1,
        closed_at=timezone.now(),
        passed=False,
    )

    body = texts(
        open_docx(render_docx(template_path("resolution"), resolution_context(contract=signed_contract, language="en")))
    )

    assert "The workers' congress does not approve the draft collective contract “2026年集体合同”." in body
    assert (
        "Fewer than two thirds of all delegates attended. "
        "Approval needs the yes votes of more than half of all delegates." in body
    )


@pytest.mark.django_db
def test_resolution_needs_a_closed_session(signed_contract):
    with pytest.raises(ContextUnavailable):
        resolution_context(contract=signed_contract, language="zh-hans")


# --- rectification notice (from a plain dict, as the compliance step calls it) --------------


def test_rectification_notice_renders_from_a_plain_dict():
    contract = Contract(title="2026年集体合同", enterprise=Enterprise(name="某公司", union_name="某公司工会"))
    breach = {
        "term": "最低月工资 3000元",
        "period": "2026-09",
        "affected": 12,
        "shortfall": 483050,
        "unit": "fen",
        "rule": "R13",
    }

    context = rectification_notice_context(
        contract=contract, language="zh-hans", breach=breach, issued_on=dt.date(2026, 11, 27)
    )
    document = open_docx(render_docx(template_path("rectification_notice"), context))

    assert styled(document, "Title") == ["整改通知书"]
    assert "致：某公司" in texts(document)
    assert "经本会核查，贵单位未履行集体合同《2026年集体合同》的下列约定：" in texts(document)
    assert cells(document) == [
        "约定事项", "最低月工资 3000元", "期间", "2026-09", "涉及职工人数", "12",
        "差额", "4,830.50元", "适用规则", "R13 · 《劳动法》第四十八条",
    ]  # fmt: skip
    assert "2026年11月27日" in texts(document)


def test_rectification_notice_needs_the_breach_facts():
    contract = Contract(title="t", enterprise=Enterprise(name="e", union_name="u"))

    with pytest.raises(ContextUnavailable, match="shortfall"):
        rectification_notice_context(
            contract=contract,
            language="en",
            breach={"term": "x", "period": "2026-09", "affected": 1, "rule": "R13"},
            issued_on=dt.date(2026, 11, 27),
        )


# --- PDF ------------------------------------------------------------------------------------


def require_libreoffice():
    if pdf.soffice_path() is None:
        if os.environ.get("CONCORD_REQUIRE_PDF") == "1":
            pytest.fail("CONCORD_REQUIRE_PDF=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice is not installed")


@pytest.mark.django_db
def test_contract_converts_to_pdf_with_chinese_fonts_embedded(signed_contract):
    require_libreoffice()
    docx_bytes = render_docx(template_path("contract"), contract_context(contract=signed_contract, language="zh-hans"))

    result = pdf.docx_to_pdf(docx_bytes)

    assert result.startswith(b"%PDF-")
    # The Chinese text was set in a CJK font (SimSun itself, or the font LibreOffice substitutes).
    assert any(name in result for name in (b"CJK", b"SimSun", b"SimHei", b"Song", b"Hei", b"Ming"))


def test_pdf_conversion_without_libreoffice_says_so(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)

    assert pdf.pdf_available() is False
    with pytest.raises(pdf.PdfUnavailable):
        pdf.docx_to_pdf(b"not used")


def test_pdf_conversion_that_hangs_is_killed_after_the_timeout(monkeypatch, tmp_path):
    # given an "soffice" that never finishes
    fake = tmp_path / "soffice"
    fake.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(30)\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pdf, "soffice_path", lambda: str(fake))

    started = time.monotonic()
    with pytest.raises(pdf.PdfConversionFailed, match="longer than"):
        pdf.docx_to_pdf(b"docx", timeout=0.5)
    assert time.monotonic() - started < 10
