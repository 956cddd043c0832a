"""A decision the system takes always names the rule and the article it applied."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

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


@dataclass(frozen=True)
class RuleRef:
    """The rule a decision applied, as the API and people see it."""

    rule: str
    pack: str
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "article": article(self.rule),
            "pack": self.pack,
            "detail": str(self.detail),
            "params": self.params,
        }
