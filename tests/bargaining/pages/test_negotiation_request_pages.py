"""The written consultation request and its answer on the workspace (R1, counted under R16)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats

from bargaining.models import NegotiationStatus, Side
from bargaining.services.negotiations import negotiation_request
from tests.bargaining.pages.negotiation_support import in_language, page_client, visible_text
from tests.factories import NegotiationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(enterprise):
    return NegotiationFactory(enterprise=enterprise, title="2027 wage talks")


@pytest.fixture
def requested(draft, union_user):
    return negotiation_request(
        user=union_user, negotiation=draft, requested_by=Side.UNION, received_on=dt.date(2026, 3, 2)
    )


def url(name, negotiation):
    return reverse(f"bargaining:negotiation_{name}", args=[negotiation.pk])


def workspace(negotiation):
    return reverse("bargaining:negotiation", args=[negotiation.pk])


def test_the_union_records_its_request_and_reads_when_the_answer_is_due(draft, union_user):
    client = page_client(union_user, language="en")

    response = client.post(url("request", draft), {"requested_by": "union", "received_on": "2026-03-02"})

    draft.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].startswith(workspace(draft))
    assert draft.status == NegotiationStatus.REQUESTED
    assert draft.reply_due == dt.date(2026, 3, 23)  # 22 March 2026 is a Sunday (R16)
    text = visible_text(client.get(workspace(draft)).content)
    assert "Request recorded: the answer is due on March 23, 2026." in text  # the success message
    assert "Answer due: March 23, 2026" in text
    assert "R1 · Provisions on Collective Contracts, Art. 32" in text
    assert "moves to the next working day (R16)" in text
    assert "provisional" not in text


def test_a_request_received_in_a_year_without_a_published_calendar_is_provisional(draft, union_user):
    client = page_client(union_user, language="en")

    client.post(url("request", draft), {"requested_by": "union", "received_on": "2030-03-01"})

    text = visible_text(client.get(workspace(draft)).content)
    assert "provisional" in text
    assert "to be confirmed once the State Council publishes the 2030 schedule" in text


def test_a_union_negotiator_cannot_record_a_request_as_the_employer(draft, union_user):
    response = page_client(union_user, language="en").post(
        url("request", draft), {"requested_by": "employer", "received_on": "2026-03-02"}
    )

    draft.refresh_from_db()
    assert response.status_code == 403
    assert "You do not act for the employer side in this enterprise." in visible_text(response.content)
    assert draft.status == NegotiationStatus.DRAFT


def test_the_employer_accepts_the_request_through_the_page(requested, employer_user):
    client = page_client(employer_user, language="en")

    response = client.post(url("respond", requested), {"accepted": "1", "responded_on": "2026-03-10", "text": "Yes."})

    requested.refresh_from_db()
    assert response.status_code == 302
    assert (requested.status, requested.accepted, requested.responded_on) == (
        NegotiationStatus.PREPARING,
        True,
        dt.date(2026, 3, 10),
    )
    text = visible_text(client.get(workspace(requested)).content)
    assert "Accepted · answered on March 10, 2026" in text


def test_an_answer_dated_before_the_request_is_refused_with_its_message_and_rule(requested, employer_user):
    response = page_client(employer_user, language="en").post(
        url("respond", requested), {"accepted": "1", "responded_on": "2026-03-01"}
    )

    requested.refresh_from_db()
    assert response.status_code == 400
    text = visible_text(response.content)
    assert "The answer cannot predate the request (received on 2026-03-02)." in text
    assert "R1 · Provisions on Collective Contracts, Art. 32" in text
    assert requested.status == NegotiationStatus.REQUESTED
    # The form comes back as it was typed, beside the refusal.
    assert 'value="2026-03-01"' in response.content.decode()


def test_only_the_side_that_received_the_request_is_offered_the_answer(requested, union_user, employer_user):
    assert url("respond", requested) not in page_client(union_user).get(workspace(requested)).content.decode()
    assert url("respond", requested) in page_client(employer_user).get(workspace(requested)).content.decode()


def test_the_requesting_side_cannot_answer_its_own_request(requested, union_user):
    response = page_client(union_user, language="en").post(
        url("respond", requested), {"accepted": "1", "responded_on": "2026-03-10"}
    )
    assert response.status_code == 403
    assert "You do not act for the employer side" in visible_text(response.content)
    requested.refresh_from_db()
    assert requested.status == NegotiationStatus.REQUESTED


def test_an_unanswered_request_past_its_due_date_reads_overdue(requested, employer_user, freeze_now):
    freeze_now(dt.datetime(2026, 3, 24, 9, tzinfo=dt.UTC))

    text = visible_text(page_client(employer_user, language="en").get(workspace(requested)).content)

    assert "Answer due: March 23, 2026 overdue" in text


def test_on_its_due_date_the_request_is_not_yet_overdue(requested, employer_user, freeze_now):
    freeze_now(dt.datetime(2026, 3, 23, 15, tzinfo=dt.UTC))  # 23:00 in Shanghai

    text = visible_text(page_client(employer_user, language="en").get(workspace(requested)).content)

    assert "overdue" not in text
    assert in_language("en", lambda: formats.date_format(requested.reply_due)) in text
