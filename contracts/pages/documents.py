"""The documents of a contract in a page: ask for the contract itself, a round's minutes or the
congress resolution, in Chinese or English; watch each being made (its row asks every 2 s while
the worker writes it, htmx) and download the .docx, or the PDF where the server makes one.

Rectification notices are asked for from a breach's page; they are listed here with the rest.
Asking is ``document_request``, the service the API calls: idempotent, so asking twice gives the
same document, and a failed one is queued again.
"""

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config import limits
from config.errors import DomainError
from config.pages import domain_error
from contracts import selectors
from contracts.documents.breach_records import breach_records
from contracts.documents.negotiation_records import negotiation_records
from contracts.models import Contract, Document, DocumentKind, DocumentStatus
from contracts.services.documents import (
    DocumentSubjects,
    document_file,
    document_list,
    document_request,
    document_subjects,
    pdf_enabled,
)

POLL_EVERY = "2s"  # how often a row being made asks how it stands

# The words for each kind of document, as a heading and in a sentence.
KIND_TITLES: dict[str, Any] = {
    DocumentKind.CONTRACT: pgettext_lazy("document kind", "Collective contract"),
    DocumentKind.MINUTES: pgettext_lazy("document kind", "Minutes of a consultation round"),
    DocumentKind.RESOLUTION: pgettext_lazy("document kind", "Resolution of the workers' congress"),
    DocumentKind.RECTIFICATION_NOTICE: pgettext_lazy("document kind", "Rectification notice"),
}
STATUS_TEXT: dict[str, Any] = {
    DocumentStatus.PENDING: pgettext_lazy("document status", "Being made…"),
    DocumentStatus.READY: pgettext_lazy("document status", "Ready"),
    DocumentStatus.FAILED: pgettext_lazy("document status", "Could not be made"),
}
LANGUAGE_NAMES = dict(settings.LANGUAGES)


class DocumentRequestForm(forms.Form):
    """What the page's forms send; whether the document can be made is the service's to say."""

    kind = forms.ChoiceField(choices=DocumentKind.choices)
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES, required=False)
    subject_id = forms.IntegerField(min_value=1, max_value=limits.ID_MAX, required=False)

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE


# --- what the page shows -----------------------------------------------------------------


def _date(value: dt.date) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def _round_text(round_no: int, held_at=None) -> str:
    text = str(_("Round %(n)s") % {"n": round_no})
    return f"{text} · {_date(held_at)}" if held_at is not None else text


def _session_text(session) -> str:
    outcome = (
        pgettext_lazy("congress outcome", "passed")
        if session.passed
        else pgettext_lazy("congress outcome", "not passed")
    )
    return str(_("Congress of %(date)s: %(outcome)s") % {"date": _date(session.held_on), "outcome": outcome})


def _subject_texts(contract: Contract, documents: list[Document], subjects: DocumentSubjects) -> dict[int, str]:
    """What each document is about, worded: the round, the congress session, the breach."""
    rounds = dict(subjects.signed_rounds)
    sessions = {session.pk: session for session in subjects.closed_sessions}
    texts: dict[int, str] = {}
    for document in documents:
        subject = document.subject_id
        if subject is None:
            continue
        if document.kind == DocumentKind.MINUTES:
            if subject in rounds:
                texts[document.pk] = _round_text(rounds[subject])
            elif contract.negotiation_id is not None:
                record = negotiation_records().round_get(negotiation_id=contract.negotiation_id, round_id=subject)
                if record is not None:
                    texts[document.pk] = _round_text(record.round_no, record.held_at)
        elif document.kind == DocumentKind.RESOLUTION and subject in sessions:
            texts[document.pk] = _session_text(sessions[subject])
        elif document.kind == DocumentKind.RECTIFICATION_NOTICE:
            try:
                facts = breach_records().notice_facts(contract_id=contract.pk, breach_id=subject)
            except LookupError:
                continue
            texts[document.pk] = f"{facts['term']} · {facts['period']}"
    return texts


def _problem(document: Document) -> str | None:
    """Why a document has no file, or no PDF, in words a person acts on (the stored error is
    for the server's log: a Python exception or an English sentence)."""
    if document.status == DocumentStatus.FAILED:
        return str(
            _(
                "It could not be written from this contract's records. Ask for it again; "
                "if it fails again, tell your administrator."
            )
        )
    if document.status == DocumentStatus.READY and not document.pdf:
        if document.error:
            return str(_("No PDF: turning it into a PDF failed. The Word file is ready."))
        return str(_("No PDF: this server does not make PDFs. The Word file is ready."))
    return None


def _row(document: Document, subject: str | None, contract_version: int) -> dict[str, Any]:
    return {
        "document": document,
        "title": KIND_TITLES.get(document.kind, ""),
        "subject": subject,
        "language": LANGUAGE_NAMES.get(document.language, ""),
        "status_text": STATUS_TEXT.get(document.status, ""),
        "pending": document.status == DocumentStatus.PENDING,
        "ready": document.status == DocumentStatus.READY,
        "failed": document.status == DocumentStatus.FAILED,
        "older": document.contract_version < contract_version,
        "problem": _problem(document),
        "poll": POLL_EVERY,
    }


def _rows(request: HttpRequest, contract: Contract, subjects: DocumentSubjects) -> list[dict[str, Any]]:
    documents = list(document_list(user=request.user).filter(contract=contract))
    texts = _subject_texts(contract, documents, subjects)
    return [_row(document, texts.get(document.pk), contract.version) for document in documents]


def _offers(contract: Contract, subjects: DocumentSubjects) -> list[dict[str, Any]]:
    """One form per kind this contract can have now; for the others, why not."""
    rounds = [{"id": pk, "text": _round_text(number)} for pk, number in subjects.signed_rounds]
    sessions = [{"id": session.pk, "text": _session_text(session)} for session in subjects.closed_sessions]
    return [
        {
            "kind": DocumentKind.CONTRACT,
            "title": KIND_TITLES[DocumentKind.CONTRACT],
            "help": _("The contract as it stands now, version %(n)s.") % {"n": contract.version},
            "possible": True,
        },
        {
            "kind": DocumentKind.MINUTES,
            "title": KIND_TITLES[DocumentKind.MINUTES],
            "help": _("The minutes of a round that both chief representatives signed."),
            "possible": bool(rounds),
            "subjects": rounds,
            "subject_label": _("Round"),
            "why_not": _("This contract did not come from a negotiation in the system.")
            if contract.negotiation_id is None
            else _("No round of this contract's negotiation has minutes signed by both sides yet."),
        },
        {
            "kind": DocumentKind.RESOLUTION,
            "title": KIND_TITLES[DocumentKind.RESOLUTION],
            "help": _("The workers' congress's vote on this contract, with the rule it applied."),
            "possible": bool(sessions),
            "subjects": sessions,
            "subject_label": _("Congress session"),
            "why_not": _("The workers' congress has not yet voted on this contract."),
        },
    ]


def _documents_page(
    request: HttpRequest,
    contract: Contract,
    *,
    status: int = 200,
    error: dict[str, Any] | None = None,
    form: DocumentRequestForm | None = None,
) -> HttpResponse:
    subjects = document_subjects(contract=contract)
    language = form.data.get("language") if form is not None else None
    if language not in LANGUAGE_NAMES:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGE_NAMES else settings.LANGUAGE_CODE
    context = {
        "contract": contract,
        "rows": _rows(request, contract, subjects),
        "offers": _offers(contract, subjects),
        "languages": settings.LANGUAGES,
        "language": language,
        "error": error,
        "asked_kind": form.data.get("kind") if form is not None else None,
        "pdf_enabled": pdf_enabled(),
    }
    return render(request, "contracts/documents.html", context, status=status)


def _contract_for(request: HttpRequest, pk: int) -> Contract:
    return get_object_or_404(selectors.contract_list(user=request.user), pk=pk)


def _document_for(request: HttpRequest, document_id: int) -> Document:
    """The document if ``request.user`` may see its contract (another enterprise's is a 404)."""
    return get_object_or_404(document_list(user=request.user), pk=document_id)


# --- pages -------------------------------------------------------------------------------


@login_required
@never_cache
def contract_documents(request, pk: int):
    return _documents_page(request, _contract_for(request, pk))


@login_required
@require_POST
def document_request_page(request, pk: int):
    """Ask for a document through the service; back to the list, where its row shows it being made."""
    contract = _contract_for(request, pk)
    form = DocumentRequestForm(request.POST)
    if not form.is_valid():
        error = {"message": _("Choose a kind of document and the language to write it in."), "rule": None}
        return _documents_page(request, contract, status=400, error=error, form=form)
    try:
        document = document_request(user=request.user, contract=contract, **form.cleaned_data)
    except DomainError as refusal:
        return _documents_page(request, contract, status=refusal.status_code, error=domain_error(refusal), form=form)
    if document.status == DocumentStatus.READY:
        messages.success(request, _("This document is already made: download it below."))
    else:
        messages.success(request, _("Asked for: its row below shows when it is ready to download."))
    return redirect(f"{reverse('contracts:contract_documents', args=[contract.pk])}#document-{document.pk}")


@login_required
@never_cache
def document_status(request, document_id: int):
    """One document's row, polled by the page every 2 s while the document is being made; once
    it is ready or failed, the row comes back without the polling, so the asking stops."""
    document = _document_for(request, document_id)
    subjects = document_subjects(contract=document.contract)
    texts = _subject_texts(document.contract, [document], subjects)
    row = _row(document, texts.get(document.pk), document.contract.version)
    return render(request, "contracts/documents/_row.html", {"row": row, "contract": document.contract})


@login_required
def document_download(request, document_id: int, file_format: str):
    """The .docx or PDF of a ready document; not ready, or no PDF, is said on the documents page."""
    document = _document_for(request, document_id)
    try:
        stored = document_file(document=document, file_format=file_format)
    except DomainError as refusal:
        return _documents_page(request, document.contract, status=refusal.status_code, error=domain_error(refusal))
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.filename, content_type=stored.content_type
    )


urlpatterns = [
    path("contracts/<int:pk>/documents/", contract_documents, name="contract_documents"),
    path("contracts/<int:pk>/documents/request/", document_request_page, name="document_request"),
    path("documents/<int:document_id>/status/", document_status, name="document_status"),
    re_path(
        r"^documents/(?P<document_id>[0-9]+)/(?P<file_format>docx|pdf)/$", document_download, name="document_download"
    ),
]
