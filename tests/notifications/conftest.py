"""Fixtures for the notifications tests: a real SMTP server, the SMTP backend switched
back on, and the outbox sent in this process the way the worker sends it."""

import pytest

from notifications.models import Delivery, DeliveryStatus
from notifications.services import TemporarySendError, delivery_send
from tests.notifications.smtp import SMTPServer


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


def breach_context(**overrides):
    """What ``contracts.compliance.services.runs.breach_facts`` hands to ``alert_raise``."""
    return {
        "breach": 1,
        "enterprise": "Hengda Textiles",
        "contract": "Collective contract 2026–2029",
        "clause": "3",
        "term_kind": "min_monthly_wage",
        "period": "2026-03",
        "unit": "fen",
        "affected": 12,
        "total_shortfall": 123456,
        "worst_shortfall": 30000,
        "rule": "R13",
        "article": "Labour Law, Art. 48",
        **overrides,
    }


def deadline_context(**overrides):
    """What the domain's deadline sweeps hand to ``alert_raise``."""
    return {
        "deadline": "R8",
        "rule": "R8",
        "what": "filing the signed contract with the labour administration",
        "who": "the employer side",
        "title": "Collective contract 2026–2029",
        "detail": "",
        "enterprise": "Hengda Textiles",
        "due": "2026-03-24",
        "contract": 7,
        **overrides,
    }
