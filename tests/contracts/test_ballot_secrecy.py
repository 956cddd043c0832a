"""Ballot secrecy (R6): nothing the service stores, answers or shows in the admin ties a
delegate to the choice they made."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client

from contracts.models import BallotBox, BallotReceipt, CongressMode, CongressSession
from contracts.services.congress import congress_session_close, congress_session_open
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/congress-sessions/"
CHOICES = {"yes", "no", "abstain"}
USER_KEYS = {"user", "delegate", "voter", "by", "created_by", "history_user", "username", "user_id", "delegate_id"}


def dicts_in(value):
    """Every dict inside a JSON value, itself included."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from dicts_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from dicts_in(child)


def string_values_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for child in value.values() if isinstance(value, dict) else value:
            yield from string_values_in(child)


def links_a_delegate_to_a_choice(body, delegates) -> list[dict]:
    """The objects in ``body`` that name a delegate and also carry a choice."""
    ids = {delegate.pk for delegate in delegates}
    names = {delegate.username for delegate in delegates}
    found = []
    for obj in dicts_in(body):
        names_delegate = any(
            (key in USER_KEYS and value in ids | names) or (isinstance(value, str) and value in names)
            for key, value in obj.items()
        )
        carries_choice = "choice" in obj or any(isinstance(value, str) and value in CHOICES for value in obj.values())
        if names_delegate and carries_choice:
            found.append(obj)
    return found


@pytest.fixture
def voted(contract_in_congress, union_user, make_delegates, client_for):
    """Three delegates of a four-delegate congress voted yes, no and abstain; the session is still open."""
    session = congress_session_open(
        user=union_user,
        contract=contract_in_congress,
        delegates_total=4,
        held_on=dt.date(2026, 6, 15),
        mode=CongressMode.BALLOT,
    )
    delegates = make_delegates(contract_in_congress.enterprise, 3)
    acknowledgements = [
        client_for(delegate).post(f"{URL}{session.pk}/ballots/", {"choice": choice}, format="json")
        for delegate, choice in zip(delegates, ["yes", "no", "abstain"], strict=True)
    ]
    return session, delegates, acknowledgements


def test_the_acknowledgement_of_a_ballot_says_only_that_one_voted(voted):
    _, _, acknowledgements = voted

    assert [(r.status_code, r.json()) for r in acknowledgements] == [(201, {"voted": True})] * 3


def test_no_api_response_links_a_delegate_to_a_choice(voted, union_user, client_for):
    # given three delegates voted yes, no and abstain
    session, delegates, _ = voted
    organiser = client_for(union_user)
    contract_id = session.contract_id
    bodies = {}

    # when everyone reads everything there is to read, before and after closing
    def read_all(stage):
        for who, client in [("organiser", organiser)] + [(d.username, client_for(d)) for d in delegates]:
            for path in [f"{URL}{session.pk}/", URL, f"{URL}{session.pk}/ballots/"]:
                response = client.get(path)
                assert response.status_code == 200, (path, response.content)
                bodies[(stage, who, path)] = response.json()
            for path in [
                f"/api/v1/contracts/{contract_id}/",
                f"/api/v1/contracts/{contract_id}/versions/",
                f"/api/v1/contracts/{contract_id}/history/",
            ]:
                response = client.get(path)
                if response.status_code == 200:  # the contract endpoints, where they exist
                    bodies[(stage, who, path)] = response.json()

    read_all("open")
    closed = organiser.post(f"{URL}{session.pk}/close/")
    assert closed.status_code == 200
    bodies[("closed", "organiser", "close")] = closed.json()
    read_all("closed")

    # then no object names a delegate and a choice together; no delegate's name, no choice
    # as a value and no "choice" or "delegate" key appears at all
    for key, body in bodies.items():
        assert links_a_delegate_to_a_choice(body, delegates) == [], key
        values = set(string_values_in(body))
        assert not values & {d.username for d in delegates}, key
        assert not values & CHOICES, key
        keys = {k for obj in dicts_in(body) for k in obj}
        assert not keys & {"choice", "delegate", "voter"}, key
    # and the closed result gives the counts only
    result = closed.json()["result"]
    assert (result["present"], result["yes"], result["no"], result["abstain"]) == (3, 1, 1, 1)


def test_while_open_no_count_of_choices_is_shown(voted, union_user, client_for):
    session, delegates, _ = voted

    detail = client_for(union_user).get(f"{URL}{session.pk}/").json()
    listed = client_for(union_user).get(URL).json()["results"][0]
    ballots = client_for(delegates[0]).get(f"{URL}{session.pk}/ballots/").json()

    for body in (detail, listed):
        assert (body["yes"], body["no"], body["abstain"], body["decision"]) == (None, None, None, None)
    assert ballots == {"ballots_cast": 3, "delegates_total": 4, "you_voted": True}


def test_what_anyone_reads_while_open_is_the_same_whatever_a_delegate_chose(
    enterprise, make_contract_in_congress, union_user, make_delegates, client_for
):
    # given two sessions in which the same delegate voted differently
    (delegate,) = make_delegates(enterprise, 1)
    seen = []
    for choice in ("yes", "no"):
        session = congress_session_open(
            user=union_user,
            contract=make_contract_in_congress(enterprise),
            delegates_total=4,
            held_on=dt.date(2026, 6, 15),
            mode=CongressMode.BALLOT,
        )
        client_for(delegate).post(f"{URL}{session.pk}/ballots/", {"choice": choice}, format="json")

        # when the organiser and the delegate read the session and its ballots
        pages = [
            client.get(path).json()
            for client in (client_for(union_user), client_for(delegate))
            for path in (f"{URL}{session.pk}/", f"{URL}{session.pk}/ballots/")
        ]
        for page in pages:
            page.pop("id", None)
            page.pop("contract", None)
        seen.append(pages)

    # then nothing tells the two apart
    assert seen[0] == seen[1]


def test_the_schema_has_no_object_pairing_a_delegate_with_a_choice(client_for, union_user):
    response = client_for(union_user).get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schemas = response.json()["components"]["schemas"]
    assert not [name for name in schemas if "ballotreceipt" in name.lower() or "ballotbox" in name.lower()]
    for name, schema in schemas.items():
        properties = set(schema.get("properties", {}))
        if "choice" in properties:
            assert properties == {"choice"}, name
        assert not ("delegate" in properties and properties & {"choice", "yes", "no", "abstain"}), name


# --- the models themselves --------------------------------------------------------------


def test_ballot_receipt_holds_only_session_and_delegate():
    fields = BallotReceipt._meta.get_fields()

    assert {field.name for field in fields} == {"id", "session", "delegate"}
    assert not [f for f in fields if isinstance(f, models.DateField | models.DateTimeField | models.TimeField)]
    assert isinstance(BallotReceipt._meta.pk, models.UUIDField)


def test_ballot_box_has_no_link_to_a_user():
    user_model = get_user_model()

    assert [f.name for f in BallotBox._meta.get_fields() if f.related_model is user_model] == []
    assert {f.name for f in BallotBox._meta.concrete_fields} == {"id", "session", "yes", "no", "abstain"}


def test_neither_ballot_model_keeps_a_history():
    assert not hasattr(BallotReceipt, "history")
    assert not hasattr(BallotBox, "history")
    model_names = {model.__name__ for model in apps.get_models()}
    assert not {"HistoricalBallotReceipt", "HistoricalBallotBox"} & model_names


def test_the_ballot_box_holds_counts_not_ballots(voted):
    session, _, _ = voted

    box = BallotBox.objects.get(session=session)

    assert BallotBox.objects.filter(session=session).count() == 1
    assert (box.yes, box.no, box.abstain) == (1, 1, 1)
    assert BallotReceipt.objects.filter(session=session).count() == 3


# --- the admin --------------------------------------------------------------------------


def admin_fields(page) -> list[str]:
    """The fields an admin change (or view) page shows, in order."""
    return [
        field.field["name"] if isinstance(field.field, dict) else field.field.name
        for fieldset in page.context["adminform"]
        for line in fieldset
        for field in line
    ]


@pytest.fixture
def superuser_client():
    superuser = UserFactory(is_staff=True, is_superuser=True)
    superuser.save()  # the factory sets the password after saving; the session hash must match the stored one
    client = Client()
    client.force_login(superuser)
    return client


def test_admin_receipts_show_who_voted_and_nothing_else(voted, superuser_client):
    session, _, _ = voted
    receipt = BallotReceipt.objects.filter(session=session).first()

    listing = superuser_client.get("/admin/contracts/ballotreceipt/")
    page = superuser_client.get(f"/admin/contracts/ballotreceipt/{receipt.pk}/change/")

    assert listing.status_code == 200
    assert set(listing.context["cl"].list_display) <= {"action_checkbox", "session", "delegate"}
    assert page.status_code == 200
    assert admin_fields(page) == ["session", "delegate"]
    assert b"choice" not in page.content.lower()


def test_admin_session_page_hides_counts_while_open_and_names_no_delegate(voted, union_user, superuser_client):
    session, delegates, _ = voted

    open_page = superuser_client.get(f"/admin/contracts/congresssession/{session.pk}/change/")
    congress_session_close(user=union_user, session=session)
    closed_page = superuser_client.get(f"/admin/contracts/congresssession/{session.pk}/change/")
    history = superuser_client.get(f"/admin/contracts/congresssession/{session.pk}/history/")

    assert open_page.status_code == closed_page.status_code == history.status_code == 200
    assert not set(admin_fields(open_page)) & {"yes", "no", "abstain"}
    assert {"present", "yes", "no", "abstain"} <= set(admin_fields(closed_page))
    for page in (open_page, closed_page, history):
        for delegate in delegates:
            assert delegate.username.encode() not in page.content


def test_ballot_box_is_not_in_the_admin(voted, superuser_client):
    assert not admin.site.is_registered(BallotBox)
    assert superuser_client.get("/admin/contracts/ballotbox/").status_code == 404


def test_congress_sessions_change_only_through_the_services_not_the_admin(voted, superuser_client):
    session, _, _ = voted

    response = superuser_client.post(
        f"/admin/contracts/congresssession/{session.pk}/change/", {"yes": 4, "no": 0, "abstain": 0}
    )

    assert response.status_code == 403
    assert CongressSession.objects.get(pk=session.pk).yes is None
