"""Pages of payroll compliance: uploading payroll, the breaches found. The same selectors
and services as the API."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from contracts.compliance.models import ImportStatus
from contracts.compliance.parsing.problems import problem_reason
from contracts.compliance.selectors import breach_list, compliance_enterprise_list, payroll_import_list
from contracts.compliance.services.breaches import breach_shortfall_text
from contracts.compliance.services.imports import payroll_import_upload
from contracts.enterprises.models import Enterprise
from contracts.rules.terms import TERM_KINDS


def _require_reader(request) -> None:
    """Compliance pages are for who may read an enterprise's payroll compliance (403 otherwise)."""
    if not compliance_enterprise_list(user=request.user).exists():
        raise PermissionDenied(_("Payroll and breaches are read by negotiators, union leaders and administrators."))


@login_required
def breach_index(request):
    _require_reader(request)
    breaches = (
        breach_list(user=request.user).select_related("contract", "enterprise").order_by("status", "-total_shortfall")
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
        enterprise = self.fields["enterprise"]
        assert isinstance(enterprise, forms.ModelChoiceField)
        enterprise.queryset = compliance_enterprise_list(user=user)


@login_required
def payroll_index(request):
    _require_reader(request)
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
    imports = payroll_import_list(user=request.user).select_related("enterprise")[:50]
    busy = any(payroll.status in (ImportStatus.PENDING, ImportStatus.PROCESSING) for payroll in imports)
    for payroll in imports:
        payroll.problems = [{**problem, "reason": problem_reason(problem)} for problem in payroll.problems]
    return render(request, "contracts/payroll.html", {"form": form, "imports": imports, "refresh": busy})


def breach_page(request, pk: int):
    """Placeholder until the breach page is built in this step."""
    from django.http import HttpResponse

    return HttpResponse(status=501)


urlpatterns = [
    path("breaches/", breach_index, name="breaches"),
    path("breaches/<int:pk>/", breach_page, name="breach"),
    path("payroll/", payroll_index, name="payroll"),
]
