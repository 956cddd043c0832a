"""What the contract workspace shows, read from the contract: its chapters and printed articles
with their terms worded, the draft check worded by article, the status timeline with each
deadline and its rule, and the moves the reader may make (``contract_moves``)."""

import datetime as dt
from itertools import groupby
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from contracts import selectors
from contracts.articles import Article, article_label, chinese_numeral, printed_order
from contracts.models import Clause, Contract, ContractStatus
from contracts.pages.contract_forms import FileForm, ObjectionForm, ReceiptForm, clause_forms
from contracts.rules.decisions import RuleRef
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from contracts.rules.terms.base import Input, number_text, period_text
from contracts.rules.terms.forms import UNITS
from contracts.services.contract_moves import contract_moves
from contracts.services.draft_check import contract_draft_check
from contracts.services.lifecycle import contract_deadlines
from contracts.services.versions import version_change_text

S = ContractStatus
STAGES = (S.DRAFT, S.IN_CONGRESS, S.APPROVED, S.SIGNED, S.FILED, S.EFFECTIVE, S.EXPIRED)
VERSIONS_SHOWN = 5
BREACHES_SHOWN = 50


def contract_or_404(request, pk: int) -> Contract:
    """The contract if the reader holds a role in its enterprise (another's is a 404)."""
    contracts = selectors.contract_list(user=request.user).select_related("enterprise", "union_chief", "employer_chief")
    return get_object_or_404(contracts, pk=pk)


def clause_or_404(contract: Contract, clause_id: int) -> Clause:
    return get_object_or_404(Clause.objects.select_related("contract__enterprise"), contract=contract, pk=clause_id)


def chapter_label(n: int) -> str:
    """Chapter ``n`` as the active language prints it: 第二章, "Chapter 2"."""
    if (get_language() or "").startswith("zh"):
        return f"第{chinese_numeral(n)}章"
    return pgettext("a chapter of a contract, by its number", "Chapter %(n)s") % {"n": n}


def terms_worded(terms: list[dict[str, Any]]) -> list[str]:
    """A clause's typed terms as a person reads them ("月基本工资不低于 2,850 元")."""
    return [TERM_KINDS[term["kind"]].describe(term["params"]) for term in terms if term.get("kind") in TERM_KINDS]


def clause_view(entry: Article) -> dict[str, Any]:
    clause = entry.clause
    return {"clause": clause, "article": entry.label, "n": entry.n, "terms": terms_worded(clause.terms)}


def contract_chapters(articles: list[Article]) -> list[dict[str, Any]]:
    """The printed articles grouped by chapter (the order of ``ClauseCategory``)."""
    chapters: list[dict[str, Any]] = []
    for category, members in groupby(articles, key=lambda entry: entry.category):
        chapters.append(
            {
                "number": chapter_label(len(chapters) + 1),
                "label": ClauseCategory(category).label,
                "clauses": [clause_view(entry) for entry in members],
            }
        )
    return chapters


def _amount(value: Any, param_input: str) -> str:
    try:
        number = number_text(value)
    except (ArithmeticError, ValueError, TypeError):
        number = str(value)
    unit = UNITS.get(param_input, "")
    if not unit:
        return number
    return f"{number}{unit}" if unit in ("%", "×") else f"{number} {unit}"


def shortfall_wording(item: dict[str, Any]) -> str:
    """A term below its floor, worded by its parameter's label and unit (no parameter codes)."""
    kind = TERM_KINDS[item["kind"]]
    if item["param"].startswith("tiers["):
        years = item["param"][len("tiers[") : -1]
        param_label = _("Annual leave after %(years)s years of service") % {"years": years}
        param_input = str(Input.DAYS)
    else:
        param = next((p for p in kind.params if p.name == item["param"]), None)
        param_label = str(param.label) if param is not None and param.label else str(kind.label)
        param_input = str(param.input) if param is not None else ""
    values = {
        "kind": kind.label,
        "param": param_label,
        "value": _amount(item["value"], param_input),
        "floor": _amount(item["floor"], param_input),
    }
    if item["rule"] == "R11":
        return _("%(kind)s: %(param)s %(value)s, but the law allows at most %(floor)s.") % values
    return _("%(kind)s: %(param)s %(value)s, but the law requires at least %(floor)s.") % values


def draft_problems(contract: Contract, articles: list[Article]) -> dict[str, Any]:
    """The draft check as the page shows it: each problem with its article and rule."""
    check = contract_draft_check(contract=contract)
    by_number = {str(entry.clause.number): entry for entry in articles}
    below = []
    for item in check["below_floor"]:
        entry = by_number.get(str(item["clause"]))
        below.append(
            {
                "article": entry.label if entry else "",
                "anchor": f"clause-{entry.clause.pk}" if entry else "",
                "message": shortfall_wording(item),
                "rule": item["rule"],
                "rule_article": item["article"],
            }
        )
    missing = [{"message": item["message"], "rule_article": item["article"]} for item in check["missing"]]
    return {
        "below_floor": below,
        "missing": missing,
        "complete": check["complete"],
        "can_submit": check["can_submit"],
        "fine": check["complete"] and check["can_submit"],
    }


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    """The day of ``moment`` where the enterprise is (the site's time zone), not in UTC."""
    return timezone.localtime(moment).date() if moment is not None else None


def _step(
    label: str,
    state: str,
    *,
    dates=(),
    rule: dict[str, Any] | None = None,
    note: str = "",
    late=False,
    open_now: str = "",
):
    return {
        "label": label,
        "state": state,
        "dates": [d for d in dates if d[1]],
        "rule": rule,
        "note": note,
        "late": late,
        "open_now": open_now,
    }


def contract_timeline(contract: Contract, deadlines: dict[str, Any], today: dt.date | None = None) -> list[dict]:
    """The contract's life, step by step: done, current or to come, with each deadline and its rule."""
    position = STAGES.index(contract.status) if contract.status in STAGES else 0
    pack = contract.enterprise.pack

    def state(stage: str) -> str:
        index = STAGES.index(stage)
        return "done" if position > index else ("current" if position == index else "upcoming")

    r6 = RuleRef(rule="R6", pack=pack.code).as_dict()
    r7 = RuleRef(rule="R7", pack=pack.code).as_dict()
    renewal = deadlines["renewal"]
    steps = [
        _step(_("Drafted"), state(S.DRAFT), dates=[(_("started"), _local_date(contract.created_at))]),
        _step(
            _("Before the workers' congress"),
            state(S.IN_CONGRESS),
            rule=r6,
            note=_("The workers' congress discusses the draft and votes on it."),
        ),
        _step(
            _("Signed by both chief representatives"),
            state(S.APPROVED),
            dates=[
                (_("union side signed"), _local_date(contract.union_signed_at)),
                (_("employer side signed"), _local_date(contract.employer_signed_at)),
                (_("signed on"), contract.signed_on),
            ],
            rule=r7,
            note=_("After the congress approved it, each chief representative signs."),
        ),
        _step(
            _("Filed with the labour administration"),
            state(S.SIGNED),
            dates=[(_("due by"), deadlines["filing_due"]), (_("filed on"), contract.filed_on)],
            rule=deadlines["filing_rule"],
            note=_("The employer files the signed contract within %(days)s days of signing.")
            % {"days": pack.filing_days},
            late=deadlines["filing_overdue"],
        ),
        _step(
            _("Reviewed by the labour administration"),
            state(S.FILED),
            dates=[
                (_("received on"), contract.receipt_on),
                (_("objections due by"), contract.review_deadline),
                (_("objection received on"), contract.objected_on),
            ],
            rule=deadlines["review_rule"],
            note=_("Without an objection within %(days)s days of receipt, the contract takes effect.")
            % {"days": pack.review_days},
        ),
        _step(_("In effect"), state(S.EFFECTIVE), dates=[(_("effective from"), contract.effective_on)]),
        _step(
            _("Term ends"),
            state(S.EXPIRED),
            dates=[(_("renewal window opens"), renewal["opens_on"]), (_("term ends"), contract.term_end)],
            rule=renewal["rule"],
            note=_("Either side may ask for renewal in the last %(months)s months of the term.")
            % {"months": pack.renewal_window_months},
            open_now=_("The renewal window is open.") if renewal["open"] else "",
        ),
    ]
    return steps


def signatures(contract: Contract) -> list[dict[str, Any]]:
    """Each side's chief representative and whether they have signed."""
    return [
        {
            "side": _("Union side"),
            "chief": contract.union_chief,
            "signed_at": contract.union_signed_at,
        },
        {
            "side": _("Employer side"),
            "chief": contract.employer_chief,
            "signed_at": contract.employer_signed_at,
        },
    ]


def stage_note(contract: Contract) -> str:
    """Where the contract stands, in a sentence."""
    notes: dict[str, Any] = {
        S.DRAFT: _("A draft: the negotiators write and change its clauses."),
        S.IN_CONGRESS: _("The draft is before the workers' congress, which votes on it."),
        S.APPROVED: _("Approved by the workers' congress: both chief representatives sign it next."),
        S.SIGNED: _("Signed: the employer files it with the labour administration next."),
        S.FILED: _("Filed: the labour administration is reviewing it."),
        S.EFFECTIVE: _("In effect."),
        S.EXPIRED: _("Its term has ended."),
    }
    return str(notes.get(contract.status, ""))


def workspace_context(request, contract: Contract, **extra: Any) -> dict[str, Any]:
    """Everything the workspace page (and its htmx fragment) draws."""
    clauses = list(contract.clauses.all())
    articles = printed_order(clauses)
    deadlines = contract_deadlines(contract)
    moves = contract_moves(contract, request.user)
    numbers = {str(entry.clause.number): entry.n for entry in articles}
    breaches = [
        {
            "breach": breach,
            "article": article_label(numbers[breach.clause_number]) if breach.clause_number in numbers else "—",
            "term": TERM_KINDS[breach.term_kind].label if breach.term_kind in TERM_KINDS else "",
            "period": period_text(breach.period),
        }
        for breach in contract.breaches.order_by("-period", "term_kind")[:BREACHES_SHOWN]
    ]
    context = {
        "contract": contract,
        "chapters": contract_chapters(articles),
        "clause_count": len(clauses),
        "moves": moves,
        "editable": moves["edit"].possible,
        "check": draft_problems(contract, articles) if contract.status == S.DRAFT else None,
        "deadlines": deadlines,
        "timeline": contract_timeline(contract, deadlines),
        "signatures": signatures(contract),
        "stage_note": stage_note(contract),
        "sign_rule": RuleRef(rule="R7", pack=contract.enterprise.rule_pack).as_dict(),
        "breaches": breaches,
        "versions": [
            {"version": version, "change": version_change_text(version)}
            for version in contract.versions.select_related("created_by").order_by("-number")[:VERSIONS_SHOWN]
        ],
    }
    context["file_form"] = FileForm(prefix="file")
    context["receipt_form"] = ReceiptForm(prefix="receipt")
    context["objection_form"] = ObjectionForm(prefix="objection")
    if context["editable"]:
        context["new_form"], context["new_terms"] = clause_forms(contract, None)
    context.update(extra)
    return context
