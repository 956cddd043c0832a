"""Who sees the workspace and what they may do there; its languages; its live (htmx) cards;
the links to the rounds and the gap chart."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bargaining.models import NegotiationStatus, Side
from contracts.enterprises.models import Role
from tests.bargaining.pages.negotiation_support import page_client, visible_text
from tests.factories import EnterpriseFactory, NegotiationFactory, ProposalFactory, staff_side

pytestmark = pytest.mark.django_db

ACTIONS = ("request", "respond", "representative_add", "suspend", "resume", "conclude")
# API codes a person must never read; "union", "employer" and "general" are also English words,
# so they are checked in Chinese only.
CODES = ("in_rounds", "min_monthly_wage", "union_negotiator", "working_time", "requested_by")
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def workspace(negotiation):
    return reverse("bargaining:negotiation", args=[negotiation.pk])


def action_urls(negotiation):
    urls = [reverse(f"bargaining:negotiation_{name}", args=[negotiation.pk]) for name in ACTIONS]
    for representative in negotiation.representatives.all():
        for name in ("update", "vacate"):
            urls.append(
                reverse(f"bargaining:negotiation_representative_{name}", args=[negotiation.pk, representative.pk])
            )
    return urls


@pytest.fixture
def delegate(enterprise, make_member):
    return make_member(enterprise, Role.CONGRESS_DELEGATE)


@pytest.fixture
def talks(negotiation_in_rounds, first_round):
    """Talks in rounds with a wage position of each side and a representative who left office."""
    ProposalFactory(session=first_round, side=Side.UNION, params={"amount": "3200"})
    ProposalFactory(session=first_round, side=Side.EMPLOYER, params={"amount": "2950"})
    member = negotiation_in_rounds.representatives.filter(side=Side.EMPLOYER, is_chief=False).first()
    member.vacated_on = dt.date(2026, 4, 20)
    member.save()
    return negotiation_in_rounds


def test_a_congress_delegate_reads_the_workspace_without_any_form(talks, delegate):
    response = page_client(delegate, language="en").get(workspace(talks))

    assert response.status_code == 200
    page = response.content.decode()
    assert talks.title in page
    assert "Employer rep" in page
    for url in action_urls(talks):
        assert url not in page
    assert reverse("bargaining:round_open", args=[talks.pk]) not in page
    assert "You can follow these talks" in visible_text(page)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("suspend", {"next_meeting_at": "2099-01-05T10:00", "next_meeting_location": "Room 2"}),
        ("representative_add", {"name": "Chen Jing", "side": "union"}),
        ("conclude", {}),
    ],
)
def test_a_congress_delegate_is_refused_on_post(talks, delegate, action, data):
    response = page_client(delegate, language="en").post(
        reverse(f"bargaining:negotiation_{action}", args=[talks.pk]), data
    )

    talks.refresh_from_db()
    assert response.status_code == 403
    assert response.content.decode().count('role="alert"') >= 1
    assert talks.status == NegotiationStatus.IN_ROUNDS
    assert not talks.representatives.filter(name="Chen Jing").exists()


def test_a_congress_delegate_cannot_record_a_request(enterprise, delegate):
    draft = NegotiationFactory(enterprise=enterprise)

    response = page_client(delegate, language="en").post(
        reverse("bargaining:negotiation_request", args=[draft.pk]),
        {"requested_by": "union", "received_on": "2026-03-02"},
    )

    draft.refresh_from_db()
    assert response.status_code == 403
    assert "You do not act for the union side in this enterprise." in visible_text(response.content)
    assert draft.status == NegotiationStatus.DRAFT


def test_a_user_of_another_enterprise_gets_404_on_every_url(talks, make_member):
    outsider = make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR, Role.EMPLOYER_NEGOTIATOR)
    client = page_client(outsider)

    assert client.get(workspace(talks)).status_code == 404
    for url in action_urls(talks):
        assert client.post(url, {}).status_code == 404
    talks.refresh_from_db()
    assert talks.status == NegotiationStatus.IN_ROUNDS


def test_the_workspace_asks_to_log_in_first(talks, client):
    response = client.get(workspace(talks))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_action_answers_post_only(talks, union_user):
    response = page_client(union_user).get(reverse("bargaining:negotiation_suspend", args=[talks.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_workspace_reads_without_internal_codes(talks, union_user, language):
    response = page_client(union_user, language=language).get(workspace(talks))

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    text = visible_text(response.content)
    for code in CODES:
        assert code not in text
    assert SNAKE_CASE.findall(text) == []
    if language == "zh-hans":
        assert not re.search(r"\b(union|employer|general)\b", text)
        assert "工资" in text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_list_reads_without_internal_codes(talks, union_user, language):
    text = visible_text(page_client(union_user, language=language).get(reverse("bargaining:index")).content)

    assert SNAKE_CASE.findall(text) == []
    assert talks.title in text
    if language == "zh-hans":
        assert not re.search(r"\b(union|employer|general)\b", text)


def test_the_positions_are_worded_not_coded(talks, union_user):
    text = visible_text(page_client(union_user, language="en").get(workspace(talks)).content)

    assert "Monthly base wage of at least 3,200 yuan" in text
    assert "Monthly base wage of at least 2,950 yuan" in text


def test_the_rounds_are_listed_with_links_and_a_button_to_open_one(talks, first_round, union_user):
    page = page_client(union_user).get(workspace(talks)).content.decode()

    assert reverse("bargaining:round", args=[talks.pk, first_round.pk]) in page
    assert reverse("bargaining:round_open", args=[talks.pk]) in page


def test_the_gap_chart_is_loaded_into_the_workspace(talks, union_user):
    page = page_client(union_user).get(workspace(talks)).content.decode()

    assert f'hx-get="{reverse("bargaining:gap", args=[talks.pk])}" hx-trigger="load"' in page


def test_with_htmx_an_action_returns_its_card_and_the_cards_the_new_status_changes(talks, union_user):
    response = page_client(union_user, language="en").post(
        reverse("bargaining:negotiation_suspend", args=[talks.pk]),
        {"next_meeting_at": "2099-01-05T10:00", "next_meeting_location": "Room 2"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<section class="card" id="card-progress">')
    assert "The talks are suspended; the next meeting is on record." in visible_text(page)
    assert '<span class="badge" id="status" hx-swap-oob="true">' in page
    assert 'id="card-rounds" hx-swap-oob="true"' in page
    assert 'id="card-gap"' not in page


def test_with_htmx_a_refusal_returns_the_card_with_the_message(talks, union_user):
    response = page_client(union_user, language="en").post(
        reverse("bargaining:negotiation_suspend", args=[talks.pk]),
        {"next_meeting_at": "2020-01-05T10:00", "next_meeting_location": "Room 2"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200  # htmx swaps only a success status in
    assert page.lstrip().startswith('<section class="card" id="card-progress">')
    assert "hx-swap-oob" not in page
    assert "The next meeting must be in the future." in visible_text(page)


def test_every_form_posts_with_and_without_javascript(talks, union_user):
    page = page_client(union_user).get(workspace(talks)).content.decode()

    forms = re.findall(r"<form [^>]*>", page)
    action_forms = [form for form in forms if "/negotiations/" in form]
    assert action_forms
    for form in action_forms:
        action = re.search(r'action="([^"]+)"', form).group(1)
        assert f'hx-post="{action}"' in form
        assert 'hx-target="#card-' in form


def test_the_workspace_costs_the_same_queries_however_many_representatives(talks, union_user):
    def queries_for_the_workspace():
        client = page_client(union_user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(workspace(talks)).status_code == 200
        return len(queries)

    few = queries_for_the_workspace()
    for side in Side.values:
        staff_side(talks, side, count=4, chief=False, prefix=f"More {side}")

    assert queries_for_the_workspace() == few
