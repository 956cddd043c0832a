"""A date stored before dates were range-checked (a representative vacated on 9999-12-31, saved
with a 500 then) no longer breaks the negotiation's pages, its list or its API: the date shows as
stored, with no fill-by date, since none can be counted from it."""

import datetime as dt

import pytest
from django.test import Client

from bargaining.models import Representative, Side
from tests.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db

FAR = dt.date(9999, 12, 31)


@pytest.fixture
def stored_far(staffed_negotiation):
    representative = RepresentativeFactory(negotiation=staffed_negotiation, side=Side.UNION, name="Li Lei")
    Representative.objects.filter(pk=representative.pk).update(vacated_on=FAR)  # as saved before the checks
    return representative


@pytest.fixture
def browser(union_user):
    client = Client()
    client.force_login(type(union_user).objects.get(pk=union_user.pk))
    return client


def test_the_negotiation_page_shows_the_stored_date(stored_far, browser):
    response = browser.get(f"/negotiations/{stored_far.negotiation_id}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "9999" in response.content.decode()


def test_the_list_of_negotiations_survives_it(stored_far, browser):
    assert browser.get("/negotiations/").status_code == 200
    assert browser.get("/").status_code == 200


def test_the_api_gives_the_date_and_no_fill_by_date(stored_far, union_user, client_for):
    api = client_for(union_user)
    negotiation = stored_far.negotiation_id

    listed = api.get(f"/api/v1/negotiations/{negotiation}/representatives/")
    assert listed.status_code == 200
    row = next(r for r in listed.json()["results"] if r["id"] == stored_far.pk)
    assert (row["vacated_on"], row["vacancy"]) == ("9999-12-31", None)
    assert api.get(f"/api/v1/negotiations/{negotiation}/").status_code == 200
    assert api.get("/api/v1/negotiations/").status_code == 200
