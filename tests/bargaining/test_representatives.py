"""Representatives (R2, R3): team size and balance, one chief, outside experts, nobody on
both sides, and vacancies filled within 15 days."""

import datetime as dt
import json

import chinese_calendar
import pytest
from django.utils import timezone

from bargaining.models import NegotiationStatus, Representative, Side
from bargaining.services.representatives import representation_problems, representative_vacate
from contracts.enterprises.models import Role
from tests.factories import EnterpriseFactory, NegotiationFactory, RepresentativeFactory, UserFactory, staff_side

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def preparing(enterprise):
    """An accepted negotiation with no representatives yet; the union asked for it."""
    return NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.PREPARING, requested_by=Side.UNION)


@pytest.fixture
def admin_user(enterprise, make_member):
    """Acts for both sides, so only R2/R3 can refuse an appointment."""
    return make_member(enterprise, Role.ADMIN)


def reps_url(negotiation, pk=None, action=None):
    base = f"/api/v1/negotiations/{negotiation.pk}/representatives/"
    if pk is not None:
        base += f"{pk}/"
    if action:
        base += f"{action}/"
    return base


def hold_first_round(client, negotiation):
    return client.post(
        f"/api/v1/negotiations/{negotiation.pk}/sessions/",
        {"held_at": "2026-11-20T09:00:00+08:00", "location": "Room 3"},
        format="json",
    )


def problem_codes(response, side=None):
    return {p["code"] for p in response.json()["extra"]["problems"] if side is None or p["side"] == side}


# --- appointing -----------------------------------------------------------------------------


def test_negotiator_appoints_a_representative_of_their_side(preparing, union_user, client_for):
    client = client_for(union_user)
    client.raise_request_exception = False

    response = client.post(
        reps_url(preparing),
        {"side": "union", "name": "Wang Fang", "position": "Union chair", "user": union_user.pk, "is_chief": True},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["side"], body["name"], body["position"], body["user"]) == (
        "union",
        "Wang Fang",
        "Union chair",
        union_user.pk,
    )
    assert (body["is_chief"], body["is_external"], body["vacated_on"], body["vacancy"]) == (True, False, None, None)
    assert Representative.objects.get(pk=body["id"]).negotiation == preparing


def test_negotiator_cannot_appoint_for_the_other_side(preparing, union_user, client_for):
    response = client_for(union_user).post(reps_url(preparing), {"side": "employer", "name": "Boss"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"
    assert not preparing.representatives.exists()


def test_list_shows_both_sides_chiefs_first(preparing, union_user, client_for):
    staff_side(preparing, Side.UNION)
    staff_side(preparing, Side.EMPLOYER)

    response = client_for(union_user).get(reps_url(preparing))

    rows = response.json()["results"]
    assert [(r["side"], r["is_chief"]) for r in rows] == [
        ("employer", True),
        ("employer", False),
        ("employer", False),
        ("union", True),
        ("union", False),
        ("union", False),
    ]


# --- R2: team size --------------------------------------------------------------------------


def test_first_round_is_refused_with_two_representatives_on_a_side(preparing, admin_user, client_for):
    staff_side(preparing, Side.UNION, count=2)
    staff_side(preparing, Side.EMPLOYER, count=3)

    response = hold_first_round(client_for(admin_user), preparing)

    assert response.status_code == 409
    assert response.json()["code"] == "representation_incomplete"
    problems = response.json()["extra"]["problems"]
    assert {(p["code"], p["side"], p["rule"]) for p in problems} >= {("too_few_representatives", "union", "R2")}
    assert "too_few_representatives" not in problem_codes(response, side="employer")
    assert not preparing.sessions.exists()


def test_first_round_is_held_with_three_representatives_a_side(preparing, admin_user, client_for):
    staff_side(preparing, Side.UNION, count=3)
    staff_side(preparing, Side.EMPLOYER, count=3)

    response = hold_first_round(client_for(admin_user), preparing)

    assert response.status_code == 201, response.json()
    preparing.refresh_from_db()
    assert preparing.status == NegotiationStatus.IN_ROUNDS


def test_first_round_is_refused_when_a_side_has_no_chief(preparing, admin_user, client_for):
    staff_side(preparing, Side.UNION, count=3, chief=False)
    staff_side(preparing, Side.EMPLOYER, count=3)

    response = hold_first_round(client_for(admin_user), preparing)

    assert response.status_code == 409
    assert problem_codes(response, side="union") == {"chief_missing"}


def test_representation_problems_are_shown_on_the_negotiation(preparing, admin_user):
    staff_side(preparing, Side.UNION, count=2)
    staff_side(preparing, Side.EMPLOYER, count=3)

    problems = [(p.code, p.side) for p in representation_problems(negotiation=preparing)]

    assert ("too_few_representatives", "union") in problems
    assert ("unequal_sides", "") in problems


# --- R2: equal sides ------------------------------------------------------------------------


def test_first_round_is_refused_with_unequal_sides(preparing, admin_user, client_for):
    staff_side(preparing, Side.UNION, count=4)
    staff_side(preparing, Side.EMPLOYER, count=3)

    response = hold_first_round(client_for(admin_user), preparing)

    assert response.status_code == 409
    assert problem_codes(response) == {"unequal_sides"}


@pytest.mark.parametrize(
    ("union", "employer", "allowed"),
    [(4, 3, True), (3, 3, True), (3, 4, False)],
)
def test_shanghai_lets_the_employer_side_be_smaller_but_not_larger(make_member, client_for, union, employer, allowed):
    enterprise = EnterpriseFactory(rule_pack="shanghai")
    admin = make_member(enterprise, Role.ADMIN)
    negotiation = NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.PREPARING, requested_by=Side.UNION)
    staff_side(negotiation, Side.UNION, count=union)
    staff_side(negotiation, Side.EMPLOYER, count=employer)

    response = hold_first_round(client_for(admin), negotiation)

    if allowed:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 409
        assert problem_codes(response) == {"unequal_sides"}


def test_vacated_representatives_do_not_count_towards_a_side(preparing, admin_user, client_for):
    staff_side(preparing, Side.UNION, count=3)
    staff_side(preparing, Side.EMPLOYER, count=3)
    RepresentativeFactory(negotiation=preparing, side=Side.EMPLOYER, vacated_on=D("2026-03-01"))

    assert hold_first_round(client_for(admin_user), preparing).status_code == 201


# --- R2: chiefs and outside experts ---------------------------------------------------------


def test_an_outside_expert_cannot_be_chief(preparing, union_user, client_for):
    response = client_for(union_user).post(
        reps_url(preparing), {"side": "union", "name": "Prof. Li", "is_chief": True, "is_external": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "external_chief"
    assert response.json()["extra"]["rule"]["rule"] == "R2"
    assert not preparing.representatives.exists()


def test_an_outside_expert_cannot_be_made_chief_later(preparing, union_user, client_for):
    expert = RepresentativeFactory(negotiation=preparing, side=Side.UNION, is_external=True)

    response = client_for(union_user).patch(reps_url(preparing, expert.pk), {"is_chief": True}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "external_chief"
    expert.refresh_from_db()
    assert expert.is_chief is False


def test_a_login_is_linked_to_a_representative_later(preparing, union_user, client_for):
    rep = RepresentativeFactory(negotiation=preparing, side=Side.UNION, is_chief=True)

    response = client_for(union_user).patch(reps_url(preparing, rep.pk), {"user": union_user.pk}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["user"] == union_user.pk
    rep.refresh_from_db()
    assert rep.user == union_user


def test_linking_the_login_of_an_other_side_representative_is_refused(preparing, admin_user, client_for, make_member):
    person = make_member(preparing.enterprise)
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, name="Zhang Wei", user=person)
    employer_rep = RepresentativeFactory(negotiation=preparing, side=Side.EMPLOYER, name="Z. Wei (HR)")

    response = client_for(admin_user).patch(reps_url(preparing, employer_rep.pk), {"user": person.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "on_both_sides"
    employer_rep.refresh_from_db()
    assert employer_rep.user is None


def test_a_chief_cannot_be_made_an_outside_expert(preparing, union_user, client_for):
    chief = RepresentativeFactory(negotiation=preparing, side=Side.UNION, is_chief=True)

    response = client_for(union_user).patch(reps_url(preparing, chief.pk), {"is_external": True}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "external_chief"


def test_a_second_chief_on_a_side_is_refused(preparing, union_user, client_for):
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, is_chief=True)

    response = client_for(union_user).post(
        reps_url(preparing), {"side": "union", "name": "Second", "is_chief": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "second_chief"
    assert preparing.representatives.filter(is_chief=True).count() == 1


def test_each_side_has_its_own_chief(preparing, admin_user, client_for):
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, is_chief=True)

    response = client_for(admin_user).post(
        reps_url(preparing), {"side": "employer", "name": "Employer chief", "is_chief": True}, format="json"
    )

    assert response.status_code == 201


def test_a_new_chief_may_be_appointed_once_the_old_one_has_left(preparing, union_user, client_for):
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, is_chief=True, vacated_on=D("2026-03-01"))

    response = client_for(union_user).post(
        reps_url(preparing), {"side": "union", "name": "New chief", "is_chief": True}, format="json"
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("size", "external", "allowed"),
    [(3, 1, True), (6, 2, True), (3, 2, False), (4, 2, False), (6, 3, False)],
)
def test_outside_experts_may_be_at_most_a_third_of_a_side(preparing, admin_user, client_for, size, external, allowed):
    staff_side(preparing, Side.UNION, count=size, external=external)
    staff_side(preparing, Side.EMPLOYER, count=size)

    response = hold_first_round(client_for(admin_user), preparing)

    if allowed:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 409
        assert problem_codes(response) == {"too_many_external"}
        assert problem_codes(response, side="union") == {"too_many_external"}


# --- R3: nobody on both sides ---------------------------------------------------------------


def test_the_same_login_cannot_represent_both_sides(preparing, admin_user, client_for, make_member):
    person = make_member(preparing.enterprise)
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, name="Zhang Wei", user=person)
    client = client_for(admin_user)
    client.raise_request_exception = False

    response = client.post(
        reps_url(preparing), {"side": "employer", "name": "Z. Wei (HR)", "user": person.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "on_both_sides"
    assert response.json()["extra"]["rule"]["rule"] == "R3"
    assert not preparing.representatives.filter(side=Side.EMPLOYER).exists()


def test_the_same_login_on_both_sides_blocks_the_first_round(preparing, admin_user, client_for):
    # given one login recorded on both teams under two spellings of the name
    person = UserFactory()
    staff_side(preparing, Side.UNION, count=3)
    staff_side(preparing, Side.EMPLOYER, count=2)
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, name="Zhang Wei", user=person)
    RepresentativeFactory(negotiation=preparing, side=Side.EMPLOYER, name="Z. Wei (HR)", user=person)
    RepresentativeFactory(negotiation=preparing, side=Side.EMPLOYER, name="Another")

    response = hold_first_round(client_for(admin_user), preparing)

    assert response.status_code == 409
    assert problem_codes(response) == {"on_both_sides"}


@pytest.mark.parametrize(
    ("union_name", "employer_name"),
    [("Zhang Wei", "Zhang Wei"), ("Zhang Wei", "zhang  wei"), ("Zhang Wei", "Ｚｈａｎｇ Ｗｅｉ"), ("王芳", "王 芳")],
)
def test_the_same_name_cannot_represent_both_sides(preparing, admin_user, client_for, union_name, employer_name):
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, name=union_name)

    response = client_for(admin_user).post(
        reps_url(preparing), {"side": "employer", "name": employer_name}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "on_both_sides"


def test_moving_a_representative_to_the_other_side_where_they_already_sit_is_refused(preparing, admin_user, client_for):
    RepresentativeFactory(negotiation=preparing, side=Side.EMPLOYER, name="Chen Jie")
    union_rep = RepresentativeFactory(negotiation=preparing, side=Side.UNION, name="Liu Yang")

    response = client_for(admin_user).patch(reps_url(preparing, union_rep.pk), {"name": "Chen Jie"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "on_both_sides"


def test_different_people_may_sit_on_opposite_sides(preparing, admin_user, client_for):
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, name="Zhang Wei")

    response = client_for(admin_user).post(
        reps_url(preparing), {"side": "employer", "name": "Zhang Wen"}, format="json"
    )

    assert response.status_code == 201, response.json()


def test_same_person_on_both_sides_blocks_the_first_round(preparing, admin_user, client_for):
    # given the teams were recorded directly (e.g. imported), with one person on both sides
    staff_side(preparing, Side.UNION, count=3)
    staff_side(preparing, Side.EMPLOYER, count=2)
    RepresentativeFactory(negotiation=preparing, side=Side.EMPLOYER, name=preparing.representatives.last().name)

    response = hold_first_round(client_for(admin_user), preparing)

    assert response.status_code == 409
    assert problem_codes(response) == {"on_both_sides"}


# --- R2, PCC Art. 31: vacancies -------------------------------------------------------------


@pytest.fixture
def staffed(preparing, union_user, employer_user):
    staff_side(preparing, Side.UNION, chief_user=union_user)
    staff_side(preparing, Side.EMPLOYER, chief_user=employer_user)
    return preparing


@pytest.mark.parametrize(
    ("vacated_on", "fill_due"),
    [
        ("2026-03-02", "2026-03-17"),  # a working Tuesday
        ("2026-09-22", "2026-10-08"),  # 10-07 is National Day
        ("2026-01-31", "2026-02-24"),  # 02-15 is the Spring Festival
        ("2026-01-30", "2026-02-14"),  # make-up working Saturday
    ],
)
def test_vacate_shows_the_vacancy_due_15_days_later_under_r16(staffed, union_user, client_for, vacated_on, fill_due):
    assert chinese_calendar.is_workday(D(fill_due))
    leaving = staffed.representatives.filter(side=Side.UNION, is_chief=False).first()

    response = client_for(union_user).post(reps_url(staffed, leaving.pk, "vacate"), {"on": vacated_on}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["vacated_on"] == vacated_on
    vacancy = body["vacancy"]
    assert vacancy["fill_due"] == fill_due
    assert vacancy["filled"] is False
    assert vacancy["overdue"] is (timezone.localdate() > D(fill_due))
    assert vacancy["rule"]["rule"] == "R2"
    assert vacancy["rule"]["params"]["days"] == 15


def test_a_recent_vacancy_is_not_overdue_and_an_old_one_is(staffed, union_user, client_for):
    recent, old = staffed.representatives.filter(side=Side.UNION, is_chief=False)
    client = client_for(union_user)

    recent_vacancy = client.post(
        reps_url(staffed, recent.pk, "vacate"), {"on": timezone.localdate().isoformat()}, format="json"
    ).json()["vacancy"]
    old_vacancy = client.post(
        reps_url(staffed, old.pk, "vacate"),
        {"on": (timezone.localdate() - dt.timedelta(days=40)).isoformat()},
        format="json",
    ).json()["vacancy"]

    assert recent_vacancy["overdue"] is False
    assert old_vacancy["overdue"] is True


def test_a_vacancy_leaves_the_side_short_until_it_is_filled(staffed, union_user, client_for):
    leaving = staffed.representatives.filter(side=Side.UNION, is_chief=False).first()
    client = client_for(union_user)
    client.post(reps_url(staffed, leaving.pk, "vacate"), {"on": "2026-03-02"}, format="json")

    refused = hold_first_round(client, staffed)
    filled = client.post(
        reps_url(staffed), {"side": "union", "name": "Successor", "replaces": leaving.pk}, format="json"
    )
    held = hold_first_round(client, staffed)

    assert refused.status_code == 409
    assert problem_codes(refused) == {"too_few_representatives", "unequal_sides"}
    assert filled.status_code == 201, filled.json()
    assert filled.json()["replaces"] == leaving.pk
    assert held.status_code == 201


def test_a_filled_vacancy_shows_as_filled(staffed, union_user, client_for):
    leaving = staffed.representatives.filter(side=Side.UNION, is_chief=False).first()
    representative_vacate(user=union_user, representative=leaving, on=D("2026-03-02"))
    client = client_for(union_user)
    client.post(reps_url(staffed), {"side": "union", "name": "Successor", "replaces": leaving.pk}, format="json")

    vacancy = client.get(reps_url(staffed, leaving.pk)).json()["vacancy"]

    assert vacancy["filled"] is True
    assert vacancy["overdue"] is False
    assert vacancy["fill_due"] == "2026-03-17"


@pytest.mark.parametrize("target", ["serving", "other_side"])
def test_only_a_vacancy_of_the_same_side_can_be_filled(staffed, admin_user, client_for, target):
    if target == "serving":
        replaced = staffed.representatives.filter(side=Side.UNION, is_chief=False).first()
    else:
        replaced = staffed.representatives.filter(side=Side.EMPLOYER, is_chief=False).first()
        replaced.vacated_on = D("2026-03-02")
        replaced.save()

    response = client_for(admin_user).post(
        reps_url(staffed), {"side": "union", "name": "Successor", "replaces": replaced.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_vacancy"


def test_a_vacancy_of_another_negotiation_cannot_be_filled(staffed, union_user, client_for):
    elsewhere = RepresentativeFactory(side=Side.UNION, vacated_on=D("2026-03-02"))
    client = client_for(union_user)

    response = client.post(
        reps_url(staffed), {"side": "union", "name": "Successor", "replaces": elsewhere.pk}, format="json"
    )
    nowhere = client.post(
        reps_url(staffed), {"side": "union", "name": "Successor", "replaces": elsewhere.pk + 1000}, format="json"
    )

    # another negotiation's representative is answered as one that does not exist
    assert response.status_code == nowhere.status_code == 400
    assert response.json() == _with_id(nowhere.json(), elsewhere.pk + 1000, elsewhere.pk)
    assert not staffed.representatives.filter(name="Successor").exists()


def _with_id(body, old: int, new: int):
    """``body`` with the id it names changed, to compare two refusals that differ only in the id."""
    return json.loads(json.dumps(body).replace(str(old), str(new)))


def test_only_people_of_the_enterprise_can_be_linked_as_representatives(staffed, union_user, client_for, make_member):
    # given one of another enterprise's people, and a person of this enterprise
    outsider = make_member(EnterpriseFactory())
    colleague = make_member(staffed.enterprise)
    client = client_for(union_user)

    foreign = client.post(reps_url(staffed), {"side": "union", "name": "Outsider", "user": outsider.pk}, format="json")
    missing = client.post(reps_url(staffed), {"side": "union", "name": "Outsider", "user": 10**9}, format="json")
    linked = client.post(reps_url(staffed), {"side": "union", "name": "Colleague", "user": colleague.pk}, format="json")

    # the outsider's id gets the very answer of an id that exists nowhere, and nothing is saved
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == _with_id(missing.json(), 10**9, outsider.pk)
    assert not staffed.representatives.filter(user=outsider).exists()
    assert linked.status_code == 201
    assert staffed.representatives.get(name="Colleague").user == colleague


def test_a_vacancy_already_filled_cannot_be_filled_again(staffed, union_user, client_for):
    leaving = staffed.representatives.filter(side=Side.UNION, is_chief=False).first()
    representative_vacate(user=union_user, representative=leaving, on=D("2026-03-02"))
    client = client_for(union_user)
    client.raise_request_exception = False
    first = client.post(reps_url(staffed), {"side": "union", "name": "First", "replaces": leaving.pk}, format="json")

    second = client.post(reps_url(staffed), {"side": "union", "name": "Second", "replaces": leaving.pk}, format="json")

    assert first.status_code == 201
    assert second.status_code in (400, 409)
    assert second.json()["code"] in ("invalid_vacancy", "vacancy_filled")


def test_a_representative_cannot_leave_twice(staffed, union_user, client_for):
    leaving = staffed.representatives.filter(side=Side.UNION, is_chief=False).first()
    client = client_for(union_user)
    client.post(reps_url(staffed, leaving.pk, "vacate"), {"on": "2026-03-02"}, format="json")

    response = client.post(reps_url(staffed, leaving.pk, "vacate"), {"on": "2026-03-05"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "already_vacated"
    leaving.refresh_from_db()
    assert leaving.vacated_on == D("2026-03-02")


def test_vacating_needs_a_date(staffed, union_user, client_for):
    leaving = staffed.representatives.filter(side=Side.UNION, is_chief=False).first()

    response = client_for(union_user).post(reps_url(staffed, leaving.pk, "vacate"), {}, format="json")

    assert response.status_code == 400
    assert "on" in response.json()["extra"]["fields"]


def test_a_negotiator_cannot_vacate_the_other_sides_representative(staffed, union_user, client_for):
    employer_rep = staffed.representatives.filter(side=Side.EMPLOYER).first()

    response = client_for(union_user).post(
        reps_url(staffed, employer_rep.pk, "vacate"), {"on": "2026-03-02"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"


def test_representatives_cannot_be_deleted_only_vacated(staffed, union_user, client_for):
    rep = staffed.representatives.filter(side=Side.UNION).first()

    response = client_for(union_user).delete(reps_url(staffed, rep.pk))

    assert response.status_code == 405
    assert Representative.objects.filter(pk=rep.pk).exists()
