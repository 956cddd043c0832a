"""The two enterprises the API fuzzing run (``bench/fuzz_api.py``) works on: A, whose user the
fuzzer logs in as, and B, whose objects it must never reach.

Each gets the demo's whole story (``demo_data``'s own steps, run on one enterprise): a negotiation
three rounds in with representatives, sessions and proposals, a second one requested, a draft wage
contract, a contract in effect (congress tally, signatures, filing, versions), a wage contract
before the congress with its secret ballot open and ballots cast, a payroll imported and checked
(runs, breaches, findings), generated documents and alerts. B's texts carry a marker
(``LEAKMARK-B-…``) and every id of B's is recorded, by kind, so the fuzzer can watch for both.
Run inside a Django process (``django.setup()`` done), on a migrated database.
"""

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Left


def _people(tag: str, letter: str, marker: str, enterprise, password: str) -> dict[str, Any]:
    """The enterprise's logins under the names ``demo_data``'s story expects, plus three delegates."""
    from bargaining.management.commands.demo_data import Command, Person
    from contracts.enterprises.models import Role

    name = enterprise.name
    cast = {
        "demo": (Role.UNION_NEGOTIATOR, Role.UNION_LEADER, Role.ADMIN),
        "demo-employer": (Role.EMPLOYER_NEGOTIATOR,),
        "demo-machinery-union": (Role.UNION_NEGOTIATOR,),
        "demo-machinery-employer": (Role.EMPLOYER_NEGOTIATOR,),
        **{f"delegate-{n}": (Role.CONGRESS_DELEGATE,) for n in (1, 2, 3)},
    }
    command = Command()
    people = {}
    for key, roles in cast.items():
        person = Person(f"fuzz-{tag}-{letter}-{key}", f"{marker} {key}" if marker else f"A {key}", ())
        person = Person(person.username, person.name, tuple((name, role) for role in roles))
        people[key] = command._person(person, password, {name: enterprise})
    return people


def _enterprise(tag: str, letter: str, marker: str):
    from contracts.enterprises.models import Enterprise, Federation

    label = f"{marker} " if marker else ""
    federation = Federation.objects.create(name=f"{label}Fuzz federation {letter} {tag}")
    return Enterprise.objects.create(
        name=f"{label}Fuzz enterprise {letter} {tag}",
        union_name=f"{label}Fuzz enterprise {letter} {tag} union",
        federation=federation,
        rule_pack="national",
        local_minimum_wage="2500.00",
        local_minimum_wage_since=dt.date(2025, 3, 1),
    )


def _documents(enterprise, user) -> None:
    """A contract document of every contract, a resolution and a rectification notice, rendered now."""
    from contracts.compliance.models import Breach
    from contracts.models import CongressSession, Contract
    from contracts.services.documents import document_render, document_request

    requested = []
    for contract in Contract.objects.filter(enterprise=enterprise):
        requested.append(document_request(user=user, contract=contract, kind="contract"))
    for session in CongressSession.objects.filter(contract__enterprise=enterprise, closed_at__isnull=False):
        requested.append(
            document_request(user=user, contract=session.contract, kind="resolution", subject_id=session.pk)
        )
    breach = Breach.objects.filter(enterprise=enterprise).first()
    if breach is not None:
        requested.append(
            document_request(user=user, contract=breach.contract, kind="rectification_notice", subject_id=breach.pk)
        )
    for document in requested:
        document_render(document_id=document.pk)


def _ballots(enterprise, people) -> None:
    from contracts.models import CongressSession
    from contracts.services import congress

    session = CongressSession.objects.filter(contract__enterprise=enterprise, mode="ballot").first()
    if session is None:
        return
    for key, choice in (("delegate-1", "yes"), ("delegate-2", "no")):
        congress.ballot_cast(user=people[key], session=session, choice=choice)


def _alerts(people, marker: str) -> None:
    """Mark the alerts the seeding raised (breaches found, deadlines) for the enterprise's logins."""
    from notifications.models import Alert

    for alert in Alert.objects.filter(recipient__in=list(people.values())):
        alert.context = {**alert.context, "fuzz_marker": marker}
        alert.save(update_fields=["context"])


def _mark(enterprise, marker: str) -> None:
    """Put ``marker`` in every text of B's that the API shows."""
    from bargaining.models import ConsultationSession, Negotiation, Proposal, Representative
    from contracts.compliance.models import Breach, PayrollImport
    from contracts.models import Clause, Contract

    def append(queryset, field: str, max_length: int) -> None:
        queryset.update(**{field: Left(Concat(Value(f"{marker} "), F(field)), max_length)})

    append(Negotiation.objects.filter(enterprise=enterprise), "title", 200)
    append(Negotiation.objects.filter(enterprise=enterprise), "request_text", 10_000)
    append(Representative.objects.filter(negotiation__enterprise=enterprise), "name", 100)
    append(ConsultationSession.objects.filter(negotiation__enterprise=enterprise), "location", 200)
    append(ConsultationSession.objects.filter(negotiation__enterprise=enterprise), "minutes", 10_000)
    append(Proposal.objects.filter(negotiation__enterprise=enterprise), "text", 10_000)
    append(Contract.objects.filter(enterprise=enterprise), "title", 200)
    append(Clause.objects.filter(contract__enterprise=enterprise), "title", 200)
    append(Clause.objects.filter(contract__enterprise=enterprise), "text", 10_000)
    append(PayrollImport.objects.filter(enterprise=enterprise), "original_name", 255)
    append(Breach.objects.filter(enterprise=enterprise), "worst_employee", 64)


def _ids(enterprise, people) -> dict[str, list[int]]:
    """Every id of the enterprise's, by kind (the kinds of ``SEGMENT_KINDS``)."""
    from bargaining.models import ConsultationSession, Negotiation, Proposal, Representative
    from contracts.compliance.models import Breach, ComplianceRun, PayrollImport
    from contracts.models import Clause, CongressSession, Contract, Document
    from notifications.models import Alert

    querysets = {
        "enterprise": type(enterprise).objects.filter(pk=enterprise.pk),
        "contract": Contract.objects.filter(enterprise=enterprise),
        "clause": Clause.objects.filter(contract__enterprise=enterprise),
        "document": Document.objects.filter(contract__enterprise=enterprise),
        "payroll_import": PayrollImport.objects.filter(enterprise=enterprise),
        "compliance_run": ComplianceRun.objects.filter(contract__enterprise=enterprise),
        "breach": Breach.objects.filter(enterprise=enterprise),
        "congress_session": CongressSession.objects.filter(contract__enterprise=enterprise),
        "negotiation": Negotiation.objects.filter(enterprise=enterprise),
        "representative": Representative.objects.filter(negotiation__enterprise=enterprise),
        "session": ConsultationSession.objects.filter(negotiation__enterprise=enterprise),
        "proposal": Proposal.objects.filter(negotiation__enterprise=enterprise),
        "alert": Alert.objects.filter(recipient__in=list(people.values())),
        "user": type(people["demo"]).objects.filter(pk__in=[user.pk for user in people.values()]),
    }
    return {kind: sorted(queryset.values_list("pk", flat=True)) for kind, queryset in querysets.items()}


def _parents(enterprise) -> dict[str, dict[int, int]]:
    """For the nested kinds, each id's parent (clause → contract, representative → negotiation, …)."""
    from bargaining.models import ConsultationSession, Proposal, Representative
    from contracts.models import Clause, Document

    return {
        "clause": dict(Clause.objects.filter(contract__enterprise=enterprise).values_list("pk", "contract_id")),
        "document": dict(Document.objects.filter(contract__enterprise=enterprise).values_list("pk", "contract_id")),
        "representative": dict(
            Representative.objects.filter(negotiation__enterprise=enterprise).values_list("pk", "negotiation_id")
        ),
        "session": dict(
            ConsultationSession.objects.filter(negotiation__enterprise=enterprise).values_list("pk", "negotiation_id")
        ),
        "proposal": dict(
            Proposal.objects.filter(negotiation__enterprise=enterprise).values_list("pk", "negotiation_id")
        ),
    }


def seed_enterprise(tag: str, letter: str, marker: str, password: str) -> dict[str, Any]:
    """One enterprise with the demo's whole story; what the run needs to know of it (``skipped``:
    the parts that could not be built, with the reason, e.g. a model whose migration is missing)."""
    from bargaining.management.commands.demo_data import Command
    from bargaining.services.deadline_alerts import negotiation_deadline_alerts_raise
    from contracts.services.deadline_alerts import contract_deadline_alerts_raise

    command = Command()
    with transaction.atomic():
        enterprise = _enterprise(tag, letter, marker)
        people = _people(tag, letter, marker, enterprise, password)
        command._story(people, machinery=enterprise, textiles=enterprise)
    skipped = []
    try:
        with transaction.atomic():
            command._wage_contract_in_congress(enterprise, union=people["demo"], employer=people["demo-employer"])
            _ballots(enterprise, people)
    except Exception as error:  # reported in the summary: the run goes on without the open ballot
        skipped.append(f"secret ballot session: {type(error).__name__}: {error}")
    _documents(enterprise, people["demo"])
    contract_deadline_alerts_raise()
    negotiation_deadline_alerts_raise()
    if marker:
        _mark(enterprise, marker)
        _alerts(people, marker)
    return {
        "enterprise": enterprise.pk,
        "login": people["demo"].username,
        "ids": _ids(enterprise, people),
        "parents": _parents(enterprise),
        "skipped": skipped,
    }


def seed() -> dict[str, Any]:
    """Enterprises A and B (new ones, names unique to this run), B's marker and both sides' ids."""
    tag = secrets.token_hex(3)
    marker = f"LEAKMARK-B-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    a = seed_enterprise(tag, "A", "", password)
    b = seed_enterprise(tag, "B", marker, password)
    return {"tag": tag, "password": password, "markers": [marker], "a": a, "b": b}
