"""Factories for the test suite: valid objects by default, every field overridable; and the
few objects the tests build through the services (a contract in effect, a payroll imported
and checked), as the lifecycle and the tasks would leave them."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bargaining.models import (
    AgreedPosition,
    ConsultationSession,
    Negotiation,
    NegotiationStatus,
    Proposal,
    Representative,
    Side,
)
from contracts.compliance.models import ComplianceRun, PayrollImport
from contracts.compliance.services.imports import payroll_import_process, payroll_import_upload
from contracts.compliance.services.runs import compliance_run_execute
from contracts.enterprises.models import Enterprise, Federation, Membership, Role
from contracts.models import Contract, ContractStatus
from contracts.services.lifecycle import contract_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("pass-word-123")


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation

    name = factory.Sequence(lambda n: f"Federation {n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Enterprise {n}")
    union_name = factory.LazyAttribute(lambda enterprise: f"{enterprise.name} union")
    federation = factory.SubFactory(FederationFactory)
    rule_pack = "national"
    local_minimum_wage = "2690.00"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = Role.UNION_NEGOTIATOR


class NegotiationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Negotiation

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"Negotiation {n}")
    kind = "general"
    status = NegotiationStatus.DRAFT


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    negotiation = factory.SubFactory(NegotiationFactory)
    side = Side.UNION
    name = factory.Sequence(lambda n: f"Representative {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationSession

    negotiation = factory.SubFactory(NegotiationFactory, status=NegotiationStatus.IN_ROUNDS)
    round_no = factory.Sequence(lambda n: n + 1)
    held_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    location = "Meeting room"
    chair_side = Side.UNION
    minutes = "Both sides stated their positions."


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    session = factory.SubFactory(SessionFactory)
    negotiation = factory.SelfAttribute("session.negotiation")
    side = Side.UNION
    clause_category = "pay"
    term_kind = "min_monthly_wage"
    params = factory.LazyFunction(lambda: {"amount": "3000"})


class FederationOfficerFactory(factory.django.DjangoModelFactory):
    """A federation officer's membership: scoped to a federation, not to an enterprise."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    federation = factory.SubFactory(FederationFactory)
    enterprise = None
    role = Role.FEDERATION_OFFICER


class AgreedPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreedPosition

    negotiation = factory.SubFactory(NegotiationFactory, status=NegotiationStatus.CONCLUDED)
    clause_category = "pay"
    term_kind = "min_monthly_wage"
    params = factory.LazyFunction(lambda: {"amount": "3000"})


def staff_side(negotiation, side, *, count=3, chief_user=None, external=0, chief=True, prefix=None):
    """``count`` serving representatives on ``side``: the first is chief (linked to
    ``chief_user``), the last ``external`` are outside experts."""
    prefix = prefix or f"{side.capitalize()} rep"
    members = []
    for index in range(count):
        is_chief = chief and index == 0
        members.append(
            RepresentativeFactory(
                negotiation=negotiation,
                side=side,
                name=f"{prefix} {negotiation.pk}-{index + 1}",
                is_chief=is_chief,
                user=chief_user if is_chief else None,
                is_external=index >= count - external,
            )
        )
    return members


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract row as stored; use ``contract_in_effect`` (or ``contract_in_congress`` in the
    contracts tests) for one taken through the services."""

    class Meta:
        model = Contract

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"Collective contract {n}")
    kind = "general"
    status = ContractStatus.DRAFT
    term_start = dt.date(2026, 7, 1)
    term_end = dt.date(2029, 6, 30)


MIN_WAGE = {"kind": "min_monthly_wage", "params": {"amount": "3000"}}


def contract_in_effect(
    enterprise,
    user,
    *,
    title="Collective contract",
    term_start=dt.date(2025, 1, 1),
    term_end=dt.date(2025, 12, 31),
    terms=(MIN_WAGE,),
    status=ContractStatus.EFFECTIVE,
) -> Contract:
    """A contract drafted through the service by ``user``, its clause 5 holding ``terms`` (a
    3000 CNY monthly minimum unless told), then put in ``status`` and in effect from its first
    day, as the lifecycle would leave it (test setup: the lifecycle is tested on its own)."""
    contract = contract_create(
        user=user,
        enterprise=enterprise,
        kind="general",
        title=title,
        term_start=term_start,
        term_end=term_end,
        clauses=[{"number": "5", "category": "pay", "title": "Wages", "text": "Wages.", "terms": list(terms)}],
    )
    Contract.objects.filter(pk=contract.pk).update(status=status, effective_on=term_start)
    contract.refresh_from_db()
    return contract


def payroll_csv(*rows, columns=("employee_id", "period", "base_wage")) -> bytes:
    """A payroll CSV: a header of ``columns`` and one line per row, each cell as ``str`` writes it."""
    return "\n".join([",".join(columns), *(",".join(str(cell) for cell in row) for row in rows), ""]).encode()


def payroll_upload(user, enterprise, content: bytes, *, name="payroll.csv") -> PayrollImport:
    """A payroll file uploaded through the service: kept, and pending until it is processed."""
    return payroll_import_upload(
        user=user, enterprise=enterprise, upload=SimpleUploadedFile(name, content, content_type="text/csv")
    )


def payroll_import(user, enterprise, content: bytes, *, name="payroll.csv") -> PayrollImport:
    """A payroll file uploaded and processed through the services, as the import task would."""
    return payroll_import_process(payroll_id=payroll_upload(user, enterprise, content, name=name).pk)


def payroll_check(user, enterprise, content: bytes) -> list[ComplianceRun]:
    """Import ``content`` and run the checks it starts, through the services the tasks call."""
    payroll = payroll_upload(user, enterprise, content)
    payroll_import_process(payroll_id=payroll.pk)
    runs = list(ComplianceRun.objects.filter(payroll_import=payroll))
    for run in runs:
        compliance_run_execute(run_id=run.pk)
    return runs
