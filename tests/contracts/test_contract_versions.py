"""Every change to a contract is a version; ``diff/`` compares two of them clause by clause,
word by word (each CJK character a word); only a draft may change."""

import datetime as dt

import pytest

from contracts.enterprises.models import Role
from contracts.models import Clause, Contract, ContractStatus
from contracts.services.lifecycle import (
    clause_add,
    clause_delete,
    clause_update,
    contract_congress_decided,
    contract_create,
    contract_file,
    contract_record_objection,
    contract_record_receipt,
    contract_sign,
    contract_submit_to_congress,
    contract_update,
)
from contracts.services.versions import text_diff

pytestmark = pytest.mark.django_db

URL = "/api/v1/contracts/"
D = dt.date.fromisoformat


def url(contract, action=""):
    return f"{URL}{contract.pk}/{action + '/' if action else ''}"


def clauses_url(contract, clause=None):
    return f"{URL}{contract.pk}/clauses/{f'{clause.pk}/' if clause else ''}"


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def version_numbers(contract):
    return list(Contract.objects.get(pk=contract.pk).versions.values_list("number", flat=True))


@pytest.fixture
def draft(enterprise, union_user):
    return contract_create(
        user=union_user,
        enterprise=enterprise,
        kind="general",
        title="Collective contract 2026–2029",
        term_start=D("2026-07-01"),
        term_end=D("2029-06-30"),
        clauses=[
            {
                "number": "1",
                "category": "pay",
                "title": "Wages",
                "text": "Wages are paid monthly on the 15th.",
                "terms": [{"kind": "min_monthly_wage", "params": {"amount": "3000"}}],
            },
            {"number": "2", "category": "disputes", "title": "Disputes", "text": "争议先由双方协商解决。"},
            {"number": "3", "category": "training", "title": "Training", "text": "Forty hours a year."},
        ],
    )


def clause(contract, number):
    return Clause.objects.get(contract=contract, number=number)


# --- every change is a version ------------------------------------------------------------------


def test_creating_a_contract_with_clauses_is_version_one(draft):
    version = draft.versions.get()

    assert (draft.version, version.number, version.status) == (1, 1, "draft")
    assert [c["number"] for c in version.snapshot["clauses"]] == ["1", "2", "3"]
    assert version.snapshot["contract"]["term_end"] == "2029-06-30"


def test_each_clause_change_and_contract_change_adds_one_version(draft, union_user, client_for):
    client = english(client_for(union_user))

    added = client.post(clauses_url(draft), {"number": "4", "category": "term", "text": "Three years."}, format="json")
    changed = client.patch(clauses_url(draft, clause(draft, "1")), {"text": "Wages are paid weekly."}, format="json")
    removed = client.delete(clauses_url(draft, clause(draft, "3")))
    retitled = client.patch(url(draft), {"title": "Collective contract 2026"}, format="json")

    assert [r.status_code for r in (added, changed, removed, retitled)] == [201, 200, 204, 200]
    response = client.get(url(draft, "versions"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [1, 2, 3, 4, 5]
    # each clause named by the article it is printed as, chapter by chapter (pay, training, term,
    # disputes): clause 4 (term) prints third, clause 3 (training) printed second before it went
    assert [row["change"] for row in rows] == [
        "contract drafted",
        "Article 3 added",
        "Article 1 changed",
        "Article 2 removed",
        "contract changed",
    ]
    assert {row["by"] for row in rows} == {union_user.get_username()}
    assert [c["number"] for c in rows[-1]["snapshot"]["clauses"]] == ["1", "2", "4"]
    assert rows[-1]["snapshot"]["contract"]["title"] == "Collective contract 2026"
    assert Contract.objects.get(pk=draft.pk).version == 5


def test_each_status_change_adds_a_version_with_the_new_status(draft, union_user, make_member, enterprise):
    # given chiefs are named on the draft
    union_chief = make_member(enterprise, Role.UNION_NEGOTIATOR)
    employer_chief = make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)
    draft = contract_update(user=union_user, contract=draft, union_chief=union_chief, employer_chief=employer_chief)

    # when it goes through the congress, the signatures, filing, receipt and an objection
    contract = contract_submit_to_congress(user=union_user, contract=draft)
    contract = contract_congress_decided(contract=contract, passed=True, user=union_user)
    contract_sign(user=union_chief, contract=contract)
    contract = contract_sign(user=employer_chief, contract=contract)
    contract = contract_file(user=union_user, contract=contract, filed_on=contract.signed_on)
    contract = contract_record_receipt(user=union_user, contract=contract, receipt_on=contract.filed_on)
    contract_record_objection(user=union_user, contract=contract, objected_on=contract.receipt_on, text="Redo.")

    # then every change is a version, the first signature (no status change) apart
    statuses = list(Contract.objects.get(pk=draft.pk).versions.values_list("number", "status"))
    assert statuses == [
        (1, "draft"),
        (2, "draft"),
        (3, "in_congress"),
        (4, "approved"),
        (5, "signed"),
        (6, "filed"),
        (7, "filed"),
        (8, "draft"),
    ]


def test_a_congress_rejection_is_a_version_back_in_draft(draft, union_user):
    contract = contract_submit_to_congress(user=union_user, contract=draft)

    contract_congress_decided(contract=contract, passed=False, user=union_user)

    assert list(draft.versions.values_list("number", "status")) == [(1, "draft"), (2, "in_congress"), (3, "draft")]


def test_a_refused_change_adds_no_version(draft, union_user, client_for):
    response = client_for(union_user).post(
        clauses_url(draft), {"number": "1", "category": "other", "text": "Duplicate number."}, format="json"
    )

    assert response.status_code == 400
    assert version_numbers(draft) == [1]


# --- diff/ -------------------------------------------------------------------------------


def test_diff_shows_added_removed_and_changed_clauses(draft, union_user, client_for):
    # given v2 adds clause 4, v3 changes clause 1's text and term, v4 removes clause 3
    new = clause_add(user=union_user, contract=draft, number="4", category="term", text="Three years.")
    clause_update(
        user=union_user,
        clause=clause(draft, "1"),
        text="Wages are paid weekly on the 15th.",
        terms=[{"kind": "min_monthly_wage", "params": {"amount": "3200"}}],
    )
    removed = clause(draft, "3")
    removed_id = removed.pk
    clause_delete(user=union_user, clause=removed)

    # when
    response = client_for(union_user).get(url(draft, "diff"), {"from": 1, "to": 4})

    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["from"], body["to"], body["contract"]) == (1, 4, {})
    by_change = {entry["change"]: entry for entry in body["clauses"]}
    assert set(by_change) == {"added", "removed", "changed"}
    assert by_change["added"]["clause"] == new.pk
    assert by_change["added"]["clause_after"]["number"] == "4"
    assert by_change["added"]["clause_before"] is None
    assert by_change["removed"]["clause"] == removed_id
    assert by_change["removed"]["clause_before"]["text"] == "Forty hours a year."
    changed = by_change["changed"]
    assert changed["number"] == "1"
    assert changed["fields"] == {}
    assert [p for p in changed["text"] if p["op"] != "equal"] == [{"op": "replace", "old": "monthly", "new": "weekly"}]
    assert changed["terms"] == [
        {"kind": "min_monthly_wage", "change": "changed", "params": {"amount": {"from": "3000", "to": "3200"}}}
    ]


def test_diff_of_chinese_text_is_per_character(draft, union_user, client_for):
    clause_update(user=union_user, clause=clause(draft, "2"), text="争议先由双方平等协商解决。")

    body = client_for(union_user).get(url(draft, "diff"), {"from": 1, "to": 2}).json()

    (entry,) = body["clauses"]
    assert entry["number"] == "2"
    assert [p for p in entry["text"] if p["op"] != "equal"] == [{"op": "insert", "old": "", "new": "平等"}]
    assert "".join(p["new"] for p in entry["text"]) == "争议先由双方平等协商解决。"
    assert "".join(p["old"] for p in entry["text"]) == "争议先由双方协商解决。"


def test_text_diff_replaces_a_single_chinese_character_and_a_whole_latin_word():
    assert [p for p in text_diff("每月发放", "每周发放") if p["op"] != "equal"] == [
        {"op": "replace", "old": "月", "new": "周"}
    ]
    assert [p for p in text_diff("paid monthly", "paid month") if p["op"] != "equal"] == [
        {"op": "replace", "old": "monthly", "new": "month"}
    ]
    assert [p for p in text_diff("at least 3,000.50 yuan", "at least 3,200.50 yuan") if p["op"] != "equal"] == [
        {"op": "replace", "old": "3,000.50", "new": "3,200.50"}
    ]


def test_diff_shows_terms_added_and_removed_with_their_params(draft, union_user, client_for):
    clause_update(
        user=union_user,
        clause=clause(draft, "1"),
        terms=[{"kind": "overtime_premium", "params": {"weekday": "1.6"}}],
    )

    body = client_for(union_user).get(url(draft, "diff"), {"from": 1, "to": 2}).json()

    (entry,) = body["clauses"]
    assert entry["text"] is None
    assert entry["terms"] == [
        {"kind": "min_monthly_wage", "change": "removed", "params": {"amount": "3000"}},
        {
            "kind": "overtime_premium",
            "change": "added",
            "params": {"weekday": "1.6", "rest_day": "2", "holiday": "3"},
        },
    ]


def test_stating_the_defaulted_premiums_explicitly_is_no_change(draft, union_user, client_for):
    # given clause 1 carries overtime premiums with the rest-day and holiday rates left to their defaults
    clause_update(user=union_user, clause=clause(draft, "1"), terms=[{"kind": "overtime_premium", "params": {}}])

    # when the same rates are written out
    clause_update(
        user=union_user,
        clause=clause(draft, "1"),
        terms=[{"kind": "overtime_premium", "params": {"weekday": "1.5", "rest_day": "2", "holiday": "3"}}],
    )

    # then nothing changed between the two versions
    body = client_for(union_user).get(url(draft, "diff"), {"from": 2, "to": 3}).json()
    assert body["clauses"] == []


def test_diff_shows_clause_fields_and_contract_fields_changed(draft, union_user, client_for):
    clause_update(user=union_user, clause=clause(draft, "3"), number="3a", title="Vocational training")
    contract_update(user=union_user, contract=draft, title="Contract 2026", term_end=D("2028-06-30"))

    body = client_for(union_user).get(url(draft, "diff"), {"from": 1, "to": 3}).json()

    assert body["contract"] == {
        "title": {"from": "Collective contract 2026–2029", "to": "Contract 2026"},
        "term_end": {"from": "2029-06-30", "to": "2028-06-30"},
    }
    (entry,) = body["clauses"]
    assert entry["fields"] == {
        "number": {"from": "3", "to": "3a"},
        "title": {"from": "Training", "to": "Vocational training"},
    }
    assert entry["text"] is None


def test_diff_of_a_version_with_itself_is_empty(draft, union_user, client_for):
    body = client_for(union_user).get(url(draft, "diff"), {"from": 1, "to": 1}).json()

    assert (body["contract"], body["clauses"]) == ({}, [])


@pytest.mark.parametrize(("query", "missing"), [({"from": 1, "to": 2}, 2), ({"from": 0, "to": 1}, 0)])
def test_diff_against_an_unknown_version_is_refused(draft, union_user, client_for, query, missing):
    response = client_for(union_user).get(url(draft, "diff"), query)

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_version"
    assert response.json()["extra"]["version"] == missing


@pytest.mark.parametrize("query", [{"from": 1}, {"to": 1}, {"from": "one", "to": 1}])
def test_diff_needs_two_version_numbers(draft, union_user, client_for, query):
    response = client_for(union_user).get(url(draft, "diff"), query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


# --- only a draft changes --------------------------------------------------------------------

LATER = [
    ContractStatus.IN_CONGRESS,
    ContractStatus.APPROVED,
    ContractStatus.SIGNED,
    ContractStatus.FILED,
    ContractStatus.EFFECTIVE,
    ContractStatus.EXPIRED,
]


def _edits(contract):
    first = clause(contract, "1")
    return {
        "patch contract": lambda c: c.patch(url(contract), {"title": "Changed"}, format="json"),
        "add clause": lambda c: c.post(
            clauses_url(contract), {"number": "9", "category": "other", "text": "New."}, format="json"
        ),
        "change clause": lambda c: c.patch(clauses_url(contract, first), {"text": "Changed."}, format="json"),
        "delete clause": lambda c: c.delete(clauses_url(contract, first)),
    }


@pytest.mark.parametrize("status", LATER)
@pytest.mark.parametrize("edit", ["patch contract", "add clause", "change clause", "delete clause"])
def test_a_contract_past_draft_is_immutable(draft, union_user, client_for, status, edit):
    # given the contract has left the draft stage (set directly: test setup)
    Contract.objects.filter(pk=draft.pk).update(status=status)

    response = _edits(draft)[edit](client_for(union_user))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "contract_state_conflict"
    assert (body["extra"]["action"], body["extra"]["status"], body["extra"]["allowed_from"]) == (
        "edit",
        status,
        ["draft"],
    )
    contract = Contract.objects.get(pk=draft.pk)
    assert contract.title == "Collective contract 2026–2029"
    assert sorted(contract.clauses.values_list("number", "text")) == [
        ("1", "Wages are paid monthly on the 15th."),
        ("2", "争议先由双方协商解决。"),
        ("3", "Forty hours a year."),
    ]
    assert version_numbers(draft) == [1]
