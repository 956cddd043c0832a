"""Payroll files are private (issue 12): stored under unguessable names, never served as media
(whatever DEBUG says), and given back only to a user who may read the enterprise's payroll."""

import importlib
import re

import pytest
from django.test import Client
from django.urls import clear_url_caches

from contracts.compliance.models import ImportStatus, PayrollImport
from contracts.compliance.tasks import import_payroll
from contracts.enterprises.models import Role
from tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

CSV = (
    "工号,姓名,月份,基本工资,加班小时,加班费,发薪日期\n"
    "A1001,王芳,2025-03,5200,12,537.93,2025/4/10\n"
    "A1002,李强,2025-03,4300,0,0,2025/4/10\n"
).encode()
NAME = re.compile(r"^payroll/(\d+)/([0-9a-f]{32})\.(csv|parquet)$")


@pytest.fixture
def accepted(upload, django_capture_on_commit_callbacks):
    response, _ = upload(CSV, name="工资表 2025-03.csv")
    assert response.status_code == 202
    with django_capture_on_commit_callbacks(execute=False):
        import_payroll.run(response.json()["id"])
    payroll = PayrollImport.objects.get(pk=response.json()["id"])
    assert payroll.status == ImportStatus.ACCEPTED
    return payroll


@pytest.fixture
def debug_urls(settings):
    """The URL conf as it is built with DEBUG on (where the media route used to be added)."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def page_client(user) -> Client:
    client = Client()
    client.force_login(type(user).objects.get(pk=user.pk))
    return client


def test_an_upload_and_its_columnar_copy_are_stored_under_unguessable_names(accepted, enterprise):
    upload_name, columnar_name = NAME.match(accepted.file.name), NAME.match(accepted.columnar.name)

    assert upload_name is not None and columnar_name is not None
    assert upload_name[1] == columnar_name[1] == str(enterprise.pk)
    assert upload_name[3] == "csv" and columnar_name[3] == "parquet"
    assert upload_name[2] != columnar_name[2]
    assert "工资表" not in accepted.file.name and str(accepted.pk) not in (upload_name[2], columnar_name[2])
    assert accepted.original_name == "工资表 2025-03.csv"  # the name it was uploaded as is kept beside


def test_two_uploads_get_unrelated_names(upload):
    first, _ = upload(CSV, name="payroll.csv")
    second, _ = upload(CSV, name="payroll.csv")

    names = [PayrollImport.objects.get(pk=response.json()["id"]).file.name for response in (first, second)]

    matches = [NAME.match(name) for name in names]
    assert matches[0] is not None and matches[1] is not None
    first_hex, second_hex = matches[0][2], matches[1][2]
    assert first_hex != second_hex
    # Not a counter: the two random parts share no long prefix.
    assert sum(a == b for a, b in zip(first_hex, second_hex, strict=True)) < 16


def test_no_stored_payroll_file_is_served_as_media_even_with_debug_on(accepted, debug_urls, union_user):
    paths = [f"/media/{accepted.file.name}", f"/media/{accepted.columnar.name}", "/media/payroll/columnar/1.parquet"]

    for client in (Client(), page_client(union_user)):  # anonymous, and even the owner
        for path in paths:
            assert client.get(path).status_code == 404, path


def test_the_owner_gets_the_uploaded_file_back_through_the_page_and_the_api(accepted, union_user, client):
    page = page_client(union_user).get(f"/payroll/{accepted.pk}/file/")
    api = client.get(f"/api/v1/payroll-imports/{accepted.pk}/file/")

    for response in (page, api):
        assert response.status_code == 200
        assert response.getvalue() == CSV
        assert "attachment" in response["Content-Disposition"]
        assert "2025-03.csv" in response["Content-Disposition"]


def test_anyone_else_gets_the_same_404_as_for_no_import(accepted, make_member, client_for):
    other = make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR)
    delegate = make_member(accepted.enterprise, Role.CONGRESS_DELEGATE)  # may not read payroll
    missing = accepted.pk + 1000

    for pk in (accepted.pk, missing):
        assert Client().get(f"/payroll/{pk}/file/").status_code == 404  # anonymous
        for user in (other, delegate):
            assert page_client(user).get(f"/payroll/{pk}/file/").status_code == 404
            assert client_for(user).get(f"/api/v1/payroll-imports/{pk}/file/").status_code == 404


def test_a_generated_document_is_stored_under_an_unguessable_name_and_never_served_as_media(
    enterprise, union_user, debug_urls
):
    from contracts.services.documents import document_render, document_request
    from tests.contracts.test_documents import make_contract

    contract = make_contract(enterprise, union_user)
    document = document_request(user=union_user, contract=contract, kind="contract", language="zh-hans")
    document_render(document_id=document.pk)
    document.refresh_from_db()

    assert re.fullmatch(rf"documents/{enterprise.pk}/[0-9a-f]{{32}}\.docx", document.file.name)
    assert Client().get(f"/media/{document.file.name}").status_code == 404
    assert page_client(union_user).get(f"/media/{document.file.name}").status_code == 404
