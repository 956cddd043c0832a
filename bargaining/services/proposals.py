"""Proposals: each side's typed position on a topic, round by round."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from bargaining.errors import InvalidProposal, MinutesSigned
from bargaining.models import ConsultationSession, Negotiation, Proposal
from bargaining.services.negotiations import negotiation_check_transition
from bargaining.services.permissions import require_side
from bargaining.services.sessions import session_signatures_withdraw
from bargaining.services.topics import proposal_params_validate
from contracts.rules.terms import ClauseCategory


@transaction.atomic
def proposal_create(
    *,
    user,
    negotiation: Negotiation,
    session: ConsultationSession,
    side: str,
    clause_category: str,
    term_kind: str = "",
    params: dict[str, Any] | None = None,
    text: str = "",
) -> Proposal:
    """Table one side's position in a round; typed params must fit the term kind's schema. The round's
    record changes, so a chief's signature already given is withdrawn (R4)."""
    negotiation = Negotiation.objects.select_for_update().get(pk=negotiation.pk)
    require_side(user=user, enterprise=negotiation.enterprise, side=side)
    negotiation_check_transition(negotiation=negotiation, action="propose")
    if session.negotiation_id != negotiation.pk:
        raise InvalidProposal(_("The round belongs to another negotiation."), code="foreign_session")
    session = ConsultationSession.objects.select_for_update().get(pk=session.pk)
    if session.is_signed:
        raise MinutesSigned(
            _("Round %(n)s is closed: its minutes are signed.") % {"n": session.round_no}, code="minutes_signed"
        )
    if term_kind or params:
        params = proposal_params_validate(category=clause_category, term_kind=term_kind, params=params)
    elif clause_category not in ClauseCategory.values:
        raise InvalidProposal(_("Unknown clause category."), code="unknown_category")
    elif not text.strip():
        raise InvalidProposal(_("A proposal needs a term or a text."), code="empty_proposal")
    if session.union_signed_at or session.employer_signed_at:
        session_signatures_withdraw(session)
        session.save()
    return Proposal.objects.create(
        negotiation=negotiation,
        session=session,
        side=side,
        clause_category=clause_category,
        term_kind=term_kind,
        params=params or {},
        text=text,
        created_by=user,
    )
