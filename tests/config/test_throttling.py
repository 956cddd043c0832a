"""DRF throttles: the token endpoint per client address (API_TOKEN_RATE) and writes per
logged-in user (API_WRITE_RATE); a throttled request gets 429, Retry-After and a sentence.

DRF reads the rates into the throttle class when it is imported, so the tests set the class's
rates, as the settings would at start-up."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from rest_framework.test import APIClient

from config.auth.throttles import TokenRateThrottle, WriteRateThrottle
from contracts.enterprises.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**given):
        rates = {"token": "1000/min", "write": "1000/min", **given}
        monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", rates)
        monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", rates)

    return set_rates


def test_the_rates_come_from_the_settings_with_generous_defaults():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {"token": "10/min", "write": "120/min"}
    assert TokenRateThrottle.THROTTLE_RATES["token"] == "10/min"


def test_the_token_endpoint_answers_429_once_its_rate_is_spent(rates):
    rates(token="3/min")
    get_user_model().objects.create_user("wang.li", password=PASSWORD)
    client = APIClient(REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en")

    answers = [
        client.post("/api/v1/auth/token/", {"username": "wang.li", "password": PASSWORD}).status_code for _ in range(3)
    ]
    throttled = client.post("/api/v1/auth/token/", {"username": "wang.li", "password": PASSWORD})

    assert answers == [200, 200, 200]
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert throttled.json()["message"].startswith("Too many token requests from your address. Try again in ")
    assert 0 < int(throttled["Retry-After"]) <= 60
    # Another address has its own count.
    other = APIClient(REMOTE_ADDR="198.51.100.20")
    assert other.post("/api/v1/auth/token/", {"username": "wang.li", "password": PASSWORD}).status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_token_throttle(rates):
    rates(token="2/min")
    client = APIClient(REMOTE_ADDR="203.0.113.7")

    answers = [
        client.post(
            "/api/v1/auth/token/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(3)
    ]

    assert answers == [400, 400, 429]


def test_writes_are_throttled_at_the_configured_rate_and_reads_are_not(rates, enterprise, make_member, client_for):
    rates(write="3/min")
    user = make_member(enterprise, Role.UNION_NEGOTIATOR)
    client = client_for(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")

    writes = [client.post("/api/v1/auth/tokens/revoke-all/").status_code for _ in range(3)]
    throttled = client.post("/api/v1/auth/tokens/revoke-all/")

    assert writes == [200, 200, 200]
    assert throttled.status_code == 429
    assert throttled.json()["message"].startswith("Too many changes in a short time. Try again in ")
    assert client.get("/api/v1/auth/tokens/").status_code == 200
    # Another user's writes are counted apart.
    assert client_for(make_member(enterprise)).post("/api/v1/auth/tokens/revoke-all/").status_code == 200


def test_the_throttle_message_is_in_the_readers_language(rates, enterprise, make_member, client_for):
    rates(write="1/min")
    client = client_for(make_member(enterprise))
    client.post("/api/v1/auth/tokens/revoke-all/")

    throttled = client.post("/api/v1/auth/tokens/revoke-all/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert throttled.status_code == 429
    seconds = int(throttled["Retry-After"])
    with translation.override("zh-hans"):
        assert throttled.json()["message"] == WriteRateThrottle().refusal(seconds)
