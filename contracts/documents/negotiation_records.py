"""What the documents of a contract need from the negotiation it came from: the rounds with
their minutes, and the representatives of both sides.

Bargaining sits above contracts (it drafts contracts), so contracts never imports it or reads
its tables. Instead bargaining hands the records over: it registers a provider at start-up
(``BargainingConfig.ready``), and the minutes document and the filing pack ask it for plain
records. Without a provider a contract simply has no rounds and no representatives.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RepresentativeRecord:
    id: int
    side: str  # "union" or "employer"
    side_label: str  # the side as people read it, in the language active when it was read
    name: str
    position: str
    is_chief: bool
    is_external: bool
    vacated_on: dt.date | None


@dataclass(frozen=True)
class RoundSignature:
    signer: str | None  # who signed, or the chief who is to sign; None when the side has no chief
    signed_at: dt.datetime | None


@dataclass(frozen=True)
class RoundRecord:
    """One consultation round (R4) as its minutes print it."""

    id: int
    round_no: int
    negotiation_title: str
    held_at: dt.datetime
    location: str
    chair_side: str
    attendees: tuple[RepresentativeRecord, ...]
    agenda: tuple[str, ...]
    minutes: str
    union: RoundSignature
    employer: RoundSignature


class NegotiationRecords(Protocol):
    def round_get(self, *, negotiation_id: int, round_id: int) -> RoundRecord | None:
        """The round ``round_id`` when it belongs to negotiation ``negotiation_id``."""
        ...

    def signed_round_ids(self, *, negotiation_id: int) -> list[tuple[int, int]]:
        """(id, round number) of every round whose minutes both chiefs signed, in order."""
        ...

    def representative_list(self, *, negotiation_id: int) -> list[RepresentativeRecord]:
        """Every representative, side by side, chiefs first (those who left office included)."""
        ...


class _NoNegotiations:
    def round_get(self, *, negotiation_id: int, round_id: int) -> RoundRecord | None:
        return None

    def signed_round_ids(self, *, negotiation_id: int) -> list[tuple[int, int]]:
        return []

    def representative_list(self, *, negotiation_id: int) -> list[RepresentativeRecord]:
        return []


_provider: NegotiationRecords = _NoNegotiations()


def negotiation_records_register(provider: NegotiationRecords) -> None:
    """Called once at start-up by the app that keeps negotiations."""
    global _provider
    _provider = provider


def negotiation_records() -> NegotiationRecords:
    return _provider
