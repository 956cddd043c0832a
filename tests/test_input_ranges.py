"""Every date and number that reaches a calculation is range-checked at the edge
(config/limits.py), and a hostile body is a 400, never a 500: far-out contract dates,
``diff?to=10**30``, JSON nested 100,000 deep, a file name over 255 bytes."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.limits import FILE_NAME_MAX_BYTES, file_name_shortened
from config.parsers import json_depth_exceeds
from contracts.compliance.models import PayrollImport
from contracts.compliance.pages.payroll import PayrollUploadForm
from contracts.models import Contract
from contracts.services.lifecycle import contract_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/contracts/"


@pytest.fixture
def contract(enterprise, union_user):
    return contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="Collective contract",
        term_start=dt.date(2026, 7, 1),
        term_end=dt.date(2029, 6, 30),
        clauses=[{"number": "1", "category": "pay", "title": "Wages", "text": "Wages.", "terms": []}],
    )


@pytest.fixture
def api(union_user, client_for):
    client = client_for(union_user)
    client.raise_request_exception = False  # a 500 is a response to assert on, not an exception
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def fields(response):
    return list(response.json()["extra"]["fields"])


# --- dates ------------------------------------------------------------------------------------


def test_a_contract_with_a_far_out_term_end_is_a_400_naming_it_and_not_created(api, enterprise):
    body = {"enterprise": enterprise.pk, "title": "C", "term_start": "2026-07-01", "term_end": "9999-12-31"}

    response = api.post(URL, body, format="json")

    assert response.status_code == 400
    assert fields(response) == ["term_end"]
    assert response.json()["message"] == "term_end: give a date between 2000-01-01 and 2100-12-31."
    assert not Contract.objects.exists()


def test_moving_a_term_end_far_out_is_refused_and_the_term_kept(api, contract):
    response = api.patch(f"{URL}{contract.pk}/", {"term_end": "9999-12-31"}, format="json")

    assert response.status_code == 400
    assert fields(response) == ["term_end"]
    contract.refresh_from_db()
    assert contract.term_end == dt.date(2029, 6, 30)


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("file", {"filed_on": "9999-12-31"}, "filed_on"),
        ("receipt", {"receipt_on": "0001-01-01"}, "receipt_on"),
        ("objection", {"objected_on": "9999-12-31", "text": "No."}, "objected_on"),
    ],
)
def test_lifecycle_dates_out_of_range_are_400s(api, contract, action, body, field):
    response = api.post(f"{URL}{contract.pk}/{action}/", body, format="json")

    assert response.status_code == 400, response.content
    assert fields(response) == [field]


def test_an_enterprise_minimum_wage_date_far_out_is_refused(enterprise, make_member, client_for):
    from contracts.enterprises.models import Role

    leader = make_member(enterprise, Role.UNION_LEADER)
    response = client_for(leader).patch(
        f"/api/v1/enterprises/{enterprise.pk}/", {"local_minimum_wage_since": "9999-12-31"}, format="json"
    )

    assert response.status_code == 400
    assert fields(response) == ["local_minimum_wage_since"]


# --- numbers ----------------------------------------------------------------------------------


def test_diff_to_version_10_to_the_30_is_a_400_saying_there_is_no_such_version(api, contract):
    response = api.get(f"{URL}{contract.pk}/diff/", {"from": 1, "to": 10**30})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_version"
    assert response.json()["message"] == f"This contract has no version {10**30}."


def test_diff_with_a_number_too_long_to_read_is_a_400_naming_it(api, contract):
    response = api.get(f"{URL}{contract.pk}/diff/", {"from": 1, "to": "9" * 5000})

    assert response.status_code == 400
    assert fields(response) == ["to"]
    assert response.json()["message"] == "Give a version number."


def test_diff_between_real_versions_still_works(api, contract):
    assert api.get(f"{URL}{contract.pk}/diff/", {"from": 1, "to": 1}).status_code == 200


def test_costing_for_payroll_import_10_to_the_30_is_a_400_naming_it(api, staffed_negotiation):
    response = api.get(f"/api/v1/negotiations/{staffed_negotiation.pk}/proposals/costing/", {"payroll_import": 10**30})

    assert response.status_code == 400
    assert fields(response) == ["payroll_import"]
    assert response.json()["message"] == f"payroll_import: give a whole number between 1 and {2**63 - 1}."


def test_the_refusal_reads_in_chinese_by_default(union_user, client_for, staffed_negotiation):
    response = client_for(union_user).get(
        f"/api/v1/negotiations/{staffed_negotiation.pk}/proposals/costing/", {"payroll_import": 0}
    )

    assert response.status_code == 400
    assert response.json()["message"] == f"payroll_import：请填写 1 至 {2**63 - 1} 之间的整数。"


def test_a_congress_of_10_to_the_30_delegates_is_refused(api, contract):
    response = api.post(
        "/api/v1/congress-sessions/",
        {"contract": contract.pk, "delegates_total": 10**30, "held_on": "2026-06-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "delegates_total" in fields(response)


# --- JSON nested too deep -----------------------------------------------------------------------


def test_json_nested_100000_deep_is_a_400_not_a_500(api, contract):
    body = "[" * 100_000 + "]" * 100_000

    response = api.patch(f"{URL}{contract.pk}/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["message"] == "The JSON body is nested more than 64 levels deep."


def test_json_at_the_depth_limit_is_parsed(api, contract):
    body = '{"title": "Renamed", "x": ' + "[" * 63 + "]" * 63 + "}"

    response = api.patch(f"{URL}{contract.pk}/", body, content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Renamed"


def test_brackets_inside_strings_are_not_counted():
    assert not json_depth_exceeds(b'{"a": "' + b"[" * 1000 + b'\\"{{{"}')
    assert json_depth_exceeds(b"[" * 65 + b"]" * 65)
    assert not json_depth_exceeds(b"[" * 64 + b"]" * 64)


# --- uploaded file names ------------------------------------------------------------------------


def test_a_300_byte_file_name_is_shortened_keeping_its_extension(api, enterprise, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = "工资" * 50 + ".csv"  # 300 bytes of name and 4 of extension
    upload = SimpleUploadedFile(name, b"employee_id,period,base_wage\nE1,2026-01,3000\n", content_type="text/csv")

    response = api.post("/api/v1/payroll-imports/", {"enterprise": enterprise.pk, "file": upload}, format="multipart")

    assert response.status_code == 202, response.content
    payroll = PayrollImport.objects.get()
    assert payroll.original_name.endswith(".csv")
    assert payroll.original_name.startswith("工资工资")
    assert len(payroll.original_name.encode()) <= FILE_NAME_MAX_BYTES


def test_the_upload_page_form_shortens_the_name_too(enterprise, union_user):
    upload = SimpleUploadedFile("a" * 300 + ".xlsx", b"x")
    form = PayrollUploadForm(data={"enterprise": enterprise.pk}, files={"file": upload}, user=union_user)

    form.is_valid()

    assert form.cleaned_data["file"].name == "a" * (FILE_NAME_MAX_BYTES - 5) + ".xlsx"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("payroll.csv", "payroll.csv"),
        ("../../etc/passwd.csv", "passwd.csv"),
        ("薪" * 100 + ".xlsx", "薪" * 83 + ".xlsx"),  # 250 bytes of room: 83 whole characters
        ("x" * 300 + "." + "y" * 40, "x" * 255),  # an "extension" that long is not one
    ],
)
def test_file_name_shortened(name, expected):
    assert file_name_shortened(name) == expected
    assert len(file_name_shortened(name).encode()) <= FILE_NAME_MAX_BYTES


# --- numbers inside a term's parameters ---------------------------------------------------------


@pytest.mark.parametrize("amount", ["1e999999999", "1e5000", "1e-5000", 10**13, "-1,000,000,000,000"])
def test_a_clause_term_with_an_absurd_number_is_a_400_naming_it(api, contract, amount):
    body = {
        "number": "9",
        "category": "pay",
        "text": "Wages.",
        "terms": [{"kind": "min_monthly_wage", "params": {"amount": amount}}],
    }

    response = api.post(f"{URL}{contract.pk}/clauses/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["message"] == (
        "terms[0].params.amount: a number between -1,000,000,000,000 and 1,000,000,000,000, please."
    )
    assert not contract.clauses.filter(number="9").exists()


@pytest.mark.parametrize("amount", ["3000", "3,000.50", 999_999_999_999, "0.000001"])
def test_ordinary_term_numbers_pass_the_edge(api, contract, amount):
    body = {
        "number": "9",
        "category": "pay",
        "text": "Wages.",
        "terms": [{"kind": "min_monthly_wage", "params": {"amount": amount}}],
    }

    response = api.post(f"{URL}{contract.pk}/clauses/", body, format="json")

    assert response.status_code == 201, response.content


def test_a_proposal_with_an_absurd_number_is_a_400_naming_it(api, first_round):
    response = api.post(
        f"/api/v1/negotiations/{first_round.negotiation_id}/proposals/",
        {
            "session": first_round.pk,
            "side": "union",
            "clause_category": "pay",
            "term_kind": "min_monthly_wage",
            "params": {"amount": "1e999999999"},
        },
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["params"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/negotiations/?enterprise=1000000000000000000000000000000",
        "/api/v1/contracts/?enterprise=1000000000000000000000000000000",
        "/api/v1/breaches/?contract=1000000000000000000000000000000",
        "/api/v1/contracts/?page=1000000000000000000000000000000",
        "/api/v1/contracts/?page_size=1000000000000000000000000000000",
        "/api/v1/contracts/1000000000000000000000000000000/",
    ],
)
def test_huge_ids_pages_and_page_sizes_in_query_strings_are_never_a_500(api, contract, query):
    assert api.get(query).status_code in (200, 400, 404)
