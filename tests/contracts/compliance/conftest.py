"""Fixtures for the compliance tests: the union negotiator's API client, and payroll files
uploaded through the API with the tasks they queue on commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture
def client(union_user, client_for):
    """The union negotiator's API client (in place of pytest-django's test client)."""
    return client_for(union_user)


@pytest.fixture
def upload(client, enterprise, django_capture_on_commit_callbacks):
    """Upload ``content`` through the API; returns the response and the tasks queued on commit."""

    def post(content: bytes, *, name: str = "payroll.csv", as_client=None, to=None):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = (as_client or client).post(
                "/api/v1/payroll-imports/",
                {
                    "enterprise": (to or enterprise).pk,
                    "file": SimpleUploadedFile(name, content, content_type="text/csv"),
                },
                format="multipart",
            )
        return response, queued

    return post
