"""Shared fixtures: API clients acting as users with roles, and a ready negotiation."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bargaining.models import NegotiationStatus, Side
from bargaining.services.negotiations import negotiation_request, negotiation_respond
from bargaining.services.sessions import session_create, session_sign
from contracts.enterprises.models import Role
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    NegotiationFactory,
    RepresentativeFactory,
    UserFactory,
    staff_side,
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


@pytest.fixture
def session_client_for():
    """An API client logged in through the session (as the web pages are), so the
    history middleware sees the user."""

    def make(user):
        client = APIClient()
        # As stored: UserFactory's password is set in memory only, and a session whose
        # password hash differs from the stored one is logged out on the next request.
        client.force_login(type(user).objects.get(pk=user.pk))
        return client

    return make


@pytest.fixture
def freeze_now(monkeypatch):
    """Pin ``django.utils.timezone.now`` (and so ``localdate``) to an aware instant."""

    def freeze(instant):
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return freeze


@pytest.fixture
def accepted_negotiation(enterprise, union_user, employer_user):
    """A negotiation taken through the API's own path: the union's request received on
    2026-03-02, accepted by the employer on 2026-03-10, three representatives a side
    with each chief linked to a login."""
    negotiation = NegotiationFactory(enterprise=enterprise)
    negotiation_request(
        user=union_user, negotiation=negotiation, requested_by=Side.UNION, received_on=dt.date(2026, 3, 2)
    )
    negotiation_respond(user=employer_user, negotiation=negotiation, accepted=True, responded_on=dt.date(2026, 3, 10))
    staff_side(negotiation, Side.UNION, chief_user=union_user)
    staff_side(negotiation, Side.EMPLOYER, chief_user=employer_user)
    negotiation.refresh_from_db()
    return negotiation


@pytest.fixture
def negotiation_in_rounds(accepted_negotiation, union_user):
    """The accepted negotiation after its first round (chaired by the union, minutes not yet signed)."""
    session_create(
        user=union_user,
        negotiation=accepted_negotiation,
        held_at=timezone.now() - dt.timedelta(days=1),
        location="Room 1",
        minutes="Round 1: both sides stated their positions.",
    )
    accepted_negotiation.refresh_from_db()
    return accepted_negotiation


@pytest.fixture
def first_round(negotiation_in_rounds):
    return negotiation_in_rounds.sessions.get(round_no=1)


@pytest.fixture
def sign_both(union_user, employer_user):
    """Both chief representatives of the staffed negotiation sign a round's minutes."""

    def sign(session):
        session_sign(user=union_user, session=session)
        session_sign(user=employer_user, session=session)
        session.refresh_from_db()
        return session

    return sign


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.5 s per user; the suite creates hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
