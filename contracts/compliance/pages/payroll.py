"""Payroll in pages: the upload (kept byte for byte, checked all-or-nothing in the background),
the imports with their progress while they are checked, and each import's page: its facts, a
rejected file's problems cell by cell, an accepted one's runs and the breaches they found."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_htmx.http import HttpResponseClientRefresh

from config.errors import DomainError
from config.limits import file_name_shortened
from config.private_files import private_file_response
from config.uploads import upload_refusal
from contracts.compliance.pages.breaches import breach_rows
from contracts.compliance.pages.shared import page_links, page_of, require_reader
from contracts.compliance.parsing.problems import problem_reason
from contracts.compliance.selectors import (
    compliance_enterprise_list,
    payroll_import_breaches,
    payroll_import_busy,
    payroll_import_list,
    payroll_import_rows,
)
from contracts.compliance.services.imports import PAYROLL_ROLES, payroll_import_upload
from contracts.enterprises.access import enterprise_list
from contracts.enterprises.models import Enterprise

IMPORTS_SHOWN = 50
PROBLEMS_PER_PAGE = 100
BREACHES_SHOWN = 200


class PayrollUploadForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("Enterprise"))
    file = forms.FileField(label=_("Payroll file (CSV or XLSX)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enterprise = self.fields["enterprise"]
        assert isinstance(enterprise, forms.ModelChoiceField)
        enterprise.queryset = compliance_enterprise_list(user=user).filter(
            pk__in=enterprise_list(user=user, roles=PAYROLL_ROLES)
        )
        if len(choices := list(enterprise.queryset[:2])) == 1:
            enterprise.initial = choices[0].pk  # the only one the user uploads for

    def clean_file(self):
        # A name over 255 bytes broke the stored path (a 500): cut it, keeping the extension.
        upload = self.cleaned_data["file"]
        upload.name = file_name_shortened(upload.name or "")
        return upload


UPLOAD_REFUSED = _("Payroll files are uploaded by the negotiators, union leaders and administrators of an enterprise.")


@login_required
@never_cache
def payroll_index(request):
    """The upload form and the imports; while one is being checked the list asks again (htmx)."""
    require_reader(request)
    imports = list(payroll_import_rows(user=request.user)[:IMPORTS_SHOWN])
    busy = any(payroll_import_busy(payroll) for payroll in imports)
    if request.htmx and request.htmx.target == "imports-box" and request.method == "GET":
        return render(request, "contracts/compliance/_imports.html", {"imports": imports, "busy": busy})
    form = PayrollUploadForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    refused = upload_refusal(request) if request.method == "POST" else None
    if refused is not None:  # too large: its file was never read (config/uploads.py)
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error(None, str(refused.message))
        status = refused.status_code
    elif request.method == "POST":
        if not form.fields["enterprise"].queryset.exists():  # type: ignore[attr-defined]
            # Reads payroll but uploads none (a federation officer): refused whatever was sent.
            form = PayrollUploadForm(request.POST, request.FILES, user=request.user)  # bound, even when empty
            form.is_valid()
            form.add_error(None, str(UPLOAD_REFUSED))
            status = 403
        elif form.is_valid():
            try:
                payroll = payroll_import_upload(
                    user=request.user, enterprise=form.cleaned_data["enterprise"], upload=form.cleaned_data["file"]
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
                status = error.status_code
            else:
                return redirect(reverse("contracts:payroll") + f"#import-{payroll.pk}")
        else:
            status = 400
    may_upload = form.fields["enterprise"].queryset.exists()  # type: ignore[attr-defined]
    return render(
        request,
        "contracts/payroll.html",
        {"form": form, "may_upload": may_upload, "imports": imports, "busy": busy},
        status=status,
    )


@login_required
@never_cache
def payroll_import_page(request, pk: int):
    """One import: its facts; a rejected file's problems; an accepted one's runs and breaches."""
    # No require_reader: the selector hides what the user may not read, so its id is a 404.
    payroll = get_object_or_404(payroll_import_rows(user=request.user), pk=pk)
    busy = payroll_import_busy(payroll)
    if request.htmx and request.htmx.target == "import-facts":
        if not busy:
            return HttpResponseClientRefresh()  # done: the whole page now shows what it found
        return render(request, "contracts/compliance/_import_facts.html", {"payroll": payroll, "busy": busy})
    problems = page_of(request, payroll.problems, PROBLEMS_PER_PAGE)
    runs = payroll.compliance_runs.select_related("contract").order_by("contract__title", "pk")
    breaches = (
        payroll_import_breaches(user=request.user, payroll_import=payroll)
        .select_related("contract", "enterprise", "clause")
        .order_by("contract__title", "term_kind", "period", "pk")
    )
    return render(
        request,
        "contracts/compliance/payroll_import.html",
        {
            "payroll": payroll,
            "busy": busy,
            "problems": problems,
            "problem_rows": [{**problem, "reason": problem_reason(problem)} for problem in problems.object_list],
            "problem_pages": page_links(request, problems, reverse("contracts:payroll_import", args=[payroll.pk])),
            "problems_kept": len(payroll.problems),
            "runs": runs,
            "breach_rows": breach_rows(breaches[:BREACHES_SHOWN]),
            "breaches_total": getattr(payroll, "breach_total", 0),  # annotated by payroll_import_rows
            "breaches_url": reverse("contracts:breaches") + f"?payroll_import={payroll.pk}",
        },
    )


@never_cache
def payroll_import_file(request, pk: int):
    """The uploaded file back, byte for byte, under the name it was uploaded as: only to a user who may
    read the enterprise's payroll; anyone else, anonymous included, gets the same 404 as for no import."""
    if not request.user.is_authenticated:
        raise Http404
    payroll = get_object_or_404(payroll_import_list(user=request.user), pk=pk)
    return private_file_response(payroll.file, payroll.original_name or "payroll")


urlpatterns = [
    path("payroll/", payroll_index, name="payroll"),
    path("payroll/<int:pk>/", payroll_import_page, name="payroll_import"),
    path("payroll/<int:pk>/file/", payroll_import_file, name="payroll_import_file"),
]
