"""Factories for the test suite: valid objects by default, every field overridable."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
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
from contracts.enterprises.models import Enterprise, Federation, Membership, Role


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
