"""The workers' congress vote on a draft contract (R6).

Ballot secrecy: a delegate's receipt (that they voted) and the choices are stored
apart, and the choices only encrypted. There is no per-ballot choice row at all: a
row per choice, however random its id, is written in the same transaction as its
receipt and can be joined to it by insertion order (SQLite's rowid, PostgreSQL's
ctid) or by transaction id (xmin). Nor are there counters: two copies of the
database, before and after a ballot, would show which one moved. The ballot box
holds one Paillier ciphertext of the packed counts, replaced at every ballot by a
fresh-looking one, and the session's private key sealed under a closing code that
only the organiser holds (``contracts.services.ballot_box``). Neither model keeps a
history or a timestamp, and casting a ballot never saves the session row.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models.contracts import Contract


class CongressMode(models.TextChoices):
    BALLOT = "ballot", _("secret electronic ballot")
    TALLY = "tally", _("paper ballot, counted by hand")


class BallotChoice(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    ABSTAIN = "abstain", _("abstain")


class CongressSession(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="congress_sessions"
    )
    delegates_total = models.PositiveIntegerField(_("delegates in all"))
    held_on = models.DateField(_("held on"))
    mode = models.CharField(_("voting"), max_length=8, choices=CongressMode.choices, default=CongressMode.BALLOT)
    contract_version = models.PositiveIntegerField(_("contract version voted on"))
    # Paper tally, or, for electronic ballots, filled from the ballot box at closing.
    present = models.PositiveIntegerField(_("delegates present"), null=True, blank=True)
    yes = models.PositiveIntegerField(_("yes"), null=True, blank=True)
    no = models.PositiveIntegerField(_("no"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    history = HistoricalRecords()
    # Set, never stored, on the session congress_session_open returns for an electronic ballot:
    # the code that alone opens its ballot box at close, to show the organiser once.
    closing_code: str | None = None

    class Meta:
        verbose_name = _("workers' congress session")
        verbose_name_plural = _("workers' congress sessions")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(delegates_total__gt=0), name="congress_has_delegates"),
            models.UniqueConstraint(
                fields=["contract"], condition=Q(closed_at__isnull=True), name="congress_one_open_session_per_contract"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.held_on}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class BallotReceipt(models.Model):
    """That a delegate voted, and nothing else: no choice, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="receipts")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot receipt")
        verbose_name_plural = _("ballot receipts")
        constraints = [
            models.UniqueConstraint(fields=["session", "delegate"], name="ballot_one_vote_per_delegate"),
        ]

    def __str__(self) -> str:
        return str(_("ballot receipt"))


class BallotBox(models.Model):
    """The encrypted tally of a session's electronic ballots, while the vote is open.

    Every value has a fixed size whatever the ballots. The row is deleted when the session
    closes (its counts are then on the session) or is cancelled.
    """

    session = models.OneToOneField(CongressSession, on_delete=models.CASCADE, related_name="ballot_box")
    # The Paillier public key n, 256 bytes big-endian.
    public_key = models.BinaryField()
    # The running tally: a ciphertext mod n^2 of yes + no * 2^20 + abstain * 2^40, 512 bytes.
    tally = models.BinaryField()
    # The private key's primes, AES-GCM sealed under a key derived from the closing code.
    sealed_key = models.BinaryField()

    class Meta:
        verbose_name = _("ballot box")
        verbose_name_plural = _("ballot boxes")

    def __str__(self) -> str:
        return str(_("ballot box"))
