"""Consultation rounds (R4): chairs in turn, minutes signed by both chiefs and frozen once signed."""

import datetime as dt

import pytest
from django.utils import timezone

from bargaining.errors import NotAChiefRepresentative
from bargaining.models import ConsultationSession, NegotiationStatus, Side
from bargaining.services.negotiations import negotiation_request, negotiation_respond
from bargaining.services.proposals import proposal_create
from bargaining.services.sessions import session_create, session_sign
from contracts.enterprises.models import Role
from tests.factories import NegotiationFactory, RepresentativeFactory, UserFactory, staff_side

pytestmark = pytest.mark.django_db

HELD_AT = "2026-11-20T09:00:00+08:00"


def sessions_url(negotiation, pk=None, action=None):
    base = f"/api/v1/negotiations/{negotiation.pk}/sessions/"
    if pk is not None:
        base += f"{pk}/"
    if action:
        base += f"{action}/"
    return base


def hold(client, negotiation, **fields):
    return client.post(sessions_url(negotiation), {"held_at": HELD_AT, "location": "Room 3", **fields}, format="json")


def hold_round(negotiation, user, minutes="Minutes."):
    return session_create(user=user, negotiation=negotiation, held_at=timezone.now(), location="Room", minutes=minutes)


# --- chairs in turn ---------------------------------------------------------------------------


def test_rounds_are_numbered_and_chaired_in_turn_starting_with_the_requesting_side(
    accepted_negotiation, union_user, client_for
):
    client = client_for(union_user)

    rounds = [hold(client, accepted_negotiation).json() for _ in range(3)]

    assert [(r["round_no"], r["chair_side"]) for r in rounds] == [(1, "union"), (2, "employer"), (3, "union")]


def test_employer_chairs_the_first_round_when_the_employer_asked_for_talks(
    enterprise, union_user, employer_user, client_for
):
    negotiation = NegotiationFactory(enterprise=enterprise)
    negotiation_request(
        user=employer_user, negotiation=negotiation, requested_by=Side.EMPLOYER, received_on=dt.date(2026, 3, 2)
    )
    negotiation_respond(user=union_user, negotiation=negotiation, accepted=True, responded_on=dt.date(2026, 3, 5))
    staff_side(negotiation, Side.UNION, chief_user=union_user)
    staff_side(negotiation, Side.EMPLOYER, chief_user=employer_user)
    client = client_for(union_user)

    first, second = hold(client, negotiation).json(), hold(client, negotiation).json()

    assert (first["chair_side"], second["chair_side"]) == ("employer", "union")


def test_a_chair_given_in_turn_is_accepted(accepted_negotiation, union_user, client_for):
    response = hold(client_for(union_user), accepted_negotiation, chair_side="union")

    assert response.status_code == 201
    assert response.json()["chair_side"] == "union"


def test_a_chair_out_of_turn_is_refused(accepted_negotiation, union_user, client_for):
    client = client_for(union_user)
    hold(client, accepted_negotiation)

    response = hold(client, accepted_negotiation, chair_side="union")

    assert response.status_code == 400
    assert response.json()["code"] == "chair_out_of_turn"
    assert response.json()["extra"]["expected"] == "employer"
    assert response.json()["extra"]["rule"]["rule"] == "R4"
    assert accepted_negotiation.sessions.count() == 1


def test_the_chair_of_a_recorded_round_cannot_be_changed(first_round, negotiation_in_rounds, union_user, client_for):
    response = client_for(union_user).patch(
        sessions_url(negotiation_in_rounds, first_round.pk), {"chair_side": "employer"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "chair_out_of_turn"
    first_round.refresh_from_db()
    assert first_round.chair_side == "union"


def test_the_first_round_opens_the_rounds(accepted_negotiation, union_user, client_for):
    assert accepted_negotiation.status == NegotiationStatus.PREPARING

    hold(client_for(union_user), accepted_negotiation)

    accepted_negotiation.refresh_from_db()
    assert accepted_negotiation.status == NegotiationStatus.IN_ROUNDS


def test_no_round_before_the_request_is_accepted(enterprise, union_user, client_for):
    negotiation = NegotiationFactory(enterprise=enterprise)
    negotiation_request(
        user=union_user, negotiation=negotiation, requested_by=Side.UNION, received_on=dt.date(2026, 3, 2)
    )

    response = hold(client_for(union_user), negotiation)

    assert response.status_code == 409
    assert response.json()["code"] == "transition_forbidden"
    assert response.json()["extra"]["status"] == "requested"


# --- attendees --------------------------------------------------------------------------------


def test_attendees_are_this_negotiations_representatives(accepted_negotiation, union_user, client_for):
    present = list(accepted_negotiation.representatives.values_list("pk", flat=True)[:4])

    response = hold(client_for(union_user), accepted_negotiation, attendees=present)

    assert response.status_code == 201, response.json()
    assert sorted(response.json()["attendees"]) == sorted(present)
    session = ConsultationSession.objects.get(pk=response.json()["id"])
    assert sorted(session.attendees.values_list("pk", flat=True)) == sorted(present)


def test_a_representative_of_another_negotiation_cannot_attend(accepted_negotiation, union_user, client_for):
    stranger = RepresentativeFactory(negotiation=NegotiationFactory(enterprise=accepted_negotiation.enterprise))

    response = hold(client_for(union_user), accepted_negotiation, attendees=[stranger.pk])

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_attendee"
    assert response.json()["extra"]["attendees"] == [stranger.pk]
    assert not accepted_negotiation.sessions.exists()


def test_a_representative_who_left_cannot_attend(accepted_negotiation, union_user, client_for):
    gone = RepresentativeFactory(negotiation=accepted_negotiation, side=Side.UNION, vacated_on=dt.date(2026, 3, 1))

    response = hold(client_for(union_user), accepted_negotiation, attendees=[gone.pk])

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_attendee"


def test_refusing_a_foreign_attendee_does_not_disclose_their_name(accepted_negotiation, union_user, client_for):
    secret = RepresentativeFactory(name="Secret Person of Another Enterprise")

    response = hold(client_for(union_user), accepted_negotiation, attendees=[secret.pk])

    assert response.status_code == 400
    assert "Secret Person" not in response.content.decode()


def test_attendees_can_be_corrected_before_signing(first_round, negotiation_in_rounds, union_user, client_for):
    present = list(negotiation_in_rounds.representatives.values_list("pk", flat=True)[:2])

    response = client_for(union_user).patch(
        sessions_url(negotiation_in_rounds, first_round.pk), {"attendees": present}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert sorted(response.json()["attendees"]) == sorted(present)


# --- signing ----------------------------------------------------------------------------------


def test_a_chief_signs_for_their_side_and_the_round_stays_editable(
    first_round, negotiation_in_rounds, union_user, client_for
):
    client = client_for(union_user)
    union_chief = negotiation_in_rounds.representatives.get(side=Side.UNION, is_chief=True)

    signed = client.post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))
    edited = client.patch(sessions_url(negotiation_in_rounds, first_round.pk), {"location": "Room 9"}, format="json")

    assert signed.status_code == 200, signed.json()
    assert signed.json()["union_signed_by"] == union_chief.pk
    assert signed.json()["union_signed_at"] is not None
    assert signed.json()["employer_signed_by"] is None
    assert signed.json()["is_signed"] is False
    assert edited.status_code == 200
    assert edited.json()["location"] == "Room 9"


def test_both_chiefs_signing_freezes_the_minutes(
    first_round, negotiation_in_rounds, union_user, employer_user, client_for
):
    session_sign(user=union_user, session=first_round)

    response = client_for(employer_user).post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))

    assert response.status_code == 200
    body = response.json()
    employer_chief = negotiation_in_rounds.representatives.get(side=Side.EMPLOYER, is_chief=True)
    assert body["employer_signed_by"] == employer_chief.pk
    assert body["is_signed"] is True


@pytest.mark.parametrize(
    "who",
    ["non_chief_representative", "negotiator_not_a_representative", "union_leader"],
)
def test_only_a_chief_representative_linked_to_the_user_may_sign(
    first_round, negotiation_in_rounds, make_member, client_for, who
):
    user = make_member(
        negotiation_in_rounds.enterprise, Role.UNION_LEADER if who == "union_leader" else Role.UNION_NEGOTIATOR
    )
    if who == "non_chief_representative":
        rep = negotiation_in_rounds.representatives.filter(side=Side.UNION, is_chief=False).first()
        rep.user = user
        rep.save()

    response = client_for(user).post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))

    assert response.status_code == 403
    assert response.json()["code"] == "not_chief_representative"
    assert response.json()["extra"]["rule"]["rule"] == "R4"
    first_round.refresh_from_db()
    assert (first_round.union_signed_at, first_round.employer_signed_at) == (None, None)


def test_a_chief_who_left_office_can_no_longer_sign(first_round, negotiation_in_rounds, union_user, client_for):
    chief = negotiation_in_rounds.representatives.get(side=Side.UNION, is_chief=True)
    chief.vacated_on = dt.date(2026, 3, 20)
    chief.save()

    response = client_for(union_user).post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))

    assert response.status_code == 403
    assert response.json()["code"] == "not_chief_representative"


def test_a_chief_of_another_negotiation_cannot_sign(first_round, negotiation_in_rounds, make_member, client_for):
    other_chief_user = make_member(negotiation_in_rounds.enterprise)
    RepresentativeFactory(
        negotiation=NegotiationFactory(enterprise=negotiation_in_rounds.enterprise),
        is_chief=True,
        user=other_chief_user,
    )

    response = client_for(other_chief_user).post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))

    assert response.status_code == 403
    assert response.json()["code"] == "not_chief_representative"


def test_a_chief_cannot_sign_twice(first_round, negotiation_in_rounds, union_user, client_for):
    client = client_for(union_user)
    client.post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))
    first_signed_at = ConsultationSession.objects.get(pk=first_round.pk).union_signed_at

    response = client.post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))

    assert response.status_code == 409
    assert response.json()["code"] == "already_signed"
    assert ConsultationSession.objects.get(pk=first_round.pk).union_signed_at == first_signed_at


def test_minutes_cannot_be_signed_while_empty(negotiation_in_rounds, union_user, client_for):
    empty = hold_round(negotiation_in_rounds, union_user, minutes="   ")

    response = client_for(union_user).post(sessions_url(negotiation_in_rounds, empty.pk, "sign"))

    assert response.status_code == 400
    assert response.json()["code"] == "minutes_empty"


# --- signed minutes are immutable -------------------------------------------------------------


@pytest.fixture
def signed_round(first_round, sign_both):
    return sign_both(first_round)


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("patch", {"minutes": "Rewritten."}),
        ("patch", {"location": "Elsewhere"}),
        ("patch", {"attendees": []}),
        ("put", {"held_at": HELD_AT, "location": "Elsewhere", "minutes": "Rewritten."}),
        ("delete", None),
    ],
)
def test_signed_minutes_cannot_change(signed_round, negotiation_in_rounds, union_user, client_for, method, body):
    before = ConsultationSession.objects.values().get(pk=signed_round.pk)

    response = getattr(client_for(union_user), method)(
        sessions_url(negotiation_in_rounds, signed_round.pk), body, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "minutes_signed"
    assert response.json()["extra"]["rule"]["rule"] == "R4"
    assert ConsultationSession.objects.values().get(pk=signed_round.pk) == before


def test_signing_signed_minutes_again_is_a_conflict(signed_round, negotiation_in_rounds, employer_user, client_for):
    response = client_for(employer_user).post(sessions_url(negotiation_in_rounds, signed_round.pk, "sign"))

    assert response.status_code == 409
    assert response.json()["code"] in ("minutes_signed", "already_signed")


def test_no_proposal_goes_into_a_signed_round(signed_round, negotiation_in_rounds, union_user, client_for):
    response = client_for(union_user).post(
        f"/api/v1/negotiations/{negotiation_in_rounds.pk}/proposals/",
        {"session": signed_round.pk, "side": "union", "clause_category": "pay", "text": "More pay."},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "minutes_signed"
    assert not signed_round.proposals.exists()


def test_a_signed_round_does_not_prevent_the_next_one(signed_round, negotiation_in_rounds, union_user, client_for):
    response = hold(client_for(union_user), negotiation_in_rounds)

    assert response.status_code == 201
    assert (response.json()["round_no"], response.json()["chair_side"]) == (2, "employer")


# --- editing after one signature --------------------------------------------------------------


def test_editing_the_minutes_after_one_signature_withdraws_it(
    first_round, negotiation_in_rounds, union_user, employer_user, client_for
):
    session_sign(user=union_user, session=first_round)

    response = client_for(employer_user).patch(
        sessions_url(negotiation_in_rounds, first_round.pk), {"minutes": "Corrected minutes."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["minutes"] == "Corrected minutes."
    assert (response.json()["union_signed_by"], response.json()["union_signed_at"]) == (None, None)
    first_round.refresh_from_db()
    assert first_round.union_signed_at is None


def test_resubmitting_identical_minutes_keeps_the_signature(first_round, negotiation_in_rounds, union_user, client_for):
    session_sign(user=union_user, session=first_round)

    response = client_for(union_user).patch(
        sessions_url(negotiation_in_rounds, first_round.pk), {"minutes": first_round.minutes}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["union_signed_at"] is not None


def test_after_a_withdrawn_signature_both_must_sign_the_new_text(
    first_round, negotiation_in_rounds, union_user, employer_user, client_for
):
    session_sign(user=union_user, session=first_round)
    client_for(union_user).patch(
        sessions_url(negotiation_in_rounds, first_round.pk), {"minutes": "Corrected."}, format="json"
    )

    after_employer = client_for(employer_user).post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))
    after_union = client_for(union_user).post(sessions_url(negotiation_in_rounds, first_round.pk, "sign"))

    assert after_employer.json()["is_signed"] is False
    assert after_union.json()["is_signed"] is True


# --- removing a round -------------------------------------------------------------------------


def test_the_latest_unsigned_round_can_be_removed(first_round, negotiation_in_rounds, union_user, client_for):
    response = client_for(union_user).delete(sessions_url(negotiation_in_rounds, first_round.pk))

    assert response.status_code == 204
    assert not ConsultationSession.objects.filter(pk=first_round.pk).exists()


def test_an_earlier_round_cannot_be_removed(first_round, negotiation_in_rounds, union_user, client_for):
    hold_round(negotiation_in_rounds, union_user)

    response = client_for(union_user).delete(sessions_url(negotiation_in_rounds, first_round.pk))

    assert response.status_code == 409
    assert response.json()["code"] == "not_latest_round"
    assert ConsultationSession.objects.filter(pk=first_round.pk).exists()


# --- roles ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CONGRESS_DELEGATE])
def test_a_read_only_role_cannot_hold_a_round(accepted_negotiation, make_member, client_for, role):
    reader = make_member(accepted_negotiation.enterprise, role)

    response = hold(client_for(reader), accepted_negotiation)

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"
    assert not accepted_negotiation.sessions.exists()


def test_a_read_only_role_sees_the_rounds(first_round, negotiation_in_rounds, make_member, client_for):
    reader = make_member(negotiation_in_rounds.enterprise, Role.CONGRESS_DELEGATE)

    response = client_for(reader).get(sessions_url(negotiation_in_rounds))

    assert response.status_code == 200
    assert [s["id"] for s in response.json()["results"]] == [first_round.pk]


def test_session_sign_refuses_a_user_who_represents_nobody(first_round):
    outsider = UserFactory()

    with pytest.raises(NotAChiefRepresentative):
        session_sign(user=outsider, session=first_round)

    first_round.refresh_from_db()
    assert first_round.union_signed_at is None


def test_a_position_tabled_after_one_chief_signed_withdraws_that_signature(
    first_round, negotiation_in_rounds, union_user, employer_user
):
    # given the union's chief has signed the round's record
    session_sign(user=union_user, session=first_round)
    # when the employer tables a position in that round
    proposal_create(
        user=employer_user,
        negotiation=negotiation_in_rounds,
        session=first_round,
        side=Side.EMPLOYER,
        clause_category="pay",
        term_kind="min_monthly_wage",
        params={"amount": "2800"},
    )
    # then the record the union signed has changed: its signature is withdrawn, so both sign the same
    first_round.refresh_from_db()
    assert (first_round.union_signed_at, first_round.union_signed_by_id) == (None, None)
    assert first_round.proposals.count() == 1
