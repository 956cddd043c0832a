"""Each side's representatives on the workspace: appointing, chief and outside expert, leaving
office with the fill-by date (R2), and the problems of R2 and R3 until they hold."""

import datetime as dt

import pytest
from django.urls import reverse

from bargaining.models import NegotiationStatus, Representative, Side
from tests.bargaining.pages.negotiation_support import page_client, visible_text
from tests.factories import NegotiationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

R2 = "R2 · Provisions on Collective Contracts, Arts. 19–23 and 31"
R3 = "R3 · Provisions on Collective Contracts, Art. 24"


@pytest.fixture
def preparing(enterprise):
    return NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.PREPARING, requested_by=Side.UNION)


def add_url(negotiation):
    return reverse("bargaining:negotiation_representative_add", args=[negotiation.pk])


def update_url(representative):
    return reverse(
        "bargaining:negotiation_representative_update", args=[representative.negotiation_id, representative.pk]
    )


def vacate_url(representative):
    return reverse(
        "bargaining:negotiation_representative_vacate", args=[representative.negotiation_id, representative.pk]
    )


def workspace(negotiation):
    return reverse("bargaining:negotiation", args=[negotiation.pk])


def test_a_union_negotiator_appoints_the_union_chief_linked_to_a_login(preparing, union_user):
    client = page_client(union_user, language="en")

    response = client.post(
        add_url(preparing),
        {"name": "Li Hua", "position": "Union chair", "side": "union", "login": union_user.pk, "is_chief": "on"},
    )

    assert response.status_code == 302
    representative = preparing.representatives.get()
    assert (representative.name, representative.side, representative.user, representative.is_chief) == (
        "Li Hua",
        Side.UNION,
        union_user,
        True,
    )
    text = visible_text(client.get(workspace(preparing)).content)
    assert "Li Hua now represents the union side." in text
    assert "Union chair" in text


def test_the_problems_of_r2_are_listed_with_their_rule_until_they_hold(preparing, union_user, employer_user):
    client = page_client(union_user, language="en")
    RepresentativeFactory(negotiation=preparing, side=Side.UNION, is_chief=True)

    text = visible_text(client.get(workspace(preparing)).content)
    assert "The union side has 1 representatives; at least 3 are needed." in text
    assert "The employer side needs exactly one chief representative." in text
    assert R2 in text

    RepresentativeFactory.create_batch(2, negotiation=preparing, side=Side.UNION)
    RepresentativeFactory(negotiation=preparing, side=Side.EMPLOYER, is_chief=True)
    RepresentativeFactory.create_batch(2, negotiation=preparing, side=Side.EMPLOYER)

    response = client.get(workspace(preparing))
    assert 'class="problem"' not in response.content.decode()


def test_a_union_negotiator_cannot_appoint_for_the_employer(preparing, union_user):
    response = page_client(union_user, language="en").post(add_url(preparing), {"name": "Wang Wei", "side": "employer"})

    assert response.status_code == 403
    assert "You do not act for the employer side in this enterprise." in visible_text(response.content)
    assert not preparing.representatives.exists()


def test_nobody_is_appointed_to_both_sides_r3(preparing, union_user):
    RepresentativeFactory(negotiation=preparing, side=Side.EMPLOYER, name="Zhang San")

    response = page_client(union_user, language="en").post(add_url(preparing), {"name": "Zhang San", "side": "union"})

    assert response.status_code == 400
    text = visible_text(response.content)
    assert "Zhang San already represents the other side; nobody may represent both." in text
    assert R3 in text
    assert not preparing.representatives.filter(side=Side.UNION).exists()


def test_an_outside_expert_is_marked_and_unmarked(staffed_negotiation, union_user):
    member = staffed_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()
    client = page_client(union_user)

    assert client.post(update_url(member), {"field": "is_external", "value": "1"}).status_code == 302
    member.refresh_from_db()
    assert member.is_external
    client.post(update_url(member), {"field": "is_external", "value": "0"})
    member.refresh_from_db()
    assert not member.is_external


def test_a_second_chief_is_refused_with_r2(staffed_negotiation, union_user):
    member = staffed_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()

    response = page_client(union_user, language="en").post(update_url(member), {"field": "is_chief", "value": "1"})

    member.refresh_from_db()
    assert response.status_code == 400
    text = visible_text(response.content)
    assert "This side already has a chief representative." in text
    assert R2 in text
    assert not member.is_chief


def test_the_chief_steps_down_and_another_is_made_chief(staffed_negotiation, union_user):
    chief = staffed_negotiation.representatives.get(side=Side.UNION, is_chief=True)
    member = staffed_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()
    client = page_client(union_user)

    client.post(update_url(chief), {"field": "is_chief", "value": "0"})
    client.post(update_url(member), {"field": "is_chief", "value": "1"})

    chief.refresh_from_db()
    member.refresh_from_db()
    assert (chief.is_chief, member.is_chief) == (False, True)


def test_leaving_office_records_the_date_and_shows_the_fill_by_date(staffed_negotiation, union_user):
    member = staffed_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()
    client = page_client(union_user, language="en")

    response = client.post(vacate_url(member), {f"vacate-{member.pk}-on": "2026-04-20"})

    member.refresh_from_db()
    assert response.status_code == 302
    assert member.vacated_on == dt.date(2026, 4, 20)
    text = visible_text(client.get(workspace(staffed_negotiation)).content)
    # 20 April + 15 days = 5 May 2026, a Labour Day holiday: the period ends on 6 May (R16).
    assert "left office April 20, 2026 · fill by May 6, 2026" in text
    assert "the vacancy is to be filled by May 6, 2026 (R2)" in text  # the success message
    assert f"{R2} — A vacancy is filled within 15 days (PCC Art. 31)." in text
    assert "The union side has 2 representatives; at least 3 are needed." in text


def test_the_vacancy_is_filled_by_naming_whom_the_new_representative_replaces(staffed_negotiation, union_user):
    member = staffed_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()
    client = page_client(union_user, language="en")
    client.post(vacate_url(member), {f"vacate-{member.pk}-on": "2026-04-20"})

    client.post(add_url(staffed_negotiation), {"name": "Zhao Liu", "side": "union", "replaces": member.pk})

    assert Representative.objects.get(name="Zhao Liu").replaces == member
    text = visible_text(client.get(workspace(staffed_negotiation)).content)
    assert "filled: Zhao Liu" in text
    assert "at least 3 are needed" not in text


def test_leaving_office_twice_is_refused(staffed_negotiation, union_user):
    member = staffed_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()
    member.vacated_on = dt.date(2026, 4, 1)
    member.save()

    response = page_client(union_user, language="en").post(vacate_url(member), {f"vacate-{member.pk}-on": "2026-04-20"})

    member.refresh_from_db()
    assert response.status_code == 409
    assert "This representative has already left office." in visible_text(response.content)
    assert member.vacated_on == dt.date(2026, 4, 1)


def test_an_employer_negotiator_cannot_vacate_a_union_representative(staffed_negotiation, employer_user):
    member = staffed_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()

    response = page_client(employer_user).post(vacate_url(member), {f"vacate-{member.pk}-on": "2026-04-20"})

    member.refresh_from_db()
    assert response.status_code == 403
    assert member.vacated_on is None


def test_each_side_is_offered_buttons_only_on_its_own_representatives(staffed_negotiation, union_user):
    page = page_client(union_user).get(workspace(staffed_negotiation)).content.decode()

    for representative in staffed_negotiation.representatives.all():
        assert (vacate_url(representative) in page) == (representative.side == Side.UNION)


def test_a_representative_of_another_negotiation_is_not_found(staffed_negotiation, union_user, enterprise):
    other = RepresentativeFactory(negotiation=NegotiationFactory(enterprise=enterprise), side=Side.UNION)
    wrong = reverse("bargaining:negotiation_representative_vacate", args=[staffed_negotiation.pk, other.pk])

    response = page_client(union_user).post(wrong, {f"vacate-{other.pk}-on": "2026-04-20"})

    assert response.status_code == 404
