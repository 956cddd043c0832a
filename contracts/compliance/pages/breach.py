"""One breach: where and what (the clause by its printed article, the term as agreed, the
period), the rule its check applies, who was affected and by how much; its findings sorted and
paged, downloadable as XLSX; its status and history, and the moves its people may make
(acknowledge, dispute with a reason, remedy, close; a rectification notice), each decided by
the service the API calls."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.pages import domain_error
from contracts.articles import article_label, clause_article
from contracts.compliance.exports import (
    XLSX_CONTENT_TYPE,
    breach_findings_filename,
    breach_findings_xlsx,
    finding_value,
)
from contracts.compliance.models import Breach
from contracts.compliance.pages.shared import page_links, page_of, query
from contracts.compliance.selectors import (
    DEFAULT_FINDING_SORT,
    FINDING_SORTS,
    breach_findings,
    breach_history,
    breach_list,
    breach_notice,
)
from contracts.compliance.services.breaches import (
    breach_moves,
    breach_notice_request,
    breach_refusals,
    breach_shortfall_text,
    breach_transition,
)
from contracts.models import DocumentStatus
from contracts.rules.decisions import article
from contracts.rules.terms import TERM_KINDS, term_rule
from contracts.rules.terms.base import period_text
from contracts.rules.terms.payroll import UNIT_DATE
from contracts.rules.units import quantity_text

FINDINGS_PER_PAGE = 100

# The words on each move's button, and what the page says once it is made.
MOVES = {
    "acknowledge": (_("Acknowledge the breach"), _("The breach is acknowledged.")),
    "dispute": (_("Dispute the breach"), _("The breach is disputed.")),
    "remedy": (_("Record the remedy"), _("The remedy is recorded.")),
    "close": (_("Close the breach"), _("The breach is closed.")),
}
FINDING_COLUMNS = (
    ("employee", _("Employee")),
    ("period", _("Period")),
    ("expected", _("Expected")),
    ("actual", _("Actual")),
    ("shortfall", _("Shortfall")),
)


class DisputeForm(forms.Form):
    # Required in the page; the service says why when it is left blank (a dispute needs a reason).
    reason = forms.CharField(
        label=_("Why the employer disputes the breach"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "required": True}),
    )


def _breach_for(request: HttpRequest, pk: int) -> Breach:
    """The breach if the user may read it; another enterprise's is a 404, like one that does not exist."""
    breaches = breach_list(user=request.user).select_related(
        "contract", "enterprise", "clause", "first_run__payroll_import", "last_run__payroll_import"
    )
    return get_object_or_404(breaches, pk=pk)


def _term_text(breach: Breach) -> str:
    """The term as the contract's clause states it today, worded; its kind's name once it is gone."""
    kind = TERM_KINDS.get(breach.term_kind)
    if kind is None:
        return breach.term_kind
    for term in breach.clause.terms if breach.clause else []:
        if term.get("kind") == breach.term_kind:
            return kind.describe(term.get("params") or {})
    return str(kind.label)


def _amount_text(value: int, unit: str) -> str:
    """An expected or actual value as people read it; a pay date as a date."""
    if unit == UNIT_DATE:
        day = finding_value(value, unit)
        return day.isoformat() if isinstance(day, dt.date) else str(value)
    return quantity_text(value, unit)


def _sort(request: HttpRequest) -> tuple[str, str]:
    sort, direction = request.GET.get("sort", ""), request.GET.get("dir", "")
    if sort not in FINDING_SORTS or direction not in ("asc", "desc"):
        return DEFAULT_FINDING_SORT
    return sort, direction


def _findings(request: HttpRequest, breach: Breach) -> dict[str, Any]:
    """The findings' table: the page asked for, in the order asked for, and its column headers' links."""
    sort, direction = _sort(request)
    page = page_of(request, breach_findings(breach=breach, sort=sort, direction=direction), FINDINGS_PER_PAGE)
    base = reverse("contracts:breach", args=[breach.pk])
    headers = []
    for key, label in FINDING_COLUMNS:
        # A click on the column sorted by turns its order round; on another, sorts by it (amounts largest first).
        turn = "asc" if direction == "desc" else "desc"
        next_direction = turn if key == sort else ("asc" if key in ("employee", "period") else "desc")
        headers.append(
            {
                "key": key,
                "label": label,
                "url": base + query(request, sort=key, dir=next_direction, page=None),
                "sorted": direction if key == sort else "",
            }
        )
    return {
        "page": page,
        "rows": [
            {
                "finding": finding,
                "period": period_text(finding.period),
                "expected": _amount_text(finding.expected, breach.unit),
                "actual": _amount_text(finding.actual, breach.unit),
                "shortfall": quantity_text(finding.shortfall, breach.unit),
            }
            for finding in page.object_list
        ],
        "headers": headers,
        "sort": sort,
        "direction": direction,
        **page_links(request, page, base),
        "export_url": reverse("contracts:breach_findings_export", args=[breach.pk])
        + query(request, page=None, sort=sort, dir=direction),
    }


def _breach_page(
    request,  # django-htmx's request, with .htmx
    breach: Breach,
    *,
    status: int = 200,
    error: dict[str, Any] | None = None,
    error_at: str = "",
    dispute_form: DisputeForm | None = None,
) -> HttpResponse:
    target = request.htmx.target if request.htmx and not request.htmx.history_restore_request else None
    notice = breach_notice(breach=breach)
    if target == "findings":
        return render(request, "contracts/compliance/_findings.html", {"breach": breach, **_findings(request, breach)})
    if target == "notice":
        return render(request, "contracts/compliance/_notice.html", {"breach": breach, "notice": notice})
    n = clause_article(breach.contract, breach.clause_number)
    rule = term_rule(breach.term_kind)
    moves = breach_moves(user=request.user, breach=breach)
    context = {
        "breach": breach,
        "contract": breach.contract,
        "article": article_label(n) if n else "",
        "clause_title": breach.clause.title if breach.clause else "",
        "term": _term_text(breach),
        "kind_label": TERM_KINDS[breach.term_kind].label if breach.term_kind in TERM_KINDS else "",
        "period": period_text(breach.period),
        "rule": {"rule": rule, "article": article(rule)},
        "total": breach_shortfall_text(breach),
        "worst": quantity_text(breach.worst_shortfall, breach.unit),
        "history": breach_history(breach=breach),
        "moves": [(action, MOVES[action][0]) for action in moves if action in MOVES and action != "dispute"],
        "may_dispute": "dispute" in moves,
        "may_ask_notice": "notice" in moves,
        "refusals": list(breach_refusals(user=request.user, breach=breach).values()),
        "dispute_form": dispute_form or DisputeForm(),
        "notice": notice,
        "error": error,
        "error_at": error_at,
        "findings": _findings(request, breach),
    }
    return render(request, "contracts/compliance/breach.html", context, status=status)


@login_required
def breach_page(request, pk: int):
    # No require_reader: the selector hides what the user may not read, so its id is a 404.
    return _breach_page(request, _breach_for(request, pk))


@login_required
def breach_findings_export(request, pk: int):
    """The breach's findings as an XLSX file, largest shortfall first."""
    # No require_reader: the selector hides what the user may not read, so its id is a 404.
    breach = _breach_for(request, pk)
    sort, direction = _sort(request)
    findings = breach_findings(breach=breach, sort=sort, direction=direction)
    content = breach_findings_xlsx(breach=breach, findings=findings)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{breach_findings_filename(breach)}"'
    return response


@login_required
@require_POST
def breach_move(request, pk: int, action: str):
    """A move of the breach's life; the service decides whether this user may make it now."""
    breach = _breach_for(request, pk)
    form = DisputeForm(request.POST) if action == "dispute" else None
    reason = form.cleaned_data["reason"] if form is not None and form.is_valid() else ""
    try:
        breach_transition(user=request.user, breach=breach, action=action, reason=reason)
    except DomainError as refusal:
        return _breach_page(
            request,
            breach,
            status=refusal.status_code,
            error=domain_error(refusal),
            error_at=action,
            dispute_form=form,
        )
    messages.success(request, MOVES[action][1])
    return redirect("contracts:breach", pk=breach.pk)


@login_required
@require_POST
def breach_notice_page(request, pk: int):
    """Ask for a rectification notice about the breach; it is written in the background."""
    breach = _breach_for(request, pk)
    try:
        document = breach_notice_request(user=request.user, breach=breach)
    except DomainError as refusal:
        return _breach_page(request, breach, status=refusal.status_code, error=domain_error(refusal), error_at="notice")
    if document.status == DocumentStatus.READY:
        messages.success(request, _("The rectification notice is ready."))
    else:
        messages.success(request, _("The rectification notice has been asked for; it is written in the background."))
    return redirect("contracts:breach", pk=breach.pk)


urlpatterns = [
    path("breaches/<int:pk>/", breach_page, name="breach"),
    path("breaches/<int:pk>/findings.xlsx", breach_findings_export, name="breach_findings_export"),
    *(
        path(f"breaches/<int:pk>/{action}/", breach_move, {"action": action}, name=f"breach_{action}")
        for action in MOVES
    ),
    path("breaches/<int:pk>/notice/", breach_notice_page, name="breach_notice"),
]
