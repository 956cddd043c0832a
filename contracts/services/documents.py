"""Generated documents: asking for one, rendering and storing it, handing out its file.

A request is idempotent: one document per contract version, kind, language and
subject (database constraints), so asking again returns the one there is. The
rendering runs in the worker (``contracts.render_document``), queued when the
request commits, and is safe to run twice: a ready document is never rendered or
stored again.
"""

import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import NotAllowed
from config.leases import LeasedWork
from config.queue import enqueue_on_commit
from contracts.documents import pdf
from contracts.documents.breach_records import breach_records
from contracts.documents.context import (
    ContextUnavailable,
    document_context,
    minutes_session,
    resolution_session,
)
from contracts.documents.negotiation_records import negotiation_records
from contracts.documents.render import render_docx
from contracts.documents.templates import template_name, template_path
from contracts.enterprises.access import confidential_enterprise_list, enterprise_list, require_role
from contracts.enterprises.models import Role
from contracts.errors import (
    DocumentKindUnavailable,
    DocumentNotReady,
    InvalidDocumentSubject,
    NoClosedCongressSession,
    PdfNotAvailable,
    UnknownDocumentKind,
    UnknownDownloadFormat,
    UnknownLanguage,
)
from contracts.models import CongressSession, Contract, Document, DocumentKind, DocumentStatus

logger = logging.getLogger(__name__)

# A document stays pending while the worker holding its lease renders it (config/leases.py).
DOCUMENTS = LeasedWork(Document, waiting=DocumentStatus.PENDING, working=DocumentStatus.PENDING)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# Who reads and who asks for each kind of document. The contract, a round's minutes and the
# congress resolution are the contract's own papers: every role of the enterprise reads them and
# may ask for them, a workers' congress delegate too. A rectification notice states a breach's
# figures and the colleagues' shortfalls: it is read by ``CONFIDENTIAL_READERS`` only (anyone
# else does not see it exist), and asked for by the union side, who writes it to the employer.
CONFIDENTIAL_KINDS = frozenset({DocumentKind.RECTIFICATION_NOTICE})
NOTICE_REQUESTERS = frozenset({Role.UNION_LEADER, Role.UNION_NEGOTIATOR, Role.ADMIN})


def pdf_enabled() -> bool:
    """PDF copies are made when LibreOffice is installed, unless ``DOCUMENTS_PDF`` is False."""
    return getattr(settings, "DOCUMENTS_PDF", True) and pdf.pdf_available()


def _subject(*, contract: Contract, kind: str, subject_id: int | None) -> int | None:
    """The subject the document is about, checked against the contract; None for the contract itself."""
    if kind == DocumentKind.CONTRACT:
        if subject_id is not None:
            raise InvalidDocumentSubject(_("A contract document has no subject."), extra={"kind": kind})
        return None
    if kind == DocumentKind.MINUTES:
        if subject_id is None or minutes_session(contract=contract, session_id=subject_id) is None:
            raise InvalidDocumentSubject(
                _("Name a consultation round of the negotiation this contract came from."),
                extra={"kind": kind, "subject_id": subject_id, "negotiation": contract.negotiation_id},
            )
        return subject_id
    if kind == DocumentKind.RESOLUTION:
        session = resolution_session(contract=contract, session_id=subject_id)
        if session is None:
            if subject_id is not None:
                raise InvalidDocumentSubject(
                    _("Name a closed workers' congress session of this contract."),
                    extra={"kind": kind, "subject_id": subject_id},
                )
            raise NoClosedCongressSession(
                _("The workers' congress has not yet voted on this contract."), extra={"kind": kind}
            )
        return session.pk
    if kind == DocumentKind.RECTIFICATION_NOTICE:
        if subject_id is None or not breach_records().breach_exists(contract_id=contract.pk, breach_id=subject_id):
            raise InvalidDocumentSubject(
                _("Name a breach of this contract found by a compliance run."),
                extra={"kind": kind, "subject_id": subject_id},
            )
        return subject_id
    raise DocumentKindUnavailable(_("Unknown kind of document."), extra={"kind": kind})


@transaction.atomic
def document_request(
    *, user, contract: Contract, kind: str, language: str = settings.LANGUAGE_CODE, subject_id: int | None = None
) -> Document:
    """Ask for a document of the contract's current version; asking again returns the same one
    (a failed one is queued again)."""
    if not enterprise_list(user=user).filter(pk=contract.enterprise_id).exists():
        raise NotAllowed(_("You hold no role in this contract's enterprise."))
    if kind not in DocumentKind.values:
        raise UnknownDocumentKind(_("Unknown document kind “%(kind)s”.") % {"kind": kind})
    if kind == DocumentKind.RECTIFICATION_NOTICE:
        require_role(
            user=user,
            enterprise=contract.enterprise,
            roles=NOTICE_REQUESTERS,
            message=_(
                "Rectification notices are asked for by the union side: its negotiators, leaders and administrators."
            ),
        )
    if language not in LANGUAGE_CODES:
        raise UnknownLanguage(
            _("Documents are written in %(list)s.") % {"list": ", ".join(LANGUAGE_CODES)},
            extra={"languages": LANGUAGE_CODES},
        )
    subject_id = _subject(contract=contract, kind=kind, subject_id=subject_id)
    version = Contract.objects.filter(pk=contract.pk).values_list("version", flat=True).get()
    document, created = Document.objects.get_or_create(
        contract=contract,
        kind=kind,
        language=language,
        subject_id=subject_id,
        contract_version=version,
        defaults={"requested_by": user if user.is_authenticated else None},
    )
    if not created and (document.status == DocumentStatus.FAILED or _notice_outdated(document)):
        document.status, document.error, document.queued_at = DocumentStatus.PENDING, "", timezone.now()
        document.save(update_fields=["status", "error", "queued_at"])
        created = True
    elif not created and document.status == DocumentStatus.PENDING and DOCUMENTS.requeue_if_lost(document.pk):
        created = True  # stuck (its message lost, or its worker dead): asking again queues it again
    if created:
        # The row is what counts: a broker that refuses the message is logged, and the sweep queues it.
        enqueue_on_commit("contracts.render_document", document.pk, robust=True)
    return document


def _notice_outdated(document: Document) -> bool:
    """A rectification notice states a breach's figures: a later run that changed them calls for a new one."""
    if document.kind != DocumentKind.RECTIFICATION_NOTICE or document.rendered_at is None:
        return False
    if document.subject_id is None:  # a notice names its breach
        return False
    checked = breach_records().last_checked_at(contract_id=document.contract_id, breach_id=document.subject_id)
    return checked is not None and checked > document.rendered_at


def _file_stem(document: Document) -> str:
    return f"{document.kind}-{document.contract_id}-v{document.contract_version}-{document.language}"


def _fail(document_id: int, error: str) -> Document | None:
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is not None and document.status != DocumentStatus.READY:
            document.status, document.error, document.lease_until = DocumentStatus.FAILED, error[:2000], None
            document.save(update_fields=["status", "error", "lease_until"])
        return document


def document_render(*, document_id: int) -> Document | None:
    """Render a requested document, store its .docx (and PDF) with checksum and template; safe to run twice.

    The worker claims the document under a lease (config/leases.py) and renders outside any
    transaction: a PDF conversion takes seconds and must not hold the row (on SQLite, the whole
    database) locked. A second message for it finds it held and returns; a worker that died
    leaves a lease that runs out, and the sweep or the next request queues it again.
    """
    if not DOCUMENTS.claim(document_id):
        return Document.objects.filter(pk=document_id).first()  # ready, failed, or another worker's
    document = Document.objects.get(pk=document_id)
    try:
        context = document_context(document)
        docx = render_docx(template_path(document.kind), context)
    except ContextUnavailable as error:
        return _fail(document_id, str(error))
    except Exception as error:
        logger.exception("rendering document %s failed", document_id)
        return _fail(document_id, f"{type(error).__name__}: {error}")

    pdf_bytes, pdf_error = None, ""
    if pdf_enabled():
        try:
            pdf_bytes = pdf.docx_to_pdf(docx, timeout=getattr(settings, "DOCUMENTS_PDF_TIMEOUT", pdf.DEFAULT_TIMEOUT))
        except pdf.PdfConversionFailed as error:
            logger.warning("PDF of document %s failed: %s", document_id, error)
            pdf_error = f"PDF: {error}"

    with transaction.atomic():
        stored = Document.objects.select_for_update().filter(pk=document_id).first()
        if stored is None or stored.status == DocumentStatus.READY:
            return stored  # deleted meanwhile, or another run stored it first: keep that one
        document = stored
        stem = _file_stem(document)
        document.file.save(f"{stem}.docx", ContentFile(docx), save=False)
        if pdf_bytes is not None:
            document.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        document.checksum = hashlib.sha256(docx).hexdigest()
        document.template = template_name(document.kind)
        document.rendered_at = timezone.now()
        document.status, document.lease_until = DocumentStatus.READY, None
        document.error = pdf_error
        document.save()
        return document


@dataclass(frozen=True)
class DocumentFile:
    file: FieldFile
    filename: str
    content_type: str


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def document_file(*, document: Document, file_format: str = "docx") -> DocumentFile:
    """The stored .docx or PDF of a ready document, with the name it downloads as."""
    if document.status != DocumentStatus.READY:
        raise DocumentNotReady(
            _("The document is not ready: it is %(status)s.") % {"status": document.get_status_display()},
            extra={"status": document.status, "error": document.error},
        )
    title = _UNSAFE.sub("-", document.contract.title).strip(" .-") or "contract"
    stem = f"{title}-{document.kind}-v{document.contract_version}-{document.language}"
    if file_format == "pdf":
        if not document.pdf:
            raise PdfNotAvailable(
                _("No PDF of this document: the server cannot convert documents to PDF."),
                extra={"error": document.error},
            )
        return DocumentFile(document.pdf, f"{stem}.pdf", PDF_CONTENT_TYPE)
    if file_format != "docx":
        raise UnknownDownloadFormat(_("Download as docx or pdf."), extra={"formats": ["docx", "pdf"]})
    return DocumentFile(document.file, f"{stem}.docx", DOCX_CONTENT_TYPE)


# --- selectors for the documents page ----------------------------------------------------


def document_list(*, user) -> QuerySet[Document]:
    """The documents of the contracts of the enterprises ``user`` holds a role in, newest first;
    a confidential kind (``CONFIDENTIAL_KINDS``) only where they read confidential records."""
    readable = Q(contract__enterprise__in=enterprise_list(user=user)) & (
        ~Q(kind__in=CONFIDENTIAL_KINDS) | Q(contract__enterprise__in=confidential_enterprise_list(user=user))
    )
    return Document.objects.filter(readable).select_related("contract", "requested_by")


@dataclass(frozen=True)
class DocumentSubjects:
    """What each kind of document could be about for a contract now: the rounds whose minutes
    both chiefs signed (id, round number), the closed congress sessions, newest first."""

    signed_rounds: list[tuple[int, int]]
    closed_sessions: list[CongressSession]


def document_subjects(*, contract: Contract) -> DocumentSubjects:
    rounds = (
        negotiation_records().signed_round_ids(negotiation_id=contract.negotiation_id)
        if contract.negotiation_id is not None
        else []
    )
    sessions = list(
        CongressSession.objects.filter(contract=contract, closed_at__isnull=False).order_by("-closed_at", "-id")
    )
    return DocumentSubjects(signed_rounds=rounds, closed_sessions=sessions)
