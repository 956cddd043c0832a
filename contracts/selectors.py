"""Reads of contracts shared by the API and the pages; each applies the user's visibility."""

from typing import Any

from django.db.models import QuerySet

from contracts.enterprises.access import enterprise_list
from contracts.history import history_entries
from contracts.models import Clause, Contract


def contract_list(*, user) -> QuerySet[Contract]:
    """The contracts of the enterprises the user holds a role in."""
    return Contract.objects.filter(enterprise__in=enterprise_list(user=user)).select_related(
        "enterprise", "union_chief", "employer_chief"
    )


def contract_history(*, contract: Contract) -> list[dict[str, Any]]:
    """Who changed what and when, in the contract and its clauses."""
    return history_entries([Contract.history.filter(id=contract.pk), Clause.history.filter(contract_id=contract.pk)])


def contract_snapshot(contract: Contract) -> dict[str, Any]:
    """The contract and its clauses as JSON values, as a version keeps them and documents print them."""
    return {
        "contract": {
            "title": contract.title,
            "kind": contract.kind,
            "status": contract.status,
            "term_start": contract.term_start.isoformat(),
            "term_end": contract.term_end.isoformat(),
        },
        "clauses": [
            {
                "id": clause.pk,
                "number": clause.number,
                "category": clause.category,
                "title": clause.title,
                "text": clause.text,
                "terms": clause.terms,
            }
            for clause in contract.clauses.order_by("position", "id")
        ],
    }
