"""The negotiation's life: request (R1), answer, rounds, suspension (R5), conclusion."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from bargaining.errors import InvalidProposal, TransitionForbidden
from bargaining.models import AgreedPosition, Negotiation, NegotiationStatus, Side
from bargaining.selectors import negotiation_gap
from bargaining.services.permissions import require_negotiator, require_side
from bargaining.services.topics import proposal_params_validate
from contracts.enterprises.models import Enterprise
from contracts.models import Contract, ContractKind
from contracts.rules.deadlines import deadline_after
from contracts.rules.decisions import RuleRef, deadline_provisional_year
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from contracts.services.lifecycle import contract_create, contract_renewal_window, term_end_for

S = NegotiationStatus

# action -> (statuses it may start from, human name of the action)
TRANSITIONS: dict[str, tuple[frozenset[str], Any]] = {
    "request": (frozenset({S.DRAFT}), gettext_lazy("record a consultation request")),
    "respond": (frozenset({S.REQUESTED}), gettext_lazy("answer the request")),
    "open_rounds": (frozenset({S.PREPARING}), gettext_lazy("start consultation rounds")),
    "hold_round": (frozenset({S.PREPARING, S.IN_ROUNDS}), gettext_lazy("hold a consultation round")),
    "propose": (frozenset({S.IN_ROUNDS}), gettext_lazy("table a proposal")),
    "suspend": (frozenset({S.IN_ROUNDS}), gettext_lazy("suspend the talks")),
    "resume": (frozenset({S.SUSPENDED}), gettext_lazy("resume the talks")),
    "conclude": (frozenset({S.IN_ROUNDS}), gettext_lazy("conclude the talks")),
}


def negotiation_check_transition(*, negotiation: Negotiation, action: str) -> None:
    """A move the current status does not allow is refused (409) with the reason."""
    allowed_from, label = TRANSITIONS[action]
    if negotiation.status not in allowed_from:
        raise TransitionForbidden(
            _("Cannot %(action)s: the negotiation is %(status)s.")
            % {"action": label, "status": negotiation.get_status_display()},
            extra={"action": action, "status": negotiation.status, "allowed_from": sorted(allowed_from)},
        )


def _locked(negotiation: Negotiation) -> Negotiation:
    return Negotiation.objects.select_for_update().get(pk=negotiation.pk)


def negotiation_reply_deadline(*, negotiation: Negotiation) -> dict[str, Any]:
    """R1: the answer is due N days (or working days, by pack) after receipt, counted under R16.

    Returns the decision's facts, stored on the negotiation; ``reply_rule_describe``
    words them in the reader's language.
    """
    pack = negotiation.enterprise.pack
    received_on = negotiation.request_received_on
    assert received_on is not None  # a reply is due only once a request was received
    deadline = deadline_after(received_on, pack.reply_days, pack=pack, working_days=pack.reply_in_working_days)
    return {
        "rule": "R1",
        "pack": pack.code,
        "days": pack.reply_days,
        "working_days": pack.reply_in_working_days,
        "due": deadline.due.isoformat(),
        "nominal_due": deadline.nominal.isoformat(),
        "calendar_known": deadline.calendar_known,
        # The year without a published holiday schedule the count relies on (R16), if any.
        "provisional_year": deadline_provisional_year(received_on, deadline),
    }


def negotiation_reply_overdue(negotiation: Negotiation, today: dt.date | None = None) -> bool:
    """R1: the answer is overdue once its due day has passed without one (24:00, Asia/Shanghai)."""
    today = today or timezone.localdate()
    return bool(negotiation.reply_due and negotiation.responded_on is None and today > negotiation.reply_due)


def reply_rule_describe(facts: dict[str, Any]) -> dict[str, Any] | None:
    """The stored R1 decision as people read it: rule, article, and why the date is what it is."""
    if not facts:
        return None
    unit = _("working days") if facts["working_days"] else _("days")
    detail = _("Answer within %(n)s %(unit)s of receipt; the day of receipt is not counted.") % {
        "n": facts["days"],
        "unit": unit,
    }
    if facts["due"] != facts["nominal_due"]:
        detail += " " + _("The last day falls on a rest day or holiday, so it moves to the next working day (R16).")
    year = None
    if not facts["calendar_known"]:
        # Facts stored before the year was kept name none: the due date's year.
        year = facts.get("provisional_year") or dt.date.fromisoformat(facts["due"]).year
    params = {key: value for key, value in facts.items() if key not in ("rule", "pack", "provisional_year")}
    return RuleRef(
        rule=facts["rule"], pack=facts["pack"], detail=detail, params=params, provisional_year=year
    ).as_dict()


@transaction.atomic
def negotiation_create(*, user, enterprise: Enterprise, title: str, kind: str) -> Negotiation:
    """Open a negotiation file for an enterprise."""
    require_negotiator(user=user, enterprise=enterprise)
    return Negotiation.objects.create(enterprise=enterprise, title=title, kind=kind)


@transaction.atomic
def negotiation_request(
    *, user, negotiation: Negotiation, requested_by: str, received_on: dt.date, text: str = ""
) -> Negotiation:
    """R1: record a written consultation request and when the answer is due."""
    negotiation = _locked(negotiation)
    require_side(user=user, enterprise=negotiation.enterprise, side=requested_by)
    negotiation_check_transition(negotiation=negotiation, action="request")
    negotiation.requested_by = requested_by
    negotiation.request_received_on = received_on
    negotiation.request_text = text
    facts = negotiation_reply_deadline(negotiation=negotiation)
    negotiation.reply_due = dt.date.fromisoformat(facts["due"])
    negotiation.reply_rule = facts
    negotiation.status = S.REQUESTED
    negotiation.save()
    return negotiation


@transaction.atomic
def negotiation_respond(
    *, user, negotiation: Negotiation, accepted: bool, responded_on: dt.date | None = None, text: str = ""
) -> Negotiation:
    """R1: the side that received the request answers it in writing."""
    negotiation = _locked(negotiation)
    negotiation_check_transition(negotiation=negotiation, action="respond")
    require_side(user=user, enterprise=negotiation.enterprise, side=Side(negotiation.requested_by).other)
    responded_on = responded_on or timezone.localdate()
    if responded_on > timezone.localdate():
        raise InvalidProposal(_("The answer cannot be dated in the future."), code="answer_in_future")
    received_on = negotiation.request_received_on
    assert received_on is not None  # a REQUESTED negotiation has its request's date
    if responded_on < received_on:
        raise InvalidProposal(
            _("The answer cannot predate the request (received on %(date)s).") % {"date": received_on.isoformat()},
            code="answer_before_request",
        )
    negotiation.responded_on = responded_on
    negotiation.accepted = accepted
    negotiation.response_text = text
    negotiation.status = S.PREPARING if accepted else S.DECLINED
    negotiation.save()
    return negotiation


@transaction.atomic
def negotiation_suspend(
    *, user, negotiation: Negotiation, next_meeting_at: dt.datetime, next_meeting_location: str, reason: str = ""
) -> Negotiation:
    """R5: talks are suspended by agreement, with the next time and place on record."""
    negotiation = _locked(negotiation)
    require_negotiator(user=user, enterprise=negotiation.enterprise)
    negotiation_check_transition(negotiation=negotiation, action="suspend")
    if next_meeting_at <= timezone.now():
        raise InvalidProposal(_("The next meeting must be in the future."), code="next_meeting_in_past")
    pack = negotiation.enterprise.pack
    if pack.suspension_max_days is not None:
        # Counted in days under R16: from today (not counted), ending at 24:00 of the last day.
        today = timezone.localdate()
        limit_deadline = deadline_after(today, pack.suspension_max_days, pack=pack)
        limit = limit_deadline.due
        if timezone.localtime(next_meeting_at).date() > limit:
            raise InvalidProposal(
                _("In this region talks may be suspended for at most %(n)s days (R5).")
                % {"n": pack.suspension_max_days},
                code="suspension_too_long",
                extra={
                    "rule": RuleRef(
                        rule="R5", pack=pack.code, provisional_year=deadline_provisional_year(today, limit_deadline)
                    ).as_dict()
                },
            )
    negotiation.next_meeting_at = next_meeting_at
    negotiation.next_meeting_location = next_meeting_location
    negotiation.suspension_reason = reason
    negotiation.status = S.SUSPENDED
    negotiation.save()
    return negotiation


@transaction.atomic
def negotiation_resume(*, user, negotiation: Negotiation) -> Negotiation:
    """Talks go on after a suspension (R5)."""
    negotiation = _locked(negotiation)
    require_negotiator(user=user, enterprise=negotiation.enterprise)
    negotiation_check_transition(negotiation=negotiation, action="resume")
    negotiation.status = S.IN_ROUNDS
    negotiation.save()
    return negotiation


def _converged_positions(negotiation: Negotiation) -> list[dict[str, Any]]:
    return [
        {
            "clause_category": topic["clause_category"],
            "term_kind": topic["term_kind"],
            "params": topic["union"]["params"],
            "text": topic["union"]["text"] or topic["employer"]["text"],
        }
        for topic in negotiation_gap(negotiation=negotiation)
        if topic["agreed"]
    ]


def _clause_text(position: AgreedPosition) -> str:
    if position.text.strip():
        return position.text
    if position.term_kind:
        values = "; ".join(f"{name}: {value}" for name, value in position.params.items())
        return f"{TERM_KINDS[position.term_kind].label}: {values}"
    return str(ClauseCategory(position.clause_category).label)


def _draft_contract(
    *, user, negotiation: Negotiation, term_start: dt.date | None, term_end: dt.date | None
) -> Contract:
    """The contract draft built from the agreed positions: one clause per agreed topic."""
    if term_start is None:
        renewed = negotiation.renews_contract
        # A renewal follows on from the contract it renews; anything else starts tomorrow.
        term_start = (renewed.term_end if renewed else timezone.localdate()) + dt.timedelta(days=1)
    if term_end is None:
        years = 1 if negotiation.kind == ContractKind.WAGES else negotiation.enterprise.pack.term_max_years
        term_end = term_end_for(term_start, years)
    chiefs = {r.side: r.user for r in negotiation.representatives.filter(is_chief=True, vacated_on__isnull=True)}
    clauses = [
        {
            "number": str(number),
            "category": position.clause_category,
            "title": str(ClauseCategory(position.clause_category).label),
            "text": _clause_text(position),
            "terms": [{"kind": position.term_kind, "params": position.params}] if position.term_kind else [],
        }
        for number, position in enumerate(negotiation.agreed_positions.all(), 1)
    ]
    return contract_create(
        user=user,
        enterprise=negotiation.enterprise,
        kind=negotiation.kind,
        title=negotiation.title,
        term_start=term_start,
        term_end=term_end,
        clauses=clauses,
        negotiation_id=negotiation.pk,
        union_chief=chiefs.get(Side.UNION),
        employer_chief=chiefs.get(Side.EMPLOYER),
        renewal_of=negotiation.renews_contract,
    )


@transaction.atomic
def negotiation_conclude(
    *,
    user,
    negotiation: Negotiation,
    positions: list[dict[str, Any]] | None = None,
    contract_term_start: dt.date | None = None,
    contract_term_end: dt.date | None = None,
) -> Negotiation:
    """Conclude the talks, record the agreed positions and draft the contract from them.

    Without explicit positions, the topics on which both sides' latest proposals are
    identical are taken. Every round's minutes must be signed by both chiefs first (R4).
    The draft's term defaults to 1 year for a wages contract and the pack's longest
    term (3 years) otherwise, from tomorrow (R10).
    """
    negotiation = _locked(negotiation)
    require_negotiator(user=user, enterprise=negotiation.enterprise)
    negotiation_check_transition(negotiation=negotiation, action="conclude")
    unsigned = [s.round_no for s in negotiation.sessions.all() if not s.is_signed]
    if unsigned:
        raise TransitionForbidden(
            _("The minutes of round(s) %(rounds)s are not yet signed by both chief representatives.")
            % {"rounds": ", ".join(map(str, unsigned))},
            code="minutes_unsigned",
            extra={"rounds": unsigned, "rule": RuleRef(rule="R4", pack=negotiation.enterprise.rule_pack).as_dict()},
        )
    if positions is None:
        positions = _converged_positions(negotiation)
    if not positions:
        raise InvalidProposal(
            _("There is no agreed position to conclude on: name the agreed positions."), code="nothing_agreed"
        )
    seen: set[tuple[str, str]] = set()
    rows = []
    for index, position in enumerate(positions):
        category, kind = position["clause_category"], position.get("term_kind") or ""
        if (category, kind) in seen:
            raise InvalidProposal(_("The same topic is agreed twice."), code="duplicate_topic", extra={"index": index})
        seen.add((category, kind))
        params = proposal_params_validate(category=category, term_kind=kind, params=position.get("params"))
        rows.append(
            AgreedPosition(
                negotiation=negotiation,
                clause_category=category,
                term_kind=kind,
                params=params,
                text=position.get("text", ""),
            )
        )
    bulk_create_with_history(rows, AgreedPosition)
    negotiation.status = S.CONCLUDED
    negotiation.concluded_on = timezone.localdate()
    negotiation.save()
    _draft_contract(user=user, negotiation=negotiation, term_start=contract_term_start, term_end=contract_term_end)
    return negotiation


@transaction.atomic
def negotiation_renew(*, user, contract: Contract) -> Negotiation:
    """R10: within the last months of its term, either side starts renewal talks from the contract."""
    require_negotiator(user=user, enterprise=contract.enterprise)
    window = contract_renewal_window(contract)
    if not window["open"]:
        raise TransitionForbidden(
            _("Renewal can be asked for from %(date)s, in the last %(n)s months of an effective contract's term.")
            % {"date": window["opens_on"].isoformat(), "n": contract.enterprise.pack.renewal_window_months},
            code="renewal_not_open",
            extra={"rule": window["rule"], "opens_on": window["opens_on"]},
        )
    if contract.renewal_negotiations.exclude(status__in=[S.DECLINED]).exists():
        raise TransitionForbidden(_("Renewal talks for this contract are already under way."), code="renewal_exists")
    return Negotiation.objects.create(
        enterprise=contract.enterprise,
        kind=contract.kind,
        title=_("Renewal: %(title)s") % {"title": contract.title},
        renews_contract=contract,
    )
