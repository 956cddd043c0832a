"""A workers' congress delegate reads the contract, its own documents and the congress, never what
names colleagues or prices the payroll: payroll files, breaches and their findings, costing, the
filing pack, rectification notices. What they may not read answers the same 404 as an id that
does not exist; only the union side asks for a rectification notice."""

import re

import pytest
from django.test import Client

from bargaining.models import NegotiationStatus, Side
from contracts.compliance.models import Breach
from contracts.enterprises.models import Role
from contracts.models import DocumentKind
from contracts.services.documents import document_request
from tests.factories import (
    FederationOfficerFactory,
    NegotiationFactory,
    ProposalFactory,
    SessionFactory,
    contract_in_effect,
    payroll_check,
    payroll_csv,
)

pytestmark = pytest.mark.django_db

MISSING = 999_999


@pytest.fixture
def checked(enterprise, make_member, media_root):
    """A contract in effect whose payroll was checked and found one breach, asked a notice about."""
    union = make_member(enterprise, Role.UNION_LEADER)
    contract = contract_in_effect(enterprise, union)
    runs = payroll_check(union, enterprise, payroll_csv(("E1", "2025-03", "2500.00"), ("E2", "2025-03", "3100.00")))
    breach = Breach.objects.get(contract=contract)
    notice = document_request(
        user=union, contract=contract, kind=DocumentKind.RECTIFICATION_NOTICE, subject_id=breach.pk
    )
    text = document_request(user=union, contract=contract, kind=DocumentKind.CONTRACT)
    return {"contract": contract, "payroll": runs[0].payroll_import, "breach": breach, "notice": notice, "text": text}


@pytest.fixture
def delegate(enterprise, make_member):
    return make_member(enterprise, Role.CONGRESS_DELEGATE)


def test_a_delegate_reads_the_contract_and_its_text(checked, delegate, client_for):
    api = client_for(delegate)
    contract, text = checked["contract"], checked["text"]
    assert api.get(f"/api/v1/contracts/{contract.pk}/").status_code == 200
    listed = api.get(f"/api/v1/contracts/{contract.pk}/documents/").json()["results"]
    assert [document["id"] for document in listed] == [text.pk]  # the notice is not listed
    assert api.get(f"/api/v1/contracts/{contract.pk}/documents/{text.pk}/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/payroll-imports/{payroll}/",
        "/api/v1/payroll-imports/{payroll}/file/",
        "/api/v1/breaches/{breach}/",
        "/api/v1/breaches/{breach}/findings/",
        "/api/v1/compliance-runs/{run}/",
        "/api/v1/contracts/{contract}/filing-pack/",
        "/api/v1/contracts/{contract}/documents/{notice}/",
        "/api/v1/contracts/{contract}/documents/{notice}/download/",
    ],
)
def test_a_delegate_gets_the_404_of_a_missing_id_for_what_names_colleagues(url, checked, delegate, client_for):
    ids = {
        "payroll": checked["payroll"].pk,
        "breach": checked["breach"].pk,
        "run": checked["breach"].first_run_id,
        "contract": checked["contract"].pk,
        "notice": checked["notice"].pk,
    }
    api = client_for(delegate)
    seen = api.get(url.format(**ids))
    # Nothing tells it apart from an id that does not exist: the last id in the address, missing.
    last = re.findall(r"{(\w+)}", url)[-1]
    missing = api.get(url.format(**{**ids, last: MISSING}))
    assert seen.status_code == missing.status_code == 404
    assert seen.json() == missing.json()


@pytest.mark.parametrize("url", ["/breaches/{breach}/", "/breaches/{breach}/findings.xlsx", "/payroll/{payroll}/"])
def test_a_delegate_gets_a_404_on_the_breach_and_payroll_pages(url, checked, delegate):
    browser = Client()
    browser.force_login(delegate)
    ids = {"breach": checked["breach"].pk, "payroll": checked["payroll"].pk}
    assert browser.get(url.format(**ids)).status_code == 404
    assert browser.get(url.format(breach=MISSING, payroll=MISSING)).status_code == 404


def test_a_delegate_cannot_issue_a_rectification_notice(checked, delegate, client_for):
    api = client_for(delegate)
    breach, contract = checked["breach"], checked["contract"]
    assert api.post(f"/api/v1/breaches/{breach.pk}/rectification-notice/", {}, format="json").status_code == 404
    # Nor through the contract's documents, which they may otherwise ask for.
    asked = api.post(
        f"/api/v1/contracts/{contract.pk}/documents/",
        {"kind": DocumentKind.RECTIFICATION_NOTICE, "subject_id": breach.pk},
        format="json",
    )
    assert asked.status_code == 403
    assert asked.json()["code"] == "permission_denied"
    assert api.post(
        f"/api/v1/contracts/{contract.pk}/documents/", {"kind": DocumentKind.CONTRACT}, format="json"
    ).status_code in (200, 202)


@pytest.mark.parametrize("role", [Role.EMPLOYER_NEGOTIATOR, "officer"])
def test_only_the_union_side_issues_a_rectification_notice(role, checked, enterprise, make_member, client_for):
    """The employer's negotiator and the federation officer read the breach but do not write the
    notice to the employer (the API let them, as the page did not)."""
    if role == "officer":
        user = FederationOfficerFactory(federation=enterprise.federation).user
    else:
        user = make_member(enterprise, role)
    api = client_for(user)
    breach = checked["breach"]
    assert api.get(f"/api/v1/breaches/{breach.pk}/").status_code == 200
    refused = api.post(f"/api/v1/breaches/{breach.pk}/rectification-notice/", {}, format="json")
    assert refused.status_code == 403


def test_a_delegate_gets_a_404_on_the_costing(checked, enterprise, delegate, make_member, client_for):
    negotiation = NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.IN_ROUNDS)
    ProposalFactory(session=SessionFactory(negotiation=negotiation), side=Side.UNION)
    url = f"/api/v1/negotiations/{negotiation.pk}/proposals/costing/?payroll_import={checked['payroll'].pk}"
    negotiator = make_member(enterprise, Role.UNION_NEGOTIATOR)
    assert client_for(negotiator).get(url).status_code == 200
    seen = client_for(delegate).get(url)
    missing = client_for(delegate).get(f"/api/v1/negotiations/{MISSING}/proposals/costing/?payroll_import=1")
    assert seen.status_code == missing.status_code == 404
    assert seen.json() == missing.json()
    # The negotiation itself they may read.
    assert client_for(delegate).get(f"/api/v1/negotiations/{negotiation.pk}/").status_code == 200
