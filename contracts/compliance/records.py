"""What compliance hands to contract documents: a breach as a rectification notice states it
(``contracts.documents.breach_records``), registered in ``ContractsConfig.ready``."""

import datetime as dt
from typing import Any

from contracts.compliance.models import Breach
from contracts.rules.terms import TERM_KINDS, term_rule
from contracts.rules.terms.payroll import UNIT_FEN
from contracts.rules.units import quantity_text, unit_amount


class BreachRecordsFromDatabase:
    def breach_exists(self, *, contract_id: int, breach_id: int) -> bool:
        return Breach.objects.filter(pk=breach_id, contract_id=contract_id).exists()

    def notice_facts(self, *, contract_id: int, breach_id: int) -> dict[str, Any]:
        """The term, period, people and shortfall, in the active language."""
        breach = Breach.objects.filter(pk=breach_id, contract_id=contract_id).first()
        if breach is None:
            raise LookupError(f"no breach {breach_id} of contract {contract_id}")
        term = TERM_KINDS[breach.term_kind].label if breach.term_kind in TERM_KINDS else breach.term_kind
        # Money stays a number, printed under the notice's amount-in-yuan label; other units are worded.
        shortfall: Any = (
            unit_amount(breach.total_shortfall, breach.unit)
            if breach.unit == UNIT_FEN
            else quantity_text(breach.total_shortfall, breach.unit)
        )
        return {
            "term": f"{breach.clause_number} · {term}",
            "period": breach.period,
            "affected": breach.affected_count,
            "shortfall": shortfall,
            "rule": term_rule(breach.term_kind),
        }

    def last_checked_at(self, *, contract_id: int, breach_id: int) -> dt.datetime | None:
        return (
            Breach.objects.filter(pk=breach_id, contract_id=contract_id)
            .values_list("last_run__finished_at", flat=True)
            .first()
        )
