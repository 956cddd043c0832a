"""Proposals (typed positions validated against the term kind's schema) and the gap
between the two sides' latest positions, topic by topic."""

from decimal import Decimal

import pytest
from django.utils import timezone

from bargaining.models import Proposal, Side
from bargaining.services.proposals import proposal_create
from bargaining.services.sessions import session_create
from tests.factories import NegotiationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def proposals_url(negotiation, action=None):
    return f"/api/v1/negotiations/{negotiation.pk}/proposals/{action + '/' if action else ''}"


def post(client, negotiation, session, **fields):
    return client.post(proposals_url(negotiation), {"session": session.pk, **fields}, format="json")


def decimal_or_none(value):
    return None if value is None else Decimal(value)


@pytest.fixture
def table(negotiation_in_rounds, union_user, employer_user):
    """Table a proposal for a side, as that side's negotiator, in a given round."""
    users = {Side.UNION: union_user, Side.EMPLOYER: employer_user}

    def table(session, side, **fields):
        return proposal_create(
            user=users[side], negotiation=negotiation_in_rounds, session=session, side=side, **fields
        )

    return table


@pytest.fixture
def second_round(negotiation_in_rounds, union_user):
    return session_create(user=union_user, negotiation=negotiation_in_rounds, held_at=timezone.now(), location="Room 2")


# --- tabling a proposal -----------------------------------------------------------------------


def test_a_typed_proposal_is_stored_with_normalised_params(negotiation_in_rounds, first_round, union_user, client_for):
    response = post(
        client_for(union_user),
        negotiation_in_rounds,
        first_round,
        side="union",
        clause_category="pay",
        term_kind="min_monthly_wage",
        params={"amount": "3,200"},
        text="Raise the floor.",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["side"], body["clause_category"], body["term_kind"]) == ("union", "pay", "min_monthly_wage")
    assert body["params"] == {"amount": "3200"}
    assert (body["session"], body["round_no"]) == (first_round.pk, 1)
    proposal = Proposal.objects.get(pk=body["id"])
    assert proposal.params == {"amount": "3200"}
    assert proposal.created_by == union_user


def test_defaults_of_the_term_kind_are_filled_in(negotiation_in_rounds, first_round, employer_user, client_for):
    response = post(
        client_for(employer_user),
        negotiation_in_rounds,
        first_round,
        side="employer",
        clause_category="pay",
        term_kind="overtime_premium",
        params={"weekday": "1.5"},
    )

    assert response.status_code == 201
    params = response.json()["params"]
    assert {name: Decimal(value) for name, value in params.items()} == {
        "weekday": Decimal("1.5"),
        "rest_day": Decimal("2"),
        "holiday": Decimal("3"),
    }


def test_params_that_do_not_fit_the_schema_are_refused_per_field(
    negotiation_in_rounds, first_round, union_user, client_for
):
    response = post(
        client_for(union_user),
        negotiation_in_rounds,
        first_round,
        side="union",
        clause_category="pay",
        term_kind="wage_increase_pct",
        params={"percent": "lots", "reference_period": "2025-13", "bonus": 1},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term_params"
    assert set(response.json()["extra"]["params"]) == {"percent", "reference_period", "bonus"}
    assert not Proposal.objects.exists()


def test_a_missing_required_param_is_named(negotiation_in_rounds, first_round, union_user, client_for):
    response = post(
        client_for(union_user),
        negotiation_in_rounds,
        first_round,
        side="union",
        clause_category="pay",
        term_kind="min_monthly_wage",
        params={},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term_params"
    assert list(response.json()["extra"]["params"]) == ["amount"]


def test_params_that_are_not_an_object_are_refused(negotiation_in_rounds, first_round, union_user, client_for):
    response = post(
        client_for(union_user),
        negotiation_in_rounds,
        first_round,
        side="union",
        clause_category="pay",
        term_kind="pay_day",
        params=[15],
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term_params"


def test_a_term_kind_outside_its_clause_category_is_refused(negotiation_in_rounds, first_round, union_user, client_for):
    response = post(
        client_for(union_user),
        negotiation_in_rounds,
        first_round,
        side="union",
        clause_category="working_time",
        term_kind="min_monthly_wage",
        params={"amount": "3000"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "term_kind_category_mismatch"
    assert not Proposal.objects.exists()


def test_an_unknown_term_kind_is_refused(negotiation_in_rounds, first_round, union_user, client_for):
    response = post(
        client_for(union_user),
        negotiation_in_rounds,
        first_round,
        side="union",
        clause_category="pay",
        term_kind="free_lunch",
        params={},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "term_kind" in response.json()["extra"]["fields"]


def test_params_without_a_term_kind_are_refused(negotiation_in_rounds, first_round, union_user, client_for):
    response = post(
        client_for(union_user),
        negotiation_in_rounds,
        first_round,
        side="union",
        clause_category="pay",
        params={"amount": "3000"},
        text="x",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "params_without_term_kind"


@pytest.mark.parametrize("text", ["", "   "])
def test_a_proposal_needs_a_term_or_a_text(negotiation_in_rounds, first_round, union_user, client_for, text):
    response = post(
        client_for(union_user), negotiation_in_rounds, first_round, side="union", clause_category="training", text=text
    )

    assert response.status_code == 400
    assert response.json()["code"] == "empty_proposal"


def test_a_text_only_proposal_is_accepted(negotiation_in_rounds, first_round, union_user, client_for):
    response = post(
        client_for(union_user),
        negotiation_in_rounds,
        first_round,
        side="union",
        clause_category="training",
        text="Forty hours of paid training a year.",
    )

    assert response.status_code == 201
    assert (response.json()["term_kind"], response.json()["params"]) == ("", {})


def test_a_negotiator_cannot_table_for_the_other_side(negotiation_in_rounds, first_round, union_user, client_for):
    response = post(
        client_for(union_user), negotiation_in_rounds, first_round, side="employer", clause_category="pay", text="x"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"


def test_a_round_of_another_negotiation_is_not_found(negotiation_in_rounds, union_user, client_for):
    foreign_round = SessionFactory(negotiation=NegotiationFactory(enterprise=negotiation_in_rounds.enterprise))

    response = post(
        client_for(union_user), negotiation_in_rounds, foreign_round, side="union", clause_category="pay", text="x"
    )

    assert response.status_code == 404
    assert not Proposal.objects.exists()


def test_proposals_are_listed_round_by_round_and_filter_by_side(
    negotiation_in_rounds, first_round, second_round, table, union_user, client_for
):
    later = table(second_round, Side.UNION, clause_category="training", text="Later")
    earlier_employer = table(first_round, Side.EMPLOYER, clause_category="training", text="Employer")
    earlier_union = table(first_round, Side.UNION, clause_category="training", text="Union")
    client = client_for(union_user)

    everything = client.get(proposals_url(negotiation_in_rounds)).json()["results"]
    union_only = client.get(proposals_url(negotiation_in_rounds), {"side": "union"}).json()["results"]

    assert [p["id"] for p in everything] == [earlier_employer.pk, earlier_union.pk, later.pk]
    assert [p["round_no"] for p in everything] == [1, 1, 2]
    assert [p["id"] for p in union_only] == [earlier_union.pk, later.pk]


def test_proposals_are_read_only_once_tabled(negotiation_in_rounds, first_round, table, union_user, client_for):
    proposal = table(first_round, Side.UNION, clause_category="training", text="As tabled")
    client = client_for(union_user)

    patched = client.patch(f"{proposals_url(negotiation_in_rounds)}{proposal.pk}/", {"text": "x"}, format="json")
    deleted = client.delete(f"{proposals_url(negotiation_in_rounds)}{proposal.pk}/")

    assert (patched.status_code, deleted.status_code) == (405, 405)
    proposal.refresh_from_db()
    assert proposal.text == "As tabled"


# --- the gap ----------------------------------------------------------------------------------


def gap_of(client, negotiation):
    response = client.get(proposals_url(negotiation, "gap"))
    assert response.status_code == 200
    return {(t["clause_category"], t["term_kind"]): t for t in response.json()}


OVERTIME_CAP = {"clause_category": "working_time", "term_kind": "max_overtime_hours_month"}


def wage(amount):
    return {"clause_category": "pay", "term_kind": "min_monthly_wage", "params": {"amount": amount}}


def test_gap_compares_each_sides_latest_position_across_rounds(
    negotiation_in_rounds, first_round, second_round, table, union_user, client_for
):
    # given the union moved from 3500 to 3300 and the employer from 3000 to 3100
    table(first_round, Side.UNION, **wage("3500"))
    table(first_round, Side.EMPLOYER, **wage("3000"))
    union_latest = table(second_round, Side.UNION, **wage("3300"))
    employer_latest = table(second_round, Side.EMPLOYER, **wage("3100"))

    topic = gap_of(client_for(union_user), negotiation_in_rounds)[("pay", "min_monthly_wage")]

    assert topic["union"]["proposal"] == union_latest.pk
    assert topic["union"]["round_no"] == 2
    assert topic["union"]["params"] == {"amount": "3300"}
    assert decimal_or_none(topic["union"]["value"]) == Decimal("3300")
    assert topic["employer"]["proposal"] == employer_latest.pk
    assert decimal_or_none(topic["employer"]["value"]) == Decimal("3100")
    assert decimal_or_none(topic["gap"]) == Decimal("200")
    assert topic["agreed"] is False
    assert [(h["side"], h["round_no"], decimal_or_none(h["value"])) for h in topic["history"]] == [
        ("union", 1, Decimal("3500")),
        ("employer", 1, Decimal("3000")),
        ("union", 2, Decimal("3300")),
        ("employer", 2, Decimal("3100")),
    ]


def test_gap_is_union_minus_employer_and_may_be_negative(
    negotiation_in_rounds, first_round, table, union_user, client_for
):
    # given the union asks for a lower overtime cap than the employer offers
    table(first_round, Side.UNION, **OVERTIME_CAP, params={"hours": "20"})
    table(first_round, Side.EMPLOYER, **OVERTIME_CAP, params={"hours": "36"})

    topic = gap_of(client_for(union_user), negotiation_in_rounds)[("working_time", "max_overtime_hours_month")]

    assert decimal_or_none(topic["gap"]) == Decimal("-16")


def test_a_later_proposal_in_the_same_round_supersedes_the_earlier(
    negotiation_in_rounds, first_round, table, union_user, client_for
):
    table(first_round, Side.UNION, **wage("3500"))
    table(first_round, Side.UNION, **wage("3400"))
    table(first_round, Side.EMPLOYER, **wage("3400"))

    topic = gap_of(client_for(union_user), negotiation_in_rounds)[("pay", "min_monthly_wage")]

    assert topic["union"]["params"] == {"amount": "3400"}
    assert decimal_or_none(topic["gap"]) == Decimal("0")
    assert topic["agreed"] is True


def test_identical_latest_positions_are_agreed_even_if_earlier_ones_differed(
    negotiation_in_rounds, first_round, second_round, table, union_user, client_for
):
    table(first_round, Side.UNION, clause_category="pay", term_kind="pay_day", params={"day": 5})
    table(first_round, Side.EMPLOYER, clause_category="pay", term_kind="pay_day", params={"day": 15})
    table(second_round, Side.EMPLOYER, clause_category="pay", term_kind="pay_day", params={"day": "5"})

    topic = gap_of(client_for(union_user), negotiation_in_rounds)[("pay", "pay_day")]

    assert topic["agreed"] is True
    assert decimal_or_none(topic["gap"]) == Decimal("0")
    assert len(topic["history"]) == 3


def test_a_topic_with_one_side_only_has_no_gap_and_is_not_agreed(
    negotiation_in_rounds, first_round, table, union_user, client_for
):
    table(first_round, Side.UNION, **wage("3500"))

    topic = gap_of(client_for(union_user), negotiation_in_rounds)[("pay", "min_monthly_wage")]

    assert topic["employer"] is None
    assert topic["gap"] is None
    assert topic["agreed"] is False


def test_a_term_without_a_headline_number_has_no_gap_but_can_be_agreed(
    negotiation_in_rounds, first_round, table, union_user, client_for
):
    leave = {"clause_category": "rest_leave", "term_kind": "annual_leave_days"}
    table(first_round, Side.UNION, **leave, params={"tiers": [{"from_years": 1, "days": 7}]})
    table(first_round, Side.EMPLOYER, **leave, params={"tiers": [{"from_years": 1, "days": 7}]})

    topic = gap_of(client_for(union_user), negotiation_in_rounds)[("rest_leave", "annual_leave_days")]

    assert topic["gap"] is None
    assert topic["agreed"] is True


def test_text_topics_agree_when_the_texts_match_ignoring_surrounding_space(
    negotiation_in_rounds, first_round, table, union_user, client_for
):
    table(first_round, Side.UNION, clause_category="training", text="Forty hours a year.")
    table(first_round, Side.EMPLOYER, clause_category="training", text="  Forty hours a year.\n")
    table(first_round, Side.UNION, clause_category="disputes", text="Mediation first.")
    table(first_round, Side.EMPLOYER, clause_category="disputes", text="Arbitration first.")

    gap = gap_of(client_for(union_user), negotiation_in_rounds)

    assert gap[("training", "")]["agreed"] is True
    assert gap[("training", "")]["gap"] is None
    assert gap[("disputes", "")]["agreed"] is False


def test_topics_are_kept_apart_by_term_kind(negotiation_in_rounds, first_round, table, union_user, client_for):
    table(first_round, Side.UNION, **wage("3500"))
    table(first_round, Side.EMPLOYER, clause_category="pay", term_kind="pay_day", params={"day": 10})

    gap = gap_of(client_for(union_user), negotiation_in_rounds)

    assert set(gap) >= {("pay", "min_monthly_wage"), ("pay", "pay_day")}
    assert gap[("pay", "min_monthly_wage")]["employer"] is None
    assert gap[("pay", "pay_day")]["union"] is None


def test_gap_of_a_negotiation_without_proposals_is_empty(negotiation_in_rounds, union_user, client_for):
    assert gap_of(client_for(union_user), negotiation_in_rounds) == {}


def test_the_same_amount_written_differently_is_agreed(
    negotiation_in_rounds, first_round, table, union_user, client_for
):
    table(first_round, Side.UNION, **wage("3000"))
    table(first_round, Side.EMPLOYER, **wage("3000.00"))

    topic = gap_of(client_for(union_user), negotiation_in_rounds)[("pay", "min_monthly_wage")]

    assert decimal_or_none(topic["gap"]) == Decimal("0")
    assert topic["agreed"] is True


def test_a_defaulted_rate_and_the_same_rate_stated_are_agreed(
    negotiation_in_rounds, first_round, table, union_user, client_for
):
    premium = {"clause_category": "pay", "term_kind": "overtime_premium"}
    table(first_round, Side.UNION, **premium, params={"weekday": "1.5"})
    table(first_round, Side.EMPLOYER, **premium, params={"weekday": "1.5", "rest_day": "2.0", "holiday": "3.0"})

    topic = gap_of(client_for(union_user), negotiation_in_rounds)[("pay", "overtime_premium")]

    assert decimal_or_none(topic["gap"]) == Decimal("0")
    assert topic["agreed"] is True
