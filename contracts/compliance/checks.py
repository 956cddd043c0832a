"""The compliance checks (SPEC §3): every term of a contract run over a payroll frame.

Each term kind's checker is a pure function declared with its kind
(``contracts.rules.terms.<kind>``): ``(payroll, params, *, context) -> findings``, where
``payroll`` is the canonical frame (``columns.py``), ``params`` the term's normalised
parameters and the findings have ``FINDING_COLUMNS`` in the kind's unit. Checkers read no
database and no file and never modify their inputs. This module runs them, sums findings
into breaches, and says which periods a run could judge at all.
"""

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from contracts.compliance import columns as C
from contracts.rules.terms import TERM_KINDS
from contracts.rules.terms.payroll import CheckContext, empty_findings, months_in_force

__all__ = ["CheckContext", "breach_summary", "columns_needed", "evaluated_periods", "months_in_force", "run_checks"]


def run_checks(
    payroll: pd.DataFrame, terms: Iterable[tuple[str | int, str, dict[str, Any]]], context: CheckContext
) -> pd.DataFrame:
    """Every term's findings, with its ``term_id``; an unknown kind is a programming error (KeyError)."""
    frames = []
    for term_id, kind, params in terms:
        found = TERM_KINDS[kind].check(payroll, params, context=context)
        frames.append(found.assign(**{C.TERM_ID: term_id})[list(C.RUN_FINDING_COLUMNS)])
    if not frames:
        return empty_findings().assign(**{C.TERM_ID: None})[list(C.RUN_FINDING_COLUMNS)]
    return pd.concat(frames, ignore_index=True)


def breach_summary(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per (term, period): affected count, total and worst shortfall (in the findings' unit)."""
    grouped = findings.groupby([C.TERM_ID, C.PERIOD, C.UNIT], sort=True, dropna=False)[C.SHORTFALL]
    # Named aggregations; typed Any so that mypy does not match them against agg's `engine` keyword.
    aggregations: dict[str, Any] = {C.AFFECTED: "size", C.TOTAL_SHORTFALL: "sum", C.WORST_SHORTFALL: "max"}
    summary = grouped.agg(**aggregations).reset_index()
    return summary[list(C.SUMMARY_COLUMNS)].astype(
        {C.AFFECTED: np.int64, C.TOTAL_SHORTFALL: np.int64, C.WORST_SHORTFALL: np.int64}
    )


# --- what a run could judge ------------------------------------------------------------


def columns_needed(kinds: Iterable[str]) -> set[str]:
    """The payroll columns the checks of ``kinds`` read (so a run reads no name or department)."""
    needed = {C.EMPLOYEE_ID, C.PERIOD, C.BASE_WAGE}
    for kind in kinds:
        for alternatives in TERM_KINDS[kind].columns if kind in TERM_KINDS else ():
            needed.update(alternatives)
    return needed


def evaluated_periods(payroll: pd.DataFrame, kind: str, params: dict[str, Any], context: CheckContext) -> set[str]:
    """The periods ("YYYY-MM", or "YYYY" for yearly checks) in which a run really judged ``kind``:
    no finding there means clean, not unknown. A kind whose columns are missing judged nothing,
    a yearly check only the calendar years whose twelve months are all in the file and in force."""
    needs = TERM_KINDS[kind].columns if kind in TERM_KINDS else ()
    if not needs or not all(set(alternatives) & set(payroll.columns) for alternatives in needs):
        return set()
    # The distinct months first (a hash pass), then which are in force: not a mask over every row.
    present = (int(month) for month in pd.unique(payroll[C.PERIOD].to_numpy()))
    months = np.array(sorted(m for m in present if context.periods is None or m in context.periods), dtype=np.int64)
    yearly = TERM_KINDS[kind].yearly(params)
    if not yearly:
        return {f"{m // 100:04d}-{m % 100:02d}" for m in months}
    years, counts = np.unique(months // 100, return_counts=True)
    return {f"{year:04d}" for year, count in zip(years, counts, strict=True) if count == 12}
