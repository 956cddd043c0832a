"""The gap between the sides, topic by topic (bargaining:gap): a small chart per topic from the
server's proposals, the same figures as a table, agreed topics marked, untyped topics as text."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from bargaining.models import Side
from bargaining.services.proposals import proposal_create
from bargaining.services.sessions import session_create
from contracts.enterprises.models import Role
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from tests.bargaining.pages.negotiation_support import in_language, page_client, visible_text
from tests.factories import AgreedPositionFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WAGES = {Side.UNION: ["3200", "3100"], Side.EMPLOYER: ["2900", "3000"]}


def gap_url(negotiation):
    return reverse("bargaining:gap", args=[negotiation.pk])


def charts(page: str) -> list[dict]:
    """The data of each chart on the page, as concord.js reads it."""
    return [
        json.loads(data)
        for data in re.findall(r'<script id="gap-\d+-\d+" type="application/json">(.*?)</script>', page, re.S)
    ]


def table(user, negotiation, session, side, kind="", text="", category="pay", **params):
    return proposal_create(
        user=user,
        negotiation=negotiation,
        session=session,
        side=side,
        clause_category=category,
        term_kind=kind,
        params=params or None,
        text=text,
    )


@pytest.fixture
def two_rounds(accepted_negotiation, union_user, employer_user):
    """Two rounds, each side moving on the minimum wage; a training topic tabled as text."""
    users = {Side.UNION: union_user, Side.EMPLOYER: employer_user}
    for round_index in range(2):
        session = session_create(
            user=union_user, negotiation=accepted_negotiation, held_at=timezone.now(), location="Room"
        )
        accepted_negotiation.refresh_from_db()
        for side, amounts in WAGES.items():
            table(users[side], accepted_negotiation, session, side, "min_monthly_wage", amount=amounts[round_index])
    table(union_user, accepted_negotiation, session, Side.UNION, text="Forty hours of training", category="training")
    table(employer_user, accepted_negotiation, session, Side.EMPLOYER, text="Twenty hours", category="training")
    return accepted_negotiation


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_gap_partial_after_two_rounds_holds_each_sides_numbers_and_the_unit(language, two_rounds, union_user):
    response = page_client(union_user, language=language).get(gap_url(two_rounds), **HTMX)

    page = response.content.decode()
    (wage,) = charts(page)
    assert response.status_code == 200
    assert "<html" not in page
    assert wage["rounds"] == [in_language(language, lambda n=n: gettext("Round %(n)s") % {"n": n}) for n in (1, 2)]
    assert {line["name"]: line["values"] for line in wage["series"]} == {
        in_language(language, lambda: capfirst(Side.UNION.label)): [3200, 3100],
        in_language(language, lambda: capfirst(Side.EMPLOYER.label)): [2900, 3000],
    }
    assert wage["unit"] == in_language(language, lambda: gettext("yuan"))
    assert wage["agreed"] is None


def test_the_figures_read_as_a_table_without_javascript(two_rounds, union_user):
    page = page_client(union_user, language="en").get(gap_url(two_rounds), **HTMX).content.decode()

    text = visible_text(page)
    assert 'class="chart" data-chart="gap-' in page
    assert '<table class="stack">' in page and 'data-label="Union">3,200 yuan</td>' in page
    assert "Round 1 3,200 yuan 2,900 yuan Round 2 3,100 yuan 3,000 yuan" in text
    assert "Union: Monthly base wage of at least 3,100 yuan" in text
    assert "Gap between the latest positions: 100 yuan" in text


def test_a_topic_without_a_number_shows_its_latest_texts_instead_of_a_chart(two_rounds, union_user):
    page = page_client(union_user, language="en").get(gap_url(two_rounds), **HTMX).content.decode()

    text = visible_text(page)
    training = text[text.index("Vocational training") :]
    assert "Union: Forty hours of training" in training
    assert "Employer: Twenty hours" in training
    assert len(charts(page)) == 1  # the wage only


def test_an_agreed_topic_is_marked_with_its_value_as_a_line(accepted_negotiation, union_user, employer_user):
    session = session_create(user=union_user, negotiation=accepted_negotiation, held_at=timezone.now(), location="R")
    accepted_negotiation.refresh_from_db()
    table(union_user, accepted_negotiation, session, Side.UNION, "pay_day", day=15)
    table(employer_user, accepted_negotiation, session, Side.EMPLOYER, "pay_day", day=15)

    page = page_client(union_user, language="en").get(gap_url(accepted_negotiation), **HTMX).content.decode()

    (pay_day,) = charts(page)
    assert pay_day["agreed"] == 15
    assert pay_day["agreed_label"] == "Agreed: 15 day of the month"
    assert pay_day["unit"] == "day of the month"
    assert "agreed" in visible_text(page)


def test_a_concluded_topic_marks_the_value_both_sides_agreed(accepted_negotiation, union_user, employer_user):
    session = session_create(user=union_user, negotiation=accepted_negotiation, held_at=timezone.now(), location="R")
    accepted_negotiation.refresh_from_db()
    table(union_user, accepted_negotiation, session, Side.UNION, "min_monthly_wage", amount="3200")
    table(employer_user, accepted_negotiation, session, Side.EMPLOYER, "min_monthly_wage", amount="3000")
    AgreedPositionFactory(negotiation=accepted_negotiation, params={"amount": "3100"})

    page = page_client(union_user, language="en").get(gap_url(accepted_negotiation), **HTMX).content.decode()

    (wage,) = charts(page)
    assert wage["agreed"] == 3100
    assert "Agreed: 3,100 yuan" in visible_text(page)


def test_without_htmx_the_gap_is_a_page_of_its_own_that_loads_echarts(two_rounds, union_user):
    page = page_client(union_user).get(gap_url(two_rounds)).content.decode()

    assert "<html" in page
    assert "vendor/echarts-5.6.0.min.js" in page.split("concord.js")[0]


def test_the_partial_names_where_echarts_lives_for_a_page_that_did_not_load_it(two_rounds, union_user):
    page = page_client(union_user).get(gap_url(two_rounds), **HTMX).content.decode()

    assert 'data-echarts-src="/static/vendor/echarts-5.6.0.min.js"' in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_gap_reads_in_each_language_with_no_internal_code(language, two_rounds, union_user):
    page = page_client(union_user, language=language).get(gap_url(two_rounds)).content.decode()

    text = visible_text(page)
    for code in [*TERM_KINDS, *(code for code in ClauseCategory.values if "_" in code)]:
        assert code not in text
    assert in_language(language, lambda: f"{ClauseCategory.PAY.label} · {TERM_KINDS['min_monthly_wage'].label}") in text


def test_another_enterprises_user_gets_404(two_rounds, make_member):
    stranger = make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR)

    response = page_client(stranger).get(gap_url(two_rounds), **HTMX)

    assert response.status_code == 404


def test_a_congress_delegate_reads_the_gap(two_rounds, enterprise, make_member):
    delegate = make_member(enterprise, Role.CONGRESS_DELEGATE)

    response = page_client(delegate).get(gap_url(two_rounds), **HTMX)

    assert response.status_code == 200
    assert len(charts(response.content.decode())) == 1


def test_the_gap_reads_a_bounded_number_of_queries_whatever_the_rounds(accepted_negotiation, union_user, employer_user):
    client = page_client(union_user)

    def hold_round(amount):
        session = session_create(
            user=union_user, negotiation=accepted_negotiation, held_at=timezone.now(), location="R"
        )
        accepted_negotiation.refresh_from_db()
        table(union_user, accepted_negotiation, session, Side.UNION, "min_monthly_wage", amount=amount)
        table(employer_user, accepted_negotiation, session, Side.EMPLOYER, "pay_day", day=15)
        table(employer_user, accepted_negotiation, session, Side.EMPLOYER, text=f"Note {amount}", category="training")

    hold_round("3000")
    with CaptureQueriesContext(connection) as one:
        client.get(gap_url(accepted_negotiation), **HTMX)
    for amount in ("3100", "3200", "3300"):
        hold_round(amount)
    with CaptureQueriesContext(connection) as four:
        client.get(gap_url(accepted_negotiation), **HTMX)

    assert len(four) == len(one)
