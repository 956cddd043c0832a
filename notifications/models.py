"""Alerts for people, by e-mail and in the app. This app knows no domain model:
callers hand it what to say (a template and its context), to whom, and a dedup key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    INFO = "info", _("information")
    WARNING = "warning", _("warning")
    BREACH = "breach", _("breach")
    OVERDUE = "overdue", _("overdue")


class Alert(models.Model):
    """One alert for one person. ``template`` names the subject and body templates under
    ``templates/notifications/``, rendered in the recipient's language with ``context``."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="alerts"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    template = models.CharField(_("template"), max_length=64)
    context = models.JSONField(_("context"), default=dict)
    link = models.CharField(_("link"), max_length=500, blank=True)
    dedup_key = models.CharField(_("dedup key"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Never twice the same thing to the same person.
            models.UniqueConstraint(fields=["recipient", "dedup_key"], name="alert_once_per_recipient_and_key"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.template} · {self.dedup_key}"
