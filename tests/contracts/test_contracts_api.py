"""The contracts API: drafting contracts and clauses with typed terms, who sees and changes
what (404 outside one's enterprises, 403 for read-only roles), bounded queries for every
list, and the change history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from contracts.enterprises.models import Role
from contracts.models import Clause, Contract, ContractStatus
from contracts.services.lifecycle import clause_update, contract_create, contract_update
from tests.factories import EnterpriseFactory, FederationOfficerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/contracts/"
D = dt.date.fromisoformat


def url(contract, action=""):
    return f"{URL}{contract.pk}/{action + '/' if action else ''}"


def clauses_url(contract, clause=None):
    return f"{URL}{contract.pk}/clauses/{f'{clause.pk}/' if clause else ''}"


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def body_for(enterprise, **overrides):
    return {
        "enterprise": enterprise.pk,
        "kind": "general",
        "title": "Collective contract 2026–2029",
        "term_start": "2026-07-01",
        "term_end": "2029-06-30",
        **overrides,
    }


@pytest.fixture
def make_contract(union_user):
    def make(enterprise, *, title="Collective contract", clauses=1, user=None, **fields):
        return contract_create(
            user=user or union_user,
            enterprise=enterprise,
            kind="general",
            title=title,
            term_start=D("2026-07-01"),
            term_end=D("2029-06-30"),
            clauses=[
                {
                    "number": str(n),
                    "category": "pay",
                    "title": f"Clause {n}",
                    "text": f"Text of clause {n}.",
                    "terms": [{"kind": "min_monthly_wage", "params": {"amount": "3000"}}],
                }
                for n in range(1, clauses + 1)
            ],
            **fields,
        )

    return make


@pytest.fixture
def contract(enterprise, make_contract):
    return make_contract(enterprise, clauses=2)


@pytest.fixture
def outsider(make_member):
    """A union negotiator of another enterprise (in another federation)."""
    return make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR)


@pytest.fixture
def delegate(enterprise, make_member):
    return make_member(enterprise, Role.CONGRESS_DELEGATE)


@pytest.fixture
def officer(enterprise):
    return FederationOfficerFactory(federation=enterprise.federation).user


# --- drafting a contract --------------------------------------------------------------------


def test_negotiator_drafts_a_contract_with_clauses_and_typed_terms(enterprise, union_user, employer_user, client_for):
    response = client_for(union_user).post(
        URL,
        body_for(
            enterprise,
            union_chief=union_user.pk,
            employer_chief=employer_user.pk,
            clauses=[
                {
                    "number": "1",
                    "category": "pay",
                    "title": "Wages",
                    "text": "最低工资每月3000元。",
                    "terms": [
                        {"kind": "min_monthly_wage", "params": {"amount": "3,000.00"}},
                        {"kind": "overtime_premium", "params": {"weekday": "1.5"}},
                    ],
                },
                {"number": "2", "category": "disputes", "text": "Mediation first."},
            ],
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["version"], body["enterprise"]) == ("draft", 1, enterprise.pk)
    assert (body["union_chief"], body["employer_chief"]) == (union_user.pk, employer_user.pk)
    assert [(c["number"], c["position"], c["category"]) for c in body["clauses"]] == [
        ("1", 1, "pay"),
        ("2", 2, "disputes"),
    ]
    terms = body["clauses"][0]["terms"]
    assert terms[0] == {"kind": "min_monthly_wage", "params": {"amount": "3000"}}
    assert terms[1]["kind"] == "overtime_premium"
    assert set(terms[1]["params"]) == {"weekday", "rest_day", "holiday"}
    assert body["clauses"][1]["terms"] == []
    assert body["deadlines"]["filing_due"] is None


def test_contract_with_params_outside_the_schema_is_refused_whole(enterprise, union_user, client_for):
    clauses = [
        {"number": "1", "category": "other", "text": "Fine."},
        {"number": "2", "category": "pay", "text": "Pay day.", "terms": [{"kind": "pay_day", "params": {"day": 32}}]},
    ]

    response = client_for(union_user).post(URL, body_for(enterprise, clauses=clauses), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term_params"
    assert set(response.json()["extra"]["params"]) == {"day"}
    assert not Contract.objects.exists()
    assert not Clause.objects.exists()


def test_contract_with_two_clauses_of_the_same_number_is_refused_whole(enterprise, union_user, client_for):
    clauses = [
        {"number": "1", "category": "pay", "text": "A."},
        {"number": "1", "category": "term", "text": "B."},
    ]

    response = client_for(union_user).post(URL, body_for(enterprise, clauses=clauses), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_clause_number"
    assert not Contract.objects.exists()


def test_contract_without_a_title_is_refused(enterprise, union_user, client_for):
    body = body_for(enterprise)
    del body["title"]

    response = client_for(union_user).post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "title" in response.json()["extra"]["fields"]


def test_contract_for_an_enterprise_outside_ones_roles_is_refused_as_unknown(enterprise, outsider, client_for):
    response = client_for(outsider).post(URL, body_for(enterprise), format="json")

    assert response.status_code == 400
    assert "enterprise" in response.json()["extra"]["fields"]
    assert not Contract.objects.exists()


@pytest.mark.parametrize("reader", ["delegate", "officer"])
def test_read_only_roles_cannot_draft_a_contract(enterprise, client_for, request, reader):
    user = request.getfixturevalue(reader)

    response = client_for(user).post(URL, body_for(enterprise), format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Contract.objects.exists()


def test_anonymous_user_is_refused(contract):
    response = APIClient().get(URL)

    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_contract_detail_shows_its_clauses_and_deadlines(contract, union_user, client_for):
    response = client_for(union_user).get(url(contract))

    assert response.status_code == 200
    body = response.json()
    assert [c["number"] for c in body["clauses"]] == ["1", "2"]
    assert body["deadlines"]["renewal"]["rule"]["rule"] == "R10"
    assert body["deadlines"]["renewal"]["opens_on"] == "2029-03-30"
    assert body["deadlines"]["renewal"]["open"] is False


def test_unknown_contract_is_not_found(union_user, client_for):
    response = client_for(union_user).get(f"{URL}999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_filters_by_status_and_kind(enterprise, make_contract, union_user, client_for):
    draft = make_contract(enterprise, title="Draft")
    in_congress = make_contract(enterprise, title="In congress")
    Contract.objects.filter(pk=in_congress.pk).update(status=ContractStatus.IN_CONGRESS)
    client = client_for(union_user)

    assert ids(client.get(URL, {"status": "draft"})) == [draft.pk]
    assert ids(client.get(URL, {"status": "in_congress"})) == [in_congress.pk]
    assert ids(client.get(URL, {"kind": "wages"})) == []


# --- clauses -------------------------------------------------------------------------------


def test_clauses_are_listed_in_their_order(contract, union_user, client_for):
    response = client_for(union_user).get(clauses_url(contract))

    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == ["1", "2"]


def test_clause_is_added_at_the_end_with_normalised_terms_and_defaults(contract, union_user, client_for):
    response = client_for(union_user).post(
        clauses_url(contract),
        {
            "number": "3",
            "category": "working_time",
            "title": "Overtime",
            "text": "每月加班不超过36小时。",
            "terms": [{"kind": "max_overtime_hours_month", "params": {}}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["position"], body["category"]) == ("3", 3, "working_time")
    assert body["terms"] == [{"kind": "max_overtime_hours_month", "params": {"hours": "36"}}]
    assert Clause.objects.get(pk=body["id"]).contract_id == contract.pk


@pytest.mark.parametrize(
    ("terms", "code"),
    [
        ([{"kind": "min_monthly_wage", "params": {"amount": "-1"}}], "invalid_term_params"),
        ([{"kind": "min_monthly_wage", "params": {}}], "invalid_term_params"),
        ([{"kind": "min_monthly_wage", "params": {"amount": "3000", "bonus": "1"}}], "invalid_term_params"),
        ([{"kind": "overtime_premium", "params": {"weekday": "ten"}}], "invalid_term_params"),
        (
            [{"kind": "wage_increase_pct", "params": {"percent": "5", "reference_period": "2025-13"}}],
            "invalid_term_params",
        ),
        ([{"kind": "annual_leave_days", "params": {"tiers": [{"from_years": 1}]}}], "invalid_term_params"),
        ([{"kind": "min_monthly_wage", "params": "3000"}], "invalid_term_params"),
        ([{"kind": "bonus_pool", "params": {}}], "unknown_term_kind"),
        ([{"params": {"amount": "3000"}}], "invalid_term"),
        # shapes the fuzzer found giving 500s: terms that are not a list, kinds that are not text
        (True, "invalid_term"),
        (1.5, "invalid_term"),
        ("min_monthly_wage", "invalid_term"),
        ({"kind": "min_monthly_wage"}, "invalid_term"),
        ([{"kind": []}], "invalid_term"),
        ([{"kind": {}}], "invalid_term"),
        (
            [
                {"kind": "min_monthly_wage", "params": {"amount": "3000"}},
                {"kind": "min_monthly_wage", "params": {"amount": "3100"}},
            ],
            "duplicate_term",
        ),
    ],
)
def test_clause_with_terms_outside_their_schema_is_refused(contract, union_user, client_for, terms, code):
    response = client_for(union_user).post(
        clauses_url(contract), {"number": "3", "category": "pay", "text": "X.", "terms": terms}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert contract.clauses.count() == 2


def test_clause_params_error_names_each_bad_param(contract, union_user, client_for):
    response = client_for(union_user).post(
        clauses_url(contract),
        {
            "number": "3",
            "category": "pay",
            "text": "X.",
            "terms": [{"kind": "overtime_premium", "params": {"weekday": "ten", "holiday": "11", "extra": 1}}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["extra"]["params"]) == {"weekday", "holiday", "extra"}


def test_clause_with_a_number_already_used_is_refused(contract, union_user, client_for):
    response = client_for(union_user).post(
        clauses_url(contract), {"number": "2", "category": "other", "text": "Again."}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_clause_number"
    assert contract.clauses.count() == 2


def test_the_same_clause_number_in_another_contract_is_fine(
    contract, enterprise, make_contract, union_user, client_for
):
    other = make_contract(enterprise, clauses=0)

    response = client_for(union_user).post(
        clauses_url(other), {"number": "1", "category": "other", "text": "First."}, format="json"
    )

    assert response.status_code == 201, response.json()


def test_clause_with_an_unknown_category_is_refused(contract, union_user, client_for):
    response = client_for(union_user).post(
        clauses_url(contract), {"number": "3", "category": "bonuses", "text": "X."}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "category" in response.json()["extra"]["fields"]


def test_changing_a_clauses_text_keeps_its_terms(contract, union_user, client_for):
    first = contract.clauses.get(number="1")

    response = client_for(union_user).patch(clauses_url(contract, first), {"text": "New text."}, format="json")

    assert response.status_code == 200, response.json()
    first.refresh_from_db()
    assert first.text == "New text."
    assert first.terms == [{"kind": "min_monthly_wage", "params": {"amount": "3000"}}]
    assert first.title == "Clause 1"


def test_renumbering_a_clause_onto_another_is_refused(contract, union_user, client_for):
    first = contract.clauses.get(number="1")

    response = client_for(union_user).patch(clauses_url(contract, first), {"number": "2"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_clause_number"
    first.refresh_from_db()
    assert first.number == "1"


def test_keeping_a_clauses_own_number_is_fine(contract, union_user, client_for):
    first = contract.clauses.get(number="1")

    response = client_for(union_user).patch(clauses_url(contract, first), {"number": "1"}, format="json")

    assert response.status_code == 200, response.json()


def test_changing_a_clauses_terms_is_validated(contract, union_user, client_for):
    first = contract.clauses.get(number="1")

    response = client_for(union_user).patch(
        clauses_url(contract, first), {"terms": [{"kind": "pay_day", "params": {"day": 0}}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term_params"
    first.refresh_from_db()
    assert first.terms == [{"kind": "min_monthly_wage", "params": {"amount": "3000"}}]


def test_deleting_a_clause(contract, union_user, client_for):
    first = contract.clauses.get(number="1")

    response = client_for(union_user).delete(clauses_url(contract, first))

    assert response.status_code == 204
    assert list(contract.clauses.values_list("number", flat=True)) == ["2"]


def test_a_clause_is_reached_only_through_its_own_contract(contract, enterprise, make_contract, union_user, client_for):
    other = make_contract(enterprise, clauses=1)
    foreign = other.clauses.get()

    response = client_for(union_user).get(clauses_url(contract, foreign))

    assert response.status_code == 404


# --- permissions ------------------------------------------------------------------------------


def _reads(contract, clause):
    return {
        "detail": lambda c: c.get(url(contract)),
        "clauses": lambda c: c.get(clauses_url(contract)),
        "clause": lambda c: c.get(clauses_url(contract, clause)),
        "versions": lambda c: c.get(url(contract, "versions")),
        "diff": lambda c: c.get(url(contract, "diff"), {"from": 1, "to": 1}),
        "check": lambda c: c.get(url(contract, "check")),
        "history": lambda c: c.get(url(contract, "history")),
    }


def _changes(contract, clause):
    return {
        "patch": lambda c: c.patch(url(contract), {"title": "Changed"}, format="json"),
        "add clause": lambda c: c.post(
            clauses_url(contract), {"number": "9", "category": "other", "text": "X."}, format="json"
        ),
        "change clause": lambda c: c.patch(clauses_url(contract, clause), {"text": "Changed."}, format="json"),
        "delete clause": lambda c: c.delete(clauses_url(contract, clause)),
        "submit": lambda c: c.post(url(contract, "submit-to-congress")),
        "file": lambda c: c.post(url(contract, "file"), {"filed_on": "2026-03-02"}, format="json"),
        "receipt": lambda c: c.post(url(contract, "receipt"), {"receipt_on": "2026-03-02"}, format="json"),
        "objection": lambda c: c.post(
            url(contract, "objection"), {"objected_on": "2026-03-02", "text": "No."}, format="json"
        ),
    }


READS = ["detail", "clauses", "clause", "versions", "diff", "check", "history"]
CHANGES = ["patch", "add clause", "change clause", "delete clause", "submit", "file", "receipt", "objection"]


@pytest.mark.parametrize("what", READS)
def test_another_enterprises_contract_is_not_found(contract, outsider, client_for, what):
    response = _reads(contract, contract.clauses.first())[what](client_for(outsider))

    assert response.status_code == 404


@pytest.mark.parametrize("what", CHANGES)
def test_another_enterprises_contract_cannot_be_changed_and_is_not_found(contract, outsider, client_for, what):
    response = _changes(contract, contract.clauses.first())[what](client_for(outsider))

    assert response.status_code == 404
    assert Contract.objects.get(pk=contract.pk).version == 1


@pytest.mark.parametrize("what", ["sign", "renew"])
def test_another_enterprises_contract_cannot_be_signed_or_renewed(contract, outsider, client_for, what):
    response = client_for(outsider).post(url(contract, what))

    assert response.status_code == 404


@pytest.mark.parametrize("reader", ["delegate", "officer"])
@pytest.mark.parametrize("what", READS)
def test_read_only_roles_read_the_contract(contract, client_for, request, reader, what):
    user = request.getfixturevalue(reader)

    response = _reads(contract, contract.clauses.first())[what](client_for(user))

    assert response.status_code == 200


@pytest.mark.parametrize("reader", ["delegate", "officer"])
@pytest.mark.parametrize("what", CHANGES)
def test_read_only_roles_cannot_change_the_contract(contract, client_for, request, reader, what):
    user = request.getfixturevalue(reader)

    response = _changes(contract, contract.clauses.first())[what](client_for(user))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Contract.objects.get(pk=contract.pk).version == 1
    assert contract.clauses.count() == 2


@pytest.mark.parametrize("reader", ["delegate", "officer"])
def test_read_only_roles_cannot_sign_or_ask_for_renewal(contract, client_for, request, reader):
    user = request.getfixturevalue(reader)
    client = client_for(user)

    signed = client.post(url(contract, "sign"))
    renewed = client.post(url(contract, "renew"))

    assert (signed.status_code, signed.json()["code"]) == (403, "not_chief_representative")
    assert renewed.status_code == 403
    assert renewed.json()["code"] == "side_not_allowed"


def test_list_shows_only_the_contracts_of_ones_enterprises(contract, make_contract, union_user, client_for):
    # given a contract of an enterprise in the same federation where the user has no role
    neighbour = EnterpriseFactory(federation=contract.enterprise.federation)
    other = Contract.objects.create(
        enterprise=neighbour, title="Neighbour", term_start=D("2026-07-01"), term_end=D("2027-06-30")
    )

    response = client_for(union_user).get(URL)

    assert response.status_code == 200
    assert ids(response) == [contract.pk]
    assert other.pk not in ids(response)


def test_federation_officer_lists_the_contracts_of_every_enterprise_of_the_federation(contract, officer, client_for):
    neighbour = Contract.objects.create(
        enterprise=EnterpriseFactory(federation=contract.enterprise.federation),
        title="Neighbour",
        term_start=D("2026-07-01"),
        term_end=D("2027-06-30"),
    )
    Contract.objects.create(
        enterprise=EnterpriseFactory(), title="Elsewhere", term_start=D("2026-07-01"), term_end=D("2027-06-30")
    )

    response = client_for(officer).get(URL)

    assert sorted(ids(response)) == sorted([contract.pk, neighbour.pk])


# --- query counts ---------------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_contract_list_reads_a_bounded_number_of_queries(
    enterprise, make_contract, union_user, employer_user, client_for, django_assert_max_num_queries
):
    client = client_for(union_user)
    for n in range(2):
        make_contract(enterprise, title=f"Contract {n}", union_chief=union_user, employer_chief=employer_user)
    with_two = _queries(client, URL)
    for n in range(2, 10):
        make_contract(enterprise, title=f"Contract {n}", union_chief=union_user, employer_chief=employer_user)

    with django_assert_max_num_queries(with_two):
        response = client.get(URL)

    assert len(response.json()["results"]) == 10


def test_clause_list_reads_a_bounded_number_of_queries(
    enterprise, make_contract, union_user, client_for, django_assert_max_num_queries
):
    client = client_for(union_user)
    small, large = make_contract(enterprise, clauses=2), make_contract(enterprise, clauses=10)
    with_two = _queries(client, clauses_url(small))

    with django_assert_max_num_queries(with_two):
        response = client.get(clauses_url(large))

    assert len(response.json()["results"]) == 10


def test_version_list_reads_a_bounded_number_of_queries(
    enterprise, make_contract, union_user, client_for, django_assert_max_num_queries
):
    client = client_for(union_user)
    small, large = make_contract(enterprise, clauses=1), make_contract(enterprise, clauses=1)
    contract_update(user=union_user, contract=small, title="v2")
    for n in range(2, 11):
        contract_update(user=union_user, contract=large, title=f"v{n}")
    with_two = _queries(client, url(small, "versions"))

    with django_assert_max_num_queries(with_two):
        response = client.get(url(large, "versions"))

    assert len(response.json()["results"]) == 10


def test_history_reads_a_bounded_number_of_queries(
    enterprise, make_contract, union_user, client_for, django_assert_max_num_queries
):
    client = client_for(union_user)
    small, large = make_contract(enterprise, clauses=1), make_contract(enterprise, clauses=1)
    clause_update(user=union_user, clause=small.clauses.get(), text="Changed once.")
    for n in range(10):
        clause_update(user=union_user, clause=large.clauses.get(), text=f"Changed {n} times.")
    with_few = _queries(client, url(small, "history"))

    with django_assert_max_num_queries(with_few):
        client.get(url(large, "history"))


# --- history -------------------------------------------------------------------------------


def logged_in(user):
    """A client logged in through the session, as the web pages are, so the history
    middleware sees the user; the user is read back as stored (UserFactory's password
    hash lives in memory only, and a session whose hash differs is logged out)."""
    client = APIClient()
    client.force_login(type(user).objects.get(pk=user.pk))
    return client


def test_history_shows_who_changed_what(enterprise, union_user, employer_user, client_for):
    # given a contract drafted by the union negotiator and changed by the employer's
    union, employer = logged_in(union_user), logged_in(employer_user)
    created = union.post(
        URL, body_for(enterprise, clauses=[{"number": "1", "category": "pay", "text": "A."}]), format="json"
    ).json()
    contract = Contract.objects.get(pk=created["id"])
    employer.patch(url(contract), {"title": "Renamed"}, format="json")
    employer.patch(clauses_url(contract, contract.clauses.get()), {"text": "B."}, format="json")

    # when
    response = union.get(url(contract, "history"))

    # then
    assert response.status_code == 200
    entries = response.json()
    created_entry = next(e for e in entries if e["model"] == "contract" and e["change"] == "created")
    assert created_entry["by"] == union_user.get_username()
    assert created_entry["object_id"] == contract.pk
    renamed = next(e for e in entries if e["model"] == "contract" and "title" in e["fields"])
    assert renamed["by"] == employer_user.get_username()
    assert renamed["change"] == "changed"
    assert renamed["object"] == "Renamed"
    reworded = next(e for e in entries if e["model"] == "clause" and "text" in e["fields"])
    assert reworded["by"] == employer_user.get_username()
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
