"""Consultation rounds and their minutes (R4)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bargaining.errors import InvalidSession, MinutesSigned, NotAChiefRepresentative
from bargaining.models import ConsultationSession, Negotiation, NegotiationStatus, Representative, Side
from bargaining.services.negotiations import negotiation_check_transition
from bargaining.services.permissions import require_negotiator
from bargaining.services.representatives import representation_require_complete
from contracts.rules.decisions import RuleRef


def session_expected_chair(*, negotiation: Negotiation) -> str:
    """R4: the chiefs chair in turn, the requesting side's chief first."""
    last = negotiation.sessions.order_by("-round_no").first()
    if last is None:
        return negotiation.requested_by or Side.UNION
    return Side(last.chair_side).other


def _check_attendees(negotiation: Negotiation, attendees: Iterable[Representative]) -> list[Representative]:
    attendees = list(attendees)
    strangers = [a.pk for a in attendees if a.negotiation_id != negotiation.pk or not a.is_active]
    if strangers:
        # Ids only: a name would tell a user about another negotiation's people.
        raise InvalidSession(
            _("Only serving representatives of this negotiation can attend its rounds."),
            code="invalid_attendee",
            extra={"attendees": strangers},
        )
    return attendees


def _require_unsigned(session: ConsultationSession) -> None:
    if session.is_signed:
        raise MinutesSigned(
            _("The minutes of round %(n)s are signed by both chief representatives and can no longer change.")
            % {"n": session.round_no},
            extra={"rule": RuleRef(rule="R4", pack=session.negotiation.enterprise.rule_pack).as_dict()},
        )


@transaction.atomic
def session_create(
    *,
    user,
    negotiation: Negotiation,
    held_at: dt.datetime,
    location: str,
    chair_side: str | None = None,
    attendees: Iterable[Representative] = (),
    agenda: list[str] | None = None,
    minutes: str = "",
) -> ConsultationSession:
    """Hold a consultation round. The first round needs complete teams (R2, R3)."""
    negotiation = Negotiation.objects.select_for_update().get(pk=negotiation.pk)
    require_negotiator(user=user, enterprise=negotiation.enterprise)
    negotiation_check_transition(negotiation=negotiation, action="hold_round")
    if negotiation.status == NegotiationStatus.PREPARING:
        negotiation_check_transition(negotiation=negotiation, action="open_rounds")
    representation_require_complete(negotiation=negotiation)
    expected = session_expected_chair(negotiation=negotiation)
    if chair_side and chair_side != expected:
        raise InvalidSession(
            _("The chief representatives chair in turn: this round is chaired by the %(side)s side.")
            % {"side": Side(expected).label},
            code="chair_out_of_turn",
            extra={"expected": expected, "rule": RuleRef(rule="R4", pack=negotiation.enterprise.rule_pack).as_dict()},
        )
    round_no = (negotiation.sessions.aggregate(last=Max("round_no"))["last"] or 0) + 1
    session = ConsultationSession.objects.create(
        negotiation=negotiation,
        round_no=round_no,
        held_at=held_at,
        location=location,
        chair_side=expected,
        agenda=agenda or [],
        minutes=minutes,
    )
    session.attendees.set(_check_attendees(negotiation, attendees))
    if negotiation.status == NegotiationStatus.PREPARING:
        negotiation.status = NegotiationStatus.IN_ROUNDS
        negotiation.save(update_fields=["status"])
    return session


@transaction.atomic
def session_update(*, user, session: ConsultationSession, **fields: Any) -> ConsultationSession:
    """Change a round's record; refused (409) once both chiefs have signed (R4).

    Any change after one chief signed withdraws that signature, so both always sign
    the same record.
    """
    session = ConsultationSession.objects.select_for_update().get(pk=session.pk)
    require_negotiator(user=user, enterprise=session.negotiation.enterprise)
    _require_unsigned(session)
    if "chair_side" in fields and fields["chair_side"] != session.chair_side:
        raise InvalidSession(
            _("The chair of a round follows the turn and cannot be changed."), code="chair_out_of_turn"
        )
    attendees = fields.pop("attendees", None)
    changed = False
    for key, value in fields.items():
        changed |= getattr(session, key) != value
        setattr(session, key, value)
    if attendees is not None:
        attendees = _check_attendees(session.negotiation, attendees)
        changed |= {a.pk for a in attendees} != set(session.attendees.values_list("pk", flat=True))
        session.attendees.set(attendees)
    if changed:
        session_signatures_withdraw(session)
    session.save()
    return session


def session_signatures_withdraw(session: ConsultationSession) -> None:
    """R4: both chiefs always sign the same record, so a change to it (its text, who attended, a
    position tabled in it) withdraws a signature already given. The caller saves the round."""
    session.union_signed_by = session.union_signed_at = None
    session.employer_signed_by = session.employer_signed_at = None


@transaction.atomic
def session_delete(*, user, session: ConsultationSession) -> None:
    """Remove a round recorded in error; a signed round stays (R4)."""
    session = ConsultationSession.objects.select_for_update().get(pk=session.pk)
    require_negotiator(user=user, enterprise=session.negotiation.enterprise)
    _require_unsigned(session)
    if session.negotiation.sessions.filter(round_no__gt=session.round_no).exists():
        raise MinutesSigned(_("Only the latest round can be removed."), code="not_latest_round")
    session.delete()


@transaction.atomic
def session_sign(*, user, session: ConsultationSession) -> ConsultationSession:
    """R4: the requesting user signs the minutes as the chief representative linked to them."""
    session = ConsultationSession.objects.select_for_update().get(pk=session.pk)
    chief = Representative.objects.filter(
        negotiation=session.negotiation_id, user=user, is_chief=True, vacated_on__isnull=True
    ).first()
    if chief is None or not user.is_authenticated:
        raise NotAChiefRepresentative(
            _("Only a chief representative of this negotiation may sign the minutes."),
            extra={"rule": RuleRef(rule="R4", pack=session.negotiation.enterprise.rule_pack).as_dict()},
        )
    _require_unsigned(session)
    if not session.minutes.strip():
        raise InvalidSession(_("There are no minutes to sign yet."), code="minutes_empty")
    if getattr(session, f"{chief.side}_signed_at") is not None:
        raise MinutesSigned(
            _("The %(side)s chief representative has already signed these minutes.") % {"side": Side(chief.side).label},
            code="already_signed",
        )
    setattr(session, f"{chief.side}_signed_by", chief)
    setattr(session, f"{chief.side}_signed_at", timezone.now())
    session.save()
    return session
