"""The breaches as a heat map: one row per term kind, one column per period (YYYY-MM, or YYYY
for a yearly term), each cell the employees affected in that term and period, summed over the
breaches in it. Read in three queries whatever the number of breaches."""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet, Sum
from django.utils.translation import get_language

from contracts.articles import article_label
from contracts.compliance.models import Breach
from contracts.compliance.selectors import clause_articles
from contracts.rules.terms import TERM_KINDS

LEVELS = 5  # shades of a cell, from a few employees affected to the most in the map
MAX_MONTHS_SPANNED = 60  # a longer span shows only the months that have breaches


@dataclass(frozen=True)
class HeatCell:
    term_kind: str
    period: str
    affected: int  # employees affected, summed over the cell's breaches
    breaches: int
    breach_id: int | None  # the cell's one breach; None when it holds several
    level: int  # 1 (lightest) .. LEVELS


@dataclass(frozen=True)
class HeatRow:
    term_kind: str
    label: str  # the term kind as people read it
    articles: str  # the printed articles of its clauses, when the map is of one contract
    cells: list[HeatCell | None]  # one per column, None where nothing was found

    @property
    def heading(self) -> str:
        return f"{self.articles} {self.label}" if self.articles else self.label


@dataclass(frozen=True)
class HeatMap:
    columns: list[str]
    rows: list[HeatRow]
    max_affected: int

    @property
    def cells(self) -> list[HeatCell]:
        return [cell for row in self.rows for cell in row.cells if cell is not None]


def _month_index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def _columns(periods: set[str]) -> list[str]:
    """Months in order, every month between the first and the last (unless that spans too many),
    and each year's column after its months."""
    months = sorted(period for period in periods if len(period) == 7)
    years = {period for period in periods if len(period) == 4}
    if months and _month_index(months[-1]) - _month_index(months[0]) < MAX_MONTHS_SPANNED:
        first, last = _month_index(months[0]), _month_index(months[-1])
        months = [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1)]
    return sorted([*months, *years], key=lambda period: (period[:4], len(period) == 4, period))


def _level(affected: int, most: int) -> int:
    return max(1, min(LEVELS, math.ceil(LEVELS * affected / most))) if most else 1


def _joined(labels) -> str:
    return ("、" if (get_language() or "").startswith("zh") else ", ").join(labels)


def breach_heatmap(*, breaches: QuerySet[Breach]) -> HeatMap:
    """The heat map of ``breaches`` (already narrowed to what the user may see and asked for)."""
    grouped = list(
        breaches.order_by()
        .values("term_kind", "period")
        .annotate(affected=Sum("affected_count"), count=Count("pk"), first=Min("pk"))
    )
    clauses = set(breaches.order_by().values_list("term_kind", "contract_id", "clause_number").distinct())
    contracts = {contract_id for _kind, contract_id, _number in clauses}
    articles: dict[str, set[int]] = defaultdict(set)
    if len(contracts) == 1:
        numbers = clause_articles(contracts)
        for kind, contract_id, number in clauses:
            if (contract_id, number) in numbers:
                articles[kind].add(numbers[(contract_id, number)])
    most = max((group["affected"] for group in grouped), default=0)
    columns = _columns({group["period"] for group in grouped})
    position = {period: index for index, period in enumerate(columns)}
    by_kind: dict[str, list[HeatCell | None]] = {}
    for group in grouped:
        cells = by_kind.setdefault(group["term_kind"], [None] * len(columns))
        cells[position[group["period"]]] = HeatCell(
            term_kind=group["term_kind"],
            period=group["period"],
            affected=group["affected"],
            breaches=group["count"],
            breach_id=group["first"] if group["count"] == 1 else None,
            level=_level(group["affected"], most),
        )
    order = {code: index for index, code in enumerate(TERM_KINDS)}
    rows = [
        HeatRow(
            term_kind=kind,
            label=str(TERM_KINDS[kind].label) if kind in TERM_KINDS else kind,
            articles=_joined(article_label(n) for n in sorted(articles.get(kind, ()))),
            cells=cells,
        )
        for kind, cells in sorted(by_kind.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    ]
    return HeatMap(columns=columns, rows=rows, max_affected=most)
