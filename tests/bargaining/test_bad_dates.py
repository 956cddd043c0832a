"""One bad date used to break things for everyone: a representative vacated ``on`` 9999-12-31
was saved (with a 500), then that negotiation's pages and the hourly sweep failed on it.
Dates are now range-checked at the edge (config/limits.py): a 400 naming the field, nothing saved."""

import datetime as dt

import pytest
from django.utils import translation

from bargaining.models import NegotiationStatus, Representative, Side
from bargaining.pages.negotiation_forms import ConcludeForm, RequestForm, SuspendForm, VacateForm
from bargaining.pages.rounds.forms import RoundOpenForm
from tests.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def representative(staffed_negotiation):
    return RepresentativeFactory(negotiation=staffed_negotiation, side=Side.UNION, name="Li Lei")


def vacate(client, representative, on, language="en"):
    return client.post(
        f"/api/v1/negotiations/{representative.negotiation_id}/representatives/{representative.pk}/vacate/",
        {"on": on},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_vacating_on_9999_12_31_is_a_400_naming_the_field_and_nothing_is_saved(representative, union_user, client_for):
    response = vacate(client_for(union_user), representative, "9999-12-31")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["extra"]["fields"]) == ["on"]
    assert body["message"] == "on: give a date between 2000-01-01 and 2100-12-31."
    representative.refresh_from_db()
    assert representative.vacated_on is None


def test_the_refusal_reads_in_chinese_too(representative, union_user, client_for):
    response = vacate(client_for(union_user), representative, "9999-12-31", language="zh-hans")

    assert response.status_code == 400
    assert response.json()["message"] == "on：请填写 2000-01-01 至 2100-12-31 之间的日期。"


@pytest.mark.parametrize("on", ["1999-12-31", "2101-01-01"])
def test_just_outside_the_range_is_refused_and_its_edges_are_accepted(representative, union_user, client_for, on):
    client = client_for(union_user)

    assert vacate(client, representative, on).status_code == 400
    assert Representative.objects.get(pk=representative.pk).vacated_on is None
    assert vacate(client, representative, "2100-12-31").status_code == 200
    assert Representative.objects.get(pk=representative.pk).vacated_on == dt.date(2100, 12, 31)


def test_a_far_out_received_on_is_a_400_naming_it(enterprise, union_user, client_for):
    from tests.factories import NegotiationFactory

    negotiation = NegotiationFactory(enterprise=enterprise)
    response = client_for(union_user).post(
        f"/api/v1/negotiations/{negotiation.pk}/request/",
        {"requested_by": "union", "received_on": "9999-12-31"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["received_on"]
    negotiation.refresh_from_db()
    assert (negotiation.status, negotiation.reply_due) == (NegotiationStatus.DRAFT, None)


def test_a_far_out_meeting_time_is_refused(staffed_negotiation, union_user, client_for):
    response = client_for(union_user).post(
        f"/api/v1/negotiations/{staffed_negotiation.pk}/sessions/",
        {"held_at": "9999-12-31T09:00:00+08:00", "location": "Room 3"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["held_at"]
    assert not staffed_negotiation.sessions.exists()


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (VacateForm, {"on": "9999-12-31"}, "on"),
        (RequestForm, {"requested_by": "union", "received_on": "9999-12-31"}, "received_on"),
        (ConcludeForm, {"contract_term_end": "1900-01-01"}, "contract_term_end"),
        (SuspendForm, {"next_meeting_at": "9999-12-31T09:00", "next_meeting_location": "Room 3"}, "next_meeting_at"),
    ],
)
def test_the_page_forms_refuse_far_out_dates_in_both_languages(form_class, data, field):
    for language, message in (
        ("en", "Give a date between 2000-01-01 and 2100-12-31."),
        ("zh-hans", "请填写 2000-01-01 至 2100-12-31 之间的日期。"),
    ):
        with translation.override(language):
            form = form_class(data=data)
            assert not form.is_valid()
            assert form.errors[field] == [message]


def test_the_round_form_refuses_a_far_out_time(staffed_negotiation):
    form = RoundOpenForm(data={"held_at": "9999-12-31T09:00", "location": "Room 3"}, negotiation=staffed_negotiation)

    assert not form.is_valid()
    assert "held_at" in form.errors


def test_the_date_picker_is_told_the_range():
    html = str(VacateForm()["on"])

    assert 'min="2000-01-01"' in html
    assert 'max="2100-12-31"' in html
