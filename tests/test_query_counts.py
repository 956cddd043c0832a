"""Every list endpoint reads a bounded number of queries, whatever the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bargaining.models import NegotiationStatus, Side
from bargaining.services.negotiations import negotiation_request
from contracts.enterprises.models import Role
from contracts.rules.terms import ClauseCategory
from tests.factories import (
    EnterpriseFactory,
    FederationFactory,
    FederationOfficerFactory,
    MembershipFactory,
    NegotiationFactory,
    ProposalFactory,
    RepresentativeFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

# A generous ceiling: the point is that it does not grow with the rows.
MAX_QUERIES = 8


@pytest.fixture
def negotiation(negotiation_in_rounds):
    return negotiation_in_rounds


def add_enterprises(ctx, n):
    for _ in range(n):
        MembershipFactory(user=ctx["user"], enterprise=EnterpriseFactory(), role=Role.UNION_NEGOTIATOR)


def add_negotiations(ctx, n):
    for index in range(n):
        negotiation = NegotiationFactory(enterprise=ctx["enterprise"])
        if index % 2:  # half with a recorded request and its R1 decision
            negotiation_request(
                user=ctx["user"], negotiation=negotiation, requested_by=Side.UNION, received_on=dt.date(2026, 3, 2)
            )


def add_representatives(ctx, n):
    negotiation = ctx["negotiation"]
    for index in range(n):
        if index % 2:  # a vacancy and the representative who filled it
            gone = RepresentativeFactory(negotiation=negotiation, side=Side.EMPLOYER, vacated_on=dt.date(2026, 3, 2))
            RepresentativeFactory(negotiation=negotiation, side=Side.EMPLOYER, replaces=gone)
        else:
            RepresentativeFactory(negotiation=negotiation, side=Side.UNION, vacated_on=dt.date(2026, 3, 2))


def add_sessions(ctx, n):
    negotiation = ctx["negotiation"]
    start = negotiation.sessions.count() + 1
    chiefs = {r.side: r for r in negotiation.representatives.filter(is_chief=True)}
    for round_no in range(start, start + n):
        session = SessionFactory(
            negotiation=negotiation,
            round_no=round_no,
            union_signed_by=chiefs[Side.UNION],
            union_signed_at=timezone.now(),
            employer_signed_by=chiefs[Side.EMPLOYER],
            employer_signed_at=timezone.now(),
        )
        session.attendees.set(negotiation.representatives.all()[:4])


def add_proposals(ctx, n):
    session = ctx["negotiation"].sessions.first()
    for index in range(n):
        ProposalFactory(
            session=session, side=Side.UNION if index % 2 else Side.EMPLOYER, params={"amount": 3000 + index}
        )


def add_topics(ctx, n):
    session = ctx["negotiation"].sessions.first()
    categories = [c for c in ClauseCategory.values if c != ClauseCategory.PAY]
    used = {p.clause_category for p in ctx["negotiation"].proposals.all()}
    for category in [c for c in categories if c not in used][:n]:
        for side in Side.values:
            ProposalFactory(session=session, side=side, clause_category=category, term_kind="", params={}, text="T")


ENDPOINTS = {
    "enterprises": ("/api/v1/enterprises/", add_enterprises),
    "negotiations": ("/api/v1/negotiations/", add_negotiations),
    "representatives": ("/api/v1/negotiations/{n}/representatives/", add_representatives),
    "sessions": ("/api/v1/negotiations/{n}/sessions/", add_sessions),
    "proposals": ("/api/v1/negotiations/{n}/proposals/", add_proposals),
    "gap": ("/api/v1/negotiations/{n}/proposals/gap/", add_topics),
}


def rows(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_list_endpoint_query_count_does_not_grow_with_rows(
    endpoint, negotiation, union_user, client_for, django_assert_max_num_queries
):
    # given
    path, add = ENDPOINTS[endpoint]
    url = path.format(n=negotiation.pk)
    ctx = {"user": union_user, "enterprise": negotiation.enterprise, "negotiation": negotiation}
    client = client_for(union_user)
    add(ctx, 2)
    with CaptureQueriesContext(connection) as few:
        few_rows = rows(client.get(url))

    # when eight more rows are added
    add(ctx, 8)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        many_rows = rows(client.get(url))

    # then the listing grew, but not the number of queries
    assert len(many_rows) >= len(few_rows) + 8
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_federation_officer_listing_does_not_grow_with_enterprises(client_for, django_assert_max_num_queries):
    federation = FederationFactory()
    officer = FederationOfficerFactory(federation=federation).user
    client = client_for(officer)
    for _ in range(2):
        NegotiationFactory(enterprise=EnterpriseFactory(federation=federation), status=NegotiationStatus.DRAFT)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/negotiations/")

    for _ in range(8):
        NegotiationFactory(enterprise=EnterpriseFactory(federation=federation), status=NegotiationStatus.DRAFT)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = client.get("/api/v1/negotiations/")

    assert len(response.json()["results"]) == 10
    assert len(many) == len(few)
