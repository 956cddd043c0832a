"""Negotiations, their representatives, consultation rounds and proposals (PCC Arts. 19–35)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.enterprises.models import Enterprise
from contracts.rules.terms import TERM_KIND_CHOICES, ClauseCategory


class Side(models.TextChoices):
    UNION = "union", _("union")
    EMPLOYER = "employer", _("employer")

    @property
    def other(self) -> "Side":
        return Side.EMPLOYER if self == Side.UNION else Side.UNION


class NegotiationKind(models.TextChoices):
    GENERAL = "general", _("general collective contract")
    WAGES = "wages", _("wages")
    WOMEN = "women", _("women workers' protection")
    SAFETY = "safety", _("occupational safety and health")


class NegotiationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REQUESTED = "requested", _("request received, awaiting answer")
    PREPARING = "preparing", _("accepted, appointing representatives")
    IN_ROUNDS = "in_rounds", _("in consultation rounds")
    SUSPENDED = "suspended", _("suspended")
    CONCLUDED = "concluded", _("concluded")
    DECLINED = "declined", _("declined")


class Negotiation(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="negotiations"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=NegotiationKind.choices, default=NegotiationKind.GENERAL)
    status = models.CharField(
        _("status"), max_length=16, choices=NegotiationStatus.choices, default=NegotiationStatus.DRAFT
    )
    # R1: the written consultation request and its answer.
    requested_by = models.CharField(_("requested by"), max_length=16, choices=Side.choices, blank=True)
    request_received_on = models.DateField(_("request received on"), null=True, blank=True)
    request_text = models.TextField(_("request"), blank=True)
    reply_due = models.DateField(_("answer due"), null=True, blank=True)
    reply_rule = models.JSONField(_("rule applied to the answer deadline"), default=dict, blank=True)
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    accepted = models.BooleanField(_("request accepted"), null=True, blank=True)
    response_text = models.TextField(_("answer"), blank=True)
    # R5: suspension by agreement, with the next meeting.
    next_meeting_at = models.DateTimeField(_("next meeting"), null=True, blank=True)
    next_meeting_location = models.CharField(_("next meeting place"), max_length=200, blank=True)
    suspension_reason = models.TextField(_("reason for suspension"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    # R10: a renewal starts from the contract it renews; its terms are the baseline of the talks.
    renews_contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("renews the contract"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal_negotiations",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("negotiation")
        verbose_name_plural = _("negotiations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request_received_on__isnull=True) | ~Q(requested_by=""),
                name="negotiation_request_names_side",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Representative(models.Model):
    """A bargaining representative (协商代表) of one side (PCC Arts. 19–24)."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("negotiation"), on_delete=models.CASCADE, related_name="representatives"
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representations",
    )
    is_chief = models.BooleanField(_("chief representative"), default=False)
    is_external = models.BooleanField(_("outside expert"), default=False)
    vacated_on = models.DateField(_("left office on"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("fills the vacancy of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replacement",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["side", "-is_chief", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "side"],
                condition=Q(is_chief=True, vacated_on__isnull=True),
                name="representative_one_chief_per_side",
            ),
            models.CheckConstraint(
                condition=~Q(is_chief=True, is_external=True), name="representative_expert_never_chief"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.vacated_on is None


class ConsultationSession(models.Model):
    """One consultation round (协商会议) with its minutes (PCC Arts. 33–34)."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("negotiation"), on_delete=models.CASCADE, related_name="sessions"
    )
    round_no = models.PositiveIntegerField(_("round"))
    held_at = models.DateTimeField(_("held at"))
    location = models.CharField(_("place"), max_length=200)
    chair_side = models.CharField(_("chaired by"), max_length=16, choices=Side.choices)
    attendees = models.ManyToManyField(Representative, verbose_name=_("present"), related_name="sessions", blank=True)
    agenda = models.JSONField(_("agenda topics"), default=list, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    union_signed_by = models.ForeignKey(
        Representative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed for the union by"),
    )
    union_signed_at = models.DateTimeField(_("signed for the union at"), null=True, blank=True)
    employer_signed_by = models.ForeignKey(
        Representative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed for the employer by"),
    )
    employer_signed_at = models.DateTimeField(_("signed for the employer at"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        ordering = ["negotiation", "round_no"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "round_no"], name="session_unique_round"),
        ]

    def __str__(self) -> str:
        return f"{self.negotiation} · {self.round_no}"

    @property
    def is_signed(self) -> bool:
        """R4: minutes signed by both chiefs can no longer change."""
        return self.union_signed_at is not None and self.employer_signed_at is not None


class Proposal(models.Model):
    """One side's position on one topic (a clause category and term kind) in a round."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("negotiation"), on_delete=models.CASCADE, related_name="proposals"
    )
    session = models.ForeignKey(
        ConsultationSession, verbose_name=_("round"), on_delete=models.CASCADE, related_name="proposals"
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    clause_category = models.CharField(_("clause category"), max_length=32, choices=ClauseCategory.choices)
    term_kind = models.CharField(_("term kind"), max_length=32, choices=TERM_KIND_CHOICES, blank=True)
    params = models.JSONField(_("term parameters"), default=dict, blank=True)
    text = models.TextField(_("text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["session__round_no", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_side_display()} · {self.get_clause_category_display()}"


class AgreedPosition(models.Model):
    """What both sides agreed on one topic when the negotiation concluded; the contract
    draft is built from these."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("negotiation"), on_delete=models.CASCADE, related_name="agreed_positions"
    )
    clause_category = models.CharField(_("clause category"), max_length=32, choices=ClauseCategory.choices)
    term_kind = models.CharField(_("term kind"), max_length=32, choices=TERM_KIND_CHOICES, blank=True)
    params = models.JSONField(_("term parameters"), default=dict, blank=True)
    text = models.TextField(_("text"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreed position")
        verbose_name_plural = _("agreed positions")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "clause_category", "term_kind"], name="agreed_position_unique_topic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.negotiation} · {self.get_clause_category_display()}"
