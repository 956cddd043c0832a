"""Who the service is for: federations, enterprises (employer and its union) and
the roles people hold in them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.rules.packs import PACK_CHOICES, RulePack, rule_pack_get


class Federation(models.Model):
    """A higher-level union federation (上级工会) overseeing many enterprises."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("federation")
        verbose_name_plural = _("federations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """An employer together with its enterprise union."""

    name = models.CharField(_("name of the employer"), max_length=200)
    union_name = models.CharField(_("enterprise union"), max_length=200)
    federation = models.ForeignKey(
        Federation, verbose_name=_("federation"), on_delete=models.PROTECT, related_name="enterprises"
    )
    rule_pack = models.CharField(_("rule pack"), max_length=32, choices=PACK_CHOICES, default="national")
    local_minimum_wage = models.DecimalField(
        _("local monthly minimum wage (CNY)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    local_minimum_wage_since = models.DateField(_("minimum wage in force since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(local_minimum_wage__isnull=True) | Q(local_minimum_wage__gte=0),
                name="enterprise_minimum_wage_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def pack(self) -> RulePack:
        return rule_pack_get(self.rule_pack)


class Role(models.TextChoices):
    UNION_NEGOTIATOR = "union_negotiator", _("union negotiator")
    EMPLOYER_NEGOTIATOR = "employer_negotiator", _("employer negotiator")
    CONGRESS_DELEGATE = "congress_delegate", _("workers' congress delegate")
    UNION_LEADER = "union_leader", _("union leader")
    FEDERATION_OFFICER = "federation_officer", _("federation officer")
    ADMIN = "admin", _("enterprise administrator")


class Membership(models.Model):
    """A role a user holds in one enterprise, or, for a federation officer, in a federation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
    )
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.FEDERATION_OFFICER, federation__isnull=False, enterprise__isnull=True)
                    | (~Q(role=Role.FEDERATION_OFFICER) & Q(enterprise__isnull=False, federation__isnull=True))
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(fields=["user", "enterprise", "role"], name="membership_unique_enterprise_role"),
            models.UniqueConstraint(fields=["user", "federation", "role"], name="membership_unique_federation_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.enterprise or self.federation}"
