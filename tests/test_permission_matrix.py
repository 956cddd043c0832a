"""The permission matrix, generated from the URL conf: every API endpoint under /api/v1/ and every
page, for every role (plus an anonymous visitor and a login with no role), every method the view
offers, on an object of the user's own enterprise and on one of another enterprise.

The expected answer comes from ``RULES`` below, keyed by URL name: an endpoint added without a
rule fails this test, with a message naming it. The rules, case by case:

* anonymous: 401 or 403 from the API, a redirect to the login page from a page;
* an object of another enterprise: 404, exactly like an id that does not exist;
* reading an object the role may not read: 404 (the object is invisible, as if it did not exist);
  a list the role may not read: 403, or 200 showing nothing;
* a write the role may not make: 403 when the user can see the object, 404 when they cannot;
  a new object in another enterprise: 400 or 404 (the enterprise named is not one they can use,
  worded as for one that does not exist);
* allowed: anything but 401, 403, 404 and a 5xx (a 400 for the minimal body sent, or a 409 for
  the object's state, is a permission answer of "yes");
* never a 500.

Writes run inside a savepoint that is rolled back, so every case sees the same data."""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from bargaining.models import ConsultationSession, Negotiation, Proposal, Representative
from bargaining.services.permissions import SIDE_ROLES
from contracts.compliance.models import Breach, ComplianceRun, PayrollImport
from contracts.compliance.selectors import COMPLIANCE_READERS
from contracts.compliance.services.breaches import EMPLOYER_ROLES, UNION_ROLES
from contracts.compliance.services.imports import PAYROLL_ROLES
from contracts.enterprises.access import CONTRACT_WRITE_ROLES
from contracts.enterprises.models import Enterprise, Federation, Membership, Role
from contracts.models import Clause, CongressMode, CongressSession, Contract, ContractStatus, DocumentKind
from notifications.models import Alert, Level
from tests.factories import UserFactory
from tests.notifications.conftest import deadline_context

pytestmark = pytest.mark.django_db

# Not part of the matrix: Django's own admin, language switch and login pages, the API's schema
# and documentation, the health probe and the token login (each tested on its own).
ALLOW_LIST = (
    "admin/",
    "i18n/",
    "accounts/",
    "static/",
    "api/schema/",
    "api/docs/",
    "api/v1/health/",
    "api/v1/auth/",  # each person's own API tokens (config/auth/, tested there)
    "account/tokens/",
)
ALLOW_NAMES = {"auth-token"}

ALL_ROLES = frozenset(Role.values)
ANY_USER = "any logged-in user"  # read or write by anyone logged in, whatever their roles
OWN = "the user's own"  # alerts: each person's own only
NOBODY: frozenset[str] = frozenset()

CONTRACT_READERS = ALL_ROLES
CONFIDENTIAL = frozenset(COMPLIANCE_READERS)  # payroll, findings, costing, filing pack, notices
WRITERS = frozenset(CONTRACT_WRITE_ROLES)
NEGOTIATORS = frozenset(SIDE_ROLES["union"] | SIDE_ROLES["employer"])
UNION = frozenset(UNION_ROLES)
EMPLOYER = frozenset(EMPLOYER_ROLES)
ADMIN = frozenset({Role.ADMIN})
DELEGATES = frozenset({Role.CONGRESS_DELEGATE})
UNION_SIDE = frozenset(SIDE_ROLES["union"])

NEW_CONTRACT = {
    "enterprise": "{enterprise}",
    "title": "A contract",
    "term_start": "2027-01-01",
    "term_end": "2029-12-31",
}
NEW_CLAUSE = {"number": "99", "category": "pay", "title": "Wages", "text": "Wages are paid monthly."}


@dataclass(frozen=True)
class Rule:
    """Who may read (GET) and who may write (any other method) at one URL name; ``obj`` names the
    object its ids point to (None: a list of the user's own or a reference list)."""

    obj: str | None
    read: Any
    write: Any = NOBODY
    body: dict[str, Any] = field(default_factory=dict)
    # Per-method write roles where they differ (e.g. PATCH vs DELETE).
    methods: dict[str, Any] = field(default_factory=dict)
    # A page whose GET is the form of a change: reading it is asked of the writers.
    form: bool = False
    # A private file: an anonymous request gets the same 404 as anybody who may not read it.
    private_file: bool = False

    def writers(self, method: str) -> Any:
        return self.methods.get(method, self.write)


def _body(**fields):
    return fields


RULES: dict[str, Rule] = {
    # --- API: reference lists and the user's own -------------------------------------------
    "api-root": Rule(None, ANY_USER),
    "rule-packs": Rule(None, ANY_USER),
    "term-kinds": Rule(None, ANY_USER),
    "alert-list": Rule(None, ANY_USER),
    "alert-read-all": Rule(None, ANY_USER, ANY_USER),
    "alert-detail": Rule("alert", OWN),
    "alert-read": Rule("alert", OWN, OWN),
    "notification-preferences": Rule(None, ANY_USER, ANY_USER),
    # --- API: enterprises ------------------------------------------------------------------
    "enterprise-list": Rule(None, ALL_ROLES),
    "enterprise-detail": Rule("enterprise", ALL_ROLES, ADMIN),
    "enterprise-members": Rule("enterprise", ALL_ROLES, ADMIN, body={"username": "demo", "role": "admin"}),
    # --- API: contracts ---------------------------------------------------------------------
    "contract-list": Rule(None, CONTRACT_READERS, WRITERS, body=NEW_CONTRACT),
    "contract-detail": Rule("contract", CONTRACT_READERS, WRITERS, body={"title": "A new title"}),
    "contract-check": Rule("contract", CONTRACT_READERS),
    "contract-diff": Rule("contract", CONTRACT_READERS),
    "contract-versions": Rule("contract", CONTRACT_READERS),
    "contract-history": Rule("contract", CONTRACT_READERS),
    "contract-filing-pack": Rule("contract", CONFIDENTIAL),
    "contract-file-with-administration": Rule("contract", CONTRACT_READERS, WRITERS, body={"filed_on": "2026-01-10"}),
    "contract-receipt": Rule("contract", CONTRACT_READERS, WRITERS, body={"receipt_on": "2026-01-20"}),
    "contract-objection": Rule(
        "contract", CONTRACT_READERS, WRITERS, body={"objected_on": "2026-01-20", "text": "Article 5 is unclear."}
    ),
    # Only the two chief representatives sign: a role alone never lets one.
    "contract-sign": Rule("contract", CONTRACT_READERS, NOBODY),
    "contract-submit-to-congress": Rule("contract", CONTRACT_READERS, WRITERS),
    "contract-renew": Rule("contract", CONTRACT_READERS, NEGOTIATORS),
    "clause-list": Rule("contract", CONTRACT_READERS, WRITERS, body=NEW_CLAUSE),
    "clause-detail": Rule("clause", CONTRACT_READERS, WRITERS, body={"text": "Wages are paid monthly."}),
    "contract-documents": Rule("contract", CONTRACT_READERS, CONTRACT_READERS, body={"kind": "contract"}),
    "contract-document": Rule("document", CONTRACT_READERS),
    "contract-document-download": Rule("document", CONTRACT_READERS, private_file=True),
    # --- API: the workers' congress, on its open electronic ballot (everyone with a role in the
    # enterprise reads its sessions; delegates vote; the organisers open, count, close and cancel) --
    "congress-session-list": Rule(
        None,
        CONTRACT_READERS,
        WRITERS,
        body={"contract": "{contract}", "delegates_total": 7, "held_on": "{today}", "mode": "tally"},
    ),
    "congress-session-detail": Rule("congress", CONTRACT_READERS),
    "congress-session-ballots": Rule("congress", CONTRACT_READERS, DELEGATES, body={"choice": "yes"}),
    "congress-session-close": Rule("congress", CONTRACT_READERS, WRITERS),
    "congress-session-tally": Rule("congress", CONTRACT_READERS, WRITERS, body={"present": 1, "yes": 1}),
    "congress-session-cancel": Rule("congress", CONTRACT_READERS, WRITERS),
    # --- API: payroll compliance (never a delegate's for being one) --------------------------
    "payroll-import-list": Rule(
        None, CONFIDENTIAL, PAYROLL_ROLES, body={"enterprise": "{enterprise}", "file": "{file}"}
    ),
    "payroll-import-detail": Rule("payroll", CONFIDENTIAL),
    "payroll-import-file": Rule("payroll", CONFIDENTIAL, private_file=True),
    "compliance-run-list": Rule(
        None, CONFIDENTIAL, WRITERS, body={"contract": "{contract}", "payroll_import": "{payroll}"}
    ),
    "compliance-run-detail": Rule("run", CONFIDENTIAL),
    "breach-list": Rule(None, CONFIDENTIAL),
    "breach-detail": Rule("breach", CONFIDENTIAL),
    "breach-findings": Rule("breach", CONFIDENTIAL),
    "breach-acknowledge": Rule("breach", CONFIDENTIAL, EMPLOYER),
    "breach-dispute": Rule("breach", CONFIDENTIAL, EMPLOYER, body={"reason": "The figures are wrong."}),
    "breach-remedy": Rule("breach", CONFIDENTIAL, EMPLOYER | UNION),
    "breach-close": Rule("breach", CONFIDENTIAL, UNION),
    "breach-rectification-notice": Rule("breach", CONFIDENTIAL, UNION),
    # --- API: negotiations --------------------------------------------------------------------
    "negotiation-list": Rule(None, ALL_ROLES, NEGOTIATORS, body={"enterprise": "{enterprise}", "title": "New talks"}),
    "negotiation-detail": Rule("negotiation", ALL_ROLES),
    "negotiation-history": Rule("negotiation", ALL_ROLES),
    "negotiation-conclude": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "negotiation-record-request": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "negotiation-respond": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "negotiation-resume": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "negotiation-suspend": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "representative-list": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    # The representative is on the union side: its side changes it.
    "representative-detail": Rule("representative", ALL_ROLES, UNION_SIDE, body={"position": "Engineer"}),
    "representative-vacate": Rule("representative", ALL_ROLES, UNION_SIDE, body={"on": "{today}"}),
    "session-list": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "session-detail": Rule("session", ALL_ROLES, NEGOTIATORS),
    "session-sign": Rule("session", ALL_ROLES, NOBODY),  # the chiefs sign, not a role
    "proposal-list": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "proposal-detail": Rule("proposal", ALL_ROLES),
    "proposal-gap": Rule("negotiation", ALL_ROLES),
    "proposal-costing": Rule("negotiation", CONFIDENTIAL),
    # --- pages: home, alerts ------------------------------------------------------------------
    "bargaining:home": Rule(None, ANY_USER),
    "notifications:alerts": Rule(None, ANY_USER),
    "notifications:alerts_read_all": Rule(None, ANY_USER, ANY_USER),
    "notifications:alert_read": Rule("alert", OWN, OWN),
    "notifications:alert_open": Rule("alert", OWN, OWN),
    "notifications:preferences": Rule(None, ANY_USER, ANY_USER),
    # --- pages: contracts ---------------------------------------------------------------------
    "contracts:index": Rule(None, ANY_USER),
    "contracts:contract": Rule("contract", CONTRACT_READERS),
    "contracts:contract_submit": Rule("contract", CONTRACT_READERS, WRITERS),
    "contracts:contract_sign": Rule("contract", CONTRACT_READERS, NOBODY),
    "contracts:contract_file": Rule("contract", CONTRACT_READERS, WRITERS, body={"filed_on": "2026-01-10"}),
    "contracts:contract_receipt": Rule("contract", CONTRACT_READERS, WRITERS, body={"receipt_on": "2026-01-20"}),
    "contracts:contract_objection": Rule(
        "contract", CONTRACT_READERS, WRITERS, body={"objected_on": "2026-01-20", "text": "Article 5 is unclear."}
    ),
    "contracts:clause_new": Rule("contract", CONTRACT_READERS, WRITERS),
    "contracts:clause_add": Rule("contract", CONTRACT_READERS, WRITERS, body=NEW_CLAUSE),
    "contracts:clause": Rule("clause", CONTRACT_READERS),
    "contracts:clause_edit": Rule("clause", CONTRACT_READERS, WRITERS),
    "contracts:clause_update": Rule("clause", CONTRACT_READERS, WRITERS, body=NEW_CLAUSE),
    "contracts:clause_delete": Rule("clause", CONTRACT_READERS, WRITERS),
    "contracts:contract_versions": Rule("contract", CONTRACT_READERS),
    "contracts:contract_documents": Rule("contract", CONTRACT_READERS),
    "contracts:document_request": Rule("contract", CONTRACT_READERS, CONTRACT_READERS, body={"kind": "contract"}),
    "contracts:document_status": Rule("document", CONTRACT_READERS),
    "contracts:document_download": Rule("document", CONTRACT_READERS, private_file=True),
    # --- pages: payroll and breaches ----------------------------------------------------------
    "contracts:breaches": Rule(None, CONFIDENTIAL),
    "contracts:breaches_export": Rule(None, CONFIDENTIAL),
    "contracts:breach": Rule("breach", CONFIDENTIAL),
    "contracts:breach_findings_export": Rule("breach", CONFIDENTIAL),
    "contracts:breach_acknowledge": Rule("breach", CONFIDENTIAL, EMPLOYER),
    "contracts:breach_dispute": Rule("breach", CONFIDENTIAL, EMPLOYER, body={"reason": "The figures are wrong."}),
    "contracts:breach_remedy": Rule("breach", CONFIDENTIAL, EMPLOYER | UNION),
    "contracts:breach_close": Rule("breach", CONFIDENTIAL, UNION),
    "contracts:breach_notice": Rule("breach", CONFIDENTIAL, UNION),
    "contracts:payroll": Rule(None, CONFIDENTIAL, PAYROLL_ROLES),
    "contracts:payroll_import": Rule("payroll", CONFIDENTIAL),
    "contracts:payroll_import_file": Rule("payroll", CONFIDENTIAL, private_file=True),
    # --- pages: the workers' congress, on its open electronic ballot -------------------------
    "contracts:congress_index": Rule(None, ANY_USER),
    "contracts:congress_open": Rule("contract", CONTRACT_READERS, WRITERS, form=True),
    "contracts:congress_session": Rule("congress", CONTRACT_READERS),
    # The live count (an htmx partial, GET only) of an electronic ballot: whoever sees the session
    # sees how many have voted (the chair's page polls it, a delegate's fetches it after voting);
    # a paper tally has none, a 404 for everyone (tests/contracts/pages/test_congress_pages.py).
    "contracts:congress_count": Rule("congress", CONTRACT_READERS),
    "contracts:congress_vote": Rule("congress", CONTRACT_READERS, DELEGATES, body={"choice": "1", "confirm": "on"}),
    "contracts:congress_tally": Rule("congress", CONTRACT_READERS, WRITERS),
    "contracts:congress_close": Rule("congress", CONTRACT_READERS, WRITERS, body={"confirm": "on"}),
    "contracts:congress_cancel": Rule("congress", CONTRACT_READERS, WRITERS, body={"confirm": "on"}),
    # --- pages: negotiations ------------------------------------------------------------------
    "bargaining:index": Rule(None, ANY_USER),
    "bargaining:negotiation_create": Rule(None, ANY_USER, NEGOTIATORS, body={"enterprise": "{enterprise}"}),
    "bargaining:negotiation": Rule("negotiation", ALL_ROLES),
    "bargaining:negotiation_request": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "bargaining:negotiation_respond": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "bargaining:negotiation_representative_add": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "bargaining:negotiation_representative_update": Rule(
        "representative", ALL_ROLES, UNION_SIDE, body={"field": "is_external", "value": "0"}
    ),
    "bargaining:negotiation_representative_vacate": Rule(
        "representative", ALL_ROLES, UNION_SIDE, body={"vacate-{representative}-on": "{today}"}
    ),
    "bargaining:negotiation_suspend": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "bargaining:negotiation_resume": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "bargaining:negotiation_conclude": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "bargaining:round_open": Rule("negotiation", ALL_ROLES, NEGOTIATORS),
    "bargaining:round": Rule("session", ALL_ROLES),
    "bargaining:round_minutes": Rule("session", ALL_ROLES, NEGOTIATORS),
    "bargaining:round_agenda": Rule("session", ALL_ROLES, NEGOTIATORS),
    "bargaining:round_attendees": Rule("session", ALL_ROLES, NEGOTIATORS),
    "bargaining:round_proposal": Rule("session", ALL_ROLES, NEGOTIATORS),
    "bargaining:round_sign": Rule("session", ALL_ROLES, NOBODY),  # the chiefs sign, not a role
    "bargaining:gap": Rule("negotiation", ALL_ROLES),
}


# --- walking the URL conf --------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    route: str
    api: bool
    methods: tuple[str, ...]
    kwargs: tuple[str, ...]


def _methods(pattern: URLPattern) -> tuple[str, ...] | None:
    """The methods a view offers, read from the view: a viewset's action map, a class view's
    handlers; None for a function view (probed instead)."""
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if actions:
        allowed = view_class.http_method_names if view_class is not None else list(actions)
        # DRF adds "head" to a viewset's actions once it has answered a GET: left out, as below.
        return tuple(m.upper() for m in actions if m in allowed and m not in ("head", "options", "trace"))
    if view_class is not None:
        offered = [m for m in view_class.http_method_names if m not in ("head", "options", "trace")]
        return tuple(m.upper() for m in offered if hasattr(view_class, m))
    return None


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterable[tuple[str, str, URLPattern]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, route, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route, pattern
        else:
            yield "", route, pattern


def endpoints() -> list[Endpoint]:
    found = []
    for name, route, pattern in _walk(get_resolver()):
        clean = route.replace("^", "").replace("$", "")
        if clean.startswith(ALLOW_LIST) or name in ALLOW_NAMES:
            continue
        api = clean.startswith("api/")
        kwargs = tuple(sorted(set(pattern.pattern.regex.groupindex) | _prefix_kwargs(route)))
        found.append(Endpoint(name, clean, api, _methods(pattern) or ("GET", "POST"), kwargs))
    return found


def _prefix_kwargs(route: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))


# --- the data --------------------------------------------------------------------------------


@dataclass
class Person:
    label: str
    user: Any  # None: anonymous
    roles: frozenset[str]
    enterprise: Enterprise | None


@dataclass
class World:
    objects: dict[str, Any]
    own: dict[tuple[str, int], Person]  # (role, enterprise id) -> a person with that role there
    anonymous: Person
    nobody: Person
    other_officer: Person


def _alert(user) -> Alert:
    return Alert.objects.create(
        recipient=user, level=Level.WARNING, template="deadline_soon", context=deadline_context(), dedup_key="matrix"
    )


def _world() -> World:
    call_command("demo_data", "--password", "pass-word-123", stdout=io.StringIO())
    enterprises = list(Enterprise.objects.order_by("pk"))
    own: dict[tuple[str, int], Person] = {}
    for enterprise in enterprises:
        for role in Role.values:
            user = UserFactory(username=f"matrix-{role}-{enterprise.pk}")
            if role == Role.FEDERATION_OFFICER:
                Membership.objects.create(user=user, federation=enterprise.federation, role=role)
            else:
                Membership.objects.create(user=user, enterprise=enterprise, role=role)
            own[(role, enterprise.pk)] = Person(f"{role}@{enterprise.pk}", user, frozenset({role}), enterprise)
            _alert(user)
    elsewhere = Federation.objects.create(name="Another federation")
    officer = UserFactory(username="matrix-other-officer")
    Membership.objects.create(user=officer, federation=elsewhere, role=Role.FEDERATION_OFFICER)
    nobody = UserFactory(username="matrix-nobody")
    _alert(nobody)

    effective = Contract.objects.filter(status=ContractStatus.EFFECTIVE).order_by("pk").first()
    breach = Breach.objects.filter(contract=effective).order_by("pk").first()
    negotiation = Negotiation.objects.filter(sessions__isnull=False).order_by("pk").first()
    writer = Membership.objects.filter(enterprise=effective.enterprise, role=Role.ADMIN).first().user
    from contracts.services.documents import document_request

    document = document_request(user=writer, contract=effective, kind=DocumentKind.CONTRACT)
    objects = {
        "contract": effective,
        "clause": Clause.objects.filter(contract=effective).order_by("pk").first(),
        "payroll": PayrollImport.objects.filter(enterprise=effective.enterprise).order_by("pk").first(),
        "run": ComplianceRun.objects.filter(contract=effective).order_by("pk").first(),
        "breach": breach,
        # The open electronic ballot (the demo's other session is a closed paper tally).
        "congress": CongressSession.objects.filter(mode=CongressMode.BALLOT, closed_at__isnull=True)
        .order_by("pk")
        .first(),
        "document": document,
        "negotiation": negotiation,
        "representative": Representative.objects.filter(negotiation=negotiation).order_by("pk").first(),
        "session": ConsultationSession.objects.filter(negotiation=negotiation).order_by("pk").first(),
        "proposal": Proposal.objects.filter(negotiation=negotiation).order_by("pk").first(),
    }
    missing = [key for key, value in objects.items() if value is None]
    assert not missing, f"the demo data set lacks {missing}"
    return World(
        objects=objects,
        own=own,
        anonymous=Person("anonymous", None, NOBODY, None),
        nobody=Person("no role", nobody, NOBODY, None),
        other_officer=Person("officer of another federation", officer, frozenset({Role.FEDERATION_OFFICER}), None),
    )


def _enterprise_of(key: str, obj: Any) -> int:
    if key == "enterprise":
        return obj.pk
    if key in ("clause", "document", "congress", "run"):
        return obj.contract.enterprise_id
    if key in ("representative", "session", "proposal"):
        return obj.negotiation.enterprise_id
    return obj.enterprise_id


def _kwargs(endpoint: Endpoint, rule: Rule, world: World, person: Person, enterprise: Enterprise) -> dict[str, Any]:
    """The URL's ids for ``rule.obj`` (in ``enterprise``'s world), by the URL's own names."""
    o = world.objects
    values: dict[str, Any] = {"format": "json", "file_format": "docx"}
    obj = None
    if rule.obj == "alert":
        obj = None
    elif rule.obj == "enterprise":
        values["pk"] = enterprise.pk
    elif rule.obj is not None:
        obj = o[rule.obj]
    if obj is not None:
        values["pk"] = obj.pk
        if rule.obj == "contract":
            values["contract_pk"] = obj.pk
        elif rule.obj == "clause":
            values.update(pk=obj.contract_id, contract_pk=obj.contract_id, clause_id=obj.pk)
            if endpoint.api:
                values["pk"] = obj.pk
        elif rule.obj == "document":
            values.update(contract_pk=obj.contract_id, document_id=obj.pk)
        elif rule.obj == "congress":
            values["session_id"] = obj.pk
        elif rule.obj == "negotiation":
            values["negotiation_pk"] = obj.pk
        elif rule.obj in ("representative", "session", "proposal"):
            values.update(pk=obj.negotiation_id, negotiation_pk=obj.negotiation_id)
            values["representative_id" if rule.obj == "representative" else "round_id"] = obj.pk
            if endpoint.api:
                values["pk"] = obj.pk
    return {name: values[name] for name in endpoint.kwargs}


# --- the expectation -------------------------------------------------------------------------

OK = "allowed (not 401/403/404/5xx)"
HIDDEN = "404"
REFUSED = "403"
LIST_DENIED = "403 or an empty 200"
FOREIGN = "400, 403 or 404"
LIST_OR_NOTHING = "200, or 403 where the user holds the role in no enterprise"
LOGIN = "401/403 (API) or a redirect to the login page"


def expected(rule: Rule, method: str, person: Person, *, same_enterprise: bool) -> str:
    if person.user is None:
        return LOGIN
    reading = method == "GET" and not rule.form
    allowed_roles = rule.read if reading else rule.writers(method)
    if rule.obj == "alert":
        return OK if same_enterprise else HIDDEN
    if allowed_roles == ANY_USER:
        return OK
    if rule.obj is None:
        if reading:  # a list of what the user's own roles let them read, wherever they hold them
            if not person.roles & allowed_roles:
                return LIST_DENIED
            return OK if person.enterprise is not None else LIST_OR_NOTHING
        if not same_enterprise:  # a new object named in another enterprise
            return FOREIGN
        return OK if person.roles & allowed_roles else REFUSED
    if not same_enterprise:
        return HIDDEN
    if person.roles & allowed_roles:
        return OK
    if not reading and person.roles & rule.read:
        return REFUSED
    return HIDDEN


def matches(outcome: str, status: int, response, *, api: bool, private: bool = False) -> bool:
    if status >= 500:
        return False
    if outcome == LOGIN:
        if private and status == 404:
            return True
        if api:
            return status in (401, 403)
        return status == 302 and "/accounts/login/" in response["Location"]
    if outcome == OK:
        return status not in (401, 403, 404)
    if outcome == HIDDEN:
        return status == 404
    if outcome == REFUSED:
        return status == 403
    if outcome == FOREIGN:
        return status in (400, 403, 404)
    if outcome == LIST_OR_NOTHING:
        return status in (200, 403)
    if outcome == LIST_DENIED:
        if status == 403:
            return True
        if status != 200:
            return False
        if api and response.get("Content-Type", "").startswith("application/json"):
            data = response.json()
            items = data.get("results", data) if isinstance(data, dict) else data
            return not items
        return True
    raise AssertionError(outcome)


def _filled(body: dict[str, Any], world: World, enterprise: Enterprise) -> dict[str, Any]:
    o = world.objects
    subs = {
        "enterprise": enterprise.pk,
        "contract": o["contract"].pk,
        "payroll": o["payroll"].pk,
        "file": None,
        "today": timezone.localdate().isoformat(),
        "representative": o["representative"].pk,
    }
    filled = {
        key.format(**subs): (subs[value[1:-1]] if isinstance(value, str) and value.startswith("{") else value)
        for key, value in body.items()
    }
    if "file" in filled:
        filled["file"] = SimpleUploadedFile("payroll.csv", b"employee_id,period,base_wage\nE1,2026-01,3000\n")
    return filled


@pytest.fixture
def quiet_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_PDF = False


def test_every_endpoint_has_a_rule():
    unruled = sorted({e.name or e.route for e in endpoints()} - set(RULES))
    assert not unruled, (
        "These URLs have no rule in tests/test_permission_matrix.py RULES; add one saying who may "
        f"read and write them: {unruled}"
    )


def test_permission_matrix(quiet_media, django_capture_on_commit_callbacks):
    world = _world()
    clients: dict[int | None, Any] = {}

    def client_for(person: Person, api: bool):
        key = (person.user.pk if person.user else None, api)
        if key not in clients:
            client = APIClient() if api else Client()
            client.raise_request_exception = False  # a 500 is a mismatch to list, not a crash
            if person.user is not None:
                if api:
                    client.force_authenticate(person.user)
                else:
                    client.force_login(person.user)
            clients[key] = client
        return clients[key]

    offered: dict[tuple[str, str], bool] = {}
    mismatches: list[str] = []
    cases = 0
    enterprises = {e.pk: e for e in Enterprise.objects.filter(memberships__user__username__startswith="matrix-")}
    for endpoint in endpoints():
        rule = RULES.get(endpoint.name)
        if rule is None:
            continue
        home_id = (
            _enterprise_of(rule.obj, world.objects[rule.obj])
            if rule.obj not in (None, "alert", "enterprise")
            else world.objects["contract"].enterprise_id
        )
        home = enterprises[home_id]
        other = next(e for pk, e in enterprises.items() if pk != home_id)
        people: list[tuple[Person, bool]] = [(world.anonymous, True), (world.nobody, False)]
        people += [(world.own[(role, home.pk)], True) for role in Role.values]
        people += [(world.own[(role, other.pk)], False) for role in Role.values if role != Role.FEDERATION_OFFICER]
        people.append((world.other_officer, False))
        for method in endpoint.methods:
            for person, same in people:
                if rule.obj == "alert":
                    # Each person's own alert, or somebody else's.
                    target = person if same or person.user is None else world.nobody
                    owner = target.user or world.nobody.user
                    alert_id = Alert.objects.filter(recipient=owner).values_list("pk", flat=True).first()
                    if not same and person.user is not None:
                        alert_id = Alert.objects.exclude(recipient=person.user).values_list("pk", flat=True).first()
                    kwargs = dict.fromkeys(endpoint.kwargs, alert_id)
                    same_enterprise = same or person.user is None
                else:
                    kwargs = _kwargs(endpoint, rule, world, person, home)
                    same_enterprise = same
                if rule.obj == "enterprise" and not same and person.user is not None:
                    same_enterprise = False
                url = reverse(endpoint.name, kwargs=kwargs)
                body = _filled(rule.body, world, home) if method != "GET" else {}
                client = client_for(person, endpoint.api)
                if endpoint.api and not ("GET" in endpoint.methods or method == "GET"):
                    pass
                key = (endpoint.route, method)
                if not endpoint.api and key not in offered:
                    probe = client_for(world.own[(Role.ADMIN, home.pk)], False)
                    with transaction.atomic():
                        answer = getattr(probe, method.lower())(url, body)
                        transaction.set_rollback(True)
                    offered[key] = answer.status_code != 405
                if not endpoint.api and not offered[key]:
                    continue
                if (
                    not endpoint.api
                    and method != "GET"
                    and rule.writers(method) == NOBODY
                    and offered.get((endpoint.route, "GET"))
                ):
                    continue  # a page to read, which answers a POST as a GET: nothing is written
                with transaction.atomic():
                    call = getattr(client, method.lower())
                    if endpoint.api and method != "GET":
                        response = call(url, body, format="multipart" if "file" in body else "json")
                    else:
                        response = call(url, body)
                    transaction.set_rollback(True)
                cases += 1
                outcome = expected(rule, method, person, same_enterprise=same_enterprise)
                if not matches(outcome, response.status_code, response, api=endpoint.api, private=rule.private_file):
                    mismatches.append(
                        f"{method} {url} [{endpoint.name}] as {person.label}"
                        f"{'' if same_enterprise else ' (other enterprise)'}: "
                        f"expected {outcome}, got {response.status_code}"
                    )
    print(f"permission matrix: {cases} cases")
    assert not mismatches, f"{len(mismatches)} of {cases} cases differ from RULES:\n" + "\n".join(mismatches)
