"""Suspending the talks with the next time and place (R5, the pack's cap), resuming them, and
concluding them: the agreed positions in words, then the drafted contract."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bargaining.models import NegotiationStatus, Side
from contracts.models import Contract
from tests.bargaining.pages.negotiation_support import page_client, visible_text
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def url(name, negotiation):
    return reverse(f"bargaining:negotiation_{name}", args=[negotiation.pk])


def workspace(negotiation):
    return reverse("bargaining:negotiation", args=[negotiation.pk])


def in_days(days: int) -> str:
    return (timezone.localtime() + dt.timedelta(days=days)).strftime("%Y-%m-%dT10:00")


def test_the_talks_are_suspended_with_the_next_time_and_place(negotiation_in_rounds, union_user):
    client = page_client(union_user, language="en")

    response = client.post(
        url("suspend", negotiation_in_rounds),
        {"reason": "Costing the wage offer", "next_meeting_at": in_days(14), "next_meeting_location": "Room 2"},
    )

    negotiation_in_rounds.refresh_from_db()
    assert response.status_code == 302
    assert negotiation_in_rounds.status == NegotiationStatus.SUSPENDED
    assert timezone.localtime(negotiation_in_rounds.next_meeting_at).hour == 10
    assert negotiation_in_rounds.next_meeting_location == "Room 2"
    text = visible_text(client.get(workspace(negotiation_in_rounds)).content)
    assert "The talks are suspended. Reason: Costing the wage offer" in text
    assert "Room 2" in text
    assert "R5 · Provisions on Collective Contracts, Art. 35" in text
    assert "Resume the talks" in text


def test_a_next_meeting_in_the_past_is_refused(negotiation_in_rounds, union_user):
    response = page_client(union_user, language="en").post(
        url("suspend", negotiation_in_rounds), {"next_meeting_at": in_days(-1), "next_meeting_location": "Room 2"}
    )

    negotiation_in_rounds.refresh_from_db()
    assert response.status_code == 400
    assert "The next meeting must be in the future." in visible_text(response.content)
    assert negotiation_in_rounds.status == NegotiationStatus.IN_ROUNDS


def test_a_suspension_beyond_the_packs_cap_is_refused_with_r5(negotiation_in_rounds, union_user, enterprise):
    enterprise.rule_pack = "beijing"  # at most 60 days
    enterprise.save()
    client = page_client(union_user, language="en")
    assert "In this region they may be suspended for at most 60 days." in visible_text(
        client.get(workspace(negotiation_in_rounds)).content
    )

    response = client.post(
        url("suspend", negotiation_in_rounds), {"next_meeting_at": in_days(90), "next_meeting_location": "Room 2"}
    )

    negotiation_in_rounds.refresh_from_db()
    assert response.status_code == 400
    text = visible_text(response.content)
    assert "In this region talks may be suspended for at most 60 days (R5)." in text
    assert "R5 · Provisions on Collective Contracts, Art. 35" in text
    assert negotiation_in_rounds.status == NegotiationStatus.IN_ROUNDS


def test_the_talks_resume(negotiation_in_rounds, union_user):
    client = page_client(union_user)
    client.post(
        url("suspend", negotiation_in_rounds), {"next_meeting_at": in_days(7), "next_meeting_location": "Room 2"}
    )

    response = client.post(url("resume", negotiation_in_rounds))

    negotiation_in_rounds.refresh_from_db()
    assert response.status_code == 302
    assert negotiation_in_rounds.status == NegotiationStatus.IN_ROUNDS


def test_resuming_talks_that_are_not_suspended_is_refused(negotiation_in_rounds, union_user):
    response = page_client(union_user, language="en").post(url("resume", negotiation_in_rounds))

    assert response.status_code == 409
    assert "Cannot resume the talks: the negotiation is in consultation rounds." in visible_text(response.content)


@pytest.fixture
def agreed_on_a_wage(negotiation_in_rounds, first_round):
    for side in Side.values:
        ProposalFactory(session=first_round, side=side, params={"amount": "3200"})
    return negotiation_in_rounds


def test_conclusion_waits_for_signed_minutes_r4(agreed_on_a_wage, union_user):
    response = page_client(union_user, language="en").post(url("conclude", agreed_on_a_wage))

    agreed_on_a_wage.refresh_from_db()
    assert response.status_code == 409
    text = visible_text(response.content)
    assert "The minutes of round(s) 1 are not yet signed by both chief representatives." in text
    assert "R4 · Provisions on Collective Contracts, Arts. 33–34" in text
    assert agreed_on_a_wage.status == NegotiationStatus.IN_ROUNDS


def test_the_talks_conclude_on_the_agreed_positions_and_draft_the_contract(
    agreed_on_a_wage, first_round, sign_both, union_user
):
    sign_both(first_round)
    client = page_client(union_user, language="en")
    before = visible_text(client.get(workspace(agreed_on_a_wage)).content)
    assert "Pay · Minimum monthly wage : Monthly base wage of at least 3,200 yuan" in before  # agreed so far

    response = client.post(url("conclude", agreed_on_a_wage), {"contract_term_start": "2027-01-01"})

    agreed_on_a_wage.refresh_from_db()
    assert response.status_code == 302
    assert agreed_on_a_wage.status == NegotiationStatus.CONCLUDED
    contract = Contract.objects.get(negotiation_id=agreed_on_a_wage.pk)
    assert contract.term_start == dt.date(2027, 1, 1)
    page = client.get(workspace(agreed_on_a_wage)).content.decode()
    text = visible_text(page)
    assert "The talks are concluded." in text
    assert "Pay · Minimum monthly wage : Monthly base wage of at least 3,200 yuan" in text
    assert reverse("contracts:contract", args=[contract.pk]) in page
    assert url("conclude", agreed_on_a_wage) not in page


def test_concluding_with_nothing_agreed_is_refused(negotiation_in_rounds, first_round, sign_both, union_user):
    sign_both(first_round)

    response = page_client(union_user, language="en").post(url("conclude", negotiation_in_rounds))

    assert response.status_code == 400
    assert "There is no agreed position to conclude on" in visible_text(response.content)
