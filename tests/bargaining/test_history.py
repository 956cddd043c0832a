"""negotiations/{id}/history/: who changed what, across the negotiation and what is recorded under it."""

import pytest
from rest_framework.test import APIClient

from bargaining.models import Negotiation, Side
from bargaining.services.sessions import session_sign
from config.auth.tokens import token_issue
from tests.factories import NegotiationFactory

pytestmark = pytest.mark.django_db


def history(client, negotiation):
    response = client.get(f"/api/v1/negotiations/{negotiation.pk}/history/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_history_lists_who_opened_requested_and_answered_newest_first(
    enterprise, union_user, employer_user, session_client_for
):
    union, employer = session_client_for(union_user), session_client_for(employer_user)
    created = union.post("/api/v1/negotiations/", {"enterprise": enterprise.pk, "title": "Wages 2027"}, format="json")
    pk = created.json()["id"]
    union.post(f"/api/v1/negotiations/{pk}/request/", {"requested_by": "union", "received_on": "2026-03-02"})
    employer.post(f"/api/v1/negotiations/{pk}/respond/", {"accepted": True, "responded_on": "2026-03-10"})

    entries = history(union, Negotiation.objects.get(pk=pk))

    negotiation_entries = [e for e in entries if e["model"] == "negotiation"]
    assert [(e["change"], e["by"]) for e in negotiation_entries] == [
        ("changed", employer_user.username),
        ("changed", union_user.username),
        ("created", union_user.username),
    ]
    assert all(e["object_id"] == pk for e in negotiation_entries)
    answered, requested, opened = (set(e["fields"]) for e in negotiation_entries)
    assert {"accepted", "responded_on", "status"} <= answered
    assert "requested_by" not in answered
    assert {"requested_by", "request_received_on", "reply_due", "reply_rule", "status"} <= requested
    assert opened == set()
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)


def test_history_names_the_fields_of_a_representative_change(accepted_negotiation, union_user, session_client_for):
    client = session_client_for(union_user)
    rep = accepted_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()
    client.patch(
        f"/api/v1/negotiations/{accepted_negotiation.pk}/representatives/{rep.pk}/",
        {"position": "Shop steward"},
        format="json",
    )
    client.post(
        f"/api/v1/negotiations/{accepted_negotiation.pk}/representatives/{rep.pk}/vacate/",
        {"on": "2026-03-20"},
        format="json",
    )

    entries = [e for e in history(client, accepted_negotiation) if e["model"] == "representative" and e["by"]]

    assert [(e["object_id"], e["change"], e["fields"], e["by"]) for e in entries] == [
        (rep.pk, "changed", ["vacated_on"], union_user.username),
        (rep.pk, "changed", ["position"], union_user.username),
    ]
    assert entries[0]["object"] == rep.name


def test_history_shows_rounds_minutes_and_proposals(
    negotiation_in_rounds, first_round, union_user, employer_user, session_client_for
):
    union, employer = session_client_for(union_user), session_client_for(employer_user)
    base = f"/api/v1/negotiations/{negotiation_in_rounds.pk}"
    employer.patch(f"{base}/sessions/{first_round.pk}/", {"minutes": "Corrected minutes."}, format="json")
    union.post(
        f"{base}/proposals/",
        {"session": first_round.pk, "side": "union", "clause_category": "training", "text": "More training."},
        format="json",
    )

    entries = history(union, negotiation_in_rounds)

    assert (entries[0]["model"], entries[0]["change"], entries[0]["by"]) == ("proposal", "created", union_user.username)
    minutes_edit = entries[1]
    assert (minutes_edit["model"], minutes_edit["object_id"], minutes_edit["by"]) == (
        "consultationsession",
        first_round.pk,
        employer_user.username,
    )
    assert minutes_edit["fields"] == ["minutes"]


def test_history_records_the_signatures(negotiation_in_rounds, first_round, union_user, session_client_for):
    client = session_client_for(union_user)
    client.post(f"/api/v1/negotiations/{negotiation_in_rounds.pk}/sessions/{first_round.pk}/sign/")

    latest = history(client, negotiation_in_rounds)[0]

    assert (latest["model"], latest["by"]) == ("consultationsession", union_user.username)
    assert set(latest["fields"]) == {"union_signed_by", "union_signed_at"}


def test_history_records_the_agreed_positions_at_conclusion(
    negotiation_in_rounds, first_round, union_user, employer_user, session_client_for
):
    session_sign(user=union_user, session=first_round)
    session_sign(user=employer_user, session=first_round)
    client = session_client_for(employer_user)
    client.post(
        f"/api/v1/negotiations/{negotiation_in_rounds.pk}/conclude/",
        {"positions": [{"clause_category": "pay", "term_kind": "pay_day", "params": {"day": 10}}]},
        format="json",
    )

    entries = history(client, negotiation_in_rounds)

    agreed = [e for e in entries if e["model"] == "agreedposition"]
    assert [(e["change"], e["by"]) for e in agreed] == [("created", employer_user.username)]
    concluded = next(e for e in entries if e["model"] == "negotiation")
    assert concluded["by"] == employer_user.username
    assert {"status", "concluded_on"} <= set(concluded["fields"])


def test_history_records_the_user_of_a_token_authenticated_call(accepted_negotiation, union_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(union_user)[1]}")

    client.post(
        f"/api/v1/negotiations/{accepted_negotiation.pk}/representatives/",
        {"side": "union", "name": "Added by token"},
        format="json",
    )

    latest = history(client, accepted_negotiation)[0]
    assert (latest["model"], latest["change"], latest["object"], latest["by"]) == (
        "representative",
        "created",
        "Added by token",
        union_user.username,
    )


def test_history_of_another_negotiation_is_not_mixed_in(accepted_negotiation, union_user, session_client_for):
    client = session_client_for(union_user)
    other = NegotiationFactory(enterprise=accepted_negotiation.enterprise)
    client.post(f"/api/v1/negotiations/{other.pk}/request/", {"requested_by": "union", "received_on": "2026-03-02"})
    client.post(
        f"/api/v1/negotiations/{other.pk}/representatives/", {"side": "union", "name": "Elsewhere"}, format="json"
    )

    entries = history(client, accepted_negotiation)

    assert ("negotiation", other.pk) not in {(e["model"], e["object_id"]) for e in entries}
    assert "Elsewhere" not in {e["object"] for e in entries}
    assert ("negotiation", accepted_negotiation.pk) in {(e["model"], e["object_id"]) for e in entries}
