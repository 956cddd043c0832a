"""What a rectification notice needs from payroll compliance: the breach it is about.

The compliance room sits above the contract core (its breaches belong to contracts), so the
core never imports it or reads its tables. Compliance hands the facts over instead: it
registers a provider at start-up (``ContractsConfig.ready``), and the documents service asks
it whether a breach belongs to a contract, what a notice says of it, and when a run last
changed it. Without a provider a contract has no breaches to give notice of.
"""

import datetime as dt
from typing import Any, Protocol


class BreachRecords(Protocol):
    def breach_exists(self, *, contract_id: int, breach_id: int) -> bool:
        """Whether breach ``breach_id`` is one of contract ``contract_id``'s."""
        ...

    def notice_facts(self, *, contract_id: int, breach_id: int) -> dict[str, Any]:
        """What a notice says of the breach, in the active language: the keys of
        ``contracts.documents.context.BREACH_KEYS``: the shortfall as the integer kept in its
        ``unit`` (the notice words it), the clause's stored number and its printed article
        (``clause_article``); ``article`` may be left out."""
        ...

    def last_checked_at(self, *, contract_id: int, breach_id: int) -> dt.datetime | None:
        """When a compliance run last judged the breach (its figures may have changed then)."""
        ...


class _NoBreaches:
    def breach_exists(self, *, contract_id: int, breach_id: int) -> bool:
        return False

    def notice_facts(self, *, contract_id: int, breach_id: int) -> dict[str, Any]:
        raise LookupError(f"no breach {breach_id} of contract {contract_id}")

    def last_checked_at(self, *, contract_id: int, breach_id: int) -> dt.datetime | None:
        return None


_provider: BreachRecords = _NoBreaches()


def breach_records_register(provider: BreachRecords) -> None:
    """Called once at start-up by the room that keeps breaches."""
    global _provider
    _provider = provider


def breach_records() -> BreachRecords:
    return _provider
