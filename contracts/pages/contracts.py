"""Web pages for contracts: the index and the contract workspace, with the contract's moves
(submit to the congress, sign, file, record the review). The same selectors and services as the
API: a button is shown only for a move ``contract_moves`` allows, and every POST is decided by
the lifecycle service, whose refusal is explained on the page."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError, NotAllowed
from config.pages import domain_error
from contracts import selectors
from contracts.enterprises.access import require_contract_writer
from contracts.errors import TermsBelowFloor
from contracts.models import Contract
from contracts.pages import contract_clauses
from contracts.pages.contract_forms import FileForm, ObjectionForm, ReceiptForm
from contracts.pages.contract_workspace import contract_or_404, workspace_context
from contracts.rules.decisions import RuleRef
from contracts.services import lifecycle


@login_required
def contract_index(request: HttpRequest) -> HttpResponse:
    contracts = selectors.contract_list(user=request.user).select_related("enterprise")
    return render(request, "contracts/index.html", {"contracts": contracts})


def _page(request: HttpRequest, contract: Contract, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The workspace, with the forms of the moves (bound to a refused POST where given)."""
    return render(request, "contracts/contract.html", workspace_context(request, contract, **extra), status=status)


@login_required
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, contract_or_404(request, pk))


def _move(
    request: HttpRequest,
    pk: int,
    *,
    act: Callable[..., Contract],
    done: str,
    form_class: type[forms.Form] | None = None,
    form_name: str = "",
) -> HttpResponse:
    """Parse the move's form, let the service decide, and say what happened or why not."""
    contract = contract_or_404(request, pk)
    extra: dict[str, Any] = {}
    values: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST, prefix=form_name)
        extra[f"{form_name}_form"] = form
        if not form.is_valid():
            try:
                # A role that changes no contract (a delegate, an officer) is refused (403), not corrected.
                require_contract_writer(user=request.user, enterprise=contract.enterprise)
            except NotAllowed as refusal:
                refused = {"message": str(refusal.message)}
                return _page(request, contract, status=refusal.status_code, move_error=refused, **extra)
            error = {"message": _("Nothing was recorded: see the fields marked below.")}
            return _page(request, contract, status=400, move_error=error, **extra)
        values = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    try:
        act(user=request.user, contract=contract, **values)
    except TermsBelowFloor as refusal:
        # The service lists each shortfall by clause reference and parameter name; the check on the
        # page lists them by printed article and wording, so say only what stops the move.
        below: dict[str, Any] = {
            "message": _("Terms below the statutory floor must be raised before the congress votes."),
            "rule": RuleRef(rule="R14", pack=contract.enterprise.rule_pack).as_dict(),
        }
        return _page(request, contract, status=refusal.status_code, move_error=below, **extra)
    except DomainError as refusal:
        contract.refresh_from_db()
        return _page(request, contract, status=refusal.status_code, move_error=domain_error(refusal), **extra)
    messages.success(request, done)
    return redirect(reverse("contracts:contract", args=[pk]) + "#moves")


@login_required
@require_POST
def contract_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        act=lifecycle.contract_submit_to_congress,
        done=_("The draft is before the workers' congress."),
    )


@login_required
@require_POST
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, act=lifecycle.contract_sign, done=_("Your signature is recorded."))


@login_required
@require_POST
def contract_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        act=lifecycle.contract_file,
        done=_("The filing with the labour administration is recorded."),
        form_class=FileForm,
        form_name="file",
    )


@login_required
@require_POST
def contract_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        act=lifecycle.contract_record_receipt,
        done=_("The administration's receipt is recorded; the review period runs from it."),
        form_class=ReceiptForm,
        form_name="receipt",
    )


@login_required
@require_POST
def contract_objection(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        act=lifecycle.contract_record_objection,
        done=_("The objection is recorded; the contract is a draft again, to be renegotiated."),
        form_class=ObjectionForm,
        form_name="objection",
    )


urlpatterns = [
    path("contracts/", contract_index, name="index"),
    path("contracts/<int:pk>/", contract_page, name="contract"),
    path("contracts/<int:pk>/submit/", contract_submit, name="contract_submit"),
    path("contracts/<int:pk>/sign/", contract_sign, name="contract_sign"),
    path("contracts/<int:pk>/file/", contract_file, name="contract_file"),
    path("contracts/<int:pk>/receipt/", contract_receipt, name="contract_receipt"),
    path("contracts/<int:pk>/objection/", contract_objection, name="contract_objection"),
    *contract_clauses.urlpatterns,
]
