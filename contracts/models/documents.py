"""Generated documents (.docx, and PDF where LibreOffice is installed)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.private_files import document_upload_to
from contracts.models.contracts import Contract


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("collective contract")
    MINUTES = "minutes", _("minutes of a consultation round")
    RESOLUTION = "resolution", _("resolution of the workers' congress")
    RECTIFICATION_NOTICE = "rectification_notice", _("rectification notice")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class Document(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    # What the document is about besides the contract: a round for minutes, a breach for a notice.
    subject_id = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
    contract_version = models.PositiveIntegerField(_("contract version"))
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    template = models.CharField(_("template"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=document_upload_to, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # Leased work (config/leases.py): a pending document is rendered by the worker holding it.
    lease_until = models.DateTimeField(_("held by a worker until"), null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(_("last queued at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One rendering per contract version, kind, language and subject: asking again returns it.
            models.UniqueConstraint(
                fields=["contract", "kind", "language", "subject_id", "contract_version"],
                condition=Q(subject_id__isnull=False),
                name="document_unique_rendering_of_subject",
            ),
            models.UniqueConstraint(
                fields=["contract", "kind", "language", "contract_version"],
                condition=Q(subject_id__isnull=True),
                name="document_unique_rendering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.contract}"
