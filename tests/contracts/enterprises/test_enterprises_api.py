"""The enterprises API: who sees which enterprise, who may set its rule pack and minimum
wage, and the roles people hold in it."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from contracts.enterprises.models import Membership, Role
from tests.factories import EnterpriseFactory, FederationFactory, FederationOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"


def ids(response):
    return [row["id"] for row in response.json()["results"]]


# --- visibility -------------------------------------------------------------------------


def test_list_shows_only_the_enterprises_where_the_user_holds_a_role(enterprise, union_user, client_for):
    # given another enterprise, even in the same federation, where the user has no role
    EnterpriseFactory(federation=enterprise.federation)
    EnterpriseFactory()

    response = client_for(union_user).get(URL)

    assert response.status_code == 200
    assert ids(response) == [enterprise.pk]
    row = response.json()["results"][0]
    assert row["rule_pack"] == "national"
    assert Decimal(row["local_minimum_wage"]) == Decimal("2690.00")
    assert row["federation_name"] == enterprise.federation.name


def test_user_with_two_roles_sees_the_enterprise_once(enterprise, make_member, client_for):
    user = make_member(enterprise, Role.UNION_NEGOTIATOR, Role.UNION_LEADER)

    assert ids(client_for(user).get(URL)) == [enterprise.pk]


def test_federation_officer_sees_every_enterprise_of_the_federation_and_no_other(client_for):
    federation = FederationFactory()
    ours = sorted(EnterpriseFactory.create_batch(3, federation=federation), key=lambda e: e.name)
    EnterpriseFactory(federation=FederationFactory())
    officer = FederationOfficerFactory(federation=federation).user

    response = client_for(officer).get(URL)

    assert ids(response) == [e.pk for e in ours]


def test_list_filters_by_rule_pack(make_member, client_for):
    shanghai, national = EnterpriseFactory(rule_pack="shanghai"), EnterpriseFactory()
    user = make_member(shanghai)
    for role in (Role.UNION_NEGOTIATOR,):
        Membership.objects.create(user=user, enterprise=national, role=role)

    assert ids(client_for(user).get(URL, {"rule_pack": "shanghai"})) == [shanghai.pk]


def test_retrieving_another_enterprise_is_not_found(union_user, client_for):
    other = EnterpriseFactory()

    response = client_for(union_user).get(f"{URL}{other.pk}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unauthenticated_request_is_refused():
    response = APIClient().get(URL)

    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_token_authentication_is_accepted(enterprise, union_user):
    from config.auth.tokens import token_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(union_user)[1]}")

    assert ids(client.get(URL)) == [enterprise.pk]


# --- rule pack and minimum wage: administrators only -----------------------------------


def test_admin_sets_rule_pack_and_local_minimum_wage(enterprise, make_member, client_for):
    admin = make_member(enterprise, Role.ADMIN)

    response = client_for(admin).patch(
        f"{URL}{enterprise.pk}/",
        {"rule_pack": "shanghai", "local_minimum_wage": "2740.00", "local_minimum_wage_since": "2025-07-01"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    enterprise.refresh_from_db()
    assert enterprise.rule_pack == "shanghai"
    assert enterprise.local_minimum_wage == Decimal("2740.00")
    assert enterprise.local_minimum_wage_since.isoformat() == "2025-07-01"
    assert response.json()["rule_pack"] == "shanghai"


def test_rule_pack_set_by_admin_governs_the_next_reply_deadline(enterprise, make_member, union_user, client_for):
    # given the admin switches the enterprise to the Shanghai pack (15 days instead of 20)
    admin = make_member(enterprise, Role.ADMIN)
    client_for(admin).patch(f"{URL}{enterprise.pk}/", {"rule_pack": "shanghai"}, format="json")
    client = client_for(union_user)
    negotiation = client.post(
        "/api/v1/negotiations/", {"enterprise": enterprise.pk, "title": "Wages 2026"}, format="json"
    ).json()

    # when a request received on 2026-03-02 is recorded
    response = client.post(
        f"/api/v1/negotiations/{negotiation['id']}/request/",
        {"requested_by": "union", "received_on": "2026-03-02"},
        format="json",
    )

    # then the answer is due 15 days later, under the Shanghai pack
    assert response.json()["reply_due"] == "2026-03-17"
    assert response.json()["reply_rule"]["pack"] == "shanghai"


@pytest.mark.parametrize(
    "role", [Role.UNION_NEGOTIATOR, Role.EMPLOYER_NEGOTIATOR, Role.UNION_LEADER, Role.CONGRESS_DELEGATE]
)
def test_non_admin_cannot_change_the_enterprise(enterprise, make_member, client_for, role):
    user = make_member(enterprise, role)

    response = client_for(user).patch(f"{URL}{enterprise.pk}/", {"rule_pack": "beijing"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    enterprise.refresh_from_db()
    assert enterprise.rule_pack == "national"


def test_federation_officer_cannot_change_an_enterprise_it_oversees(enterprise, client_for):
    officer = FederationOfficerFactory(federation=enterprise.federation).user

    response = client_for(officer).patch(f"{URL}{enterprise.pk}/", {"local_minimum_wage": "1"}, format="json")

    assert response.status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.local_minimum_wage == Decimal("2690.00")


def test_admin_of_another_enterprise_gets_not_found(enterprise, make_member, client_for):
    admin_elsewhere = make_member(EnterpriseFactory(), Role.ADMIN)

    response = client_for(admin_elsewhere).patch(f"{URL}{enterprise.pk}/", {"rule_pack": "beijing"}, format="json")

    assert response.status_code == 404


def test_unknown_rule_pack_is_refused(enterprise, make_member, client_for):
    admin = make_member(enterprise, Role.ADMIN)

    response = client_for(admin).patch(f"{URL}{enterprise.pk}/", {"rule_pack": "atlantis"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "rule_pack" in response.json()["extra"]["fields"]


def test_negative_minimum_wage_is_refused_with_400(enterprise, make_member, client_for):
    admin = make_member(enterprise, Role.ADMIN)
    client = client_for(admin)
    client.raise_request_exception = False

    response = client.patch(f"{URL}{enterprise.pk}/", {"local_minimum_wage": "-1.00"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    enterprise.refresh_from_db()
    assert enterprise.local_minimum_wage == Decimal("2690.00")


def test_name_and_federation_are_read_only(enterprise, make_member, client_for):
    admin = make_member(enterprise, Role.ADMIN)
    original_name, original_federation = enterprise.name, enterprise.federation_id

    client_for(admin).patch(
        f"{URL}{enterprise.pk}/", {"name": "Renamed", "federation": FederationFactory().pk}, format="json"
    )

    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.federation_id) == (original_name, original_federation)


# --- members ----------------------------------------------------------------------------


def test_members_lists_each_role_per_user(enterprise, make_member, client_for):
    alice = make_member(enterprise, Role.UNION_NEGOTIATOR, Role.UNION_LEADER, username="alice")
    make_member(enterprise, Role.EMPLOYER_NEGOTIATOR, username="bob")
    make_member(EnterpriseFactory(), Role.ADMIN, username="carol")

    response = client_for(alice).get(f"{URL}{enterprise.pk}/members/")

    assert response.status_code == 200
    assert [(m["username"], m["role"]) for m in response.json()] == [
        ("alice", "union_leader"),
        ("alice", "union_negotiator"),
        ("bob", "employer_negotiator"),
    ]
    assert response.json()[0]["user"] == alice.pk


def test_members_of_another_enterprise_are_not_found(union_user, client_for):
    other = EnterpriseFactory()

    assert client_for(union_user).get(f"{URL}{other.pk}/members/").status_code == 404


def test_admin_gives_a_user_a_role(enterprise, make_member, client_for):
    admin = make_member(enterprise, Role.ADMIN)
    newcomer = UserFactory(username="dora")

    response = client_for(admin).post(
        f"{URL}{enterprise.pk}/members/", {"username": "dora", "role": "congress_delegate"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["username"] == "dora"
    assert response.json()["role"] == "congress_delegate"
    assert Membership.objects.filter(user=newcomer, enterprise=enterprise, role=Role.CONGRESS_DELEGATE).exists()


def test_non_admin_cannot_give_roles(enterprise, union_user, client_for):
    UserFactory(username="dora")

    response = client_for(union_user).post(
        f"{URL}{enterprise.pk}/members/", {"username": "dora", "role": "admin"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Membership.objects.filter(user__username="dora").exists()


def test_giving_a_role_twice_is_a_conflict(enterprise, make_member, client_for):
    admin = make_member(enterprise, Role.ADMIN)
    make_member(enterprise, Role.UNION_NEGOTIATOR, username="erin")

    response = client_for(admin).post(
        f"{URL}{enterprise.pk}/members/", {"username": "erin", "role": "union_negotiator"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "membership_exists"


def test_giving_a_role_to_an_unknown_user_is_not_found(enterprise, make_member, client_for):
    admin = make_member(enterprise, Role.ADMIN)

    response = client_for(admin).post(
        f"{URL}{enterprise.pk}/members/", {"username": "nobody", "role": "union_negotiator"}, format="json"
    )

    assert response.status_code == 404


def test_federation_officer_role_cannot_be_given_on_an_enterprise(enterprise, make_member, client_for):
    admin = make_member(enterprise, Role.ADMIN)
    UserFactory(username="fred")

    response = client_for(admin).post(
        f"{URL}{enterprise.pk}/members/", {"username": "fred", "role": "federation_officer"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "role" in response.json()["extra"]["fields"]
