"""Compliance monitoring: payroll imports, runs of the checks, findings and breaches (SPEC §3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.private_files import payroll_columnar_upload_to, payroll_upload_to
from contracts.enterprises.models import Enterprise
from contracts.models.contracts import Clause, Contract


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    PROCESSING = "processing", _("being checked")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class PayrollImport(models.Model):
    """An uploaded payroll file. The upload is kept byte for byte whatever happens to it;
    an accepted one also has a columnar copy the checks read instead of the original."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="payroll_imports"
    )
    file = models.FileField(_("uploaded file"), upload_to=payroll_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    periods = models.JSONField(_("periods"), default=list, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("number of problems"), default=0)
    columnar = models.FileField(_("columnar copy"), upload_to=payroll_columnar_upload_to, blank=True, max_length=255)
    error = models.TextField(_("processing error"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Leased work (config/leases.py): until when a worker holds it, and when it was last queued.
    lease_until = models.DateTimeField(_("held by a worker until"), null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(_("last queued at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("payroll import")
        verbose_name_plural = _("payroll imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class RunStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ComplianceRun(models.Model):
    """The checks of one contract's terms against one payroll import. Running it again
    replaces its findings and updates the same breaches: no duplicates."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="compliance_runs"
    )
    payroll_import = models.ForeignKey(
        PayrollImport, verbose_name=_("payroll import"), on_delete=models.PROTECT, related_name="compliance_runs"
    )
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    finding_count = models.PositiveIntegerField(_("findings"), default=0)
    breach_count = models.PositiveIntegerField(_("breaches"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Leased work (config/leases.py): until when a worker holds it, and when it was last queued.
    lease_until = models.DateTimeField(_("held by a worker until"), null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(_("last queued at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("compliance run")
        verbose_name_plural = _("compliance runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "payroll_import"], name="compliance_run_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.payroll_import}"


class BreachStatus(models.TextChoices):
    OPEN = "open", _("open")
    NOTIFIED = "notified", _("union leaders notified")
    ACKNOWLEDGED = "acknowledged", _("acknowledged by the employer")
    DISPUTED = "disputed", _("disputed by the employer")
    REMEDIED = "remedied", _("remedied")
    CLOSED = "closed", _("closed")


class Breach(models.Model):
    """The findings of one term in one period: who was affected, and by how much."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="breaches"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="breaches"
    )
    clause = models.ForeignKey(Clause, verbose_name=_("clause"), on_delete=models.SET_NULL, null=True, related_name="+")
    clause_number = models.CharField(_("clause number"), max_length=32)
    term_kind = models.CharField(_("term"), max_length=32)
    period = models.CharField(_("period"), max_length=7, help_text="YYYY-MM, or YYYY for yearly terms")
    unit = models.CharField(_("unit"), max_length=16)
    affected_count = models.PositiveIntegerField(_("employees affected"))
    total_shortfall = models.BigIntegerField(_("total shortfall"))
    worst_shortfall = models.BigIntegerField(_("worst shortfall"))
    worst_employee = models.CharField(_("worst affected employee"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=BreachStatus.choices, default=BreachStatus.OPEN)
    first_run = models.ForeignKey(ComplianceRun, on_delete=models.PROTECT, related_name="+", verbose_name=_("found by"))
    last_run = models.ForeignKey(
        ComplianceRun, on_delete=models.PROTECT, related_name="+", verbose_name=_("last checked by")
    )
    dispute_reason = models.TextField(_("reason for the dispute"), blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "clause_number", "term_kind", "period"], name="breach_unique_term_period"
            ),
            models.CheckConstraint(condition=Q(affected_count__gte=0), name="breach_affected_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.term_kind} · {self.period}"


class Finding(models.Model):
    """One employee-month (or employee-year) that broke a term."""

    run = models.ForeignKey(ComplianceRun, on_delete=models.CASCADE, related_name="findings")
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="findings")
    employee_id = models.CharField(_("employee"), max_length=64)
    period = models.CharField(_("period"), max_length=7)
    expected = models.BigIntegerField(_("expected"))
    actual = models.BigIntegerField(_("actual"))
    shortfall = models.BigIntegerField(_("shortfall"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["breach", "-shortfall", "employee_id"]
        indexes = [models.Index(fields=["breach", "employee_id"])]

    def __str__(self) -> str:
        return f"{self.employee_id} · {self.period}"
