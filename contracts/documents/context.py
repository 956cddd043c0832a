"""Rendering contexts: models turned into plain dicts of strings and lists, in one language.

Each builder activates ``language`` (``translation.override``), so labels, dates and
category names come out in it, while the contract's own words (titles, clause
texts, minutes) are passed through as written. The result holds no model and no
lazy string: it can be rendered anywhere, benchmarked, or built by another caller
(a rectification notice is built from the plain dict the compliance room hands over,
``contracts.documents.breach_records``).

The minutes come from the bargaining app, which imports contracts; contracts does not
import it back: bargaining hands its rounds over as plain records
(``contracts.documents.negotiation_records``).
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import formats, timezone, translation

from contracts.articles import article_label, chinese_numeral, clause_article, printed_order
from contracts.documents.breach_records import breach_records
from contracts.documents.labels import labels
from contracts.documents.negotiation_records import RoundRecord, RoundSignature, negotiation_records
from contracts.models import CongressSession, Contract, ContractStatus, ContractVersion, DocumentKind
from contracts.rules.decisions import ARTICLES, article
from contracts.rules.packs import CongressMajority
from contracts.rules.terms import ClauseCategory
from contracts.rules.terms.payroll import UNIT_DATE
from contracts.rules.units import quantity_text
from contracts.selectors import contract_snapshot

DASH = "—"
BLANK_NAME = "________________"


class ContextUnavailable(Exception):
    """The document cannot be built from what the database holds (a wrong or missing subject)."""


def _is_chinese() -> bool:
    return (translation.get_language() or "").startswith("zh")


def _base_labels() -> dict[str, str]:
    result = labels()
    result["colon"] = "：" if _is_chinese() else ": "
    result["space"] = "" if _is_chinese() else " "  # between words: none in Chinese
    return result


def _date(value: dt.date | dt.datetime | None, blank: str = DASH) -> str:
    if value is None:
        return blank
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "DATE_FORMAT")


def _datetime(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")


def _person(user) -> str:
    if user is None:
        return BLANK_NAME
    return user.get_full_name().strip() or user.get_username()


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _count(value: int | None) -> str:
    return DASH if value is None else str(value)


def _enterprise(contract: Contract) -> dict[str, str]:
    return {"name": contract.enterprise.name, "union_name": contract.enterprise.union_name}


def _snapshot(contract: Contract, version: int | None) -> dict[str, Any]:
    """The contract as it was at ``version`` (its recorded snapshot), else as it is now."""
    if version is not None:
        recorded = ContractVersion.objects.filter(contract=contract, number=version).first()
        if recorded is not None:
            return recorded.snapshot
    return contract_snapshot(contract)


def _chapters(clauses: list[dict[str, Any]], text: dict[str, str]) -> list[dict[str, Any]]:
    """Clauses grouped by category, in the order of PCC Art. 8, each keeping its own order, and
    numbered as articles down that printed order (``contracts.articles``): the 第N条 the page
    prints is the one alerts, notices and the contract page cite."""
    space = "\u3000" if _is_chinese() else " "
    chapters: list[dict[str, Any]] = []
    for entry in printed_order(clauses):
        if not chapters or chapters[-1]["code"] != entry.category:
            n = len(chapters) + 1
            label = str(ClauseCategory(entry.category).label)
            number = text["chapter"] % {"n": chinese_numeral(n) if _is_chinese() else n}
            chapters.append(
                {
                    "code": entry.category,
                    "number": n,
                    "label": label,
                    "heading": f"{number}{space}{label}",
                    "clauses": [],
                }
            )
        clause = entry.clause
        title = clause.get("title", "")
        chapters[-1]["clauses"].append(
            {
                "number": clause.get("number", ""),
                "article": entry.label,
                "title": title,
                "heading": f"{entry.label}{space}{title}".strip(),
                "paragraphs": _paragraphs(clause.get("text", "")),
            }
        )
    return chapters


# The stages of a contract's life, in order: a version prints the records of the stages it reached.
STAGES = [
    ContractStatus.DRAFT,
    ContractStatus.IN_CONGRESS,
    ContractStatus.APPROVED,
    ContractStatus.SIGNED,
    ContractStatus.FILED,
    ContractStatus.EFFECTIVE,
    ContractStatus.EXPIRED,
]


def _reached(status: str, stage: str) -> bool:
    return status in STAGES and STAGES.index(status) >= STAGES.index(stage)


def _rule(rule: str) -> str:
    return f"{rule} · {article(rule)}"


def _approval(contract: Contract, version: int, text: dict[str, str]) -> dict[str, Any] | None:
    """R6: the congress vote that approved the printed text (the latest closed session on it or an
    earlier version), as one line with its figures; None before the congress approved it."""
    session = (
        CongressSession.objects.filter(
            contract=contract, closed_at__isnull=False, passed=True, contract_version__lte=version
        )
        .order_by("-closed_at", "-id")
        .first()
    )
    if session is None:
        return None
    figures = {
        "date": _date(session.held_on),
        "total": session.delegates_total,
        "present": _count(session.present),
        "yes": _count(session.yes),
        "no": _count(session.no),
        "abstain": _count(session.abstain),
        "result": text["passed"] if session.passed else text["not_passed"],
    }
    return {
        **{key: str(value) for key, value in figures.items()},
        "line": text["approval_line"] % figures,
        "rule": _rule("R6"),
    }


def _filing(contract: Contract, text: dict[str, str]) -> dict[str, Any] | None:
    """R8: when the signed text was filed and when the labour administration received it."""
    if contract.filed_on is None:
        return None
    return {
        "filed_on": _date(contract.filed_on),
        "receipt_on": _date(contract.receipt_on, blank=text["not_yet"]),
        "rule": _rule("R8"),
    }


def _review(contract: Contract, status: str, text: dict[str, str]) -> dict[str, Any] | None:
    """R9: the review period, the date the contract takes effect, or the administration's objection."""
    if contract.objected_on is not None and contract.signed_on is None and not _reached(status, ContractStatus.SIGNED):
        return {
            "deadline": "",
            "effective_on": "",
            "objection": text["objection_on"] % {"date": _date(contract.objected_on)},
            "objection_text": _paragraphs(contract.objection_text),
            "rule": _rule("R9"),
        }
    if contract.receipt_on is None or not _reached(status, ContractStatus.FILED):
        return None
    effective = _date(contract.effective_on)
    if contract.effective_on is not None:
        wording = text["effective_confirmed"] if contract.effective_confirmed else text["effective_unless_objection"]
        effective = wording % {"date": effective}
    return {
        "deadline": _date(contract.review_deadline),
        "effective_on": effective,
        "objection": text["no_objection"],
        "objection_text": [],
        "rule": _rule("R9"),
    }


def _signature(user, signed_at: dt.datetime | None, text: dict[str, str]) -> dict[str, str]:
    """A chief's name and the day they signed (in Asia/Shanghai), from the contract's own record of
    it; a blank line to sign on until then."""
    return {"name": _person(user), "date": _date(signed_at, blank=text["blank_date"])}


def contract_context(*, contract: Contract, language: str, version: int | None = None) -> dict[str, Any]:
    """The collective contract at ``version``: cover, parties, chapters of articles, and the records
    of its life so far, each from the contract's own data: the congress approval (R6), both chiefs'
    signatures with the day each signed (R7), the filing (R8) and the administration's review (R9)."""
    with translation.override(language):
        text = _base_labels()
        snapshot = _snapshot(contract, version)
        head = snapshot["contract"]
        printed_version = version if version is not None else contract.version
        status = head.get("status", contract.status)
        term_start, term_end = dt.date.fromisoformat(head["term_start"]), dt.date.fromisoformat(head["term_end"])
        approved = _reached(status, ContractStatus.APPROVED)
        filed = _reached(status, ContractStatus.FILED)
        return {
            "language": language,
            "labels": text,
            "enterprise": _enterprise(contract),
            "contract": {
                "title": head["title"],
                "kind": head["kind"],
                "kind_name": text.get(f"kind_{head['kind']}", text["kind_general"]),
                "term": text["term_span"] % {"start": _date(term_start), "end": _date(term_end)},
                "version": str(printed_version),
            },
            "chapters": _chapters(snapshot["clauses"], text),
            "approval": _approval(contract, printed_version, text) if approved else None,
            "signatures": {
                "union": _signature(contract.union_chief, contract.union_signed_at, text),
                "employer": _signature(contract.employer_chief, contract.employer_signed_at, text),
            },
            "filing": _filing(contract, text) if filed else None,
            "review": _review(contract, status, text),
        }


# --- Minutes ---------------------------------------------------------------------------


def minutes_session(*, contract: Contract, session_id: int | None) -> RoundRecord | None:
    """The consultation round ``session_id`` when it belongs to the contract's negotiation, else None."""
    if session_id is None or contract.negotiation_id is None:
        return None
    return negotiation_records().round_get(negotiation_id=contract.negotiation_id, round_id=session_id)


def _attendees(session: RoundRecord, side: str, text: dict[str, str]) -> str:
    chinese = _is_chinese()
    names = []
    for person in sorted(session.attendees, key=lambda r: (not r.is_chief, r.id)):
        if person.side != side:
            continue
        suffix = text["chief_suffix"] if person.is_chief else text["expert_suffix"] if person.is_external else ""
        names.append(
            f"{person.name}（{suffix}）"
            if chinese and suffix
            else f"{person.name} ({suffix})"
            if suffix
            else person.name
        )
    return ("、" if chinese else ", ").join(names) or text["nobody"]


def _minutes_signature(signature: RoundSignature, text: dict[str, str]) -> dict[str, Any]:
    return {
        "name": signature.signer if signature.signer is not None else BLANK_NAME,
        "date": _date(signature.signed_at, blank=text["blank_date"]),
        "signed": signature.signed_at is not None,
    }


def minutes_context(*, contract: Contract, session_id: int, language: str) -> dict[str, Any]:
    """The minutes of one consultation round of the negotiation the contract came from (R4)."""
    session = minutes_session(contract=contract, session_id=session_id)
    if session is None:
        raise ContextUnavailable(f"consultation round {session_id} is not part of the contract's negotiation")
    with translation.override(language):
        text = _base_labels()
        side_names = {"union": text["union_side"], "employer": text["employer_side"]}
        return {
            "language": language,
            "labels": text,
            "enterprise": _enterprise(contract),
            "contract": {"title": contract.title},
            "negotiation": {"title": session.negotiation_title},
            "session": {
                "round_no": str(session.round_no),
                "round": text["round_n"] % {"n": session.round_no},
                "held_at": _datetime(session.held_at),
                "location": session.location,
                "chaired_by": side_names.get(session.chair_side, session.chair_side),
            },
            "attendees": {side: _attendees(session, side, text) for side in ("union", "employer")},
            "agenda": list(session.agenda),
            "minutes": _paragraphs(session.minutes),
            "signatures": {
                "union": _minutes_signature(session.union, text),
                "employer": _minutes_signature(session.employer, text),
            },
        }


# --- Congress resolution -----------------------------------------------------------------


def resolution_session(*, contract: Contract, session_id: int | None = None) -> CongressSession | None:
    """The closed congress session: ``session_id`` if given and the contract's, else the latest one."""
    closed = CongressSession.objects.filter(contract=contract, closed_at__isnull=False)
    if session_id is not None:
        return closed.filter(pk=session_id).first()
    return closed.order_by("-closed_at", "-id").first()


def resolution_context(*, contract: Contract, language: str, session_id: int | None = None) -> dict[str, Any]:
    """The congress resolution (R6): attendance, the counts, the outcome and the rule applied."""
    session = resolution_session(contract=contract, session_id=session_id)
    if session is None:
        raise ContextUnavailable("the contract has no closed workers' congress session")
    pack = contract.enterprise.pack
    quorum_met = session.present is not None and session.present >= session.delegates_total * pack.congress_quorum
    with translation.override(language):
        text = _base_labels()
        title = contract.title
        majority = (
            text["majority_half_or_more"]
            if pack.congress_majority == CongressMajority.HALF_OR_MORE
            else text["majority_more_than_half"]
        )
        return {
            "language": language,
            "labels": text,
            "enterprise": _enterprise(contract),
            "contract": {"title": title, "version": str(session.contract_version)},
            "vote": {
                "held_on": _date(session.held_on),
                "delegates_total": str(session.delegates_total),
                "present": _count(session.present),
                "yes": _count(session.yes),
                "no": _count(session.no),
                "abstain": _count(session.abstain),
                "mode": text.get(f"mode_{session.mode}", session.mode),
                "passed": bool(session.passed),
                "outcome": text["passed"] if session.passed else text["not_passed"],
            },
            "resolution": {
                "intro": text["resolution_intro"]
                % {
                    "date": _date(session.held_on),
                    "enterprise": contract.enterprise.name,
                    "title": title,
                    "version": session.contract_version,
                },
                "decision": (text["resolution_passed"] if session.passed else text["resolution_not_passed"])
                % {"title": title},
                "quorum": text["quorum_met"] if quorum_met else text["quorum_missed"],
                "majority": majority,
                "date": _date(session.held_on),
            },
            "rule": {"rule": "R6", "article": article("R6"), "pack": pack.code},
        }


# --- Rectification notice ------------------------------------------------------------------

BREACH_KEYS = ("term", "period", "affected", "shortfall", "unit", "rule", "article", "clause", "clause_article")
REQUIRED_BREACH_KEYS = ("term", "period", "affected", "shortfall", "unit", "rule")


def _shortfall_label(unit: str, text: dict[str, str]) -> str:
    """The heading of the shortfall row, by its unit: days late are a delay, not an amount."""
    return text["shortfall_late"] if unit == UNIT_DATE else text["shortfall"]


def _obligation(breach: Mapping[str, Any]) -> str:
    """The breached term, after the article that holds it as the contract prints it (第四条 · …)."""
    term = str(breach["term"])
    n = breach.get("clause_article")
    return f"{article_label(int(n))} · {term}" if n else term


def rectification_notice_context(
    *, contract: Contract, language: str, breach: Mapping[str, Any], issued_on: dt.date
) -> dict[str, Any]:
    """A notice to the employer to rectify a breach, from a plain dict with the keys of
    ``BREACH_KEYS``: ``shortfall`` is the integer kept in ``unit`` (fen, hundredths of an hour or a
    day, days late), worded by ``contracts.rules.units.quantity_text`` as every page and e-mail words
    it; ``clause_article`` is the printed article of the breached clause (looked up from ``clause``
    when left out); ``article`` may be left out when ``rule`` is a known rule id."""
    missing = [key for key in REQUIRED_BREACH_KEYS if key not in breach]
    if missing:
        raise ContextUnavailable(f"the breach lacks {', '.join(missing)}")
    if "clause_article" not in breach and breach.get("clause") and contract.pk is not None:
        breach = {**breach, "clause_article": clause_article(contract, str(breach["clause"]))}
    with translation.override(language):
        text = _base_labels()
        rule = str(breach["rule"])
        unit = str(breach["unit"])
        cited = breach.get("article") or (article(rule) if rule in ARTICLES else "")
        return {
            "language": language,
            "labels": text,
            "enterprise": _enterprise(contract),
            "contract": {"title": contract.title},
            "breach": {
                "term": _obligation(breach),
                "period": str(breach["period"]),
                "affected": str(breach["affected"]),
                "shortfall_label": _shortfall_label(unit, text),
                "shortfall": quantity_text(breach["shortfall"], unit) or DASH,
                "rule": rule,
                "article": str(cited),
            },
            "notice": {
                "intro": text["notice_intro"] % {"title": contract.title},
                "date": _date(issued_on),
            },
        }


def _breach_notice_facts(*, contract: Contract, breach_id: int, language: str) -> dict[str, Any]:
    """What a rectification notice says about a breach, from the room that keeps breaches."""
    with translation.override(language):
        try:
            return breach_records().notice_facts(contract_id=contract.pk, breach_id=breach_id)
        except LookupError as error:
            raise ContextUnavailable(str(error)) from error


def document_context(document) -> dict[str, Any]:
    """The context of a stored document request (its contract version, kind, language and subject)."""
    contract = document.contract
    if document.kind == DocumentKind.CONTRACT:
        return contract_context(contract=contract, language=document.language, version=document.contract_version)
    if document.kind == DocumentKind.MINUTES:
        return minutes_context(contract=contract, session_id=document.subject_id, language=document.language)
    if document.kind == DocumentKind.RESOLUTION:
        return resolution_context(contract=contract, language=document.language, session_id=document.subject_id)
    if document.kind == DocumentKind.RECTIFICATION_NOTICE:
        return rectification_notice_context(
            contract=contract,
            language=document.language,
            breach=_breach_notice_facts(contract=contract, breach_id=document.subject_id, language=document.language),
            issued_on=timezone.localdate(document.requested_at),
        )
    raise ContextUnavailable(f"no context builder for {document.kind} documents")
