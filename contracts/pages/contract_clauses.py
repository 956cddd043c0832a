"""A draft's clauses in the workspace: add one, edit one and its typed terms in place (htmx)
or on a page of its own (without script), remove one. The lifecycle services (``clause_add``,
``clause_update``, ``clause_delete``, the same the API calls) decide; a refusal is shown where
the form is."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import retarget

from config.errors import DomainError
from config.pages import domain_error
from contracts.articles import article_label, article_numbers, printed_order
from contracts.models import Clause, Contract
from contracts.pages.contract_forms import clause_forms, form_id
from contracts.pages.contract_workspace import clause_or_404, clause_view, contract_or_404, workspace_context
from contracts.services.contract_moves import contract_moves
from contracts.services.lifecycle import clause_add, clause_delete, clause_update


def _form_context(request, contract, clause, form, terms, *, error=None) -> dict[str, Any]:
    numbers = article_numbers(contract.clauses.all())
    return {
        "editable": contract_moves(contract, request.user)["edit"].possible,
        "form_id": form_id(clause),
        "inline": bool(request.htmx),
        "contract": contract,
        "clause": clause,
        "article": article_label(numbers[clause.number]) if clause and clause.number in numbers else "",
        "form": form,
        "terms": terms,
        "error": error,
    }


def _render_form(request, contract, clause, form, terms, *, error=None, status=200) -> HttpResponse:
    """The clause form alone (htmx, in place) or on a page of its own."""
    context = _form_context(request, contract, clause, form, terms, error=error)
    if request.htmx:
        response = render(request, "contracts/contract/_clause_form.html", context, status=status)
        if request.method == "POST":
            # A refusal redraws the form where it stands, not the workspace the form aims at.
            return retarget(response, f"#{form_id(clause)}")
        return response
    return render(request, "contracts/contract/clause_form.html", context, status=status)


def _done(request, contract: Contract, notice: str, anchor: str = "clauses") -> HttpResponse:
    """After a change: the workspace redrawn (htmx) or the page again, at the clause."""
    if request.htmx:
        contract.refresh_from_db()
        return render(
            request, "contracts/contract/_workspace.html", workspace_context(request, contract, notice=notice)
        )
    messages.success(request, notice)
    return redirect(reverse("contracts:contract", args=[contract.pk]) + f"#{anchor}")


def _save(request, contract: Contract, clause: Clause | None) -> HttpResponse:
    form, terms = clause_forms(contract, clause, data=request.POST)
    form_ok, terms_ok = form.is_valid(), terms.is_valid()
    if not (form_ok and terms_ok):
        error = {"message": _("The clause was not saved: see the fields marked below.")}
        return _render_form(request, contract, clause, form, terms, error=error, status=400)
    data = form.cleaned_data
    fields = {
        "number": data["number"].strip(),
        "category": data["category"],
        "title": data["title"],
        "text": data["text"],
        "terms": terms.terms(),
    }
    try:
        if clause is None:
            saved = clause_add(user=request.user, contract=contract, **fields)
        else:
            saved = clause_update(user=request.user, clause=clause, **fields)
    except DomainError as refusal:
        return _render_form(
            request, contract, clause, form, terms, error=domain_error(refusal), status=refusal.status_code
        )
    label = article_label(article_numbers(contract.clauses.all())[saved.number])
    notice = (_("%(article)s is added.") if clause is None else _("%(article)s is saved.")) % {"article": label}
    return _done(request, contract, notice, anchor=f"clause-{saved.pk}")


@login_required
@require_GET
def clause_new(request, pk: int) -> HttpResponse:
    """The form for a new clause (its terms those of the chapter chosen)."""
    contract = contract_or_404(request, pk)
    form, terms = clause_forms(contract, None, values=request.GET)
    return _render_form(request, contract, None, form, terms)


@login_required
@require_POST
def clause_add_view(request, pk: int) -> HttpResponse:
    return _save(request, contract_or_404(request, pk), None)


@login_required
@require_GET
def clause_edit(request, pk: int, clause_id: int) -> HttpResponse:
    """The clause as a form: in place (htmx) or on its own page."""
    contract = contract_or_404(request, pk)
    clause = clause_or_404(contract, clause_id)
    form, terms = clause_forms(contract, clause, values=request.GET)
    return _render_form(request, contract, clause, form, terms)


@login_required
@require_GET
def clause_show(request, pk: int, clause_id: int) -> HttpResponse:
    """One printed article: in place of its form (htmx, "cancel"), or on a page of its own."""
    contract = contract_or_404(request, pk)
    clause = clause_or_404(contract, clause_id)
    entry = next(entry for entry in printed_order(contract.clauses.all()) if entry.clause.pk == clause.pk)
    context = {
        "contract": contract,
        "item": clause_view(entry),
        "editable": contract_moves(contract, request.user)["edit"].possible,
    }
    template = "contracts/contract/_clause.html" if request.htmx else "contracts/contract/clause.html"
    return render(request, template, context)


@login_required
@require_POST
def clause_update_view(request, pk: int, clause_id: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    return _save(request, contract, clause_or_404(contract, clause_id))


@login_required
@require_POST
def clause_delete_view(request, pk: int, clause_id: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    clause = clause_or_404(contract, clause_id)
    label = article_label(article_numbers(contract.clauses.all())[clause.number])
    try:
        clause_delete(user=request.user, clause=clause)
    except DomainError as refusal:
        form, terms = clause_forms(contract, clause)
        return _render_form(
            request, contract, clause, form, terms, error=domain_error(refusal), status=refusal.status_code
        )
    title = f"{label} {clause.title}".strip()
    return _done(request, contract, _("%(article)s is removed.") % {"article": title})


urlpatterns = [
    path("contracts/<int:pk>/clauses/new/", clause_new, name="clause_new"),
    path("contracts/<int:pk>/clauses/add/", clause_add_view, name="clause_add"),
    path("contracts/<int:pk>/clauses/<int:clause_id>/", clause_show, name="clause"),
    path("contracts/<int:pk>/clauses/<int:clause_id>/edit/", clause_edit, name="clause_edit"),
    path("contracts/<int:pk>/clauses/<int:clause_id>/update/", clause_update_view, name="clause_update"),
    path("contracts/<int:pk>/clauses/<int:clause_id>/delete/", clause_delete_view, name="clause_delete"),
]
