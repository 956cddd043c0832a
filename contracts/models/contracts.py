"""Collective contracts, their clauses with typed terms, and their versions (PCC Arts. 8, 36–48)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from contracts.enterprises.models import Enterprise
from contracts.rules.terms import ClauseCategory


class ContractKind(models.TextChoices):
    GENERAL = "general", _("collective contract")
    WAGES = "wages", _("special contract on wages")
    WOMEN = "women", _("special contract on women workers' protection")
    SAFETY = "safety", _("special contract on occupational safety and health")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contract status", "draft")
    IN_CONGRESS = "in_congress", _("before the workers' congress")
    APPROVED = "approved", _("approved by the workers' congress")
    SIGNED = "signed", _("signed")
    FILED = "filed", _("filed with the labour administration")
    EFFECTIVE = "effective", _("in effect")
    EXPIRED = "expired", _("expired")


class Contract(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="contracts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContractKind.choices, default=ContractKind.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    # The negotiation it came from (bargaining points here; contracts never import bargaining).
    negotiation_id = models.PositiveBigIntegerField(_("negotiation"), null=True, blank=True, db_index=True)
    renewal_of = models.ForeignKey(
        "self", verbose_name=_("renews"), on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals"
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    # R7: both chief representatives sign after the congress approved the draft.
    union_chief = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("union chief representative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    employer_chief = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employer chief representative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    union_signed_at = models.DateTimeField(_("signed for the union at"), null=True, blank=True)
    employer_signed_at = models.DateTimeField(_("signed for the employer at"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # R8, R9: filing and the administration's review.
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    receipt_on = models.DateField(_("received by the labour administration on"), null=True, blank=True)
    review_deadline = models.DateField(_("review period ends"), null=True, blank=True)
    effective_on = models.DateField(_("takes effect on"), null=True, blank=True)
    effective_confirmed = models.BooleanField(_("effective date confirmed by the administration"), default=False)
    objection_text = models.TextField(_("objection of the labour administration"), blank=True)
    objected_on = models.DateField(_("objection received on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collective contract")
        verbose_name_plural = _("collective contracts")
        ordering = ["-term_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="contract_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Clause(models.Model):
    """A clause: its printed text, and the typed terms that are checked (SPEC §3)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField(_("number"), max_length=32)
    position = models.PositiveIntegerField(_("position"), default=0)
    category = models.CharField(_("category"), max_length=32, choices=ClauseCategory.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    # [{"kind": term kind code, "params": {...}}], validated by contracts.rules.terms.
    terms = models.JSONField(_("terms"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["contract", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="clause_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class ContractVersion(models.Model):
    """A snapshot of the contract and all its clauses, taken after every change."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=ContractStatus.choices)
    snapshot = models.JSONField(_("snapshot"))
    change = models.CharField(_("change"), max_length=200)
    change_args = models.JSONField(_("change details"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} v{self.number}"
