"""What compliance hands to contract documents: a breach as a rectification notice states it
(``contracts.documents.breach_records``), registered in ``ContractsConfig.ready``."""

import datetime as dt
from typing import Any

from contracts.articles import clause_article
from contracts.compliance.models import Breach
from contracts.rules.terms import TERM_KINDS, term_rule


class BreachRecordsFromDatabase:
    def breach_exists(self, *, contract_id: int, breach_id: int) -> bool:
        return Breach.objects.filter(pk=breach_id, contract_id=contract_id).exists()

    def notice_facts(self, *, contract_id: int, breach_id: int) -> dict[str, Any]:
        """The term, period, people and shortfall (the integer kept in its unit, worded by the notice
        as every page words it), and the article that holds the clause as the contract prints it."""
        breach = Breach.objects.select_related("contract").filter(pk=breach_id, contract_id=contract_id).first()
        if breach is None:
            raise LookupError(f"no breach {breach_id} of contract {contract_id}")
        term = TERM_KINDS[breach.term_kind].label if breach.term_kind in TERM_KINDS else breach.term_kind
        return {
            "term": str(term),
            "clause": breach.clause_number,
            "clause_article": clause_article(breach.contract, breach.clause_number),
            "period": breach.period,
            "affected": breach.affected_count,
            "shortfall": breach.total_shortfall,
            "unit": breach.unit,
            "rule": term_rule(breach.term_kind),
        }

    def last_checked_at(self, *, contract_id: int, breach_id: int) -> dt.datetime | None:
        return (
            Breach.objects.filter(pk=breach_id, contract_id=contract_id)
            .values_list("last_run__finished_at", flat=True)
            .first()
        )
