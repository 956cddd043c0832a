"""The documents page (contracts/pages/documents.py): asking for a document through the page,
its row polled while it is being made and no longer once it is ready, the .docx downloaded; each
kind offered only when the contract can have it, a refusal worded on the page, another
enterprise's documents a 404, and no internal code in what a person reads."""

import datetime as dt
import html
import io
import os
import re
import zipfile

import docx
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bargaining.services.sessions import session_create
from contracts.compliance.models import Breach
from contracts.documents import pdf
from contracts.enterprises.models import Role
from contracts.models import CongressSession, Document, DocumentKind, DocumentStatus
from contracts.services import documents as services
from contracts.services.documents import DOCX_CONTENT_TYPE, document_render, document_request
from contracts.services.lifecycle import contract_create
from tests.factories import EnterpriseFactory, contract_in_effect, payroll_check, payroll_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

# Codes that must never reach what a person reads on the page.
INTERNAL_CODES = (
    "pending",
    "rectification_notice",
    "in_congress",
    "zh-hans",
    "min_monthly_wage",
    "ValueError",
    "None",
)


@pytest.fixture
def page_for():
    """A browser logged in as ``user``, reading the pages in ``language`` (English unless told)."""

    def make(user, language="en"):
        client = Client()
        client.force_login(type(user).objects.get(pk=user.pk))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


def make_contract(enterprise, user, **fields):
    return contract_create(
        user=user,
        enterprise=enterprise,
        kind="general",
        title=fields.pop("title", "2026年集体合同"),
        term_start=dt.date(2026, 7, 1),
        term_end=dt.date(2029, 6, 30),
        clauses=[{"number": "第六条", "category": "pay", "title": "工资", "text": "员工月工资不低于3000元。"}],
        **fields,
    )


@pytest.fixture
def contract(enterprise, union_user):
    return make_contract(enterprise, union_user)


def page_url(contract) -> str:
    return reverse("contracts:contract_documents", args=[contract.pk])


def request_url(contract) -> str:
    return reverse("contracts:document_request", args=[contract.pk])


def status_url(document) -> str:
    return reverse("contracts:document_status", args=[document.pk])


def download_url(document, file_format="docx") -> str:
    return reverse("contracts:document_download", args=[document.pk, file_format])


def visible_text(content: bytes) -> str:
    """What a person reads: the body without tags, attributes, scripts or the header's language menu."""
    text = content.decode()
    text = text[text.find("<main") :]
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def assert_no_internal_code(content: bytes) -> None:
    text = visible_text(content)
    shown = [code for code in INTERNAL_CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
    assert shown == [], f"internal codes on the page: {shown}\n{text}"


def row_of(content: bytes, document) -> str:
    """The <tr> of ``document`` in a page or a status fragment."""
    text = content.decode()
    match = re.search(rf'<tr id="document-{document.pk}".*?</tr>', text, flags=re.S)
    assert match, f"no row of document {document.pk} in:\n{text}"
    return html.unescape(match.group(0))


def offer_of(content: bytes, kind: str) -> str:
    text = content.decode()
    match = re.search(rf'<section class="card document-offer" id="offer-{kind}">.*?</section>', text, flags=re.S)
    assert match, f"no offer of {kind} in:\n{text}"
    return html.unescape(match.group(0))


def closed_session(contract, *, passed=True, held_on=dt.date(2026, 6, 15)) -> CongressSession:
    return CongressSession.objects.create(
        contract=contract,
        delegates_total=30,
        held_on=held_on,
        contract_version=contract.version,
        present=25,
        yes=20 if passed else 10,
        no=4,
        abstain=1,
        closed_at=timezone.now(),
        passed=passed,
    )


# --- asking, watching, downloading ----------------------------------------------------------


def test_a_contract_document_is_asked_for_seen_being_made_then_downloaded(contract, union_user, page_for):
    client = page_for(union_user)

    # given the page, which offers the contract in both languages and lists nothing yet
    page = client.get(page_url(contract))
    assert page.status_code == 200
    offer = offer_of(page.content, "contract")
    assert f'action="{request_url(contract)}"' in offer
    assert re.findall(r'<option value="([\w-]+)"', offer) == ["zh-hans", "en"]
    assert 'id="no-documents"' in page.content.decode()

    # when the negotiator asks for the English contract
    response = client.post(request_url(contract), {"kind": "contract", "language": "en"})

    # then it is queued and the page shows its row being made, asking every 2 s how it stands
    [document] = Document.objects.all()
    assert (document.kind, document.language, document.status) == ("contract", "en", "pending")
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(contract)}#document-{document.pk}"
    page = client.get(response["Location"])
    row = row_of(page.content, document)
    assert f'hx-get="{status_url(document)}"' in row
    assert 'hx-trigger="every 2s"' in row
    assert "Being made…" in row
    assert "download-docx" not in row
    assert "Asked for: its row below shows when it is ready to download." in page.content.decode()
    assert_no_internal_code(page.content)

    # and the status fragment, while the worker has not run, still polls
    pending = client.get(status_url(document), headers={"HX-Request": "true"})
    assert pending.status_code == 200
    assert pending.content.decode().lstrip().startswith("<tr")
    assert 'hx-trigger="every 2s"' in row_of(pending.content, document)

    # when the worker renders it (the task's service, run here)
    document_render(document_id=document.pk)

    # then the row comes back ready, without polling, with its download link
    ready = client.get(status_url(document), headers={"HX-Request": "true"})
    ready_row = row_of(ready.content, document)
    assert "hx-trigger" not in ready_row
    assert "hx-get" not in ready_row
    assert ">Ready<" in ready_row
    assert f'href="{download_url(document)}"' in ready_row
    assert "download-pdf" not in ready_row  # no PDF is made in these tests
    assert "No PDF" in ready_row
    assert_no_internal_code(ready.content)

    # and the .docx downloads, a real Word file holding the contract's clause
    download = client.get(download_url(document))
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX_CONTENT_TYPE
    assert download["Content-Disposition"].startswith("attachment;")
    assert f"-contract-v{contract.version}-en.docx" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "员工月工资不低于3000元。" in [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_asking_again_gives_the_same_document_and_says_it_is_made(contract, union_user, page_for):
    client = page_for(union_user)
    client.post(request_url(contract), {"kind": "contract", "language": "zh-hans"})
    [document] = Document.objects.all()
    document_render(document_id=document.pk)

    again = client.post(request_url(contract), {"kind": "contract", "language": "zh-hans"}, follow=True)

    assert Document.objects.count() == 1
    assert "This document is already made: download it below." in again.content.decode()
    assert f'href="{download_url(document)}"' in row_of(again.content, document)


def test_the_page_defaults_to_the_readers_language(contract, union_user, page_for):
    page = page_for(union_user, language="zh-hans").get(page_url(contract))

    offer = offer_of(page.content, "contract")
    assert re.findall(r'<option value="([\w-]+)" selected>', offer) == ["zh-hans"]
    assert "简体中文" in offer


# --- which kinds are offered ---------------------------------------------------------------


def test_a_contract_without_negotiation_or_vote_offers_only_the_contract(contract, union_user, page_for):
    page = page_for(union_user).get(page_url(contract))

    assert "<form" in offer_of(page.content, "contract")
    minutes, resolution = offer_of(page.content, "minutes"), offer_of(page.content, "resolution")
    assert "<form" not in minutes
    assert "This contract did not come from a negotiation in the system." in minutes
    assert "<form" not in resolution
    assert "The workers' congress has not yet voted on this contract." in resolution
    assert "It is asked for from the breach's page." in offer_of(page.content, "notice")
    assert_no_internal_code(page.content)


def test_minutes_are_offered_for_the_rounds_both_chiefs_signed(
    enterprise, union_user, accepted_negotiation, sign_both, page_for
):
    # given a contract from a negotiation with two rounds, only the first one signed by both chiefs
    for day in (2, 1):
        session_create(
            user=union_user,
            negotiation=accepted_negotiation,
            held_at=timezone.now() - dt.timedelta(days=day),
            location="Room 1",
            minutes="双方陈述立场。",
        )
    first, second = accepted_negotiation.sessions.order_by("round_no")
    sign_both(first)
    contract = make_contract(enterprise, union_user, negotiation_id=accepted_negotiation.pk)
    client = page_for(union_user)

    # then the minutes are offered for round 1 only
    offer = offer_of(client.get(page_url(contract)).content, "minutes")
    assert re.findall(r'<option value="(\d+)">Round (\d+)</option>', offer) == [(str(first.pk), "1")]

    # when they are asked for, the document is about that round, and its row says so
    client.post(request_url(contract), {"kind": "minutes", "language": "zh-hans", "subject_id": first.pk})
    [document] = Document.objects.all()
    assert (document.kind, document.subject_id) == (DocumentKind.MINUTES, first.pk)
    row = row_of(client.get(page_url(contract)).content, document)
    assert "Minutes of a consultation round" in row
    assert "Round 1" in row
    assert second.pk != first.pk


def test_the_resolution_is_offered_once_the_congress_voted(contract, union_user, page_for):
    client = page_for(union_user)
    session = closed_session(contract)

    offer = offer_of(client.get(page_url(contract)).content, "resolution")
    assert "<form" in offer
    assert re.findall(r'<option value="(\d+)">Congress of ([^<]+)</option>', offer) == [
        (str(session.pk), "June 15, 2026: passed")
    ]

    client.post(request_url(contract), {"kind": "resolution", "language": "en", "subject_id": session.pk})
    [document] = Document.objects.all()
    document_render(document_id=document.pk)
    row = row_of(client.get(page_url(contract)).content, document)
    assert "Resolution of the workers' congress" in row
    assert "Congress of June 15, 2026: passed" in row
    assert f'href="{download_url(document)}"' in row


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"kind": "resolution", "language": "en"}, 409, "The workers' congress has not yet voted on this contract."),
        (
            {"kind": "minutes", "language": "en"},
            400,
            "Name a consultation round of the negotiation this contract came from.",
        ),
        (
            {"kind": "rectification_notice", "language": "en", "subject_id": 999999},
            400,
            "Name a breach of this contract found by a compliance run.",
        ),
        ({"kind": "poem", "language": "en"}, 400, "Choose a kind of document and the language to write it in."),
        ({"kind": "contract", "language": "fr"}, 400, "Choose a kind of document and the language to write it in."),
    ],
)
def test_a_document_the_contract_cannot_have_is_refused_with_a_message(
    contract, union_user, page_for, payload, status, message
):
    response = page_for(union_user).post(request_url(contract), payload)

    assert response.status_code == status
    assert message in html.unescape(response.content.decode())
    assert 'id="document-error"' in response.content.decode()
    assert Document.objects.count() == 0
    assert_no_internal_code(response.content)


def test_a_refusal_reads_in_chinese_on_the_chinese_page(contract, union_user, page_for):
    response = page_for(union_user, language="zh-hans").post(request_url(contract), {"kind": "resolution"})

    assert response.status_code == 409
    assert "职工代表大会尚未对本合同进行表决。" in response.content.decode()


# --- what a row says when something is missing ----------------------------------------------


def test_a_failed_document_says_so_in_words_and_can_be_asked_for_again(contract, union_user, page_for, monkeypatch):
    def broken(template, context):
        raise ValueError("template is broken")

    monkeypatch.setattr(services, "render_docx", broken)
    client = page_for(union_user)
    client.post(request_url(contract), {"kind": "contract", "language": "en"})
    [document] = Document.objects.all()
    document_render(document_id=document.pk)

    row = row_of(client.get(page_url(contract)).content, document)
    assert "Could not be made" in row
    assert "Ask for it again" in row
    assert "template is broken" not in row
    assert "hx-trigger" not in row

    again = client.post(request_url(contract), {"kind": "contract", "language": "en"})
    assert again.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING


def test_downloading_a_pdf_that_was_not_made_says_why_on_the_page(contract, union_user, page_for):
    document = document_render(document_id=document_request(user=union_user, contract=contract, kind="contract").pk)

    response = page_for(union_user).get(download_url(document, "pdf"))

    assert response.status_code == 409
    assert "No PDF of this document: the server cannot convert documents to PDF." in response.content.decode()
    assert 'id="document-error"' in response.content.decode()


def test_the_pdf_is_offered_and_downloads_where_libreoffice_is_installed(contract, union_user, page_for, settings):
    if pdf.soffice_path() is None:
        if os.environ.get("CONCORD_REQUIRE_PDF") == "1":
            pytest.fail("CONCORD_REQUIRE_PDF=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice is not installed")
    settings.DOCUMENTS_PDF = True
    client = page_for(union_user)
    client.post(request_url(contract), {"kind": "contract", "language": "zh-hans"})
    [document] = Document.objects.all()
    document_render(document_id=document.pk)

    page = client.get(page_url(contract))
    response = client.get(download_url(document, "pdf"))

    row = row_of(page.content, document)
    assert f'href="{download_url(document, "pdf")}"' in row
    assert "No PDF" not in row
    assert "This server does not make PDFs" not in page.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_downloading_before_the_document_is_made_says_it_is_not_ready(contract, union_user, page_for):
    document = document_request(user=union_user, contract=contract, kind="contract")

    response = page_for(union_user).get(download_url(document))

    assert response.status_code == 409
    assert "The document is not ready" in response.content.decode()


def test_an_unknown_file_format_is_not_a_page(contract, union_user, page_for):
    document = document_render(document_id=document_request(user=union_user, contract=contract, kind="contract").pk)

    assert page_for(union_user).get(f"/documents/{document.pk}/odt/").status_code == 404


def test_a_rectification_notice_about_this_contract_is_listed_with_its_breach(enterprise, union_user, page_for):
    contract = contract_in_effect(
        enterprise, union_user, terms=[{"kind": "min_monthly_wage", "params": {"amount": "3000"}}]
    )
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", "2900.00")))
    breach = Breach.objects.get(contract=contract)
    notice = document_request(
        user=union_user, contract=contract, kind=DocumentKind.RECTIFICATION_NOTICE, subject_id=breach.pk
    )
    other = make_contract(enterprise, union_user, title="Another contract")

    page = page_for(union_user).get(page_url(contract))

    row = row_of(page.content, notice)
    assert "Rectification notice" in row
    assert "2025-03" in row
    assert "Minimum monthly wage" in row
    assert f'id="document-{notice.pk}"' not in page_for(union_user).get(page_url(other)).content.decode()
    assert_no_internal_code(page.content)


# --- who sees what ---------------------------------------------------------------------------


def test_another_enterprises_user_finds_nothing(contract, union_user, page_for, make_member):
    document = document_render(document_id=document_request(user=union_user, contract=contract, kind="contract").pk)
    stranger = page_for(make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR))

    assert stranger.get(page_url(contract)).status_code == 404
    assert stranger.post(request_url(contract), {"kind": "contract", "language": "en"}).status_code == 404
    assert stranger.get(status_url(document)).status_code == 404
    assert stranger.get(download_url(document)).status_code == 404
    assert Document.objects.count() == 1


def test_the_employers_side_of_the_enterprise_may_ask_and_download(contract, employer_user, page_for):
    client = page_for(employer_user)
    client.post(request_url(contract), {"kind": "contract", "language": "zh-hans"})
    [document] = Document.objects.all()
    document_render(document_id=document.pk)

    assert client.get(download_url(document)).status_code == 200


def test_the_pages_ask_to_log_in(contract):
    response = Client().get(page_url(contract))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_asking_is_a_post(contract, union_user, page_for):
    assert page_for(union_user).get(request_url(contract)).status_code == 405
