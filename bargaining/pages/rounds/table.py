"""The round at the table: open it (the chair R4 assigns), tick who is there, table each side's
positions, write the minutes (saved as they are typed), and sign them with each chief's own login."""

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bargaining import selectors
from bargaining.models import ConsultationSession, Negotiation, Representative, Side
from bargaining.pages.rounds.forms import RoundOpenForm, params_layout, proposal_forms
from bargaining.pages.rounds.shared import (
    negotiation_or_404,
    negotiator_refusal,
    position_wording,
    r4_rule,
    representative_label,
    session_or_404,
    side_label,
    sides_for,
    text_lines,
    topic_label,
    topic_order,
)
from bargaining.services.proposals import proposal_create
from bargaining.services.representatives import representation_problems
from bargaining.services.sessions import session_create, session_expected_chair, session_sign, session_update
from config.errors import DomainError
from config.pages import domain_error
from contracts.errors import InvalidTermParams
from contracts.rules.terms import TERM_KINDS

# --- opening a round -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request, pk: int):
    """A round's time, place, chair (preset to R4's turn) and who is present; ``session_create``."""
    negotiation = negotiation_or_404(request, pk)
    expected = Side(session_expected_chair(negotiation=negotiation))
    representatives = list(selectors.representative_list(negotiation=negotiation))
    serving = [r.pk for r in representatives if r.is_active]
    form = RoundOpenForm(
        request.POST if request.method == "POST" else None,
        negotiation=negotiation,
        initial={
            "held_at": timezone.localtime().replace(second=0, microsecond=0),
            "chair_side": expected.value,
            "union_attendees": serving,
            "employer_attendees": serving,
        },
    )
    error, status = None, 200
    valid = request.method == "POST" and form.is_valid()
    # An invalid form from someone who negotiates for neither side: refused (403), not corrected.
    refused = negotiator_refusal(request, negotiation) if request.method == "POST" and not valid else None
    if refused is not None:
        error, status = refused
    elif valid:
        data = form.cleaned_data
        try:
            session = session_create(
                user=request.user,
                negotiation=negotiation,
                held_at=data["held_at"],
                location=data["location"],
                chair_side=data["chair_side"],
                attendees=[*data["union_attendees"], *data["employer_attendees"]],
                agenda=text_lines(data["agenda"]),
            )
        except DomainError as refusal:
            error, status = domain_error(refusal), refusal.status_code
        else:
            messages.success(request, _("Round %(n)s is open.") % {"n": session.round_no})
            return redirect("bargaining:round", pk=negotiation.pk, round_id=session.pk)
    return render(
        request,
        "bargaining/rounds/open.html",
        {
            "negotiation": negotiation,
            "form": form,
            "error": error,
            "can_negotiate": bool(sides_for(request.user, negotiation)),
            "round_no": (negotiation.sessions.aggregate(last=Max("round_no"))["last"] or 0) + 1,
            "chair_side": expected.label,
            "chair_chief": next(
                (r for r in representatives if r.side == expected and r.is_chief and r.is_active), None
            ),
            "first_round": not negotiation.sessions.exists(),
            "requesting_side": Side(negotiation.requested_by).label if negotiation.requested_by else None,
            "rule": r4_rule(negotiation),
            "problems": representation_problems(negotiation=negotiation),
        },
        status=status,
    )


# --- the positions tabled --------------------------------------------------------------------


def round_topics(negotiation: Negotiation, session: ConsultationSession) -> list[dict[str, Any]]:
    """Every topic of the talks so far, with what each side tabled on it in this round."""
    keys = set(negotiation.proposals.values_list("clause_category", "term_kind").distinct())
    here = sorted(
        session.proposals.select_related("created_by"),
        key=lambda p: (topic_order((p.clause_category, p.term_kind)), p.created_at, p.pk),
    )
    by_topic = {key: list(items) for key, items in groupby(here, key=lambda p: (p.clause_category, p.term_kind))}
    return [
        {
            "label": topic_label(category, kind),
            "clause_category": category,
            "term_kind": kind,
            "entries": [
                {
                    "side": side_label(proposal.side),
                    "wording": position_wording(proposal.term_kind, proposal.params),
                    "text": proposal.text,
                    "by": proposal.created_by,
                    "at": proposal.created_at,
                }
                for proposal in by_topic.get((category, kind), [])
            ],
        }
        for category, kind in sorted(keys | set(by_topic), key=topic_order)
    ]


def _proposals_context(negotiation, session, form, params_form, *, error=None, notice=None) -> dict[str, Any]:
    return {
        "topics": round_topics(negotiation, session),
        "proposal_form": form,
        "params": params_layout(params_form),
        "proposal_error": error,
        "proposal_notice": notice,
    }


@login_required
@require_http_methods(["GET", "POST"])
def round_proposal(request, pk: int, round_id: int):
    """GET: the proposal form for a chosen side, category and term (an htmx fragment).
    POST: table the position (``proposal_create``)."""
    negotiation = negotiation_or_404(request, pk)
    session = session_or_404(negotiation, round_id)
    sides = sides_for(request.user, negotiation)
    round_url = reverse("bargaining:round", args=[pk, round_id])
    if request.method == "GET":
        if not request.htmx:
            return redirect(f"{round_url}?{request.GET.urlencode()}#proposal-form")
        form, params_form = proposal_forms(negotiation, session, sides, values=request.GET)
        shown = bool(sides) and not session.is_signed
        return render(
            request,
            "bargaining/rounds/_proposal_form.html",
            {
                "negotiation": negotiation,
                "session": session,
                "proposal_form": form if shown else None,
                "params": params_layout(params_form) if shown else None,
            },
        )
    form, params_form = proposal_forms(negotiation, session, sides, values=request.POST, data=request.POST)
    error, status, notice = None, 200, None
    valid = form.is_valid() and (params_form is None or params_form.is_valid())
    # An invalid form from someone who negotiates for neither side: refused (403), not corrected.
    refused = None if valid else negotiator_refusal(request, negotiation)
    if refused is not None:
        error, status = refused
    elif valid:
        data = form.cleaned_data
        try:
            proposal_create(
                user=request.user,
                negotiation=negotiation,
                session=session,
                side=data["side"],
                clause_category=data["clause_category"],
                term_kind=data["term_kind"],
                params=params_form.params() if params_form is not None else None,
                text=data["text"],
            )
        except InvalidTermParams as refusal:
            # The schema's message names the kind by its code: name it by its label instead, and
            # put each parameter's reason beside its field.
            assert params_form is not None  # figures are checked only for a typed term
            for name, reason in (refusal.extra.get("params") or {}).items():
                params_form.add_error(name if name in params_form.fields else None, reason)
            kind = TERM_KINDS[data["term_kind"]].label
            error = {
                "message": _("The figures do not fit the term “%(kind)s”: see the fields marked below.")
                % {"kind": kind}
            }
            status = refusal.status_code
        except DomainError as refusal:
            error, status = domain_error(refusal), refusal.status_code
        else:
            notice = _("The %(side)s side's position on “%(topic)s” is recorded.") % {
                "side": Side(data["side"]).label,
                "topic": topic_label(data["clause_category"], data["term_kind"]),
            }
            if not request.htmx:
                messages.success(request, notice)
                return redirect(f"{round_url}#proposals")
            form, params_form = proposal_forms(negotiation, session, sides, values=data)
    if not request.htmx:
        return _render_round(
            request, negotiation, session, posted_forms=(form, params_form), error=error, status=status
        )
    context = {"negotiation": negotiation, "session": session, "editable": bool(sides) and not session.is_signed}
    context |= _proposals_context(negotiation, session, form, params_form, error=error, notice=notice)
    return render(request, "bargaining/rounds/_proposals.html", context, status=status)


# --- the round's record ----------------------------------------------------------------------


def _signatures(session: ConsultationSession, representatives: list[Representative], user) -> dict[str, Any]:
    """Who signed for each side and when, who is still to sign, and whether this login may sign."""
    rows = [
        {
            "label": side_label(side),
            "side": side.label,
            "chief": next((r for r in representatives if r.side == side and r.is_chief and r.is_active), None),
            "signed_by": getattr(session, f"{side}_signed_by"),
            "signed_at": getattr(session, f"{side}_signed_at"),
        }
        for side in Side
    ]
    mine = next((r for r in representatives if r.is_chief and r.is_active and r.user_id == user.pk), None)
    return {
        "rows": rows,
        "missing": [row for row in rows if row["signed_at"] is None],
        "partly": not session.is_signed and any(row["signed_at"] for row in rows),
        "mine": mine,
        "mine_side": Side(mine.side).label if mine else "",
        "can_sign": mine is not None and getattr(session, f"{mine.side}_signed_at") is None,
    }


def _teams(representatives: list[Representative], present: set[int]) -> list[dict[str, Any]]:
    teams = []
    for side in Side:
        members = [
            {"rep": r, "label": representative_label(r), "present": r.pk in present}
            for r in representatives
            if r.side == side and (r.is_active or r.pk in present)
        ]
        teams.append(
            {
                "label": _("Present for the %(side)s side") % {"side": side.label},
                "members": members,
                "present": [member for member in members if member["present"]],
            }
        )
    return teams


def _round_context(request, negotiation, session, *, posted_forms=None) -> dict[str, Any]:
    representatives = list(selectors.representative_list(negotiation=negotiation))
    sides = sides_for(request.user, negotiation)
    editable = bool(sides) and not session.is_signed
    context: dict[str, Any] = {
        "negotiation": negotiation,
        "session": session,
        "editable": editable,
        "can_negotiate": bool(sides),
        "chair_side": Side(session.chair_side).label,
        "chair": next(
            (r for r in representatives if r.side == session.chair_side and r.is_chief and r.is_active), None
        ),
        "teams": _teams(representatives, {attendee.pk for attendee in session.attendees.all()}),
        "signatures": _signatures(session, representatives, request.user),
        "rule": r4_rule(negotiation),
        "draft_key": f"round-{session.pk}",
        "agenda_text": "\n".join(str(item) for item in session.agenda or []),
    }
    if editable:
        # The forms as posted (with their errors), or preset from the query (a topic chosen, or a
        # browser without script asking for a term's fields).
        form, params_form = posted_forms or proposal_forms(negotiation, session, sides, values=request.GET)
        context |= _proposals_context(negotiation, session, form, params_form)
    else:
        context["topics"] = round_topics(negotiation, session)
    return context


def _render_round(request, negotiation, session, *, error=None, status=200, posted_forms=None):
    context = _round_context(request, negotiation, session, posted_forms=posted_forms)
    context["error"] = error
    return render(request, "bargaining/rounds/round.html", context, status=status)


@login_required
def round_page(request, pk: int, round_id: int):
    negotiation = negotiation_or_404(request, pk)
    return _render_round(request, negotiation, session_or_404(negotiation, round_id))


def _save_fields(part: str, request) -> dict[str, Any]:
    if part == "minutes":
        # Browsers send CRLF; the stored text keeps LF, so an untouched text is no change (a
        # change would withdraw a chief's signature).
        return {"minutes": request.POST.get("minutes", "").replace("\r\n", "\n").replace("\r", "\n")}
    if part == "agenda":
        return {"agenda": text_lines(request.POST.get("agenda", ""))}
    ids = [int(value) for value in request.POST.getlist("attendees") if value.isdigit()]
    # Whoever is named: the service refuses those not serving in this negotiation.
    return {"attendees": list(Representative.objects.filter(pk__in=ids))}


@login_required
@require_POST
def round_save(request, pk: int, round_id: int, part: str):
    """Save one part of the round's record as it is typed (``session_update``); htmx gets the
    "saved at" line and the signatures (a change withdraws a signature already given)."""
    negotiation = negotiation_or_404(request, pk)
    session = session_or_404(negotiation, round_id)
    error, status = None, 200
    try:
        session_update(user=request.user, session=session, **_save_fields(part, request))
    except DomainError as refusal:
        error, status = domain_error(refusal), refusal.status_code
    session = session_or_404(negotiation, round_id)
    if not request.htmx:
        if error:
            return _render_round(request, negotiation, session, error=error, status=status)
        messages.success(request, _("Saved."))
        return redirect(f"{reverse('bargaining:round', args=[pk, round_id])}#{part}")
    representatives = list(selectors.representative_list(negotiation=negotiation))
    return render(
        request,
        "bargaining/rounds/_save_status.html",
        {
            "negotiation": negotiation,
            "session": session,
            "part": part,
            "saved_at": None if error else timezone.now(),
            "error": error,
            "signatures": _signatures(session, representatives, request.user),
            "rule": r4_rule(negotiation),
        },
        status=status,
    )


@login_required
@require_POST
def round_sign(request, pk: int, round_id: int):
    """The chief representative linked to this login signs the minutes (``session_sign``, R4)."""
    negotiation = negotiation_or_404(request, pk)
    session = session_or_404(negotiation, round_id)
    try:
        session = session_sign(user=request.user, session=session)
    except DomainError as refusal:
        return _render_round(request, negotiation, session, error=domain_error(refusal), status=refusal.status_code)
    if session.is_signed:
        messages.success(request, _("Both chief representatives have signed: the minutes are final."))
    else:
        messages.success(request, _("Your signature is recorded; the other chief representative signs next."))
    return redirect("bargaining:round", pk=pk, round_id=round_id)
