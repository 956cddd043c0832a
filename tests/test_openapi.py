"""The OpenAPI schema at /api/schema/ is served and generates without a warning."""

import json

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_served_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Concord API"


def test_schema_is_served_as_yaml_by_default():
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    assert "openapi" in response["Content-Type"]
    assert response.content.startswith(b"openapi: 3.")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/enterprises/", "get"),
        ("/api/v1/enterprises/{id}/", "patch"),
        ("/api/v1/enterprises/{id}/members/", "post"),
        ("/api/v1/negotiations/", "post"),
        ("/api/v1/negotiations/{id}/request/", "post"),
        ("/api/v1/negotiations/{id}/respond/", "post"),
        ("/api/v1/negotiations/{id}/suspend/", "post"),
        ("/api/v1/negotiations/{id}/resume/", "post"),
        ("/api/v1/negotiations/{id}/conclude/", "post"),
        ("/api/v1/negotiations/{id}/history/", "get"),
        ("/api/v1/negotiations/{negotiation_pk}/representatives/", "post"),
        ("/api/v1/negotiations/{negotiation_pk}/representatives/{id}/vacate/", "post"),
        ("/api/v1/negotiations/{negotiation_pk}/sessions/{id}/", "put"),
        ("/api/v1/negotiations/{negotiation_pk}/sessions/{id}/sign/", "post"),
        ("/api/v1/negotiations/{negotiation_pk}/proposals/", "post"),
        ("/api/v1/negotiations/{negotiation_pk}/proposals/gap/", "get"),
    ],
)
def test_schema_documents_every_bargaining_operation(schema, path, method):
    assert method in schema["paths"].get(path, {}), f"{method.upper()} {path} missing"


def test_schema_documents_the_reply_rule_and_representation_problems(schema):
    detail = schema["components"]["schemas"]["NegotiationDetail"]["properties"]

    assert {"reply_due", "reply_rule", "reply_overdue", "representation_problems", "agreed_positions"} <= set(detail)
    rule = schema["components"]["schemas"]["Rule"]["properties"]
    assert {"rule", "article", "pack", "detail", "params"} <= set(rule)


def test_schema_generation_raises_no_warning_or_error():
    GENERATOR_STATS._warn_cache.clear()
    GENERATOR_STATS._error_cache.clear()

    SchemaGenerator().get_schema(request=None, public=True)

    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}


def test_spectacular_command_validates_with_fail_on_warn(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert target.read_text(encoding="utf-8").startswith("openapi: 3.")
