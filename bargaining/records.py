"""What bargaining hands to contract documents: its rounds and representatives as plain
records (``contracts.documents.negotiation_records``), registered in ``BargainingConfig.ready``."""

from bargaining.models import ConsultationSession, Representative
from contracts.documents.negotiation_records import RepresentativeRecord, RoundRecord, RoundSignature

SIDES = ("union", "employer")


def _representative(person: Representative) -> RepresentativeRecord:
    return RepresentativeRecord(
        id=person.pk,
        side=person.side,
        side_label=str(person.get_side_display()),
        name=person.name,
        position=person.position,
        is_chief=person.is_chief,
        is_external=person.is_external,
        vacated_on=person.vacated_on,
    )


def _signature(session: ConsultationSession, side: str) -> RoundSignature:
    """Who signed for ``side``; before the signature, the side's chief in office, who is to sign."""
    signer = getattr(session, f"{side}_signed_by")
    if signer is None:
        chiefs = [r for r in session.negotiation.representatives.all() if r.side == side and r.is_chief and r.is_active]
        signer = chiefs[0] if chiefs else None
    return RoundSignature(
        signer=signer.name if signer is not None else None, signed_at=getattr(session, f"{side}_signed_at")
    )


class NegotiationRecordsFromDatabase:
    def round_get(self, *, negotiation_id: int, round_id: int) -> RoundRecord | None:
        session = (
            ConsultationSession.objects.select_related("negotiation", "union_signed_by", "employer_signed_by")
            .prefetch_related("attendees", "negotiation__representatives")
            .filter(pk=round_id, negotiation_id=negotiation_id)
            .first()
        )
        if session is None:
            return None
        return RoundRecord(
            id=session.pk,
            round_no=session.round_no,
            negotiation_title=session.negotiation.title,
            held_at=session.held_at,
            location=session.location,
            chair_side=session.chair_side,
            attendees=tuple(_representative(person) for person in session.attendees.all()),
            agenda=tuple(str(item) for item in session.agenda or []),
            minutes=session.minutes,
            union=_signature(session, "union"),
            employer=_signature(session, "employer"),
        )

    def signed_round_ids(self, *, negotiation_id: int) -> list[tuple[int, int]]:
        return list(
            ConsultationSession.objects.filter(
                negotiation_id=negotiation_id, union_signed_at__isnull=False, employer_signed_at__isnull=False
            )
            .order_by("round_no")
            .values_list("pk", "round_no")
        )

    def representative_list(self, *, negotiation_id: int) -> list[RepresentativeRecord]:
        people = Representative.objects.filter(negotiation_id=negotiation_id).order_by("side", "-is_chief", "id")
        return [_representative(person) for person in people]
