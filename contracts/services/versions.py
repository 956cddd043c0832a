"""Contract versions: a snapshot after every change, and a clause-by-clause diff; and the same
diff as people read it (``contract_redline``): clauses named by their printed article, each
changed text as a redline of the old and the new side, typed terms and the contract's head worded.
"""

import datetime as dt
import difflib
import re
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext

from contracts.articles import article_label, article_numbers
from contracts.errors import UnknownVersion
from contracts.models import Contract, ContractKind, ContractStatus, ContractVersion
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from contracts.selectors import contract_snapshot

# A word is a run of Latin letters or digits; each CJK character and each other
# symbol stands alone, since Chinese has no spaces between words.
TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*|\s+|.", re.S)


def contract_version_record(
    *, contract: Contract, user, change: str, args: dict[str, Any] | None = None
) -> ContractVersion:
    """Take the snapshot that makes this change a new version.

    ``change`` is an untranslated message (marked with gettext_noop) and ``args`` its
    values, so each reader sees it in their own language (``version_change_text``).
    """
    contract.version += 1
    contract.save(update_fields=["version"])
    return ContractVersion.objects.create(
        contract=contract,
        number=contract.version,
        status=contract.status,
        snapshot=contract_snapshot(contract),
        change=change,
        change_args=args or {},
        created_by=user if user is not None and user.is_authenticated else None,
    )


# A clause's change named by the article it is printed as ("第二条 changed"), when that is known:
# recorded with the change, or read from the version's own snapshot for older versions.
ARTICLE_CHANGES = {
    "clause %(n)s added": gettext_noop("%(article)s added"),
    "clause %(n)s changed": gettext_noop("%(article)s changed"),
    "clause %(n)s removed": gettext_noop("%(article)s removed"),
}


def version_change_text(version: ContractVersion) -> str:
    args = version.change_args or {}
    if version.change in ARTICLE_CHANGES:
        n = args.get("article") or article_numbers(version.snapshot.get("clauses", [])).get(str(args.get("n")))
        if n:
            return _(ARTICLE_CHANGES[version.change]) % {"article": article_label(n)}
    return _(version.change) % args if args else _(version.change)


def text_diff(old: str, new: str) -> list[dict[str, str]]:
    """Word-level diff: a list of equal / insert / delete / replace pieces."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        pieces.append({"op": op, "old": "".join(a[i1:i2]), "new": "".join(b[j1:j2])})
    return pieces


def _terms_diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    old_by_kind = {term["kind"]: term["params"] for term in old}
    new_by_kind = {term["kind"]: term["params"] for term in new}
    changes = []
    for kind in sorted(old_by_kind.keys() | new_by_kind.keys()):
        before, after = old_by_kind.get(kind), new_by_kind.get(kind)
        if before == after:
            continue
        if before is None or after is None:
            changes.append(
                {"kind": kind, "change": "added" if before is None else "removed", "params": after or before}
            )
            continue
        changes.append(
            {
                "kind": kind,
                "change": "changed",
                "params": {
                    name: {"from": before.get(name), "to": after.get(name)}
                    for name in sorted(before.keys() | after.keys())
                    if before.get(name) != after.get(name)
                },
            }
        )
    return changes


# A version number is a PositiveIntegerField: anything past its range cannot exist, and is not
# sent to the database (SQLite cannot bind an integer past 64 bits).
VERSION_MAX = 2_147_483_647


def _two_versions(*, contract: Contract, from_number: int, to_number: int) -> tuple[ContractVersion, ContractVersion]:
    """The two versions compared, or ``UnknownVersion`` naming the first that does not exist."""
    wanted = [n for n in (from_number, to_number) if 0 < n <= VERSION_MAX]
    versions = {v.number: v for v in contract.versions.filter(number__in=wanted).select_related("created_by")}
    missing = [n for n in (from_number, to_number) if n not in versions]
    if missing:
        raise UnknownVersion(
            _("This contract has no version %(n)s.") % {"n": missing[0]},
            extra={"version": missing[0]},
        )
    return versions[from_number], versions[to_number]


def _snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The contract's changed head fields, and its clauses added, removed and changed."""
    old_clauses = {c["id"]: c for c in old["clauses"]}
    new_clauses = {c["id"]: c for c in new["clauses"]}
    clauses = []
    for clause_id in [*old_clauses, *[i for i in new_clauses if i not in old_clauses]]:
        before, after = old_clauses.get(clause_id), new_clauses.get(clause_id)
        if before is None or after is None:
            clauses.append(
                {
                    "clause": clause_id,
                    "change": "added" if before is None else "removed",
                    "clause_after": after,
                    "clause_before": before,
                }
            )
            continue
        fields = [f for f in ("number", "category", "title", "text", "terms") if before[f] != after[f]]
        if not fields:
            continue
        clauses.append(
            {
                "clause": clause_id,
                "change": "changed",
                "number": after["number"],
                "fields": {f: {"from": before[f], "to": after[f]} for f in fields if f not in ("text", "terms")},
                "text": text_diff(before["text"], after["text"]) if "text" in fields else None,
                "terms": _terms_diff(before["terms"], after["terms"]) if "terms" in fields else [],
            }
        )
    contract_fields = {
        name: {"from": old["contract"][name], "to": new["contract"][name]}
        for name in old["contract"]
        if old["contract"][name] != new["contract"].get(name)
    }
    return contract_fields, clauses


def contract_diff(*, contract: Contract, from_number: int, to_number: int) -> dict[str, Any]:
    """Clause by clause: what was added, removed and changed between two versions."""
    old, new = _two_versions(contract=contract, from_number=from_number, to_number=to_number)
    contract_fields, clauses = _snapshot_diff(old.snapshot, new.snapshot)
    return {"from": from_number, "to": to_number, "contract": contract_fields, "clauses": clauses}


# --- the diff as people read it ---------------------------------------------------------------


def contract_version_list(*, contract: Contract) -> QuerySet[ContractVersion]:
    """The contract's versions, newest first, with who made each."""
    return contract.versions.select_related("created_by").order_by("-number")


def _cleaned(opcodes: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Pieces (op, old, new) with the stray equal runs between two edits folded into them, as a
    reader would mark the passage: the spaces between two replaced words, and a character or two
    that happen to match inside a rewritten passage (an equal run at most half as long as the
    edits on both its sides). A character kept between two small edits stays unmarked, so a
    Chinese change marks only the characters that changed (四十 → 三十二: 四 and 三, 二)."""

    def folds(equal: str, before: tuple[str, str, str], after: tuple[str, str, str]) -> bool:
        if not equal.strip():
            return True
        size = len(equal) * 2
        return size <= max(len(before[1]), len(before[2])) and size <= max(len(after[1]), len(after[2]))

    pieces = list(opcodes)
    changed = True
    while changed:
        changed = False
        for i in range(1, len(pieces) - 1):
            op, old, new = pieces[i]
            before, after = pieces[i - 1], pieces[i + 1]
            if op != "equal" or before[0] == "equal" or after[0] == "equal":
                continue
            if folds(old, before, after):
                pieces[i - 1 : i + 2] = [("replace", before[1] + old + after[1], before[2] + new + after[2])]
                changed = True
                break
    return pieces


def text_redline(old: str, new: str) -> dict[str, list[dict[str, str]]]:
    """The two sides of a changed text, each a list of pieces: the old side's ``equal`` and
    ``delete``, the new side's ``equal`` and ``insert`` (words kept whole, each CJK character a
    word, as ``text_diff``)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    opcodes: list[tuple[str, str, str]] = [
        (op, "".join(a[i1:i2]), "".join(b[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    old_side: list[dict[str, str]] = []
    new_side: list[dict[str, str]] = []
    for op, before, after in _cleaned(opcodes):
        if op == "equal":
            old_side.append({"op": "equal", "text": before})
            new_side.append({"op": "equal", "text": after})
            continue
        if before:
            old_side.append({"op": "delete", "text": before})
        if after:
            new_side.append({"op": "insert", "text": after})
    return {"old": old_side, "new": new_side}


def _term_worded(kind: str, params: dict[str, Any] | None) -> str | None:
    if params is None:
        return None
    if kind not in TERM_KINDS:
        return _("a term of a kind no longer known")
    return TERM_KINDS[kind].describe(params)


def _terms_worded(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each typed term added, removed or changed, as people read it before and after."""
    old_by_kind = {term["kind"]: term["params"] for term in old}
    new_by_kind = {term["kind"]: term["params"] for term in new}
    changes = []
    for kind in [*old_by_kind, *[k for k in new_by_kind if k not in old_by_kind]]:
        before, after = old_by_kind.get(kind), new_by_kind.get(kind)
        if before == after:
            continue
        change = "added" if before is None else "removed" if after is None else "changed"
        worded_before, worded_after = _term_worded(kind, before), _term_worded(kind, after)
        changes.append(
            {
                "change": change,
                "label": str(TERM_KINDS[kind].label) if kind in TERM_KINDS else pgettext("a typed clause term", "Term"),
                "before": worded_before,
                "after": worded_after,
                # A changed term's two wordings as a redline: only what differs is marked.
                "redline": text_redline(worded_before or "", worded_after or "") if change == "changed" else None,
            }
        )
    return changes


def _category(code: str) -> str:
    return str(ClauseCategory(code).label) if code in ClauseCategory.values else str(ClauseCategory.OTHER.label)


def _clause_face(clause: dict[str, Any] | None, articles: dict[str, int]) -> dict[str, Any] | None:
    """A clause of one side as people name it: its printed article, title and chapter."""
    if clause is None:
        return None
    n = articles.get(str(clause["number"]))
    return {
        "article": article_label(n) if n is not None else "",
        "n": n,
        "title": clause["title"],
        "category": _category(clause["category"]),
        "text": clause["text"],
    }


HEAD_FIELDS = {
    "title": gettext_lazy("Title"),
    "kind": gettext_lazy("Kind"),
    "status": gettext_lazy("Status"),
    "term_start": gettext_lazy("Contract term starts"),
    "term_end": gettext_lazy("Contract term ends"),
}


def _head_value(name: str, value: Any) -> Any:
    """A head field's value as people read it: a label for a code, a date for a date."""
    if value is None:
        return ""
    if name == "kind":
        return str(ContractKind(value).label) if value in ContractKind.values else ""
    if name == "status":
        return str(ContractStatus(value).label) if value in ContractStatus.values else ""
    if name in ("term_start", "term_end"):
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return value
    return value


def _head_changes(contract_fields: dict[str, Any]) -> list[dict[str, Any]]:
    changes = []
    for name, label in HEAD_FIELDS.items():
        if name not in contract_fields:
            continue
        before, after = contract_fields[name]["from"], contract_fields[name]["to"]
        changes.append(
            {
                "field": name,
                "label": str(label),
                "before": _head_value(name, before),
                "after": _head_value(name, after),
                "redline": text_redline(before or "", after or "") if name == "title" else None,
            }
        )
    return changes


def _clause_fields(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """A changed clause's title, chapter and reference number, when they changed."""
    fields = []
    if before["title"] != after["title"]:
        fields.append({"field": "title", "label": _("Title"), "before": before["title"], "after": after["title"]})
    if before["category"] != after["category"]:
        fields.append(
            {
                "field": "category",
                "label": _("Chapter"),
                "before": _category(before["category"]),
                "after": _category(after["category"]),
            }
        )
    if before["number"] != after["number"]:
        fields.append(
            {"field": "number", "label": _("Clause number"), "before": before["number"], "after": after["number"]}
        )
    return fields


def contract_redline(*, contract: Contract, from_number: int, to_number: int) -> dict[str, Any]:
    """The diff of two versions as the versions page shows it, in the active language.

    Clauses come in the printed order of the newer side (a removed one where it stood), each
    named by its printed article on each side (第四条, which may differ between the versions as
    clauses come and go). Its text is a redline: the old side's pieces ``equal``/``delete``, the
    new side's ``equal``/``insert``; an added clause is all inserted, a removed one all deleted.
    Typed terms and the contract's head fields are worded as people read them.
    """
    old, new = _two_versions(contract=contract, from_number=from_number, to_number=to_number)
    contract_fields, diff = _snapshot_diff(old.snapshot, new.snapshot)
    old_clauses = {c["id"]: c for c in old.snapshot["clauses"]}
    new_clauses = {c["id"]: c for c in new.snapshot["clauses"]}
    old_articles = article_numbers(old.snapshot["clauses"])
    new_articles = article_numbers(new.snapshot["clauses"])

    # Where each clause goes: in its chapter, a surviving or added one at its new article, a
    # removed one right after the clause of its chapter that came before it in the old version.
    chapters = {code: i for i, code in enumerate(ClauseCategory.values)}
    place: dict[Any, tuple[int, int, int, int]] = {}
    last_new: dict[str, int] = {}
    for clause in sorted(old_clauses.values(), key=lambda c: old_articles.get(str(c["number"]), 0)):
        chapter = chapters.get(clause["category"], len(chapters))
        if clause["id"] in new_clauses:
            last_new[clause["category"]] = new_articles.get(str(new_clauses[clause["id"]]["number"]), 0)
        else:
            old_n = old_articles.get(str(clause["number"]), 0)
            place[clause["id"]] = (chapter, last_new.get(clause["category"], 0), 1, old_n)
    for clause in new_clauses.values():
        chapter = chapters.get(clause["category"], len(chapters))
        place[clause["id"]] = (chapter, new_articles.get(str(clause["number"]), 0), 0, 0)

    clauses = []
    for entry in diff:
        before, after = old_clauses.get(entry["clause"]), new_clauses.get(entry["clause"])
        item: dict[str, Any] = {
            "id": entry["clause"],
            "change": entry["change"],
            "before": _clause_face(before, old_articles),
            "after": _clause_face(after, new_articles),
            "fields": [],
            "terms": _terms_worded((before or {}).get("terms", []), (after or {}).get("terms", [])),
            "redline": None,
        }
        if before is None and after is not None:  # added
            item["redline"] = {"old": [], "new": [{"op": "insert", "text": after["text"]}]}
        elif after is None and before is not None:  # removed
            item["redline"] = {"old": [{"op": "delete", "text": before["text"]}], "new": []}
        elif before is not None and after is not None:  # changed
            item["fields"] = _clause_fields(before, after)
            if before["text"] != after["text"]:
                item["redline"] = text_redline(before["text"], after["text"])
        item["renumbered"] = bool(before and after and item["before"]["article"] != item["after"]["article"])
        clauses.append(item)
    clauses.sort(key=lambda item: place[item["id"]])
    return {
        "from": old,
        "to": new,
        "head": _head_changes(contract_fields),
        "clauses": clauses,
        "counts": {
            change: sum(1 for c in clauses if c["change"] == change) for change in ("added", "removed", "changed")
        },
        "unchanged": not contract_fields and not clauses,
    }
