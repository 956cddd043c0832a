"""A contract's life: drafting, the congress, signing (R7), filing (R8), review (R9), term (R10)."""

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from config.batches import each_object
from contracts.articles import clause_article
from contracts.enterprises.access import CONTRACT_WRITE_ROLES, enterprise_roles, require_role
from contracts.enterprises.models import Enterprise
from contracts.errors import (
    AlreadySigned,
    ChiefWithoutRole,
    ContractStateConflict,
    DuplicateClauseNumber,
    DuplicateTerm,
    FiledBeforeSigning,
    InvalidTerm,
    NoClauses,
    NotChiefRepresentative,
    ObjectionBeforeReceipt,
    ObjectionTextRequired,
    ReceiptBeforeFiling,
    TermsBelowFloor,
    UnknownClauseCategory,
)
from contracts.models import Clause, Contract, ContractStatus
from contracts.rules.deadlines import Deadline, deadline_after
from contracts.rules.decisions import RuleRef, deadline_provisional_year
from contracts.rules.packs import RulePack
from contracts.rules.terms import ClauseCategory, term_params_validate
from contracts.services.draft_check import contract_draft_check
from contracts.services.versions import contract_version_record

S = ContractStatus

TRANSITIONS: dict[str, tuple[frozenset[str], Any]] = {
    "edit": (frozenset({S.DRAFT}), gettext_lazy("change the contract")),
    "submit": (frozenset({S.DRAFT}), gettext_lazy("submit it to the workers' congress")),
    "vote": (frozenset({S.IN_CONGRESS}), gettext_lazy("put it to the vote")),
    "sign": (frozenset({S.APPROVED}), gettext_lazy("sign it")),
    "file": (frozenset({S.SIGNED}), gettext_lazy("file it with the labour administration")),
    "review": (frozenset({S.FILED}), gettext_lazy("record the administration's review")),
    "renew": (frozenset({S.EFFECTIVE, S.EXPIRED}), gettext_lazy("renew it")),
}


def contract_check_transition(*, contract: Contract, action: str) -> None:
    """A change the contract's status forbids is refused (409) with the reason."""
    allowed_from, label = TRANSITIONS[action]
    if contract.status not in allowed_from:
        raise ContractStateConflict(
            _("Cannot %(action)s: the contract is %(status)s.")
            % {"action": label, "status": contract.get_status_display()},
            extra={"action": action, "status": contract.status, "allowed_from": sorted(allowed_from)},
        )


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().select_related("enterprise").get(pk=contract.pk)


def term_end_for(start: dt.date, years: int) -> dt.date:
    """The last day of a term of ``years`` years from ``start`` (both days included): the day
    before the anniversary, where 29 February's anniversary in a common year is 1 March
    (Civil Code Arts. 201–202)."""
    year = start.year + years
    try:
        anniversary = start.replace(year=year)
    except ValueError:
        anniversary = dt.date(year, 3, 1)
    return anniversary - dt.timedelta(days=1)


def contract_term_check(*, enterprise: Enterprise, term_start: dt.date, term_end: dt.date) -> None:
    """R10: the term (both days included) is at least 1 and at most 3 years."""
    pack = enterprise.pack
    shortest = term_end_for(term_start, pack.term_min_years)
    longest = term_end_for(term_start, pack.term_max_years)
    if not shortest <= term_end <= longest:
        raise InvalidTerm(
            _("A collective contract runs %(min)s to %(max)s years: from %(start)s it ends between %(a)s and %(b)s.")
            % {
                "min": pack.term_min_years,
                "max": pack.term_max_years,
                "start": term_start.isoformat(),
                "a": shortest.isoformat(),
                "b": longest.isoformat(),
            },
            extra={
                "rule": RuleRef(rule="R10", pack=pack.code).as_dict(),
                "earliest_end": shortest,
                "latest_end": longest,
            },
        )


def clause_terms_validate(terms: Sequence[object] | None) -> list[dict[str, Any]]:
    """Each term's params checked against its kind's schema; one term per kind in a clause."""
    if terms is None:
        return []
    if not isinstance(terms, list | tuple):
        raise InvalidTerm(_("A clause's terms are a list, each with a kind and params."))
    clean, seen = [], set()
    for index, term in enumerate(terms):
        if not isinstance(term, dict) or not isinstance(term.get("kind"), str):
            raise InvalidTerm(_("Each term needs a kind and params."), extra={"index": index})
        if term["kind"] in seen:
            raise DuplicateTerm(_("A clause holds one term of each kind."), extra={"index": index})
        seen.add(term["kind"])
        clean.append(
            {"kind": term["kind"], "params": term_params_validate(kind=term["kind"], params=term.get("params"))}
        )
    return clean


def _check_chiefs(enterprise: Enterprise, *chiefs) -> None:
    """A chief representative named on a contract must hold a role in its enterprise, or could never sign."""
    for chief in chiefs:
        if chief is not None and not enterprise_roles(user=chief, enterprise=enterprise):
            raise ChiefWithoutRole(
                _("%(name)s holds no role in this enterprise and cannot sign for it.") % {"name": chief.get_username()},
            )


def _require_writer(user, contract_or_enterprise) -> None:
    enterprise = getattr(contract_or_enterprise, "enterprise", contract_or_enterprise)
    require_role(
        user=user,
        enterprise=enterprise,
        roles=CONTRACT_WRITE_ROLES,
        message=_("Only negotiators and union leaders of this enterprise may change its contracts."),
    )


@transaction.atomic
def contract_create(
    *,
    user,
    enterprise: Enterprise,
    kind: str,
    title: str,
    term_start: dt.date,
    term_end: dt.date,
    clauses: Sequence[dict[str, Any]] = (),
    negotiation_id: int | None = None,
    union_chief=None,
    employer_chief=None,
    renewal_of: Contract | None = None,
) -> Contract:
    """Draft a contract (R10 checked); every clause's terms are checked against their schema."""
    _require_writer(user, enterprise)
    contract_term_check(enterprise=enterprise, term_start=term_start, term_end=term_end)
    _check_chiefs(enterprise, union_chief, employer_chief)
    contract = Contract.objects.create(
        enterprise=enterprise,
        kind=kind,
        title=title,
        term_start=term_start,
        term_end=term_end,
        negotiation_id=negotiation_id,
        union_chief=union_chief,
        employer_chief=employer_chief,
        renewal_of=renewal_of,
    )
    for position, clause in enumerate(clauses, 1):
        _clause_save(Clause(contract=contract, position=position), clause)
    contract_version_record(contract=contract, user=user, change=gettext_noop("contract drafted"))
    return contract


@transaction.atomic
def contract_update(*, user, contract: Contract, **fields: Any) -> Contract:
    """Change a draft's title, kind, term or chiefs; an approved or later version is immutable."""
    contract = _locked(contract)
    _require_writer(user, contract)
    contract_check_transition(contract=contract, action="edit")
    for key, value in fields.items():
        setattr(contract, key, value)
    contract_term_check(enterprise=contract.enterprise, term_start=contract.term_start, term_end=contract.term_end)
    _check_chiefs(contract.enterprise, fields.get("union_chief"), fields.get("employer_chief"))
    contract.save()
    contract_version_record(contract=contract, user=user, change=gettext_noop("contract changed"))
    return contract


def _clause_save(clause: Clause, data: dict[str, Any]) -> Clause:
    for key in ("number", "category", "title", "text", "position"):
        if key in data:
            setattr(clause, key, data[key])
    if "terms" in data:
        clause.terms = clause_terms_validate(data["terms"])
    if clause.category not in ClauseCategory.values:
        raise UnknownClauseCategory(_("Unknown clause category."))
    if clause.contract.clauses.exclude(pk=clause.pk).filter(number=clause.number).exists():
        raise DuplicateClauseNumber(
            _("The contract already has a clause numbered %(n)s.") % {"n": clause.number},
        )
    clause.save()
    return clause


def _clause_args(clause: Clause) -> dict[str, Any]:
    """A clause in a version's change: its stored number and the article it is printed as."""
    return {"n": clause.number, "article": clause_article(clause.contract, clause.number)}


@transaction.atomic
def clause_add(*, user, contract: Contract, **data: Any) -> Clause:
    contract = _locked(contract)
    _require_writer(user, contract)
    contract_check_transition(contract=contract, action="edit")
    position = data.pop("position", None) or contract.clauses.count() + 1
    clause = _clause_save(Clause(contract=contract, position=position), data)
    contract_version_record(
        contract=contract, user=user, change=gettext_noop("clause %(n)s added"), args=_clause_args(clause)
    )
    return clause


@transaction.atomic
def clause_update(*, user, clause: Clause, **data: Any) -> Clause:
    contract = _locked(clause.contract)
    _require_writer(user, contract)
    contract_check_transition(contract=contract, action="edit")
    clause = _clause_save(Clause.objects.select_related("contract").get(pk=clause.pk), data)
    contract_version_record(
        contract=contract, user=user, change=gettext_noop("clause %(n)s changed"), args=_clause_args(clause)
    )
    return clause


@transaction.atomic
def clause_delete(*, user, clause: Clause) -> None:
    contract = _locked(clause.contract)
    _require_writer(user, contract)
    contract_check_transition(contract=contract, action="edit")
    args = _clause_args(clause)  # numbered as it was printed before it went
    clause.delete()
    contract_version_record(contract=contract, user=user, change=gettext_noop("clause %(n)s removed"), args=args)


@transaction.atomic
def contract_submit_to_congress(*, user, contract: Contract) -> Contract:
    """The draft goes to the workers' congress, unless a term falls below the statutory floor (LCL Art. 55)."""
    contract = _locked(contract)
    _require_writer(user, contract)
    contract_check_transition(contract=contract, action="submit")
    check = contract_draft_check(contract=contract)
    if not check["can_submit"]:
        raise TermsBelowFloor(
            _("Terms below the statutory floor must be raised before the congress votes: %(list)s")
            % {"list": " ".join(item["message"] for item in check["below_floor"])},
            extra={"check": check},
        )
    if not contract.clauses.exists():
        raise NoClauses(_("The contract has no clauses."))
    return _set_status(contract, S.IN_CONGRESS, user=user, change=gettext_noop("submitted to the workers' congress"))


def _set_status(contract: Contract, status: str, *, user, change: str) -> Contract:
    """Move to ``status``; ``change`` is an untranslated message, worded when read."""
    contract.status = status
    contract.save()
    contract_version_record(contract=contract, user=user, change=change)
    return contract


@transaction.atomic
def contract_congress_decided(*, contract: Contract, passed: bool, user) -> Contract:
    """R6: the congress passed the draft (→ approved) or rejected it (→ back to draft)."""
    contract = _locked(contract)
    contract_check_transition(contract=contract, action="vote")
    if passed:
        return _set_status(contract, S.APPROVED, user=user, change=gettext_noop("approved by the workers' congress"))
    return _set_status(contract, S.DRAFT, user=user, change=gettext_noop("rejected by the workers' congress"))


@transaction.atomic
def contract_sign(*, user, contract: Contract) -> Contract:
    """R7: after the congress approved it, both chief representatives sign; the second signature makes it signed."""
    contract = _locked(contract)
    if user.pk not in (contract.union_chief_id, contract.employer_chief_id) or not user.is_authenticated:
        raise NotChiefRepresentative(
            _("Only the chief representatives named on this contract may sign it."),
            extra={"rule": RuleRef(rule="R7", pack=contract.enterprise.rule_pack).as_dict()},
        )
    contract_check_transition(contract=contract, action="sign")
    side = "union" if user.pk == contract.union_chief_id else "employer"
    if getattr(contract, f"{side}_signed_at") is not None:
        raise AlreadySigned(_("You have already signed this contract."))
    setattr(contract, f"{side}_signed_at", timezone.now())
    if contract.union_signed_at and contract.employer_signed_at:
        contract.signed_on = timezone.localdate()
        return _set_status(contract, S.SIGNED, user=user, change=gettext_noop("signed by both chief representatives"))
    contract.save()
    return contract


def contract_filing_deadline(contract: Contract, *, pack: RulePack | None = None) -> Deadline | None:
    """R8: the employer files the signed text within 10 days of signing (R16)."""
    if contract.signed_on is None:
        return None
    pack = pack or contract.enterprise.pack
    return deadline_after(contract.signed_on, pack.filing_days, pack=pack)


def contract_review_deadline(contract: Contract, receipt_on: dt.date, *, pack: RulePack | None = None) -> Deadline:
    """R9: the administration objects within 15 days of receipt (R16), or the contract takes effect."""
    pack = pack or contract.enterprise.pack
    return deadline_after(receipt_on, pack.review_days, pack=pack)


@transaction.atomic
def contract_file(*, user, contract: Contract, filed_on: dt.date, receipt_on: dt.date | None = None) -> Contract:
    """R8: record the submission to the labour administration (late filing is recorded and flagged)."""
    contract = _locked(contract)
    _require_writer(user, contract)
    contract_check_transition(contract=contract, action="file")
    assert contract.signed_on is not None  # a signed contract has its signing date
    if filed_on < contract.signed_on:
        raise FiledBeforeSigning(_("A contract cannot be filed before it was signed."))
    contract.filed_on = filed_on
    contract.status = S.FILED
    if receipt_on is not None:
        _set_receipt(contract, receipt_on)
    contract.save()
    contract_version_record(contract=contract, user=user, change=gettext_noop("filed with the labour administration"))
    return contract


def _set_receipt(contract: Contract, receipt_on: dt.date) -> None:
    assert contract.filed_on is not None  # only a filed contract is received
    if receipt_on < contract.filed_on:
        raise ReceiptBeforeFiling(_("The administration cannot receive the contract before it was filed."))
    contract.receipt_on = receipt_on
    _review_dates_set(contract, contract_review_deadline(contract, receipt_on))


def _review_dates_set(contract: Contract, deadline: Deadline) -> None:
    contract.review_deadline = deadline.due
    if not contract.effective_confirmed:
        contract.effective_on = deadline.due + dt.timedelta(days=1)


def contract_review_period_recount(contract: Contract) -> dt.date | None:
    """R9 counted again on the calendar as it now stands (a holiday schedule changed): stores
    the end of the review period, and the effective date that follows it unless the
    administration confirmed one. Returns the former end when it moved, else None.
    The caller holds the contract's lock; a contract no longer under review is left alone."""
    if contract.status != S.FILED or contract.receipt_on is None or contract.review_deadline is None:
        return None
    deadline = contract_review_deadline(contract, contract.receipt_on)
    previous = contract.review_deadline
    if deadline.due == previous:
        return None
    _review_dates_set(contract, deadline)
    contract.save(update_fields=["review_deadline", "effective_on"])
    return previous


@transaction.atomic
def contract_record_receipt(
    *, user, contract: Contract, receipt_on: dt.date, effective_on: dt.date | None = None
) -> Contract:
    """R9: the administration's receipt starts the review period; its confirmation may set the effective date."""
    contract = _locked(contract)
    _require_writer(user, contract)
    contract_check_transition(contract=contract, action="review")
    if effective_on is not None:
        contract.effective_on, contract.effective_confirmed = effective_on, True
    _set_receipt(contract, receipt_on)
    contract.save()
    contract_version_record(
        contract=contract, user=user, change=gettext_noop("receipt by the labour administration recorded")
    )
    return contract


@transaction.atomic
def contract_record_objection(*, user, contract: Contract, objected_on: dt.date, text: str) -> Contract:
    """R9: an objection (审查意见书) sends the contract back to draft for renegotiation."""
    contract = _locked(contract)
    _require_writer(user, contract)
    contract_check_transition(contract=contract, action="review")
    if not text.strip():
        raise ObjectionTextRequired(_("Record the text of the objection."))
    if contract.receipt_on and objected_on < contract.receipt_on:
        raise ObjectionBeforeReceipt(
            _("An objection cannot predate the administration's receipt (%(date)s).")
            % {"date": contract.receipt_on.isoformat()},
        )
    contract.objection_text, contract.objected_on = text, objected_on
    contract.union_signed_at = contract.employer_signed_at = None
    contract.signed_on = contract.filed_on = contract.receipt_on = contract.review_deadline = None
    contract.effective_on, contract.effective_confirmed = None, False
    return _set_status(contract, S.DRAFT, user=user, change=gettext_noop("objection by the labour administration"))


def contracts_make_effective(*, today: dt.date | None = None) -> list[int]:
    """R9, hourly: filed contracts whose review period has passed without objection take effect.

    Safe to run twice: each contract is locked and its status checked again. One that fails is
    logged and skipped (``config.batches``); the others still take effect."""
    today = today or timezone.localdate()
    changed: list[int] = []

    def take_effect(contract_id: int) -> None:
        with transaction.atomic():
            contract = Contract.objects.select_for_update().get(pk=contract_id)
            if contract.status != S.FILED or contract.effective_on is None or contract.effective_on > today:
                return
            _set_status(
                contract,
                S.EFFECTIVE,
                user=None,
                change=gettext_noop("took effect: no objection within the review period"),
            )
            changed.append(contract.pk)

    candidates = Contract.objects.filter(status=S.FILED, effective_on__isnull=False, effective_on__lte=today)
    each_object(
        list(candidates.values_list("pk", flat=True)), take_effect, task="contracts.make_effective", what="contract"
    )
    return changed


def contracts_expire(*, today: dt.date | None = None) -> list[int]:
    """R10, daily: an effective contract whose term has ended expires. Safe to run twice; one
    that fails is logged and skipped."""
    today = today or timezone.localdate()
    changed: list[int] = []

    def expire(contract_id: int) -> None:
        with transaction.atomic():
            contract = Contract.objects.select_for_update().get(pk=contract_id)
            if contract.status != S.EFFECTIVE or contract.term_end >= today:
                return
            _set_status(contract, S.EXPIRED, user=None, change=gettext_noop("expired at the end of its term"))
            changed.append(contract.pk)

    ended = Contract.objects.filter(status=S.EFFECTIVE, term_end__lt=today).values_list("pk", flat=True)
    each_object(list(ended), expire, task="contracts.expire", what="contract")
    return changed


def contract_renewal_window(contract: Contract, today: dt.date | None = None) -> dict[str, Any]:
    """R10: either side may ask for renewal within the last 3 months of the term."""
    pack = contract.enterprise.pack
    months = pack.renewal_window_months
    end = contract.term_end
    month_index = end.year * 12 + end.month - 1 - months
    year, month = divmod(month_index, 12)
    opens = dt.date(year, month + 1, min(end.day, calendar.monthrange(year, month + 1)[1]))
    today = today or timezone.localdate()
    return {
        "opens_on": opens,
        "open": contract.status in (S.EFFECTIVE, S.EXPIRED) and today >= opens,
        "rule": RuleRef(rule="R10", pack=pack.code, params={"months": months}).as_dict(),
    }


def contract_deadlines(contract: Contract, today: dt.date | None = None) -> dict[str, Any]:
    """The filing (R8) and review (R9) dates with whether each is overdue."""
    today = today or timezone.localdate()
    pack_code = contract.enterprise.rule_pack
    pack = contract.enterprise.pack
    filing = contract_filing_deadline(contract, pack=pack)
    filing_year = deadline_provisional_year(contract.signed_on, filing) if filing and contract.signed_on else None
    review_year = None
    if contract.receipt_on is not None and contract.review_deadline is not None:
        review_year = deadline_provisional_year(
            contract.receipt_on, contract_review_deadline(contract, contract.receipt_on, pack=pack)
        )
    return {
        "filing_due": filing.due if filing else None,
        "filing_overdue": bool(filing and (contract.filed_on or today) > filing.due),
        "filing_rule": RuleRef(
            rule="R8",
            pack=pack_code,
            params={"days": pack.filing_days},
            provisional_year=filing_year,
        ).as_dict(),
        "review_deadline": contract.review_deadline,
        "effective_on": contract.effective_on,
        "review_rule": RuleRef(
            rule="R9",
            pack=pack_code,
            params={"days": pack.review_days},
            provisional_year=review_year,
        ).as_dict(),
        "renewal": contract_renewal_window(contract, today),
    }
