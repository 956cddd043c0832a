"""The breaches of the user's enterprises: a heat map of term × period (each cell the employees
affected, a link to the list of its breaches) over the list, both narrowed by enterprise, contract, status,
and from a cell or an import by term, period and import; the list as CSV."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from config import limits
from contracts import selectors as contract_selectors
from contracts.articles import article_label
from contracts.compliance.exports import CSV_CONTENT_TYPE, breach_list_csv
from contracts.compliance.heatmap import HeatMap, breach_heatmap
from contracts.compliance.models import BreachStatus
from contracts.compliance.pages.shared import page_links, page_of, query, require_reader
from contracts.compliance.selectors import (
    BreachFilters,
    breach_list_filtered,
    clause_articles,
    compliance_enterprise_list,
    payroll_import_list,
)
from contracts.compliance.services.breaches import breach_shortfall_text
from contracts.enterprises.models import Enterprise
from contracts.models import Contract
from contracts.rules.terms import TERM_KIND_CHOICES, TERM_KINDS

PER_PAGE = 100
EXPORT_LIMIT = 50_000  # breaches in one CSV


class ContractChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        return f"{obj.title} · {obj.enterprise.name}"


class BreachFilterForm(forms.Form):
    """What the heat map and the list are narrowed to; every field may stay blank (all)."""

    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), required=False, label=_("Enterprise"), empty_label=_("All enterprises")
    )
    contract = ContractChoice(
        queryset=Contract.objects.none(), required=False, label=_("Contract"), empty_label=_("All contracts")
    )
    status = forms.ChoiceField(
        choices=[("", _("All statuses")), *BreachStatus.choices], required=False, label=_("Status")
    )
    term = forms.ChoiceField(
        choices=[("", _("All commitments")), *TERM_KIND_CHOICES], required=False, label=_("Commitment")
    )
    period = forms.RegexField(regex=r"^\d{4}(-\d{2})?$", required=False, widget=forms.HiddenInput)
    payroll_import = forms.IntegerField(required=False, min_value=1, max_value=limits.ID_MAX, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = compliance_enterprise_list(user=user)
        enterprise, contract = self.fields["enterprise"], self.fields["contract"]
        assert isinstance(enterprise, forms.ModelChoiceField) and isinstance(contract, forms.ModelChoiceField)
        enterprise.queryset = visible.order_by("name")
        contract.queryset = (
            contract_selectors.contract_list(user=user)
            .filter(enterprise__in=visible, breaches__isnull=False)
            .select_related("enterprise")
            .distinct()
            .order_by("enterprise__name", "-term_start", "title")
        )

    def filters(self) -> BreachFilters:
        """The filters the valid fields ask for (a field that does not validate counts as blank)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        enterprise, contract = data.get("enterprise"), data.get("contract")
        return BreachFilters(
            enterprise=enterprise.pk if enterprise else None,
            contract=contract.pk if contract else None,
            status=data.get("status") or None,
            term_kind=data.get("term") or None,
            period=data.get("period") or None,
            payroll_import=data.get("payroll_import"),
        )


def _cell_link(request, cell) -> str:
    """The list of the cell's breaches: the page's filters narrowed to its term and period."""
    return reverse("contracts:breaches") + query(request, term=cell.term_kind, period=cell.period, page=None) + "#list"


def _chart(request, heatmap: HeatMap) -> dict[str, Any]:
    """What static/pages/heatmap.js draws: the same grid as the table, each cell with its link."""
    return {
        "columns": heatmap.columns,
        "rows": [row.heading for row in heatmap.rows],
        "cells": [
            {"value": [x, y, cell.affected], "url": _cell_link(request, cell), "breaches": cell.breaches}
            for y, row in enumerate(heatmap.rows)
            for x, cell in enumerate(row.cells)
            if cell is not None
        ],
        "max": heatmap.max_affected,
        "affected": _t("employees affected"),
    }


def _grid(request, heatmap: HeatMap) -> list[tuple[Any, list[tuple[Any, str]]]]:
    """The table's rows: each row with its cells and their links."""
    return [(row, [(cell, _cell_link(request, cell) if cell else "") for cell in row.cells]) for row in heatmap.rows]


def breach_rows(breaches) -> list[dict[str, Any]]:
    """The list's rows as people read them: printed article, commitment, shortfall in its unit."""
    breaches = list(breaches)
    numbers = clause_articles({breach.contract_id for breach in breaches})
    labels = {code: kind.label for code, kind in TERM_KINDS.items()}
    return [
        {
            "breach": breach,
            "article": article_label(n) if (n := numbers.get((breach.contract_id, breach.clause_number))) else "",
            "term": labels.get(breach.term_kind, breach.term_kind),
            "shortfall": breach_shortfall_text(breach),
        }
        for breach in breaches
    ]


@login_required
def breach_index(request):
    require_reader(request)
    form = BreachFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    breaches = breach_list_filtered(user=request.user, filters=filters)
    heatmap = breach_heatmap(breaches=breaches)
    listed = page_of(
        request,
        breaches.select_related("contract", "enterprise", "clause").order_by("status", "-total_shortfall", "pk"),
        PER_PAGE,
    )
    payroll = (
        payroll_import_list(user=request.user).filter(pk=filters.payroll_import).first()
        if filters.payroll_import
        else None
    )
    return render(
        request,
        "contracts/breaches.html",
        {
            "form": form,
            "filters": filters,
            "period_filter": filters.period,
            "payroll": payroll,
            "heatmap": heatmap,
            "grid": _grid(request, heatmap),
            "chart": _chart(request, heatmap),
            "page": listed,
            "rows": breach_rows(listed.object_list),
            "list_pages": page_links(request, listed, reverse("contracts:breaches")),
            "query": query(request, page=None),
            "without_period": reverse("contracts:breaches") + query(request, period=None, page=None),
            "without_import": reverse("contracts:breaches") + query(request, payroll_import=None, page=None),
        },
    )


@login_required
def breaches_export(request):
    """The breaches the page shows (the same filters), as a CSV file."""
    require_reader(request)
    filters = BreachFilterForm(request.GET or None, user=request.user).filters()
    breaches = (
        breach_list_filtered(user=request.user, filters=filters)
        .select_related("contract", "enterprise", "clause")
        .order_by("enterprise__name", "contract__title", "term_kind", "period", "pk")[:EXPORT_LIMIT]
    )
    response = HttpResponse(breach_list_csv(breaches=breaches), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="breaches.csv"'
    return response


urlpatterns = [
    path("breaches/", breach_index, name="breaches"),
    path("breaches/export.csv", breaches_export, name="breaches_export"),
]
