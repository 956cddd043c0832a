"""Factories for the test suite: valid objects by default, every field overridable."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from bargaining.models import ConsultationSession, Negotiation, NegotiationStatus, Proposal, Representative, Side
from contracts.models import Enterprise, Federation, Membership, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")


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
