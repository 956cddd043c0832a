"""Web pages for contracts: the same selectors and services as the API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from contracts import selectors
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from contracts.services.draft_check import contract_draft_check
from contracts.services.lifecycle import contract_deadlines
from contracts.services.versions import version_change_text


@login_required
def contract_index(request):
    return render(request, "contracts/index.html", {"contracts": selectors.contract_list(user=request.user)})


@login_required
def contract_page(request, pk: int):
    contract = get_object_or_404(selectors.contract_list(user=request.user).prefetch_related("clauses"), pk=pk)
    labels = dict(ClauseCategory.choices)
    kinds = {code: kind.label for code, kind in TERM_KINDS.items()}
    return render(
        request,
        "contracts/contract.html",
        {
            "contract": contract,
            "clauses": [
                (clause, labels[clause.category], _terms_worded(clause.terms)) for clause in contract.clauses.all()
            ],
            "deadlines": contract_deadlines(contract),
            "check": contract_draft_check(contract=contract) if contract.status == "draft" else None,
            "breaches": [
                (breach, kinds.get(breach.term_kind, breach.term_kind))
                for breach in contract.breaches.order_by("-period", "term_kind")[:100]
            ],
            "versions": [
                (version, version_change_text(version))
                for version in contract.versions.select_related("created_by").order_by("-number")[:20]
            ],
        },
    )


def _terms_worded(terms: list[dict]) -> list[str]:
    """A clause's typed terms as a person reads them ("月基本工资不低于 2850 元")."""
    return [TERM_KINDS[term["kind"]].describe(term["params"]) for term in terms if term.get("kind") in TERM_KINDS]


urlpatterns = [
    path("contracts/", contract_index, name="index"),
    path("contracts/<int:pk>/", contract_page, name="contract"),
]
