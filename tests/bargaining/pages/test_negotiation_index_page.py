"""The list of negotiations (cards with enterprise, status, next deadline) and starting one."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats

from bargaining.models import Negotiation, NegotiationStatus, Side
from bargaining.services.negotiations import negotiation_request
from contracts.enterprises.models import Role
from tests.bargaining.pages.negotiation_support import in_language, page_client, visible_text
from tests.factories import EnterpriseFactory, NegotiationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("bargaining:index")
CREATE = reverse("bargaining:negotiation_create")


def test_each_negotiation_is_a_card_with_its_enterprise_status_and_answer_due(enterprise, union_user):
    negotiation = negotiation_request(
        user=union_user,
        negotiation=NegotiationFactory(enterprise=enterprise, title="2027 wage talks"),
        requested_by=Side.UNION,
        received_on=dt.date(2026, 3, 2),
    )

    response = page_client(union_user, language="en").get(INDEX)

    assert response.status_code == 200
    text = visible_text(response.content)
    assert "2027 wage talks" in text
    assert enterprise.name in text
    assert in_language("en", negotiation.get_status_display) in text
    assert f"Answer due: {in_language('en', lambda: formats.date_format(negotiation.reply_due))}" in text
    assert "R1 · Provisions on Collective Contracts, Art. 32" in text
    assert "overdue" in text  # the 20 days after 2 March 2026 have long passed
    assert reverse("bargaining:negotiation", args=[negotiation.pk]) in response.content.decode()


def test_a_vacancy_is_the_next_deadline_of_talks_under_way(accepted_negotiation, union_user):
    representative = accepted_negotiation.representatives.filter(side=Side.UNION, is_chief=False).first()
    representative.vacated_on = dt.date(2026, 4, 1)
    representative.save()

    text = visible_text(page_client(union_user, language="en").get(INDEX).content)

    assert "Vacancy to fill by: April 16, 2026" in text
    assert "R2" in text


def test_the_list_shows_only_the_users_enterprises(union_user):
    NegotiationFactory(enterprise=EnterpriseFactory(), title="Someone else's talks")

    response = page_client(union_user).get(INDEX)

    assert "Someone else's talks" not in response.content.decode()


def test_a_negotiator_starts_a_negotiation_through_the_page(enterprise, union_user):
    response = page_client(union_user).post(
        CREATE, {"enterprise": enterprise.pk, "title": "Women workers' protection 2027", "kind": "women"}
    )

    negotiation = Negotiation.objects.get(title="Women workers' protection 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("bargaining:negotiation", args=[negotiation.pk])
    assert (negotiation.enterprise, negotiation.kind, negotiation.status) == (enterprise, "women", "draft")


def test_a_congress_delegate_is_not_offered_the_form_and_cannot_start_one(enterprise, make_member):
    delegate = make_member(enterprise, Role.CONGRESS_DELEGATE)
    client = page_client(delegate)

    assert CREATE not in client.get(INDEX).content.decode()
    response = client.post(CREATE, {"enterprise": enterprise.pk, "title": "Not mine", "kind": "general"})

    assert response.status_code == 403  # a write by a role that may not make it (issue 12)
    assert not Negotiation.objects.filter(title="Not mine").exists()


def test_a_title_is_required(enterprise, union_user):
    response = page_client(union_user).post(CREATE, {"enterprise": enterprise.pk, "title": "", "kind": "general"})

    assert response.status_code == 400
    assert 'class="problem"' in response.content.decode()
    assert not Negotiation.objects.exists()


def test_the_list_costs_the_same_queries_for_one_negotiation_or_many(enterprise, union_user):
    def queries_for_the_list():
        client = page_client(union_user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    def a_negotiation_with_a_vacancy():
        negotiation = NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.PREPARING)
        RepresentativeFactory(negotiation=negotiation, vacated_on=dt.date(2026, 4, 1))

    a_negotiation_with_a_vacancy()
    one = queries_for_the_list()
    for _ in range(4):
        a_negotiation_with_a_vacancy()

    assert queries_for_the_list() == one
