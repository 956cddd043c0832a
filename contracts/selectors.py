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
