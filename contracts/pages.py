"""Web pages for contracts: the same selectors and services as the API."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from contracts import selectors
from contracts.access import enterprise_list
from contracts.compliance.parsing.problems import problem_reason
from contracts.models import Breach, Enterprise, ImportStatus, PayrollImport
from contracts.services.breaches import breach_shortfall_text
from contracts.services.draft_check import contract_draft_check
from contracts.services.lifecycle import contract_deadlines
from contracts.services.payroll import payroll_import_upload
from contracts.services.versions import version_change_text
from contracts.terms import TERM_KINDS, ClauseCategory


@login_required
def contract_index(request):
    return render(request, "contracts/index.html", {"contracts": selectors.contract_list(user=request.user)})


@login_required
def contract_page(request, pk: int):
    contract = get_object_or_404(selectors.contract_list(user=request.user).prefetch_related("clauses"), pk=pk)
    labels = dict(ClauseCategory.choices)
    return render(
        request,
        "contracts/contract.html",
        {
            "contract": contract,
            "clauses": [(clause, labels[clause.category]) for clause in contract.clauses.all()],
            "deadlines": contract_deadlines(contract),
            "check": contract_draft_check(contract=contract) if contract.status == "draft" else None,
            "breaches": contract.breaches.order_by("-period", "term_kind")[:100],
            "versions": [
                (version, version_change_text(version))
                for version in contract.versions.select_related("created_by").order_by("-number")[:20]
            ],
        },
    )


@login_required
def breach_index(request):
    breaches = (
        Breach.objects.filter(enterprise__in=enterprise_list(user=request.user))
        .select_related("contract", "enterprise")
        .order_by("status", "-total_shortfall")
    )
    labels = {code: kind.label for code, kind in TERM_KINDS.items()}
    return render(
        request,
        "contracts/breaches.html",
        {
            "breaches": [
                (breach, labels.get(breach.term_kind, breach.term_kind), breach_shortfall_text(breach))
                for breach in breaches[:500]
            ]
        },
    )


class PayrollUploadForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("Enterprise"))
    file = forms.FileField(label=_("Payroll file (CSV or XLSX)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprise_list(user=user)


@login_required
def payroll_index(request):
    form = PayrollUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            payroll_import_upload(
                user=request.user, enterprise=form.cleaned_data["enterprise"], upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("contracts:payroll")
    imports = PayrollImport.objects.filter(enterprise__in=enterprise_list(user=request.user)).select_related(
        "enterprise"
    )[:50]
    busy = any(payroll.status in (ImportStatus.PENDING, ImportStatus.PROCESSING) for payroll in imports)
    for payroll in imports:
        payroll.problems = [{**problem, "reason": problem_reason(problem)} for problem in payroll.problems]
    return render(request, "contracts/payroll.html", {"form": form, "imports": imports, "refresh": busy})
