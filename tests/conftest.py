"""Shared fixtures: API clients acting as users with roles, and a ready negotiation."""

import pytest
from rest_framework.test import APIClient

from bargaining.models import NegotiationStatus, Side
from contracts.models import Role
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    NegotiationFactory,
    RepresentativeFactory,
    UserFactory,
)


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory()


@pytest.fixture
def make_member(db):
    """A user holding ``roles`` in ``enterprise``."""

    def make(enterprise, *roles, **user_fields):
        user = UserFactory(**user_fields)
        for role in roles or (Role.UNION_NEGOTIATOR,):
            MembershipFactory(user=user, enterprise=enterprise, role=role)
        return user

    return make


@pytest.fixture
def client_for():
    """An API client authenticated as ``user``."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def union_user(enterprise, make_member):
    return make_member(enterprise, Role.UNION_NEGOTIATOR)


@pytest.fixture
def employer_user(enterprise, make_member):
    return make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)


@pytest.fixture
def staffed_negotiation(enterprise, union_user, employer_user):
    """An accepted negotiation with three representatives a side, each chief linked to a login."""
    negotiation = NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.PREPARING, requested_by=Side.UNION)
    RepresentativeFactory(negotiation=negotiation, side=Side.UNION, is_chief=True, user=union_user, name="Union chief")
    RepresentativeFactory.create_batch(2, negotiation=negotiation, side=Side.UNION)
    RepresentativeFactory(
        negotiation=negotiation, side=Side.EMPLOYER, is_chief=True, user=employer_user, name="Employer chief"
    )
    RepresentativeFactory.create_batch(2, negotiation=negotiation, side=Side.EMPLOYER)
    return negotiation
