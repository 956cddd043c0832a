"""Schemathesis hooks of the API fuzzing run (``bench/fuzz_api.py`` loads them through
``SCHEMATHESIS_HOOKS``): the check ``no_cross_enterprise_leak``.

What enterprise B holds is in the JSON file named by ``FUZZ_WATCH`` (its markers and its ids by
kind, written by the run after seeding). A response leaks when its body holds one of B's markers,
or when it is a 2xx answer to a request whose path names one of B's ids in the place of that kind
(``/contracts/{id}/`` with B's contract, ``/negotiations/{negotiation_pk}/sessions/{id}/`` with
B's negotiation or B's session, …), to a request whose body names one of B's ids in a field of
that kind (a contract created in B's enterprise, B's user made a representative, …), or when a
list filtered on one of B's ids (``?contract=``) answers items of B's.
"""

import io
import itertools
import json
import os
import re
import zipfile
from functools import cache
from typing import Any

import schemathesis

# The collection a path parameter follows → the kind of id recorded by bench/fuzz_seed.py.
SEGMENT_KINDS = {
    "enterprises": "enterprise",
    "contracts": "contract",
    "clauses": "clause",
    "documents": "document",
    "payroll-imports": "payroll_import",
    "compliance-runs": "compliance_run",
    "breaches": "breach",
    "congress-sessions": "congress_session",
    "negotiations": "negotiation",
    "representatives": "representative",
    "sessions": "session",
    "proposals": "proposal",
    "alerts": "alert",
}

# Fields of a request body, or a list's query filters, that name an object → its kind.
FIELD_KINDS = {
    "enterprise": "enterprise",
    "contract": "contract",
    "payroll_import": "payroll_import",
    "session": "session",
    "user": "user",
    "replaces": "representative",
    "attendees": "representative",
    "negotiation": "negotiation",
}


def parameter_kinds(path: str) -> dict[str, str]:
    """Each path parameter of ``path`` (an OpenAPI template) → the kind of id it names."""
    kinds = {}
    segments = path.strip("/").split("/")
    for before, segment in itertools.pairwise(segments):
        match = re.fullmatch(r"\{(\w+)\}", segment)
        if match and before in SEGMENT_KINDS:
            kinds[match.group(1)] = SEGMENT_KINDS[before]
    return kinds


@cache
def watched() -> dict[str, Any]:
    with open(os.environ["FUZZ_WATCH"], encoding="utf-8") as file:
        return json.load(file)


def as_id(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def is_b(kind: str, value: Any) -> bool:
    """Whether ``value`` (an id, or a list of ids) names one of B's objects of ``kind``."""
    values = value if isinstance(value, list) else [value]
    ids = set(watched()["ids"].get(kind, ()))
    return any(as_id(item) in ids for item in values if isinstance(item, int | str) and not isinstance(item, bool))


def leak(
    method: str,
    path: str,
    path_parameters: dict[str, Any],
    status: int,
    body: str,
    *,
    request_body: Any = None,
    query: dict[str, Any] | None = None,
) -> str | None:
    """Why this answer leaks B's data, or None."""
    for marker in watched()["markers"]:
        if marker in body:
            return f"the response body holds enterprise B's marker {marker!r}"
    if not 200 <= status < 300:
        return None
    for name, kind in parameter_kinds(path).items():
        if is_b(kind, path_parameters.get(name)):
            return f"{status} for {method} {path} with {name}={path_parameters[name]}, enterprise B's {kind}"
    if isinstance(request_body, dict) and method != "GET":
        for name, kind in FIELD_KINDS.items():
            if name in request_body and is_b(kind, request_body[name]):
                return f"{status} for {method} {path} with {name}={request_body[name]!r} in the body, B's {kind}"
    if method == "GET" and query:
        try:
            items = json.loads(body).get("results", [])
        except (ValueError, AttributeError):
            items = []
        for name, kind in FIELD_KINDS.items():
            if name in query and is_b(kind, query[name]):
                found = [item for item in items if isinstance(item, dict) and is_b(kind, item.get(name))]
                if found:
                    return f"{method} {path}?{name}={query[name]} answered {len(found)} of B's items"
    return None


def readable(content: bytes) -> str:
    """A response body as text to search; a .docx (or any zip) is searched in its XML parts."""
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "\n".join(
                    archive.read(name).decode("utf-8", errors="replace")
                    for name in archive.namelist()
                    if name.endswith(".xml") and archive.getinfo(name).file_size < 50 * 2**20
                )
        except (zipfile.BadZipFile, OSError):
            pass
    return content.decode("utf-8", errors="replace")


@schemathesis.check
def no_cross_enterprise_leak(ctx, response, case):
    """No answer shows enterprise B's markers, and no 2xx answers a path naming B's ids."""
    reason = leak(
        case.method.upper(),
        case.operation.path,
        dict(case.path_parameters or {}),
        response.status_code,
        readable(response.content or b""),
        request_body=case.body if isinstance(case.body, dict) else None,
        query=dict(case.query or {}),
    )
    if reason:
        raise AssertionError(f"Cross-enterprise leak: {reason}")
    return None
