"""Who sees and changes which negotiation: enterprise roles, federation officers,
read-only roles and anonymous callers."""

import pytest
from rest_framework.test import APIClient

from bargaining.models import Negotiation, NegotiationStatus, Proposal, Representative, Side
from contracts.enterprises.models import Role
from tests.factories import (
    EnterpriseFactory,
    FederationFactory,
    FederationOfficerFactory,
    NegotiationFactory,
    ProposalFactory,
    RepresentativeFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

HELD_AT = "2026-11-20T09:00:00+08:00"


@pytest.fixture
def foreign(db):
    """Enterprise B's negotiation in rounds, with a representative, a round and a proposal."""
    negotiation = NegotiationFactory(
        enterprise=EnterpriseFactory(), status=NegotiationStatus.IN_ROUNDS, requested_by=Side.UNION
    )
    representative = RepresentativeFactory(negotiation=negotiation, side=Side.UNION, is_chief=True)
    session = SessionFactory(negotiation=negotiation, round_no=1)
    proposal = ProposalFactory(session=session)
    return {"negotiation": negotiation, "rep": representative, "session": session, "proposal": proposal}


def foreign_urls(foreign):
    n, r, s, p = foreign["negotiation"].pk, foreign["rep"].pk, foreign["session"].pk, foreign["proposal"].pk
    base = f"/api/v1/negotiations/{n}/"
    return [
        ("get", base, None),
        ("get", f"{base}history/", None),
        ("post", f"{base}request/", {"requested_by": "union", "received_on": "2026-03-02"}),
        ("post", f"{base}respond/", {"accepted": True}),
        ("post", f"{base}suspend/", {"next_meeting_at": HELD_AT, "next_meeting_location": "X"}),
        ("post", f"{base}resume/", {}),
        ("post", f"{base}conclude/", {}),
        ("get", f"{base}representatives/", None),
        ("post", f"{base}representatives/", {"side": "union", "name": "Intruder"}),
        ("get", f"{base}representatives/{r}/", None),
        ("patch", f"{base}representatives/{r}/", {"name": "Renamed"}),
        ("post", f"{base}representatives/{r}/vacate/", {"on": "2026-03-02"}),
        ("get", f"{base}sessions/", None),
        ("post", f"{base}sessions/", {"held_at": HELD_AT, "location": "X"}),
        ("get", f"{base}sessions/{s}/", None),
        ("patch", f"{base}sessions/{s}/", {"minutes": "Rewritten"}),
        ("delete", f"{base}sessions/{s}/", None),
        ("post", f"{base}sessions/{s}/sign/", None),
        ("get", f"{base}proposals/", None),
        ("get", f"{base}proposals/{p}/", None),
        ("post", f"{base}proposals/", {"session": s, "side": "union", "clause_category": "pay", "text": "x"}),
        ("get", f"{base}proposals/gap/", None),
    ]


def test_a_user_of_another_enterprise_gets_not_found_everywhere(foreign, union_user, client_for):
    client = client_for(union_user)
    before = (Representative.objects.count(), Proposal.objects.count(), foreign["session"].minutes)

    results = {
        f"{method.upper()} {path}": getattr(client, method)(path, body, format="json").status_code
        for method, path, body in foreign_urls(foreign)
    }

    assert results == dict.fromkeys(results, 404)
    foreign["session"].refresh_from_db()
    assert (Representative.objects.count(), Proposal.objects.count(), foreign["session"].minutes) == before
    assert Negotiation.objects.get(pk=foreign["negotiation"].pk).status == NegotiationStatus.IN_ROUNDS


def test_not_found_carries_the_error_shape(foreign, union_user, client_for):
    response = client_for(union_user).get(f"/api/v1/negotiations/{foreign['negotiation'].pk}/")

    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "extra"}
    assert response.json()["code"] == "not_found"


def test_a_foreign_child_is_not_reachable_through_an_own_negotiation(
    foreign, negotiation_in_rounds, union_user, client_for
):
    own = f"/api/v1/negotiations/{negotiation_in_rounds.pk}"
    client = client_for(union_user)

    assert client.get(f"{own}/representatives/{foreign['rep'].pk}/").status_code == 404
    assert client.get(f"{own}/sessions/{foreign['session'].pk}/").status_code == 404
    assert client.get(f"{own}/proposals/{foreign['proposal'].pk}/").status_code == 404
    assert client.post(f"{own}/sessions/{foreign['session'].pk}/sign/").status_code == 404


def test_a_user_cannot_open_a_negotiation_for_another_enterprise(union_user, client_for):
    other = EnterpriseFactory()

    response = client_for(union_user).post(
        "/api/v1/negotiations/", {"enterprise": other.pk, "title": "Hostile"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "enterprise" in response.json()["extra"]["fields"]
    assert not Negotiation.objects.filter(enterprise=other).exists()


def test_the_list_shows_only_the_users_enterprises(foreign, negotiation_in_rounds, union_user, client_for):
    response = client_for(union_user).get("/api/v1/negotiations/")

    assert response.status_code == 200
    assert [n["id"] for n in response.json()["results"]] == [negotiation_in_rounds.pk]


# --- federation officers ----------------------------------------------------------------------


@pytest.fixture
def federation_setup(db):
    federation = FederationFactory()
    ours = [
        NegotiationFactory(enterprise=EnterpriseFactory(federation=federation), status=NegotiationStatus.DRAFT)
        for _ in range(2)
    ]
    theirs = NegotiationFactory(enterprise=EnterpriseFactory(federation=FederationFactory()))
    officer = FederationOfficerFactory(federation=federation).user
    return officer, ours, theirs


def test_a_federation_officer_sees_every_negotiation_of_the_federation(federation_setup, client_for):
    officer, ours, _theirs = federation_setup
    client = client_for(officer)

    listed = client.get("/api/v1/negotiations/")

    assert sorted(n["id"] for n in listed.json()["results"]) == sorted(n.pk for n in ours)
    assert client.get(f"/api/v1/negotiations/{ours[0].pk}/").status_code == 200
    assert client.get(f"/api/v1/negotiations/{ours[1].pk}/representatives/").status_code == 200


def test_a_federation_officer_does_not_see_another_federation(federation_setup, client_for):
    officer, _ours, theirs = federation_setup

    assert client_for(officer).get(f"/api/v1/negotiations/{theirs.pk}/").status_code == 404


def test_a_federation_officer_cannot_open_a_negotiation(federation_setup, client_for):
    officer, ours, _theirs = federation_setup

    response = client_for(officer).post(
        "/api/v1/negotiations/", {"enterprise": ours[0].enterprise_id, "title": "X"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"
    assert Negotiation.objects.filter(enterprise=ours[0].enterprise).count() == 1


# --- read-only roles --------------------------------------------------------------------------


@pytest.fixture(params=["congress_delegate", "federation_officer"])
def reader(request, negotiation_in_rounds, make_member):
    enterprise = negotiation_in_rounds.enterprise
    if request.param == "federation_officer":
        return FederationOfficerFactory(federation=enterprise.federation).user
    return make_member(enterprise, Role.CONGRESS_DELEGATE)


def test_a_read_only_role_reads_everything(reader, negotiation_in_rounds, client_for):
    client = client_for(reader)
    base = f"/api/v1/negotiations/{negotiation_in_rounds.pk}/"

    statuses = [
        client.get(path).status_code
        for path in (base, f"{base}representatives/", f"{base}sessions/", f"{base}proposals/", f"{base}proposals/gap/")
    ]

    assert statuses == [200] * 5


def test_a_read_only_role_changes_nothing(reader, negotiation_in_rounds, first_round, client_for):
    client = client_for(reader)
    n = negotiation_in_rounds
    base = f"/api/v1/negotiations/{n.pk}/"
    rep = n.representatives.filter(side=Side.UNION, is_chief=False).first()
    rep_name, minutes = rep.name, first_round.minutes
    changes = [
        ("post", "/api/v1/negotiations/", {"enterprise": n.enterprise_id, "title": "X"}),
        ("post", f"{base}suspend/", {"next_meeting_at": HELD_AT, "next_meeting_location": "X"}),
        ("post", f"{base}conclude/", {}),
        ("post", f"{base}representatives/", {"side": "union", "name": "Reader"}),
        ("patch", f"{base}representatives/{rep.pk}/", {"name": "Renamed"}),
        ("post", f"{base}representatives/{rep.pk}/vacate/", {"on": "2026-03-02"}),
        ("post", f"{base}sessions/", {"held_at": HELD_AT, "location": "X"}),
        ("patch", f"{base}sessions/{first_round.pk}/", {"minutes": "Rewritten"}),
        ("delete", f"{base}sessions/{first_round.pk}/", None),
        (
            "post",
            f"{base}proposals/",
            {"session": first_round.pk, "side": "union", "clause_category": "pay", "text": "x"},
        ),
    ]

    results = {f"{m.upper()} {p}": getattr(client, m)(p, b, format="json") for m, p, b in changes}

    assert {key: r.status_code for key, r in results.items()} == dict.fromkeys(results, 403)
    assert {r.json()["code"] for r in results.values()} == {"side_not_allowed"}
    rep.refresh_from_db()
    first_round.refresh_from_db()
    assert (rep.name, rep.vacated_on, first_round.minutes) == (rep_name, None, minutes)
    assert Negotiation.objects.get(pk=n.pk).status == NegotiationStatus.IN_ROUNDS
    assert not Proposal.objects.exists()


# --- side roles -------------------------------------------------------------------------------


def test_a_union_leader_acts_for_the_union_but_not_the_employer(accepted_negotiation, make_member, client_for):
    leader = make_member(accepted_negotiation.enterprise, Role.UNION_LEADER)
    client = client_for(leader)
    url = f"/api/v1/negotiations/{accepted_negotiation.pk}/representatives/"

    union = client.post(url, {"side": "union", "name": "Leader's pick"}, format="json")
    employer = client.post(url, {"side": "employer", "name": "Not theirs"}, format="json")

    assert union.status_code == 201
    assert employer.status_code == 403
    assert employer.json()["code"] == "side_not_allowed"


def test_an_enterprise_admin_acts_for_both_sides(accepted_negotiation, make_member, client_for):
    admin = make_member(accepted_negotiation.enterprise, Role.ADMIN)
    client = client_for(admin)
    url = f"/api/v1/negotiations/{accepted_negotiation.pk}/representatives/"

    union = client.post(url, {"side": "union", "name": "U4"}, format="json")
    employer = client.post(url, {"side": "employer", "name": "E4"}, format="json")

    assert (union.status_code, employer.status_code) == (201, 201)


def test_an_employer_negotiator_cannot_table_for_the_union(
    negotiation_in_rounds, first_round, employer_user, client_for
):
    response = client_for(employer_user).post(
        f"/api/v1/negotiations/{negotiation_in_rounds.pk}/proposals/",
        {"session": first_round.pk, "side": "union", "clause_category": "pay", "text": "x"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"


# --- anonymous --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/negotiations/"),
        ("post", "/api/v1/negotiations/"),
        ("get", "/api/v1/negotiations/{n}/"),
        ("get", "/api/v1/negotiations/{n}/representatives/"),
        ("get", "/api/v1/negotiations/{n}/sessions/"),
        ("get", "/api/v1/negotiations/{n}/proposals/gap/"),
        ("post", "/api/v1/negotiations/{n}/sessions/{s}/sign/"),
    ],
)
def test_an_anonymous_caller_is_refused(negotiation_in_rounds, first_round, method, path):
    path = path.format(n=negotiation_in_rounds.pk, s=first_round.pk)

    response = getattr(APIClient(), method)(path, {}, format="json")

    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
    first_round.refresh_from_db()
    assert first_round.union_signed_at is None
