"""Alerts for people, by e-mail and in the app. This app knows no domain model:
callers hand it what to say (a template and its context), to whom, and a dedup key.

An alert is written in the same transaction as its cause, together with the
``Delivery`` (the outbox row) that e-mails it; a task sends the delivery after
commit and a periodic sweep picks up any that were never sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    INFO = "info", _("information")
    WARNING = "warning", _("warning")
    BREACH = "breach", _("breach")
    OVERDUE = "overdue", _("overdue")


# Nobody can opt out of these: they are the reason the service exists.
MANDATORY_LEVELS = frozenset({Level.BREACH, Level.OVERDUE})


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("one e-mail per alert, at once")
    DAILY_DIGEST = "daily_digest", _("one e-mail a day, at 08:00")


class Mailing(models.TextChoices):
    """How an alert goes out by e-mail, decided when it is raised."""

    IMMEDIATE = "immediate", _("e-mailed at once")
    DIGEST = "digest", _("e-mailed in the daily digest")
    OFF = "off", _("not e-mailed (the recipient opted out of its level)")


class Digest(models.Model):
    """One person's daily digest: the alerts it carries point to it. At most one a day,
    so running the digest job twice sends nothing twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="digests"
    )
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "date"], name="digest_once_per_recipient_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.date}"


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
    mailing = models.CharField(_("e-mail"), max_length=16, choices=Mailing.choices, default=Mailing.OFF)
    digest = models.ForeignKey(
        Digest,
        verbose_name=_("sent in digest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
    )
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
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="alert_recipient_read"),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(mailing="digest", digest__isnull=True),
                name="alert_awaiting_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.template} · {self.dedup_key}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One e-mail to send: of one alert, or of one daily digest (the outbox row).

    A worker claims it (``sending`` with a lease) before it talks to the mail server,
    so two workers never send the same row; a claim whose lease ran out belonged to a
    worker that died, and the sweep hands it to another."""

    alert = models.OneToOneField(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, null=True, blank=True, related_name="delivery"
    )
    digest = models.OneToOneField(
        Digest, verbose_name=_("digest"), on_delete=models.CASCADE, null=True, blank=True, related_name="delivery"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    lease_until = models.DateTimeField(_("claimed by a worker until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    to_address = models.CharField(_("sent to"), max_length=254, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When the receivers of ``alert_delivered`` were told (the sweep tells them again if never).
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(alert__isnull=False, digest__isnull=True) | Q(alert__isnull=True, digest__isnull=False),
                name="delivery_of_an_alert_or_a_digest",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_status_due")]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.alert or self.digest} · {self.get_status_display()}"


class Preference(models.Model):
    """How one person wants to be told. Without a row: at once, in Chinese, every level."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    mode = models.CharField(_("e-mail"), max_length=16, choices=Mode.choices, default=Mode.IMMEDIATE)
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    opted_out_levels = models.JSONField(_("levels not e-mailed"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_mode_display()} · {self.language}"
