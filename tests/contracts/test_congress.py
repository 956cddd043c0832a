"""The workers' congress vote (R6): opening a session, secret ballots, paper tallies, and the
decision at its edges (two thirds of ALL delegates present, more than half of ALL voting yes)."""

import dataclasses
import datetime as dt
import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from config.errors import InvalidInput, NotAllowed, StateConflict
from contracts.enterprises.models import Role
from contracts.models import BallotBox, BallotReceipt, CongressMode, ContractStatus
from contracts.rules.decisions import article
from contracts.rules.packs import NATIONAL, CongressMajority
from contracts.services.congress import (
    ballot_cast,
    congress_decide,
    congress_session_cancel,
    congress_session_close,
    congress_session_open,
    congress_tally_record,
)
from tests.factories import ContractFactory, EnterpriseFactory, FederationOfficerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/congress-sessions/"


def tally_and_close(session, user, *, present, yes, no=0, abstain=0):
    congress_tally_record(user=user, session=session, present=present, yes=yes, no=no, abstain=abstain)
    return congress_session_close(user=user, session=session)


# --- the decision at its edges (30 delegates: quorum 20, majority 16) --------------------


def test_congress_close_fails_when_one_short_of_two_thirds(contract_in_congress, open_session, union_user):
    # given 30 delegates of whom 19 attend, all voting yes
    session = open_session(contract_in_congress, delegates_total=30)

    session = tally_and_close(session, union_user, present=19, yes=19)

    assert session.passed is False
    assert session.result["quorum_met"] is False
    assert session.result["present_needed"] == 20
    assert session.result["majority_met"] is True
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.DRAFT


def test_congress_close_passes_with_exactly_two_thirds_present_and_16_of_30_yes(
    contract_in_congress, open_session, union_user
):
    session = open_session(contract_in_congress, delegates_total=30)

    session = tally_and_close(session, union_user, present=20, yes=16, no=3, abstain=1)

    assert session.passed is True
    assert session.result["quorum_met"] is True
    assert session.result["majority_met"] is True
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.APPROVED


def test_congress_close_fails_with_exactly_half_of_all_delegates_yes_under_the_default(
    contract_in_congress, open_session, union_user
):
    # given the national pack: more than half of all delegates must vote yes
    session = open_session(contract_in_congress, delegates_total=30)

    session = tally_and_close(session, union_user, present=20, yes=15, no=5)

    assert session.passed is False
    assert session.result["quorum_met"] is True
    assert session.result["majority"] == CongressMajority.MORE_THAN_HALF
    assert session.result["yes_needed"] == 16
    assert session.result["majority_met"] is False


def test_congress_close_passes_with_exactly_half_yes_under_a_half_or_more_pack(
    half_or_more_pack, make_contract_in_congress, make_member, open_session
):
    # given an enterprise whose rule pack lets half or more of all delegates pass a draft
    enterprise = EnterpriseFactory(rule_pack=half_or_more_pack)
    leader = make_member(enterprise, Role.UNION_LEADER)
    contract = make_contract_in_congress(enterprise, user=leader)
    session = congress_session_open(
        user=leader, contract=contract, delegates_total=30, held_on=dt.date(2026, 6, 15), mode=CongressMode.TALLY
    )

    session = tally_and_close(session, leader, present=20, yes=15, no=5)

    assert session.passed is True
    assert session.result["pack"] == half_or_more_pack
    assert session.result["majority"] == CongressMajority.HALF_OR_MORE
    assert session.result["yes_needed"] == 15
    contract.refresh_from_db()
    assert contract.status == ContractStatus.APPROVED


def test_majority_counts_all_delegates_not_only_those_present(contract_in_congress, open_session, union_user):
    # given 20 of 30 present and 11 yes: a majority of those present, not of all delegates
    session = open_session(contract_in_congress, delegates_total=30)

    session = tally_and_close(session, union_user, present=20, yes=11, no=9)

    assert session.passed is False
    assert session.result["majority_met"] is False


@pytest.mark.parametrize(
    ("delegates_total", "present", "yes", "passed"),
    [
        (3, 2, 2, True),  # 2 is exactly two thirds of 3; 2 > 1.5
        (3, 1, 1, False),
        (31, 21, 16, True),  # quorum 20.67 → 21; majority 15.5 → 16
        (31, 20, 20, False),
        (31, 21, 15, False),
        (1, 1, 1, True),
        (1, 0, 0, False),
    ],
)
def test_congress_decide_uses_exact_fractions_of_all_delegates(delegates_total, present, yes, passed):
    result = congress_decide(
        delegates_total=delegates_total, present=present, yes=yes, no=0, abstain=present - yes, pack=NATIONAL
    )

    assert result["passed"] is passed


def test_half_or_more_needs_the_upper_half_of_an_odd_congress():
    pack = dataclasses.replace(NATIONAL, congress_majority=CongressMajority.HALF_OR_MORE)

    fifteen = congress_decide(delegates_total=31, present=31, yes=15, no=16, abstain=0, pack=pack)
    sixteen = congress_decide(delegates_total=31, present=31, yes=16, no=15, abstain=0, pack=pack)

    assert (fifteen["passed"], fifteen["yes_needed"]) == (False, 16)
    assert sixteen["passed"] is True


def test_close_result_states_numbers_thresholds_rule_article_and_pack(
    contract_in_congress, open_session, union_user, client_for
):
    session = open_session(contract_in_congress, delegates_total=30)
    congress_tally_record(user=union_user, session=session, present=20, yes=16, no=3, abstain=1)

    response = client_for(union_user).post(f"{URL}{session.pk}/close/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["passed"] is True
    assert body["rule"]["rule"] == "R6"
    assert body["rule"]["article"] == article("R6")
    assert body["rule"]["pack"] == "national"
    assert "20" in body["reason"] and "16" in body["reason"]
    assert body["result"] == {
        "rule": "R6",
        "article": article("R6"),
        "pack": "national",
        "delegates_total": 30,
        "present": 20,
        "yes": 16,
        "no": 3,
        "abstain": 1,
        "quorum": "2/3",
        "present_needed": 20,
        "quorum_met": True,
        "majority": "more_than_half",
        "yes_needed": 16,
        "majority_met": True,
        "passed": True,
    }


# --- closing: the contract moves; a failed result is kept ----------------------------------


def test_failed_vote_sends_the_contract_back_to_draft_and_keeps_the_result(
    contract_in_congress, open_session, union_user, client_for
):
    session = open_session(contract_in_congress, delegates_total=30)
    congress_tally_record(user=union_user, session=session, present=25, yes=10, no=14, abstain=1)

    response = client_for(union_user).post(f"{URL}{session.pk}/close/")

    assert response.status_code == 200
    assert response.json()["passed"] is False
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.DRAFT
    latest = contract_in_congress.versions.order_by("-number").first()
    assert (latest.number, latest.status) == (contract_in_congress.version, ContractStatus.DRAFT)
    detail = client_for(union_user).get(f"{URL}{session.pk}/").json()
    assert detail["is_closed"] is True
    assert detail["passed"] is False
    assert (detail["present"], detail["yes"], detail["no"], detail["abstain"]) == (25, 10, 14, 1)
    assert detail["decision"]["result"]["majority_met"] is False


def test_passed_vote_approves_the_contract(contract_in_congress, open_session, union_user):
    session = open_session(contract_in_congress, delegates_total=30)

    tally_and_close(session, union_user, present=30, yes=30)

    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.APPROVED
    latest = contract_in_congress.versions.order_by("-number").first()
    assert (latest.number, latest.status) == (contract_in_congress.version, ContractStatus.APPROVED)
    # the session keeps the version the congress voted on, the one before the approval
    assert session.contract_version == latest.number - 1


def test_closing_twice_is_a_conflict(contract_in_congress, open_session, union_user, client_for):
    session = open_session(contract_in_congress, delegates_total=30)
    tally_and_close(session, union_user, present=30, yes=30)

    response = client_for(union_user).post(f"{URL}{session.pk}/close/")

    assert response.status_code == 409
    assert response.json()["code"] == "session_closed"


def test_closing_a_paper_vote_before_its_count_is_a_conflict(
    contract_in_congress, open_session, client_for, union_user
):
    session = open_session(contract_in_congress)

    response = client_for(union_user).post(f"{URL}{session.pk}/close/")

    assert response.status_code == 409
    assert response.json()["code"] == "tally_missing"
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.IN_CONGRESS


def test_a_delegate_may_not_close_the_session(contract_in_congress, open_session, make_delegates, client_for):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT)
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)

    response = client_for(delegate).post(f"{URL}{session.pk}/close/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# --- paper tally --------------------------------------------------------------------------


def test_tally_whose_votes_exceed_those_present_is_refused(contract_in_congress, open_session, union_user, client_for):
    session = open_session(contract_in_congress, delegates_total=30)

    response = client_for(union_user).post(
        f"{URL}{session.pk}/tally/", {"present": 20, "yes": 16, "no": 4, "abstain": 1}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "more_votes_than_present"
    assert response.json()["extra"] == {"votes": 21, "present": 20}
    session.refresh_from_db()
    assert session.present is None


def test_tally_with_more_present_than_delegates_is_refused(contract_in_congress, open_session, union_user, client_for):
    session = open_session(contract_in_congress, delegates_total=30)

    response = client_for(union_user).post(
        f"{URL}{session.pk}/tally/", {"present": 31, "yes": 16, "no": 0, "abstain": 0}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "more_present_than_delegates"


def test_tally_with_a_negative_count_is_refused(contract_in_congress, open_session, union_user):
    session = open_session(contract_in_congress, delegates_total=30)

    with pytest.raises(InvalidInput) as refused:
        congress_tally_record(user=union_user, session=session, present=20, yes=16, no=-1, abstain=0)

    assert refused.value.code == "negative_count"
    assert refused.value.extra == {"fields": ["no"]}


def test_tally_api_refuses_a_negative_count_as_invalid_input(
    contract_in_congress, open_session, union_user, client_for
):
    session = open_session(contract_in_congress, delegates_total=30)

    response = client_for(union_user).post(
        f"{URL}{session.pk}/tally/", {"present": 20, "yes": -1, "no": 0, "abstain": 0}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "yes" in response.json()["extra"]["fields"]


def test_tally_shows_present_but_not_the_choices_until_closing(
    contract_in_congress, open_session, union_user, client_for
):
    session = open_session(contract_in_congress, delegates_total=30)

    response = client_for(union_user).post(
        f"{URL}{session.pk}/tally/", {"present": 20, "yes": 16, "no": 4, "abstain": 0}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["present"] == 20
    assert (body["yes"], body["no"], body["abstain"], body["decision"]) == (None, None, None, None)


def test_tally_on_an_electronic_ballot_session_is_a_conflict(contract_in_congress, open_session, union_user):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT)

    with pytest.raises(StateConflict) as refused:
        congress_tally_record(user=union_user, session=session, present=20, yes=16, no=0, abstain=0)

    assert refused.value.code == "wrong_voting_mode"


# --- opening ------------------------------------------------------------------------------


def test_opening_records_the_contract_version_and_a_ballot_box(contract_in_congress, union_user, client_for):
    response = client_for(union_user).post(
        URL,
        {"contract": contract_in_congress.pk, "delegates_total": 30, "held_on": "2026-06-15", "mode": "ballot"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["contract_version"] == contract_in_congress.version
    assert body["is_closed"] is False
    assert (body["present"], body["yes"], body["passed"], body["decision"]) == (None, None, None, None)
    # and the answer carries the closing code, this once: 32 signs in 8 groups of 4
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}", body["closing_code"])
    assert "closing_code" not in client_for(union_user).get(f"{URL}{body['id']}/").json()
    # and the ballot box holds the public key, an encrypted empty tally and the sealed private key
    box = BallotBox.objects.get(session_id=body["id"])
    assert (len(box.public_key), len(box.tally)) == (256, 512)
    assert body["closing_code"].encode() not in bytes(box.sealed_key)


def test_opening_a_paper_session_creates_no_ballot_box_and_no_code(contract_in_congress, union_user, client_for):
    response = client_for(union_user).post(
        URL,
        {"contract": contract_in_congress.pk, "delegates_total": 30, "held_on": "2026-06-15", "mode": "tally"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["closing_code"] is None
    assert not BallotBox.objects.filter(session_id=response.json()["id"]).exists()


def test_opening_on_a_draft_contract_is_a_conflict(enterprise, union_user, client_for):
    draft = ContractFactory(enterprise=enterprise)

    response = client_for(union_user).post(
        URL, {"contract": draft.pk, "delegates_total": 30, "held_on": "2026-06-15"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "contract_state_conflict"
    assert response.json()["extra"]["allowed_from"] == ["in_congress"]


def test_a_contract_has_one_open_session_at_a_time(contract_in_congress, open_session, union_user, client_for):
    first = open_session(contract_in_congress)

    response = client_for(union_user).post(
        URL, {"contract": contract_in_congress.pk, "delegates_total": 30, "held_on": "2026-06-16"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "session_already_open"
    assert response.json()["extra"] == {"session": first.pk}


def test_a_delegate_may_not_open_a_session(contract_in_congress, make_delegates):
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)

    with pytest.raises(NotAllowed):
        congress_session_open(
            user=delegate,
            contract=contract_in_congress,
            delegates_total=30,
            held_on=dt.date(2026, 6, 15),
            mode="ballot",
        )


def test_opening_for_a_contract_of_another_enterprise_is_refused(make_contract_in_congress, make_member, client_for):
    other = EnterpriseFactory()
    contract = make_contract_in_congress(other, user=make_member(other, Role.UNION_NEGOTIATOR))
    stranger = make_member(EnterpriseFactory(), Role.UNION_LEADER)

    response = client_for(stranger).post(
        URL, {"contract": contract.pk, "delegates_total": 30, "held_on": "2026-06-15"}, format="json"
    )

    assert response.status_code == 400
    assert "contract" in response.json()["extra"]["fields"]


# --- electronic ballots -------------------------------------------------------------------


def test_each_delegate_votes_once(contract_in_congress, open_session, make_delegates, union_user, client_for):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT)
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)
    client = client_for(delegate)

    first = client.post(f"{URL}{session.pk}/ballots/", {"choice": "yes"}, format="json")
    second = client.post(f"{URL}{session.pk}/ballots/", {"choice": "no"}, format="json")

    assert first.status_code == 201
    assert first.json() == {"voted": True}
    assert second.status_code == 409
    assert second.json()["code"] == "already_voted"
    assert BallotReceipt.objects.filter(session=session).count() == 1
    closed = congress_session_close(user=union_user, session=session, closing_code=session.closing_code)
    assert (closed.present, closed.yes, closed.no, closed.abstain) == (1, 1, 0, 0)


def test_a_ballot_on_a_session_cancelled_meanwhile_is_a_conflict_and_records_nothing(
    contract_in_congress, open_session, make_delegates, union_user
):
    # the delegate's request found the session; its organiser cancels it before the ballot is stored
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT)
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)
    congress_session_cancel(user=union_user, session=session)

    with pytest.raises(StateConflict) as refused:
        ballot_cast(user=delegate, session=session, choice="yes")

    assert refused.value.code == "session_cancelled"
    assert not BallotReceipt.objects.exists()


def test_the_database_refuses_a_second_receipt_for_the_same_delegate(
    contract_in_congress, open_session, make_delegates
):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT)
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)
    BallotReceipt.objects.create(session=session, delegate=delegate)

    with pytest.raises(IntegrityError), transaction.atomic():
        BallotReceipt.objects.create(session=session, delegate=delegate)


def test_a_user_who_is_not_a_delegate_may_not_vote(
    contract_in_congress, open_session, union_user, make_member, client_for
):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT)
    leader = make_member(contract_in_congress.enterprise, Role.UNION_LEADER)

    for user in (union_user, leader):
        response = client_for(user).post(f"{URL}{session.pk}/ballots/", {"choice": "yes"}, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "not_a_delegate"
    assert not BallotReceipt.objects.filter(session=session).exists()


def test_a_user_of_another_enterprise_does_not_find_the_session(
    contract_in_congress, open_session, make_delegates, client_for
):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT)
    (outsider,) = make_delegates(EnterpriseFactory(), 1)
    client = client_for(outsider)

    responses = [
        client.get(f"{URL}{session.pk}/"),
        client.get(f"{URL}{session.pk}/ballots/"),
        client.post(f"{URL}{session.pk}/ballots/", {"choice": "yes"}, format="json"),
        client.post(f"{URL}{session.pk}/close/"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert {r.json()["code"] for r in responses} == {"not_found"}
    assert client.get(URL).json()["count"] == 0


def test_ballots_never_outnumber_the_delegates(
    contract_in_congress, open_session, make_delegates, union_user, client_for
):
    # given a congress of 2 delegates, yet 3 users hold the delegate role
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT, delegates_total=2)
    delegates = make_delegates(contract_in_congress.enterprise, 3)
    for delegate in delegates[:2]:
        client_for(delegate).post(f"{URL}{session.pk}/ballots/", {"choice": "yes"}, format="json")

    response = client_for(delegates[2]).post(f"{URL}{session.pk}/ballots/", {"choice": "no"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "ballot_box_full"
    assert BallotReceipt.objects.filter(session=session).count() == 2
    closed = congress_session_close(user=union_user, session=session, closing_code=session.closing_code)
    assert (closed.present, closed.yes, closed.no, closed.abstain) == (2, 2, 0, 0)


def test_a_ballot_after_closing_is_a_conflict(contract_in_congress, open_session, make_delegates, union_user):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT, delegates_total=3)
    early, late = make_delegates(contract_in_congress.enterprise, 2)
    ballot_cast(user=early, session=session, choice="yes")
    congress_session_close(user=union_user, session=session, closing_code=session.closing_code)

    with pytest.raises(StateConflict) as refused:
        ballot_cast(user=late, session=session, choice="yes")

    assert refused.value.code == "session_closed"


def test_a_ballot_in_a_paper_session_is_a_conflict(contract_in_congress, open_session, make_delegates, client_for):
    session = open_session(contract_in_congress, mode=CongressMode.TALLY)
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)

    response = client_for(delegate).post(f"{URL}{session.pk}/ballots/", {"choice": "yes"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "wrong_voting_mode"


def test_a_ballot_other_than_yes_no_or_abstain_is_invalid(
    contract_in_congress, open_session, make_delegates, client_for
):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT)
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)

    response = client_for(delegate).post(f"{URL}{session.pk}/ballots/", {"choice": "maybe"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not BallotReceipt.objects.filter(session=session).exists()


def test_electronic_ballots_end_to_end(contract_in_congress, union_user, make_delegates, client_for):
    # given a congress of 6 delegates voting electronically
    organiser = client_for(union_user)
    opened = organiser.post(
        URL,
        {"contract": contract_in_congress.pk, "delegates_total": 6, "held_on": "2026-06-15", "mode": "ballot"},
        format="json",
    ).json()
    session_id, closing_code = opened["id"], opened["closing_code"]
    delegates = make_delegates(contract_in_congress.enterprise, 6)

    # when five vote: four yes and one no (the sixth stays away)
    for delegate, choice in zip(delegates, ["yes", "no", "yes", "yes", "yes"], strict=False):
        assert (
            client_for(delegate).post(f"{URL}{session_id}/ballots/", {"choice": choice}, format="json").status_code
            == 201
        )

    # then while open only the number of ballots shows, and who has voted sees that they have
    assert client_for(delegates[0]).get(f"{URL}{session_id}/ballots/").json() == {
        "ballots_cast": 5,
        "delegates_total": 6,
        "you_voted": True,
    }
    assert client_for(delegates[5]).get(f"{URL}{session_id}/ballots/").json()["you_voted"] is False
    open_detail = organiser.get(f"{URL}{session_id}/").json()
    assert (open_detail["yes"], open_detail["no"], open_detail["abstain"]) == (None, None, None)

    # when the organiser closes the vote with the closing code
    closed = organiser.post(f"{URL}{session_id}/close/", {"closing_code": closing_code}, format="json")

    # then those present are those who voted, and the counts come from the ballot box
    assert closed.status_code == 200, closed.json()
    result = closed.json()["result"]
    assert (result["present"], result["yes"], result["no"], result["abstain"]) == (5, 4, 1, 0)
    assert (result["present_needed"], result["yes_needed"]) == (4, 4)
    assert closed.json()["passed"] is True
    detail = organiser.get(f"{URL}{session_id}/").json()
    assert (detail["present"], detail["yes"], detail["no"], detail["abstain"]) == (5, 4, 1, 0)
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.APPROVED
    # and the ballot box, its sealed key and its ciphertext, is gone
    assert not BallotBox.objects.filter(session_id=session_id).exists()


def test_electronic_ballots_one_short_of_two_thirds_fail_on_quorum(
    contract_in_congress, open_session, make_delegates, union_user
):
    # given 6 delegates, of whom 3 vote (4 are two thirds), all yes
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT, delegates_total=6)
    for delegate in make_delegates(contract_in_congress.enterprise, 3):
        ballot_cast(user=delegate, session=session, choice="yes")

    session = congress_session_close(user=union_user, session=session, closing_code=session.closing_code)

    assert session.passed is False
    assert (session.result["present"], session.result["quorum_met"]) == (3, False)
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.DRAFT


# --- list and detail ----------------------------------------------------------------------


def test_list_shows_only_sessions_of_the_users_enterprises(
    contract_in_congress, open_session, make_contract_in_congress, make_member, union_user, client_for
):
    ours = open_session(contract_in_congress)
    other = EnterpriseFactory()
    other_contract = make_contract_in_congress(other, user=make_member(other, Role.UNION_NEGOTIATOR))
    congress_session_open(
        user=make_member(other, Role.UNION_LEADER),
        contract=other_contract,
        delegates_total=10,
        held_on=dt.date(2026, 6, 15),
        mode=CongressMode.TALLY,
    )

    response = client_for(union_user).get(URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [ours.pk]


def test_list_filters_by_contract(
    enterprise, contract_in_congress, make_contract_in_congress, open_session, union_user, client_for
):
    open_session(contract_in_congress)
    wanted = open_session(make_contract_in_congress(enterprise))

    response = client_for(union_user).get(URL, {"contract": wanted.contract_id})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured.captured_queries)


def test_list_query_count_does_not_grow_with_sessions(
    enterprise, make_contract_in_congress, open_session, union_user, client_for
):
    def closed_session():
        session = open_session(make_contract_in_congress(enterprise))
        return tally_and_close(session, union_user, present=30, yes=30)

    client = client_for(union_user)
    closed_session()
    with_one = list_queries(client)
    closed_session()
    closed_session()

    with_three = list_queries(client)

    assert client.get(URL).json()["count"] == 3
    assert with_three == with_one


# --- the closing code ---------------------------------------------------------------------


@pytest.fixture
def voted_ballot(contract_in_congress, open_session, make_delegates):
    """An electronic session of 4 delegates in which 3 voted yes, yes and no; still open."""
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT, delegates_total=4)
    for delegate, choice in zip(make_delegates(contract_in_congress.enterprise, 3), ["yes", "yes", "no"], strict=True):
        ballot_cast(user=delegate, session=session, choice=choice)
    return session


def still_open_and_sealed(session) -> bool:
    session.refresh_from_db()
    box = BallotBox.objects.get(session=session)
    return session.closed_at is None and session.present is None and len(box.sealed_key) > 0


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        (None, 400, "closing_code_missing"),
        ("", 400, "closing_code_missing"),
        ("ABCD-EFGH", 400, "closing_code_malformed"),
        ("UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU", 400, "closing_code_malformed"),
        ("0000-0000-0000-0000-0000-0000-0000-0000", 400, "closing_code_wrong"),
    ],
)
def test_closing_without_the_right_code_is_refused_and_changes_nothing(
    voted_ballot, contract_in_congress, union_user, client_for, code, status, error
):
    body = {} if code is None else {"closing_code": code}

    response = client_for(union_user).post(f"{URL}{voted_ballot.pk}/close/", body, format="json")

    assert response.status_code == status, response.json()
    assert response.json()["code"] == error
    assert "closing code" in response.json()["message"].lower() or "开票码" in response.json()["message"]
    assert still_open_and_sealed(voted_ballot)
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.IN_CONGRESS


def test_another_sessions_code_does_not_open_the_box(
    voted_ballot, enterprise, make_contract_in_congress, open_session, union_user
):
    other = open_session(make_contract_in_congress(enterprise), mode=CongressMode.BALLOT)

    with pytest.raises(InvalidInput) as refused:
        congress_session_close(user=union_user, session=voted_ballot, closing_code=other.closing_code)

    assert refused.value.code == "closing_code_wrong"
    assert still_open_and_sealed(voted_ballot)


def test_the_code_may_be_typed_in_lower_case_without_hyphens_and_with_o_for_zero(voted_ballot, union_user):
    typed = voted_ballot.closing_code.replace("-", " ").lower().replace("0", "o").replace("1", "l")

    closed = congress_session_close(user=union_user, session=voted_ballot, closing_code=typed)

    assert (closed.present, closed.yes, closed.no, closed.abstain) == (3, 2, 1, 0)


def test_a_session_whose_code_is_lost_is_cancelled_and_the_contract_goes_to_a_new_session(
    voted_ballot, contract_in_congress, union_user, make_delegates, client_for
):
    organiser = client_for(union_user)

    cancelled = organiser.post(f"{URL}{voted_ballot.pk}/cancel/")

    assert cancelled.status_code == 204
    assert organiser.get(f"{URL}{voted_ballot.pk}/").status_code == 404
    assert not BallotBox.objects.filter(session_id=voted_ballot.pk).exists()
    assert not BallotReceipt.objects.filter(session_id=voted_ballot.pk).exists()
    assert voted_ballot.history.filter(history_type="-").exists()  # the history keeps that it was deleted
    contract_in_congress.refresh_from_db()
    assert contract_in_congress.status == ContractStatus.IN_CONGRESS
    # and a new session can be opened, voted and closed
    reopened = organiser.post(
        URL,
        {"contract": contract_in_congress.pk, "delegates_total": 4, "held_on": "2026-06-20", "mode": "ballot"},
        format="json",
    ).json()
    delegate = make_delegates(contract_in_congress.enterprise, 1)[0]
    client_for(delegate).post(f"{URL}{reopened['id']}/ballots/", {"choice": "abstain"}, format="json")
    closed = organiser.post(f"{URL}{reopened['id']}/close/", {"closing_code": reopened["closing_code"]}, format="json")
    assert closed.status_code == 200
    assert closed.json()["result"]["abstain"] == 1


def test_only_an_organiser_may_cancel_and_not_a_closed_session(
    voted_ballot, contract_in_congress, union_user, make_delegates, client_for
):
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)

    by_delegate = client_for(delegate).post(f"{URL}{voted_ballot.pk}/cancel/")
    congress_session_close(user=union_user, session=voted_ballot, closing_code=voted_ballot.closing_code)
    after_close = client_for(union_user).post(f"{URL}{voted_ballot.pk}/cancel/")

    assert (by_delegate.status_code, by_delegate.json()["code"]) == (403, "permission_denied")
    assert (after_close.status_code, after_close.json()["code"]) == (409, "session_closed")
    voted_ballot.refresh_from_db()
    assert voted_ballot.passed is False  # 3 of 4 attended, 2 yes: not more than half of all 4


def test_an_electronic_ballot_has_no_more_delegates_than_its_packed_counts_hold(contract_in_congress, union_user):
    # each count has 20 bits in the one encrypted tally: 2^20 delegates would overflow into the next
    with pytest.raises(InvalidInput) as refused:
        congress_session_open(
            user=union_user,
            contract=contract_in_congress,
            delegates_total=2**20,
            held_on=dt.date(2026, 6, 15),
            mode=CongressMode.BALLOT,
        )

    assert refused.value.code == "too_many_delegates"
    assert not contract_in_congress.congress_sessions.exists()


# --- who may, asked before what was sent -------------------------------------------------


@pytest.fixture
def congress_outsiders(contract_in_congress, make_member):
    """A delegate and a federation officer of the contract's enterprise: they see its sessions, run none."""
    enterprise = contract_in_congress.enterprise
    officer = make_member(EnterpriseFactory(federation=enterprise.federation), Role.CONGRESS_DELEGATE)
    FederationOfficerFactory(user=officer, federation=enterprise.federation)
    return {"delegate": make_member(enterprise, Role.CONGRESS_DELEGATE), "officer": officer}


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("tally", {"present": "many", "yes": -1}),
        ("tally", {}),
        ("close", {"closing_code": "X" * 100}),
        ("close", ["not", "an", "object"]),
        ("cancel", {"anything": "at all"}),
    ],
)
@pytest.mark.parametrize("who", ["delegate", "officer"])
def test_a_role_that_does_not_run_the_congress_gets_403_whatever_it_sent(
    contract_in_congress, open_session, congress_outsiders, client_for, action, body, who
):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT, delegates_total=5)

    response = client_for(congress_outsiders[who]).post(f"{URL}{session.pk}/{action}/", body, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert BallotBox.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert session.closed_at is None


@pytest.mark.parametrize("body", [{}, {"choice": "maybe"}, {"choice": "yes"}])
def test_a_ballot_from_someone_not_a_delegate_is_403_whatever_it_sent(
    contract_in_congress, open_session, union_user, congress_outsiders, client_for, body
):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT, delegates_total=5)
    officer = congress_outsiders["officer"]  # a delegate elsewhere, an officer here

    for user in (union_user, officer):
        response = client_for(user).post(f"{URL}{session.pk}/ballots/", body, format="json")
        assert (response.status_code, response.json()["code"]) == (403, "not_a_delegate")
    assert not BallotReceipt.objects.filter(session=session).exists()


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("ballots", {"choice": "maybe"}),
        ("ballots", {"choice": "yes"}),
        ("tally", {"present": "many"}),
        ("close", {"closing_code": "X" * 100}),
        ("cancel", {}),
    ],
)
def test_another_enterprises_session_is_the_same_404_as_one_that_does_not_exist(
    contract_in_congress, open_session, make_member, client_for, action, body
):
    session = open_session(contract_in_congress, mode=CongressMode.BALLOT, delegates_total=5)
    stranger = client_for(make_member(EnterpriseFactory(), Role.UNION_LEADER, Role.CONGRESS_DELEGATE))

    foreign = stranger.post(f"{URL}{session.pk}/{action}/", body, format="json")
    missing = stranger.post(f"{URL}{session.pk + 1000}/{action}/", body, format="json")

    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert BallotBox.objects.filter(session=session).exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"contract": "{contract}"},
        {"contract": "{contract}", "delegates_total": 0, "held_on": "someday"},
        {"contract": "{contract}", "delegates_total": 5, "held_on": "2026-06-15", "mode": "ballot"},
        {"contract": 10**30, "delegates_total": 5},
        ["not", "an", "object"],
    ],
)
@pytest.mark.parametrize("who", ["delegate", "officer"])
def test_a_delegate_or_an_officer_may_not_open_a_session_whatever_they_sent(
    contract_in_congress, congress_outsiders, client_for, body, who
):
    if isinstance(body, dict):
        body = {key: contract_in_congress.pk if value == "{contract}" else value for key, value in body.items()}

    response = client_for(congress_outsiders[who]).post(URL, body, format="json")

    assert response.status_code == 403
    assert not contract_in_congress.congress_sessions.exists()


def test_an_organiser_naming_another_enterprises_contract_is_answered_as_for_one_that_does_not_exist(
    contract_in_congress, make_member, client_for
):
    other = ContractFactory(enterprise=EnterpriseFactory(), status=ContractStatus.IN_CONGRESS)
    organiser = client_for(make_member(contract_in_congress.enterprise, Role.UNION_LEADER))
    body = {"delegates_total": 5, "held_on": "2026-06-15", "mode": "tally"}

    foreign = organiser.post(URL, {**body, "contract": other.pk}, format="json")
    missing = organiser.post(URL, {**body, "contract": other.pk + 1000}, format="json")

    assert foreign.status_code == missing.status_code == 400
    worded = {response: response.json()["extra"]["fields"]["contract"] for response in (foreign, missing)}
    assert worded[foreign] == [message.replace(str(other.pk + 1000), str(other.pk)) for message in worded[missing]]
    assert not other.congress_sessions.exists()
