"""The articles of a contract as it is printed: chapters in the order of PCC Art. 8 (the order of
``ClauseCategory``), each chapter's clauses in their own order, and the articles numbered 1..n
down that printed order (第一条, 第二条 …). The document, the contract page, alerts and
rectification notices all number a clause from here, so each says the same 第N条.

A clause's stored ``number`` is the negotiators' own reference to it (what the API and the
compliance findings key it by); people read the printed article.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, pgettext

from contracts.rules.terms import ClauseCategory

NUMERALS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 20 → 二十, 101 → 一百零一, 110 → 一百一十 (1 to 999; other numbers as digits)."""
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    text = NUMERALS[hundreds] + "百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else NUMERALS[tens]) + "十"
    elif hundreds and units:
        text += "零"
    return text + (NUMERALS[units] if units else "")


def article_label(n: int) -> str:
    """Article ``n`` as the active language prints it: 第四条, "Article 4"."""
    if (get_language() or "").startswith("zh"):
        return f"第{chinese_numeral(n)}条"
    return pgettext("an article of a contract, by its number", "Article %(n)s") % {"n": n}


@dataclass(frozen=True)
class Article:
    n: int
    category: str
    clause: Any  # a Clause, or a clause of a snapshot (a dict)

    @property
    def label(self) -> str:
        return article_label(self.n)


def _field(clause: Any, name: str) -> Any:
    return clause.get(name) if isinstance(clause, Mapping) else getattr(clause, name)


def printed_order(clauses: Iterable[Any]) -> list[Article]:
    """``clauses`` (models or snapshot dicts, in their own order) as they are printed, numbered."""
    chapters: dict[str, list[Any]] = {code: [] for code in ClauseCategory.values}
    for clause in clauses:
        category = _field(clause, "category")
        chapters[category if category in chapters else ClauseCategory.OTHER].append(clause)
    printed = [(category, clause) for category, members in chapters.items() for clause in members]
    return [Article(n, category, clause) for n, (category, clause) in enumerate(printed, start=1)]


def article_numbers(clauses: Iterable[Any]) -> dict[str, int]:
    """Each clause's stored number -> its printed article number."""
    return {str(_field(article.clause, "number")): article.n for article in printed_order(clauses)}


def clause_article(contract, clause_number: str) -> int | None:
    """The printed article number of the contract's clause ``clause_number`` (None once it is gone)."""
    return article_numbers(contract.clauses.only("number", "category", "position")).get(str(clause_number))
