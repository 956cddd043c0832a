"""An upload over the limit is refused with 413 before its body is read or written to disk
(config/uploads.py): the page says so in its form, the API as ``upload_too_large``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, FakePayload, encode_multipart

from contracts.compliance.models import PayrollImport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
DECLARED = 10 * 2**30  # what the request says it will send: 10 GB
CSV = "工号,月份,基本工资,加班费,发薪日期\nA1,2025-03,5200,0,2025-04-10\n".encode()


class CountingPayload(FakePayload):
    """The request body, counting what the server reads of it."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.read_bytes = 0

    def read(self, size=-1):
        block = super().read(size)
        self.read_bytes += len(block)
        return block


def body(fields: dict) -> bytes:
    return encode_multipart(BOUNDARY, fields)


def post_declaring(client, url: str, content: bytes, *, declared: int = DECLARED, **extra):
    payload = CountingPayload(content)
    response = client.post(
        url, content, content_type=MULTIPART, CONTENT_LENGTH=str(declared), **{"wsgi.input": payload}, **extra
    )
    return response, payload


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 100_000
    return settings.UPLOAD_MAX_REQUEST_BYTES


def test_the_page_refuses_an_over_limit_upload_with_413_before_reading_it(small_limit, union_user, enterprise):
    client = Client(enforce_csrf_checks=True)  # the CSRF token comes before the file, and is still read
    client.force_login(type(union_user).objects.get(pk=union_user.pk))
    client.get("/payroll/")
    token = client.cookies["csrftoken"].value
    content = body(
        {
            "csrfmiddlewaretoken": token,
            "enterprise": str(enterprise.pk),
            "file": SimpleUploadedFile("工资.csv", CSV * 20_000),
        }
    )
    assert len(content) > 1_000_000

    response, payload = post_declaring(client, "/payroll/", content, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 413
    assert "The upload is 10,240.0 MB; at most 0.1 MB can be sent at once." in response.content.decode()
    assert payload.read_bytes <= 64 * 1024  # the small fields before the file, nothing of the file
    assert not PayrollImport.objects.exists()


def test_the_api_refuses_an_over_limit_upload_with_413_before_reading_it(
    small_limit, client_for, union_user, enterprise
):
    content = body({"enterprise": str(enterprise.pk), "file": SimpleUploadedFile("工资.csv", CSV * 20_000)})

    response, payload = post_declaring(client_for(union_user), "/api/v1/payroll-imports/", content)

    assert response.status_code == 413
    assert response.json() == {
        "code": "upload_too_large",
        "message": response.json()["message"],
        "extra": {"size": DECLARED, "limit": small_limit},
    }
    assert "10,240.0" in response.json()["message"] and "0.1" in response.json()["message"]
    assert payload.read_bytes <= 64 * 1024
    assert not PayrollImport.objects.exists()


def test_a_body_over_the_limit_that_says_so_truthfully_is_refused_too(small_limit, client_for, union_user, enterprise):
    content = body({"enterprise": str(enterprise.pk), "file": SimpleUploadedFile("工资.csv", CSV * 20_000)})

    response = client_for(union_user).post("/api/v1/payroll-imports/", content, content_type=MULTIPART)

    assert response.status_code == 413
    assert response.json()["extra"] == {"size": len(content), "limit": small_limit}


def test_an_upload_under_the_limit_is_taken(small_limit, client_for, union_user, enterprise):
    content = body({"enterprise": str(enterprise.pk), "file": SimpleUploadedFile("工资.csv", CSV)})

    response, payload = post_declaring(
        client_for(union_user), "/api/v1/payroll-imports/", content, declared=len(content)
    )

    assert response.status_code == 202
    assert payload.read_bytes == len(content)
    assert PayrollImport.objects.get().size == len(CSV)


def test_a_body_that_outgrows_the_limit_while_streaming_is_stopped_there(small_limit):
    from django.core.files.uploadhandler import StopUpload
    from django.test import RequestFactory

    from config.uploads import LimitedUploadHandler, upload_refusal

    request = RequestFactory().post("/payroll/")
    handler = LimitedUploadHandler(request)
    assert handler.handle_raw_input(None, {}, 1000, b"x") is None  # says it is small
    assert handler.receive_data_chunk(b"a" * 60_000, 0) == b"a" * 60_000

    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"a" * 60_000, 60_000)

    assert stopped.value.connection_reset is True
    refusal = request.upload_refused
    assert refusal.extra == {"size": 120_000, "limit": small_limit} and refusal.status_code == 413
    assert upload_refusal(request) is refusal
