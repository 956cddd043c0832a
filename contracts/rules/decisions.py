"""A decision the system takes always names the rule and the article it applied, and says
when it rests on a year whose holiday schedule the State Council has not yet published."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contracts.rules.calendar.store import year_calendar
from contracts.rules.deadlines import Deadline

# Rule id -> the article it comes from (translatable, as people read it).
ARTICLES = {
    "R1": _("Provisions on Collective Contracts, Art. 32"),
    "R2": _("Provisions on Collective Contracts, Arts. 19–23 and 31"),
    "R3": _("Provisions on Collective Contracts, Art. 24"),
    "R4": _("Provisions on Collective Contracts, Arts. 33–34"),
    "R5": _("Provisions on Collective Contracts, Art. 35"),
    "R6": _("Provisions on Collective Contracts, Art. 36; Provisions on Democratic Management of Enterprises, Art. 20"),
    "R7": _("Provisions on Collective Contracts, Art. 37"),
    "R8": _("Provisions on Collective Contracts, Art. 42"),
    "R9": _("Provisions on Collective Contracts, Art. 47; Labour Contract Law, Art. 54"),
    "R10": _("Provisions on Collective Contracts, Art. 38"),
    "R11": _("Labour Law, Art. 41"),
    "R12": _("Labour Law, Art. 44"),
    "R13": _("Labour Law, Art. 48"),
    "R14": _("Labour Contract Law, Art. 55"),
    "R15": _("Regulations on Paid Annual Leave for Employees, Art. 3"),
    "R16": _("Civil Code, Arts. 201, 203 and 1259"),
    "R17": _("Special Provisions on Labour Protection of Female Employees, Arts. 6 and 9"),
    "R18": _("Interim Provisions on Wage Payment, Art. 7"),
    # Beyond SPEC §2's list: the statutory floor of maternity leave, checked on drafts.
    "R19": _("Special Provisions on Labour Protection of Female Employees, Art. 7"),
}


def article(rule_id: str) -> str:
    return str(ARTICLES[rule_id])


def provisional_note(year: int) -> str:
    """What people read beside a date counted on a year without the State Council's schedule."""
    return gettext(
        "Counted on the statutory holidays; to be confirmed once the State Council publishes the %(year)s schedule."
    ) % {"year": year}


def provisional_year(start: dt.date, end: dt.date) -> int | None:
    """The first year from ``start`` to ``end`` whose holiday schedule is not yet published."""
    for year in range(start.year, end.year + 1):
        if year_calendar(year).provisional:
            return year
    return None


def deadline_provisional_year(start: dt.date, deadline: Deadline) -> int | None:
    """The unpublished year a deadline counted after ``start`` relies on, or None when it relies on none."""
    if deadline.calendar_known:
        return None
    return provisional_year(start, deadline.due) or deadline.due.year


@dataclass(frozen=True)
class RuleRef:
    """The rule a decision applied, as the API and people see it."""

    rule: str
    pack: str
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    # The decision counts days of a year whose holiday schedule is not yet published: the year.
    provisional_year: int | None = None

    @property
    def provisional(self) -> bool:
        return self.provisional_year is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "article": article(self.rule),
            "pack": self.pack,
            "detail": str(self.detail),
            "params": self.params,
            "provisional": self.provisional,
            "provisional_note": provisional_note(self.provisional_year) if self.provisional_year else "",
        }
