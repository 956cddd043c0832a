"""Contract versions: a snapshot after every change, and a clause-by-clause diff."""

import difflib
import re
from typing import Any

from django.utils.translation import gettext as _

from contracts.errors import UnknownVersion
from contracts.models import Contract, ContractVersion
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


def version_change_text(version: ContractVersion) -> str:
    return _(version.change) % version.change_args if version.change_args else _(version.change)


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


def contract_diff(*, contract: Contract, from_number: int, to_number: int) -> dict[str, Any]:
    """Clause by clause: what was added, removed and changed between two versions."""
    versions = {v.number: v for v in contract.versions.filter(number__in=[from_number, to_number])}
    missing = [n for n in (from_number, to_number) if n not in versions]
    if missing:
        raise UnknownVersion(
            _("This contract has no version %(n)s.") % {"n": missing[0]},
            extra={"version": missing[0]},
        )
    old, new = versions[from_number].snapshot, versions[to_number].snapshot
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
    return {"from": from_number, "to": to_number, "contract": contract_fields, "clauses": clauses}
