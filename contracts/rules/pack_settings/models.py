"""An administrator's setting of a rule pack (registered with Django through ``contracts.models``).

One row per pack code at most; a pack without a row keeps its defaults from code."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.rules.packs import PACK_CHOICES, CongressMajority


class RulePackSetting(models.Model):
    """How a rule pack's congress counts its majority (R6), who chose it, when, and on what legal basis."""

    pack = models.CharField(_("rule pack"), max_length=32, choices=PACK_CHOICES, unique=True)
    congress_majority = models.CharField(
        _("majority of the workers' congress"),
        max_length=16,
        choices=CongressMajority.choices,
        default=CongressMajority.MORE_THAN_HALF,
        help_text=_(
            "Of ALL delegates, whoever attends (R6). The default, more than half, is the stricter reading "
            "(Provisions on Democratic Management of Enterprises, Art. 20); half or more only where a "
            "regulation allows it."
        ),
    )
    legal_basis = models.TextField(
        _("legal basis"),
        help_text=_(
            "The regulation and article this choice rests on, e.g. a local regulation on collective contracts."
        ),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pack"]
        verbose_name = _("rule pack setting")
        verbose_name_plural = _("rule pack settings")

    def __str__(self) -> str:
        return str(self.get_pack_display())
