"""Shared fixtures: API clients acting as users with roles, a ready negotiation, a fresh media
folder, and a real SMTP server with the outbox sent the way the worker sends it."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bargaining.models import NegotiationStatus, Side
from bargaining.services.negotiations import negotiation_request, negotiation_respond
from bargaining.services.sessions import session_create, session_sign
from contracts.enterprises.models import Role
from notifications.models import Delivery, DeliveryStatus
from notifications.services import TemporarySendError, delivery_send
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    NegotiationFactory,
    RepresentativeFactory,
    UserFactory,
    staff_side,
)
from tests.smtp import SMTPServer


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


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files (uploads, columnar copies, documents) go to a fresh folder, so a test can see
    exactly what was stored; no PDF is made unless a test asks for one (LibreOffice is slow)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_PDF = False
    return settings.MEDIA_ROOT


@pytest.fixture
def smtp_server():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_backend(settings, smtp_server):
    """Django's test setup swaps in the in-memory mail backend; these tests switch the
    SMTP backend back on, pointed at the test server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    return smtp_server


@pytest.fixture
def send_outbox():
    """Send every pending delivery once, in this process, as ``notifications.send_delivery``
    would; returns the deliveries' statuses."""

    def send() -> list[str]:
        statuses = []
        pending = Delivery.objects.filter(status=DeliveryStatus.PENDING).order_by("pk")
        for delivery_id in pending.values_list("pk", flat=True):
            try:
                delivery = delivery_send(delivery_id=delivery_id)
            except TemporarySendError:
                statuses.append(DeliveryStatus.PENDING)
            else:
                statuses.append(delivery.status if delivery else None)
        return statuses

    return send


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.5 s per user; the suite creates hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _throttle_counters_of_this_test_only(monkeypatch):
    """DRF's throttle counters live in the shared cache, keyed by user id, and ids repeat from
    test to test: each test counts under its own keys (config/auth/throttles.py)."""
    import uuid

    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "cache_format", f"throttle_{uuid.uuid4().hex}_%(scope)s_%(ident)s")
