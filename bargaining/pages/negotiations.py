"""The negotiation workspace: the list, the written request and its answer (R1), each side's
representatives (R2, R3), the rounds, the gap, suspension (R5) and conclusion.

Reads go through the selectors (another enterprise's negotiation is a 404). Every action is a
POST to its own URL that calls the service the API calls; the service decides and its refusal
is shown beside the form that asked. With htmx the changed card comes back in place (and the
cards a new status changes, out of band); without JavaScript the POST redirects back."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from bargaining import selectors
from bargaining.models import Negotiation, NegotiationStatus, Representative, Side
from bargaining.pages.negotiation_forms import (
    ConcludeForm,
    NegotiationCreateForm,
    RepresentativeFlagForm,
    RepresentativeForm,
    RequestForm,
    RespondForm,
    SuspendForm,
    VacateForm,
)
from bargaining.services import negotiations as negotiation_services
from bargaining.services import representatives as representative_services
from bargaining.services.permissions import NEGOTIATION_WRITE_ROLES, SIDE_ROLES, require_negotiator
from config.errors import DomainError
from config.pages import domain_error
from contracts import selectors as contract_selectors
from contracts.enterprises.access import enterprise_list, enterprise_roles
from contracts.rules.decisions import RuleRef, article
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from contracts.rules.terms.forms import UNITS

S = NegotiationStatus
CARDS = ("request", "representatives", "rounds", "gap", "progress")


def _visible(request, pk: int) -> Negotiation:
    return get_object_or_404(selectors.negotiation_list(user=request.user), pk=pk)


def _topic_label(category: str, kind: str) -> str:
    label = str(ClauseCategory(category).label)
    return f"{label} · {TERM_KINDS[kind].label}" if kind in TERM_KINDS else label


def _worded(kind: str, params: dict[str, Any], text: str) -> str:
    """A position as a person reads it: the term in words, or the clause's own text."""
    return TERM_KINDS[kind].describe(params) if kind in TERM_KINDS else text


def _gap_rows(negotiation: Negotiation) -> list[dict[str, Any]]:
    rows = []
    for topic in selectors.negotiation_gap(negotiation=negotiation):
        kind = topic["term_kind"]
        headline = TERM_KINDS[kind].headline_param if kind in TERM_KINDS else None
        rows.append(
            {
                "topic": _topic_label(topic["clause_category"], kind),
                **{
                    side: _worded(kind, topic[side]["params"], topic[side]["text"]) if topic[side] else None
                    for side in Side.values
                },
                "gap": topic["gap"],
                "unit": UNITS.get(headline.input, "") if headline else "",
                "agreed": topic["agreed"],
            }
        )
    return rows


def _next_deadline(negotiation: Negotiation) -> dict[str, Any] | None:
    """The nearest date the negotiation owes: the answer (R1), a vacancy (R2), the next meeting (R5)."""
    due: list[dict[str, Any]] = []
    if negotiation.status == S.REQUESTED and negotiation.reply_due:
        overdue = negotiation_services.negotiation_reply_overdue(negotiation)
        due.append({"what": _("Answer due"), "on": negotiation.reply_due, "overdue": overdue, "rule": "R1"})
    if negotiation.status not in representative_services.CLOSED:
        for representative in negotiation.vacated:
            vacancy = representative_services.vacancy_fill_deadline_shown(representative=representative)
            if vacancy and not vacancy["filled"]:
                fill = {"what": _("Vacancy to fill by"), "on": vacancy["fill_due"], "overdue": vacancy["overdue"]}
                due.append(fill | {"rule": "R2"})
    if negotiation.status == S.SUSPENDED and negotiation.next_meeting_at:
        meeting = timezone.localtime(negotiation.next_meeting_at)
        due.append({"what": _("Next meeting"), "on": meeting, "overdue": False, "rule": "R5"})
    if not due:
        return None
    nearest = min(due, key=lambda item: item["on"].date() if isinstance(item["on"], dt.datetime) else item["on"])
    return nearest | {"article": article(nearest["rule"])}


def _creatable_enterprises(user):
    """Where the user negotiates, to offer in the form (negotiation_create still decides)."""
    writes = enterprise_list(user=user).filter(memberships__user=user, memberships__role__in=NEGOTIATION_WRITE_ROLES)
    return writes.distinct().order_by("name")


def _index(request, *, form: NegotiationCreateForm | None = None, error=None, status: int = 200) -> HttpResponse:
    # The prefetch sets each representative's negotiation (with its enterprise, hence its pack).
    vacated = Representative.objects.filter(vacated_on__isnull=False).select_related("replacement")
    negotiations = selectors.negotiation_list(user=request.user).prefetch_related(
        Prefetch("representatives", queryset=vacated, to_attr="vacated")
    )
    if form is None:
        enterprises = _creatable_enterprises(request.user)
        form = NegotiationCreateForm(enterprises=enterprises) if enterprises else None
    cards = [{"negotiation": negotiation, "deadline": _next_deadline(negotiation)} for negotiation in negotiations]
    context = {"cards": cards, "form": form, "error": error}
    return render(request, "bargaining/index.html", context, status=status)


@login_required
def negotiation_index(request):
    return _index(request)


@login_required
@require_POST
def negotiation_create(request):
    enterprises = _creatable_enterprises(request.user)
    form = NegotiationCreateForm(request.POST, enterprises=enterprises)
    if not enterprises.exists():  # negotiates nowhere (a delegate, an officer): refused whatever was sent
        refusal = {"message": gettext("Only the negotiators of an enterprise open its negotiations."), "rule": None}
        return _index(request, form=form, error=refusal, status=403)
    if not form.is_valid():
        return _index(request, form=form, status=400)
    try:
        negotiation = negotiation_services.negotiation_create(user=request.user, **form.cleaned_data)
    except DomainError as error:
        return _index(request, form=form, error=domain_error(error), status=error.status_code)
    messages.success(request, gettext("The negotiation “%(title)s” is open.") % {"title": negotiation.title})
    return redirect("bargaining:negotiation", negotiation.pk)


def _workspace(request, negotiation: Negotiation, **state: Any) -> dict[str, Any]:
    """Everything the workspace's cards show; ``state`` holds a bound form and its refusal."""
    roles = enterprise_roles(user=request.user, enterprise=negotiation.enterprise)
    sides = [side for side in Side.values if roles & SIDE_ROLES[Side(side)]]
    may_negotiate = bool(roles & NEGOTIATION_WRITE_ROLES)
    is_open = negotiation.status not in representative_services.CLOSED
    forms_: dict[str, Any] = state.pop("forms", {})

    def offer(name: str, build) -> None:
        forms_.setdefault(name, build())

    def may(action: str) -> bool:
        return negotiation.status in negotiation_services.TRANSITIONS[action][0]

    initial_side = {"requested_by": sides[0]} if len(sides) == 1 else {}
    if sides and may("request"):
        offer("request", lambda: RequestForm(initial=initial_side))
    if may("respond") and negotiation.requested_by and Side(negotiation.requested_by).other in sides:
        offer("respond", RespondForm)
    if sides and is_open:
        offer("representative", lambda: RepresentativeForm(negotiation=negotiation, initial={"side": sides[0]}))
    if may_negotiate and may("suspend"):
        offer("suspend", SuspendForm)
    if may_negotiate and may("conclude"):
        offer("conclude", ConcludeForm)

    rows = []
    for representative in selectors.representative_list(negotiation=negotiation).select_related("user"):
        editable = is_open and representative.is_active and representative.side in sides
        prefix = f"vacate-{representative.pk}"
        vacate_form = forms_.get(prefix) or (VacateForm(prefix=prefix) if editable else None)
        rows.append(
            {
                "representative": representative,
                "vacancy": representative_services.vacancy_fill_deadline_shown(representative=representative),
                "editable": editable,
                "vacate_form": vacate_form,
                "vacate_key": prefix,
                "flag_key": f"flag-{representative.pk}",
            }
        )
    # A refusal about a row that offers no buttons (it left office meanwhile) shows atop the card.
    row_keys = {key for row in rows if row["editable"] for key in (row["vacate_key"], row["flag_key"])}
    error_form = state.get("error_form", "")
    error_in_card = error_form.startswith(("flag-", "vacate-")) and error_form not in row_keys
    gap = _gap_rows(negotiation)
    contract = None
    if negotiation.status == S.CONCLUDED:
        drafted = contract_selectors.contract_list(user=request.user).filter(negotiation_id=negotiation.pk)
        contract = drafted.order_by("-pk").first()
    pack = negotiation.enterprise.pack
    sessions = [
        {"session": session, "url": reverse("bargaining:round", args=[negotiation.pk, session.pk])}
        for session in selectors.session_list(negotiation=negotiation)
    ]
    return {
        "negotiation": negotiation,
        "forms": forms_,
        "sides": sides,
        "may_negotiate": may_negotiate,
        "reply_rule": negotiation_services.reply_rule_describe(negotiation.reply_rule),
        "reply_overdue": negotiation_services.negotiation_reply_overdue(negotiation),
        "rows": rows,
        "error_in_card": error_in_card,
        "problems": [
            problem.as_dict() for problem in representative_services.representation_problems(negotiation=negotiation)
        ]
        if is_open
        else [],
        "sessions": sessions,
        "round_open_url": reverse("bargaining:round_open", args=[negotiation.pk])
        if may_negotiate and may("hold_round")
        else None,
        "gap": gap,
        "gap_url": reverse("bargaining:gap", args=[negotiation.pk]),
        "agreed_preview": [row for row in gap if row["agreed"]],
        "agreed": [
            {"topic": _topic_label(p.clause_category, p.term_kind), "worded": _worded(p.term_kind, p.params, p.text)}
            | {"text": p.text if p.term_kind else ""}
            for p in negotiation.agreed_positions.all()
        ],
        "contract": contract,
        "suspension_rule": RuleRef(rule="R5", pack=pack.code).as_dict(),
        "suspension_max_days": pack.suspension_max_days,
        "may_resume": may_negotiate and may("resume"),
        **state,
    }


@login_required
def negotiation_page(request, pk: int):
    negotiation = _visible(request, pk)
    return render(request, "bargaining/negotiation.html", _workspace(request, negotiation))


def _card(name: str) -> str:
    return f"bargaining/negotiation/{name}.html"


def _refused(request, negotiation: Negotiation, *, card: str, status: int, **state: Any) -> HttpResponse:
    """The workspace again, the bound form with its errors and the service's refusal in its card."""
    context = _workspace(request, negotiation, **state)
    if request.htmx:
        # 200 so htmx swaps the card in: it does not swap an error status by default.
        return render(request, _card(card), context)
    return render(request, "bargaining/negotiation.html", context, status=status)


def _done(request, negotiation: Negotiation, *, card: str, message: str) -> HttpResponse:
    """PRG: back to the workspace; with htmx, the card with its notice and every card a new status changes."""
    if not request.htmx:
        messages.success(request, message)
        return redirect(reverse("bargaining:negotiation", args=[negotiation.pk]) + f"#card-{card}")
    negotiation = _visible(request, negotiation.pk)
    context = _workspace(request, negotiation, notice=message, notice_card=card)
    parts = [render_to_string(_card(card), context, request=request)]
    parts += [
        render_to_string(_card(other), context | {"oob": True}, request=request)
        for other in CARDS
        # The gap changes with proposals (the rounds pages), and here only when the talks conclude.
        if other != card and (other != "gap" or negotiation.status == S.CONCLUDED)
    ]
    parts.append(render_to_string(_card("status"), context | {"oob": True}, request=request))
    return HttpResponse("".join(parts))


def _action(name: str, *, card: str, form_class, call, message, form_kwargs=None):
    """A POST view for one service: parse with ``form_class``, call ``call(user, negotiation, data,
    **ids)``, then PRG with ``message(result)``, or the workspace again with the refusal. ``name``
    (formatted with the URL's ids) names the form, so its errors show beside it."""

    @login_required
    @require_POST
    def view(request, pk: int, **ids: int) -> HttpResponse:
        negotiation = _visible(request, pk)
        key = name.format(**ids)
        form = form_class(request.POST, **(form_kwargs(negotiation, key) if form_kwargs else {}))
        if not form.is_valid():
            try:
                # Someone who negotiates for neither side is refused (403), not told how to fill the form.
                require_negotiator(user=request.user, enterprise=negotiation.enterprise)
            except DomainError as error:
                state = {"forms": {key: form}, "error": domain_error(error), "error_form": key}
                return _refused(request, negotiation, card=card, status=error.status_code, **state)
            return _refused(request, negotiation, card=card, status=400, forms={key: form}, error_form=key)
        try:
            done = call(request.user, negotiation, form.cleaned_data, **ids)
        except DomainError as error:
            state = {"forms": {key: form}, "error": domain_error(error), "error_form": key}
            return _refused(request, negotiation, card=card, status=error.status_code, **state)
        return _done(request, negotiation, card=card, message=message(done))

    return view


def _representative(negotiation: Negotiation, representative_id: int) -> Representative:
    return get_object_or_404(selectors.representative_list(negotiation=negotiation), pk=representative_id)


def _vacate(user, negotiation, data, representative_id):
    representative = representative_services.representative_vacate(
        user=user, representative=_representative(negotiation, representative_id), on=data["on"]
    )
    return representative, representative_services.vacancy_fill_deadline_shown(representative=representative)


class _NoInput(forms.Form):
    pass


negotiation_request = _action(
    "request",
    card="request",
    form_class=RequestForm,
    call=lambda user, n, data: negotiation_services.negotiation_request(user=user, negotiation=n, **data),
    message=lambda n: gettext("Request recorded: the answer is due on %(date)s.") % {"date": date_format(n.reply_due)},
)
negotiation_respond = _action(
    "respond",
    card="request",
    form_class=RespondForm,
    call=lambda user, n, data: negotiation_services.negotiation_respond(user=user, negotiation=n, **data),
    message=lambda n: gettext("Answer recorded: the request is accepted.")
    if n.accepted
    else gettext("Answer recorded: the request is declined."),
)
negotiation_representative_add = _action(
    "representative",
    card="representatives",
    form_class=RepresentativeForm,
    form_kwargs=lambda negotiation, key: {"negotiation": negotiation},
    call=lambda user, n, data: representative_services.representative_add(
        user=user, negotiation=n, **{key: value for key, value in data.items() if key != "replaces" or value}
    ),
    message=lambda r: gettext("%(name)s now represents the %(side)s side.")
    % {"name": r.name, "side": r.get_side_display()},
)
negotiation_representative_update = _action(
    "flag-{representative_id}",
    card="representatives",
    form_class=RepresentativeFlagForm,
    call=lambda user, n, data, representative_id: representative_services.representative_update(
        user=user, representative=_representative(n, representative_id), **{data["field"]: data["value"]}
    ),
    message=lambda r: gettext("%(name)s: saved.") % {"name": r.name},
)
negotiation_representative_vacate = _action(
    "vacate-{representative_id}",
    card="representatives",
    form_class=VacateForm,
    form_kwargs=lambda negotiation, key: {"prefix": key},
    call=_vacate,
    message=lambda done: gettext("%(name)s left office: the vacancy is to be filled by %(date)s (R2).")
    % {"name": done[0].name, "date": date_format(done[1]["fill_due"])},
)
negotiation_suspend = _action(
    "suspend",
    card="progress",
    form_class=SuspendForm,
    call=lambda user, n, data: negotiation_services.negotiation_suspend(user=user, negotiation=n, **data),
    message=lambda n: gettext("The talks are suspended; the next meeting is on record."),
)
negotiation_resume = _action(
    "resume",
    card="progress",
    form_class=_NoInput,
    call=lambda user, n, data: negotiation_services.negotiation_resume(user=user, negotiation=n),
    message=lambda n: gettext("The talks are resumed."),
)
negotiation_conclude = _action(
    "conclude",
    card="progress",
    form_class=ConcludeForm,
    # Empty dates leave the service's default term (R10).
    call=lambda user, n, data: negotiation_services.negotiation_conclude(
        user=user, negotiation=n, **{key: value for key, value in data.items() if value is not None}
    ),
    message=lambda n: gettext("The talks are concluded and the contract is drafted from the agreed positions."),
)


urlpatterns = [
    path("negotiations/", negotiation_index, name="index"),
    path("negotiations/new/", negotiation_create, name="negotiation_create"),
    path("negotiations/<int:pk>/", negotiation_page, name="negotiation"),
    path("negotiations/<int:pk>/request/", negotiation_request, name="negotiation_request"),
    path("negotiations/<int:pk>/respond/", negotiation_respond, name="negotiation_respond"),
    path(
        "negotiations/<int:pk>/representatives/",
        negotiation_representative_add,
        name="negotiation_representative_add",
    ),
    path(
        "negotiations/<int:pk>/representatives/<int:representative_id>/",
        negotiation_representative_update,
        name="negotiation_representative_update",
    ),
    path(
        "negotiations/<int:pk>/representatives/<int:representative_id>/vacate/",
        negotiation_representative_vacate,
        name="negotiation_representative_vacate",
    ),
    path("negotiations/<int:pk>/suspend/", negotiation_suspend, name="negotiation_suspend"),
    path("negotiations/<int:pk>/resume/", negotiation_resume, name="negotiation_resume"),
    path("negotiations/<int:pk>/conclude/", negotiation_conclude, name="negotiation_conclude"),
]
