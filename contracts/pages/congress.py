"""The workers' congress in pages: the chair opens a session, each delegate votes once from
their own device, the chair watches the count of ballots and closes the vote, or enters a
paper tally; then everyone sees the result with the rule it applied (R6).

Secrecy: the tap on a choice and its "you chose X, confirm?" happen in the page (radio
buttons and CSS, no request), so a choice crosses the network once, in the confirmation that
casts it, under a field value of the same length whatever the choice. It is never kept in the
session, a message, a log line or any page shown after the vote: the receipt says the vote was
counted, not what it was. While a session is open the pages show how many delegates have
voted, never a count of yes, no or abstain (for a paper tally either, as the API does).

Opening an electronic ballot answers with its closing code, once (the answer to the POST itself,
not cached; the code is stored nowhere); closing asks for it, and a session whose code is lost
can be cancelled.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh, trigger_client_event

from config import limits
from config.errors import DomainError
from config.pages import domain_error
from contracts import selectors
from contracts.enterprises.access import CONTRACT_WRITE_ROLES, enterprise_list, enterprise_roles
from contracts.enterprises.models import Role
from contracts.models import BallotChoice, BallotReceipt, CongressMode, CongressSession, Contract, ContractStatus
from contracts.rules.decisions import article
from contracts.rules.pack_settings.store import rule_pack_in_force
from contracts.rules.packs import CongressMajority
from contracts.rules.terms.forms import with_unit
from contracts.services.congress import (
    ballot_cast,
    ballot_count,
    congress_decide,
    congress_result_describe,
    congress_session_cancel,
    congress_session_close,
    congress_session_list,
    congress_session_open,
    congress_tally_record,
    may_run_congress,
    require_congress_delegate,
    require_congress_organiser,
)
from contracts.services.lifecycle import contract_check_transition

# The ballot's choices: a field value of one length for all (a request's size tells no choice),
# the choice it casts, and the words on the ballot (赞成 / 反对 / 弃权; the model's English labels
# are the bare codes).
BALLOT = {
    "1": (BallotChoice.YES, pgettext_lazy("ballot choice", "For")),
    "2": (BallotChoice.NO, pgettext_lazy("ballot choice", "Against")),
    "3": (BallotChoice.ABSTAIN, pgettext_lazy("ballot choice", "Abstain")),
}
INDEX_LIMIT = 200


# --- forms ------------------------------------------------------------------------------


class SessionOpenForm(forms.Form):
    delegates_total = forms.IntegerField(
        label=_("Delegates in all"),
        min_value=1,
        max_value=limits.COUNT_MAX,
        help_text=_("All delegates of the congress, present or not: attendance and the majority count them all."),
    )
    held_on = limits.FormDateField(
        label=_("Date held"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mode = forms.ChoiceField(
        label=_("How the delegates vote"),
        choices=CongressMode.choices,
        initial=CongressMode.BALLOT,
        widget=forms.RadioSelect,
        help_text=_(
            "An electronic ballot is sealed: opening it shows you, once, the closing code that alone counts its votes."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_unit(self.fields["delegates_total"], _("delegates"))


class TallyForm(forms.Form):
    present = forms.IntegerField(label=_("Delegates present"), min_value=0, max_value=limits.COUNT_MAX)
    yes = forms.IntegerField(label=pgettext_lazy("paper tally", "Votes for"), min_value=0, max_value=limits.COUNT_MAX)
    no = forms.IntegerField(
        label=pgettext_lazy("paper tally", "Votes against"), min_value=0, max_value=limits.COUNT_MAX
    )
    abstain = forms.IntegerField(
        label=pgettext_lazy("paper tally", "Abstentions"), min_value=0, max_value=limits.COUNT_MAX
    )


class BallotForm(forms.Form):
    choice = forms.ChoiceField(choices=[(key, label) for key, (_choice, label) in BALLOT.items()])
    confirm = forms.BooleanField()


class CloseForm(forms.Form):
    closing_code = forms.CharField(
        label=_("Closing code"),
        max_length=64,
        help_text=_(
            "The 32 letters and digits shown when the session was opened; hyphens, spaces and case do not matter."
        ),
        error_messages={"required": _("Enter the closing code shown when the session was opened.")},
        # Two lines, wrapping after a hyphen: the whole code stays in view at 390 px, to check it
        # against the paper (a line break typed or pasted does not matter either).
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "closing-code-input",
                "placeholder": "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX",
            }
        ),
    )
    confirm = forms.BooleanField(
        label=_("The vote is over: close it now. The result is final."),
        error_messages={"required": _("Tick the box to confirm that the vote is over.")},
    )

    def __init__(self, *args, session: CongressSession, **kwargs):
        super().__init__(*args, **kwargs)
        if session.mode != CongressMode.BALLOT:
            del self.fields["closing_code"]  # a paper tally is closed by its count


class CancelForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Cancel this session: its ballots are discarded and no result is recorded."),
        error_messages={"required": _("Tick the box to confirm that the session is to be cancelled.")},
    )


# --- reads for the pages ----------------------------------------------------------------


def _session_for(request: HttpRequest, session_id: int) -> CongressSession:
    """The session if ``request.user`` may see it (another enterprise's is a 404)."""
    sessions = congress_session_list(user=request.user).select_related("contract__enterprise")
    return get_object_or_404(sessions, pk=session_id)


def _attendance(session: CongressSession, present: int) -> dict[str, Any]:
    """Where the attendance line of R6 falls and whether ``present`` reaches it, by the same
    arithmetic the close applies (the votes play no part in attendance)."""
    decision = congress_decide(
        delegates_total=session.delegates_total,
        present=present,
        yes=0,
        no=0,
        abstain=0,
        pack=session.contract.enterprise.pack,
    )
    return {key: decision[key] for key in ("quorum", "present_needed", "quorum_met")}


def _r6(contract: Contract) -> dict[str, Any]:
    """R6 as the enterprise's rule pack in force sets it (with its administrator's setting), for
    the line that cites it."""
    pack = rule_pack_in_force(contract.enterprise.rule_pack)
    return {
        "article": article("R6"),
        "quorum": str(pack.congress_quorum),
        "majority": CongressMajority(pack.congress_majority).label,
    }


def _percent(part: int, whole: int) -> str:
    return f"{min(100, 100 * part / whole):.2f}" if whole else "0"


def _count(session: CongressSession, count: dict[str, Any], *, poll: bool) -> dict[str, Any]:
    """The live count as the .count-line bar draws it: ballots cast of all delegates, the
    attendance line; never what anyone chose."""
    attendance = _attendance(session, count["ballots_cast"])
    return {
        **count,
        **attendance,
        "missing": max(0, attendance["present_needed"] - count["ballots_cast"]),
        "filled_percent": _percent(count["ballots_cast"], session.delegates_total),
        "line_percent": _percent(attendance["present_needed"], session.delegates_total),
        "poll": poll,
    }


def _decision(session: CongressSession) -> dict[str, Any] | None:
    """The stored R6 decision as people read it, with its figures and the majority worded."""
    decision = congress_result_describe(session.result) if session.is_closed else None
    if decision is None:
        return None
    return {**decision, "majority_label": CongressMajority(decision["result"]["majority"]).label}


def _roles(request: HttpRequest, session: CongressSession) -> tuple[bool, bool]:
    """Whether the user may run this congress (the chair's controls) and whether they are its delegate."""
    enterprise = session.contract.enterprise
    delegate = Role.CONGRESS_DELEGATE in enterprise_roles(user=request.user, enterprise=enterprise)
    return may_run_congress(user=request.user, enterprise=enterprise), delegate


def _refusal(
    request: HttpRequest, session: CongressSession, require: Callable[..., None], *, ballot: bool = False
) -> HttpResponse | None:
    """The page's 403 if ``require`` (the service's rule of who may) refuses the user, asked before
    any of the form is read: a role that may not gets the same answer whatever it sent."""
    try:
        require(user=request.user, enterprise=session.contract.enterprise)
    except DomainError as refusal:
        if ballot:
            return _ballot_area(request, session, status=refusal.status_code, error=domain_error(refusal))
        return _session_page(request, session, status=refusal.status_code, error=domain_error(refusal))
    return None


def _ballot_state(request: HttpRequest, session: CongressSession) -> dict[str, Any]:
    runs, delegate = _roles(request, session)
    count = ballot_count(user=request.user, session=session) if session.mode == CongressMode.BALLOT else None
    you_voted = bool(count and count["you_voted"])
    return {
        "runs_congress": runs,
        "is_delegate": delegate,
        "count": count,
        "you_voted": you_voted,
        # What the page offers; whether a vote counts is the service's to decide.
        "may_vote": delegate and count is not None and not session.is_closed and not you_voted,
    }


def _session_page(
    request: HttpRequest,
    session: CongressSession,
    *,
    status: int = 200,
    error: dict[str, Any] | None = None,
    error_at: str = "page",
    **extra: Any,
) -> HttpResponse:
    """The one page of a session, its content by who looks: ballot, chair's controls, result."""
    state = _ballot_state(request, session)
    runs, is_open = state["runs_congress"], not session.is_closed
    context: dict[str, Any] = {
        "session": session,
        "contract": session.contract,
        "choices": _ballot_choices(),
        "decision": _decision(session),
        "r6": _r6(session.contract),
        "show_ballot": is_open and state["count"] is not None and (state["is_delegate"] or error_at == "ballot"),
        "show_tally": is_open and runs and session.mode == CongressMode.TALLY,
        "show_close": is_open and runs,
        **state,
    }
    if is_open and state["count"] is not None:
        context["live"] = _count(session, state["count"], poll=runs)
    if context["show_tally"]:
        context["tally_form"] = extra.pop("tally_form", None) or TallyForm()
    if context["show_close"]:
        context["close_form"] = extra.pop("close_form", None) or CloseForm(session=session)
        context["cancel_form"] = extra.pop("cancel_form", None) or CancelForm()
    if error_at != "page" and not context.get(f"show_{error_at}"):
        error_at = "page"
    context.update(extra, error=error, error_at=error_at)
    return render(request, "contracts/congress/session.html", context, status=status)


def _ballot_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (_choice, label) in BALLOT.items()]


def _ballot_area(request: HttpRequest, session: CongressSession, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The ballot's part of the page: the whole page, or under htmx the part it replaces."""
    if not request.htmx:
        return _session_page(request, session, status=status, error_at="ballot", **extra)
    context = {"session": session, "choices": _ballot_choices(), **_ballot_state(request, session), **extra}
    return render(request, "contracts/congress/_ballot.html", context, status=status)


# --- pages ------------------------------------------------------------------------------


def _index_sessions(user) -> QuerySet[CongressSession]:
    """The sessions ``user`` may see: those open for their vote first, then the open ones, then the rest."""
    delegate_of = enterprise_list(user=user).filter(memberships__user=user, memberships__role=Role.CONGRESS_DELEGATE)
    return (
        congress_session_list(user=user)
        .select_related("contract__enterprise")
        .annotate(you_voted=Exists(BallotReceipt.objects.filter(session=OuterRef("pk"), delegate=user)))
        .annotate(
            is_delegate=Case(
                When(contract__enterprise__in=delegate_of, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            open_to_you=Case(
                When(
                    Q(is_delegate=True, you_voted=False, closed_at__isnull=True, mode=CongressMode.BALLOT),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-open_to_you", F("closed_at").asc(nulls_first=True), "-held_on", "-id")
    )


@login_required
def congress_index(request):
    user = request.user
    runs_in = enterprise_list(user=user).filter(memberships__user=user, memberships__role__in=CONTRACT_WRITE_ROLES)
    awaiting = (
        selectors.contract_list(user=user)
        .filter(status=ContractStatus.IN_CONGRESS, enterprise__in=runs_in)
        .exclude(Exists(CongressSession.objects.filter(contract=OuterRef("pk"), closed_at__isnull=True)))
        .order_by("title")
    )
    return render(
        request,
        "contracts/congress/index.html",
        {"sessions": _index_sessions(user)[:INDEX_LIMIT], "awaiting": awaiting[:INDEX_LIMIT]},
    )


@login_required
@never_cache
def congress_open(request, pk: int):
    contract: Contract = get_object_or_404(selectors.contract_list(user=request.user), pk=pk)
    form = SessionOpenForm(request.POST or None, initial={"held_on": timezone.localdate()})
    error, status, runs = None, 200, True
    try:
        require_congress_organiser(user=request.user, enterprise=contract.enterprise)
    except DomainError as refusal:  # whatever was sent: the form is not read
        runs, status = False, refusal.status_code
        if request.method == "POST":
            error = domain_error(refusal)
    if runs and request.method == "POST":
        if form.is_valid():
            try:
                session = congress_session_open(user=request.user, contract=contract, **form.cleaned_data)
            except DomainError as refusal:
                error, status = domain_error(refusal), refusal.status_code
            else:
                if session.closing_code:
                    return _closing_code_page(request, session)
                messages.success(request, _("The congress session is open."))
                return redirect("contracts:congress_session", session_id=session.pk)
        else:
            status = 400
    elif runs:
        try:
            contract_check_transition(contract=contract, action="vote")
        except DomainError as refusal:
            error, status = domain_error(refusal), refusal.status_code
    open_session = contract.congress_sessions.filter(closed_at__isnull=True).first()
    return render(
        request,
        "contracts/congress/open.html",
        {
            "contract": contract,
            "form": form,
            "error": error,
            "runs_congress": runs,
            "open_session": open_session,
            # A refusal of the user (403) or of the contract's state (409) leaves nothing to fill in.
            "show_form": runs and open_session is None and status not in (403, 409),
            "r6": _r6(contract),
            "who_runs": sorted(str(Role(role).label) for role in CONTRACT_WRITE_ROLES),
        },
        status=status,
    )


def _closing_code_page(request: HttpRequest, session: CongressSession) -> HttpResponse:
    """The answer to the opening of an electronic ballot: its closing code, this once."""
    code = session.closing_code or ""
    response = render(
        request,
        "contracts/congress/closing_code.html",
        {"session": session, "contract": session.contract, "code_groups": code.split("-")},
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@never_cache
def congress_session(request, session_id: int):
    return _session_page(request, _session_for(request, session_id))


@login_required
@never_cache
@require_GET
def congress_count(request, session_id: int):
    """The live count of an electronic ballot (an htmx partial): polled every 3 s by the chair's
    page, fetched once by a delegate's page after their ballot is cast. Whoever sees the session
    sees how many have voted, never a choice; a paper tally has no live count (404)."""
    session = _session_for(request, session_id)
    if session.mode != CongressMode.BALLOT:
        return HttpResponse(status=404)
    if session.is_closed and request.htmx:
        return HttpResponseClientRefresh()  # the page now shows the result
    runs, _delegate = _roles(request, session)
    live = _count(session, ballot_count(user=request.user, session=session), poll=runs and not session.is_closed)
    return render(request, "contracts/congress/_count.html", {"session": session, "live": live})


@sensitive_post_parameters("choice")  # never in an error report or e-mail to the admins
@login_required
@never_cache
@require_POST
def congress_vote(request, session_id: int):
    """The confirmed choice (the page asked "you chose X, confirm?") is cast; the answer is a receipt."""
    session = _session_for(request, session_id)
    if refused := _refusal(request, session, require_congress_delegate, ballot=True):
        return refused
    form = BallotForm(request.POST)
    if not form.is_valid():
        message = _("Choose For, Against or Abstain, then confirm your vote.")
        return _ballot_area(request, session, status=400, error={"message": message})
    choice, _label = BALLOT[form.cleaned_data["choice"]]
    try:
        ballot_cast(user=request.user, session=session, choice=choice)
    except DomainError as refusal:
        return _ballot_area(request, session, status=refusal.status_code, error=domain_error(refusal))
    if request.htmx:
        return trigger_client_event(_ballot_area(request, session), "ballot-cast")  # the count on the page refreshes
    return redirect("contracts:congress_session", session_id=session.pk)


@login_required
@require_POST
def congress_tally(request, session_id: int):
    """The chair records the hand count of a paper vote; the service's checks refuse what cannot be."""
    session = _session_for(request, session_id)
    if refused := _refusal(request, session, require_congress_organiser):
        return refused
    form = TallyForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, status=400, tally_form=form)
    try:
        congress_tally_record(user=request.user, session=session, **form.cleaned_data)
    except DomainError as refusal:
        return _session_page(
            request, session, status=refusal.status_code, error=domain_error(refusal), error_at="tally", tally_form=form
        )
    messages.success(request, _("The count of the paper ballots is recorded. Close the session to decide."))
    return redirect("contracts:congress_session", session_id=session.pk)


@sensitive_post_parameters("closing_code")
@login_required
@require_POST
def congress_close(request, session_id: int):
    """The chair closes the vote, with the closing code for an electronic ballot: the service
    decides under R6 and the page shows why. A wrong code is refused where it was typed."""
    session = _session_for(request, session_id)
    if refused := _refusal(request, session, require_congress_organiser):
        return refused
    form = CloseForm(request.POST, session=session)
    if not form.is_valid():
        return _session_page(request, session, status=400, close_form=form)
    try:
        congress_session_close(user=request.user, session=session, closing_code=form.cleaned_data.get("closing_code"))
    except DomainError as refusal:
        if refusal.extra.get("field") == "closing_code" and "closing_code" in form.fields:
            form.add_error("closing_code", str(refusal.message))
            return _session_page(request, session, status=refusal.status_code, close_form=form)
        return _session_page(
            request, session, status=refusal.status_code, error=domain_error(refusal), error_at="close"
        )
    return redirect("contracts:congress_session", session_id=session.pk)


@login_required
@require_POST
def congress_cancel(request, session_id: int):
    """The chair calls off an open session with no result (e.g. its closing code is lost)."""
    session = _session_for(request, session_id)
    if refused := _refusal(request, session, require_congress_organiser):
        return refused
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, status=400, cancel_form=form)
    contract = session.contract
    try:
        congress_session_cancel(user=request.user, session=session)
    except DomainError as refusal:
        return _session_page(
            request, session, status=refusal.status_code, error=domain_error(refusal), error_at="close"
        )
    messages.success(
        request,
        _("The congress session is cancelled, with no result. The draft can be put to a new session."),
    )
    return redirect("contracts:contract", pk=contract.pk)


urlpatterns = [
    path("congress/", congress_index, name="congress_index"),
    path("contracts/<int:pk>/congress/new/", congress_open, name="congress_open"),
    path("congress/<int:session_id>/", congress_session, name="congress_session"),
    path("congress/<int:session_id>/count/", congress_count, name="congress_count"),
    path("congress/<int:session_id>/vote/", congress_vote, name="congress_vote"),
    path("congress/<int:session_id>/tally/", congress_tally, name="congress_tally"),
    path("congress/<int:session_id>/close/", congress_close, name="congress_close"),
    path("congress/<int:session_id>/cancel/", congress_cancel, name="congress_cancel"),
]
