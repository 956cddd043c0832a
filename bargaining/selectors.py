"""Reads shared by the API and the pages; every one applies the user's visibility."""

from decimal import Decimal
from itertools import groupby
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from bargaining.models import ConsultationSession, Negotiation, Proposal, Representative
from contracts.enterprises.access import enterprise_list
from contracts.history import history_entries
from contracts.rules.terms import term_headline


def negotiation_list(*, user) -> QuerySet[Negotiation]:
    """The negotiations of the enterprises the user holds a role in."""
    return Negotiation.objects.filter(enterprise__in=enterprise_list(user=user)).select_related("enterprise")


def representative_list(*, negotiation: Negotiation) -> QuerySet[Representative]:
    return negotiation.representatives.select_related("replacement", "negotiation__enterprise")


def representative_candidates(*, negotiation: Negotiation) -> QuerySet:
    """The user accounts a representative of ``negotiation`` may be linked to: people who hold a
    role in its enterprise, never anyone else's."""
    users = get_user_model().objects.filter(memberships__enterprise=negotiation.enterprise_id).distinct()
    return users.order_by("username")


def representative_vacancies(*, negotiation: Negotiation) -> QuerySet[Representative]:
    """The representatives of ``negotiation`` who left office and have no successor yet."""
    return negotiation.representatives.filter(vacated_on__isnull=False, replacement__isnull=True)


def session_list(*, negotiation: Negotiation) -> QuerySet[ConsultationSession]:
    return negotiation.sessions.select_related("union_signed_by", "employer_signed_by").prefetch_related(
        Prefetch("attendees", queryset=Representative.objects.only("id"))
    )


def _position(proposal: Proposal | None) -> dict[str, Any] | None:
    if proposal is None:
        return None
    return {
        "proposal": proposal.pk,
        "round_no": proposal.session.round_no,
        "params": proposal.params,
        "text": proposal.text,
        "value": term_headline(kind=proposal.term_kind, params=proposal.params) if proposal.term_kind else None,
    }


def negotiation_gap(*, negotiation: Negotiation) -> list[dict[str, Any]]:
    """Per topic (category, term kind): each side's latest position, the gap and the history."""
    proposals = negotiation.proposals.select_related("session").order_by(
        "clause_category", "term_kind", "session__round_no", "created_at", "id"
    )
    baseline = _contract_baseline(negotiation)
    topics = []
    for (category, kind), items in groupby(proposals, key=lambda p: (p.clause_category, p.term_kind)):
        history = list(items)
        latest = dict.fromkeys(("union", "employer"))
        for proposal in history:
            latest[proposal.side] = proposal
        union, employer = _position(latest["union"]), _position(latest["employer"])
        gap: Decimal | None = None
        if union and employer and union["value"] is not None and employer["value"] is not None:
            gap = union["value"] - employer["value"]
        agreed = bool(
            union
            and employer
            and (union["params"] == employer["params"] if kind else union["text"].strip() == employer["text"].strip())
        )
        topics.append(
            {
                "clause_category": category,
                "term_kind": kind,
                "union": union,
                "employer": employer,
                "gap": gap,
                "agreed": agreed,
                "current": baseline.pop((category, kind), None),
                "history": [{"side": p.side, **_position(p)} for p in history],
            }
        )
    for (category, kind), current in baseline.items():
        topics.append(
            {
                "clause_category": category,
                "term_kind": kind,
                "union": None,
                "employer": None,
                "gap": None,
                "agreed": False,
                "current": current,
                "history": [],
            }
        )
    return topics


def _contract_baseline(negotiation: Negotiation) -> dict[tuple[str, str], dict[str, Any]]:
    """For renewal talks (R10): the renewed contract's terms, by topic."""
    if negotiation.renews_contract_id is None:
        return {}
    baseline = {}
    for clause in negotiation.renews_contract.clauses.all():
        for term in clause.terms:
            baseline[(clause.category, term["kind"])] = {
                "clause": clause.number,
                "params": term["params"],
                "value": term_headline(kind=term["kind"], params=term["params"]),
            }
    return baseline


def negotiation_history(*, negotiation: Negotiation) -> list[dict[str, Any]]:
    """Who changed what and when, across the negotiation and everything recorded under it."""
    sources = [
        Negotiation.history.filter(id=negotiation.pk),
        Representative.history.filter(negotiation_id=negotiation.pk),
        ConsultationSession.history.filter(negotiation_id=negotiation.pk),
        Proposal.history.filter(negotiation_id=negotiation.pk),
        negotiation.agreed_positions.model.history.filter(negotiation_id=negotiation.pk),
    ]
    return history_entries(sources)
