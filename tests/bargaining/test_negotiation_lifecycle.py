"""A negotiation's life through the API: request and its answer deadline (R1, R16),
the answer, suspension (R5), resumption and conclusion."""

import datetime as dt

import chinese_calendar
import pytest
from django.utils import timezone

from bargaining.models import AgreedPosition, Negotiation, NegotiationStatus, Side
from bargaining.services.negotiations import negotiation_request, negotiation_suspend
from bargaining.services.proposals import proposal_create
from bargaining.services.sessions import session_create
from contracts.enterprises.models import Role
from tests.factories import EnterpriseFactory, NegotiationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/negotiations/"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
D = dt.date.fromisoformat


def url(negotiation, action=""):
    return f"{URL}{negotiation.pk}/{action + '/' if action else ''}"


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def post_request(client, negotiation, received_on, side="union"):
    return client.post(url(negotiation, "request"), {"requested_by": side, "received_on": received_on}, format="json")


def status_of(negotiation):
    return Negotiation.objects.get(pk=negotiation.pk).status


# --- opening a negotiation ----------------------------------------------------------------


def test_negotiator_opens_a_negotiation_in_draft(enterprise, union_user, client_for):
    response = client_for(union_user).post(
        URL, {"enterprise": enterprise.pk, "title": "Collective contract 2027", "kind": "wages"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["enterprise"], body["title"], body["kind"], body["status"]) == (
        enterprise.pk,
        "Collective contract 2027",
        "wages",
        "draft",
    )
    assert body["reply_due"] is None
    assert body["reply_rule"] is None
    assert body["reply_overdue"] is False
    assert Negotiation.objects.get(pk=body["id"]).enterprise == enterprise


def test_draft_negotiation_is_listed_and_retrieved(enterprise, union_user, client_for):
    negotiation = NegotiationFactory(enterprise=enterprise)
    client = client_for(union_user)

    listed = client.get(URL)
    retrieved = client.get(url(negotiation))

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [negotiation.pk]
    assert retrieved.status_code == 200
    assert retrieved.json()["reply_rule"] is None


def test_opening_a_negotiation_with_an_unknown_kind_is_refused(enterprise, union_user, client_for):
    response = client_for(union_user).post(
        URL, {"enterprise": enterprise.pk, "title": "X", "kind": "bonuses"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "kind" in response.json()["extra"]["fields"]
    assert not Negotiation.objects.exists()


# --- R1: the consultation request and its answer deadline -----------------------------------


def test_request_sets_reply_due_20_days_after_receipt_and_cites_r1(enterprise, union_user, client_for):
    # given a draft negotiation; 2026-03-24 (20 days after 03-04) is a working Tuesday
    negotiation = NegotiationFactory(enterprise=enterprise)
    assert chinese_calendar.is_workday(D("2026-03-24"))

    # when the union's written request, received on 2026-03-04, is recorded
    response = post_request(english(client_for(union_user)), negotiation, "2026-03-04")

    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "requested"
    assert body["requested_by"] == "union"
    assert body["request_received_on"] == "2026-03-04"
    assert body["reply_due"] == "2026-03-24"
    rule = body["reply_rule"]
    assert (rule["rule"], rule["pack"]) == ("R1", "national")
    assert "Art. 32" in rule["article"]
    assert rule["params"]["days"] == 20
    assert rule["params"]["working_days"] is False
    assert rule["params"]["due"] == "2026-03-24"
    assert rule["params"]["nominal_due"] == "2026-03-24"
    assert rule["params"]["calendar_known"] is True
    assert (rule["provisional"], rule["provisional_note"]) == (False, "")
    assert "not counted" in rule["detail"]
    assert Negotiation.objects.get(pk=negotiation.pk).reply_due == D("2026-03-24")


def test_request_due_inside_the_spring_festival_moves_to_the_next_working_day(enterprise, union_user, client_for):
    negotiation = NegotiationFactory(enterprise=enterprise)
    assert not chinese_calendar.is_workday(D("2026-02-16"))
    assert chinese_calendar.is_workday(D("2026-02-24"))

    response = post_request(english(client_for(union_user)), negotiation, "2026-01-27")

    body = response.json()
    assert body["reply_due"] == "2026-02-24"
    assert body["reply_rule"]["params"]["nominal_due"] == "2026-02-16"
    assert "next working day" in body["reply_rule"]["detail"]


@pytest.mark.parametrize(
    ("pack", "received_on", "due", "days", "working_days"),
    [
        ("national", "2026-03-02", "2026-03-23", 20, False),  # 03-22 is a Sunday
        ("beijing", "2026-03-02", "2026-03-23", 20, False),
        ("shanghai", "2026-03-02", "2026-03-17", 15, False),
        ("zhejiang", "2026-02-10", "2026-03-02", 10, True),  # across the Spring Festival
    ],
)
def test_request_deadline_follows_the_enterprise_rule_pack(
    make_member, client_for, pack, received_on, due, days, working_days
):
    enterprise = EnterpriseFactory(rule_pack=pack)
    negotiation = NegotiationFactory(enterprise=enterprise)
    user = make_member(enterprise)

    response = post_request(client_for(user), negotiation, received_on)

    body = response.json()
    assert body["reply_due"] == due
    assert body["reply_rule"]["pack"] == pack
    assert body["reply_rule"]["params"]["days"] == days
    assert body["reply_rule"]["params"]["working_days"] is working_days


def test_request_due_in_a_year_without_a_published_calendar_says_so(enterprise, union_user, client_for):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D("2027-01-11"))
    negotiation = NegotiationFactory(enterprise=enterprise)

    response = post_request(english(client_for(union_user)), negotiation, "2026-12-20")

    body = response.json()
    assert body["reply_due"] == "2027-01-11"  # nominal Saturday 2027-01-09, weekends only
    assert body["reply_rule"]["params"]["calendar_known"] is False
    assert body["reply_rule"]["provisional"] is True
    assert body["reply_rule"]["provisional_note"] == (
        "Counted on the statutory holidays; to be confirmed once the State Council publishes the 2027 schedule."
    )


def test_request_recorded_for_a_side_the_user_does_not_act_for_is_refused(enterprise, employer_user, client_for):
    negotiation = NegotiationFactory(enterprise=enterprise)

    response = post_request(client_for(employer_user), negotiation, "2026-03-04", side="union")

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"
    assert status_of(negotiation) == NegotiationStatus.DRAFT


def test_request_is_overdue_once_its_due_day_has_passed_without_answer(enterprise, union_user, client_for):
    negotiation = NegotiationFactory(enterprise=enterprise)
    long_ago = timezone.localdate() - dt.timedelta(days=60)

    response = post_request(client_for(union_user), negotiation, long_ago.isoformat())

    assert D(response.json()["reply_due"]) < timezone.localdate()
    assert response.json()["reply_overdue"] is True


def test_request_received_today_is_not_overdue(enterprise, union_user, client_for):
    negotiation = NegotiationFactory(enterprise=enterprise)

    response = post_request(client_for(union_user), negotiation, timezone.localdate().isoformat())

    assert response.json()["reply_overdue"] is False


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        (dt.datetime(2026, 3, 24, 9, 0, tzinfo=SHANGHAI), False),  # the due day
        (dt.datetime(2026, 3, 24, 23, 59, tzinfo=SHANGHAI), False),  # its last minute
        (dt.datetime(2026, 3, 25, 0, 1, tzinfo=SHANGHAI), True),  # the day after (still 03-24 in UTC)
    ],
)
def test_reply_is_overdue_only_after_the_due_day_in_shanghai(
    enterprise, union_user, client_for, freeze_now, now, overdue
):
    # given a request received 2026-03-04, due 2026-03-24
    negotiation = NegotiationFactory(enterprise=enterprise)
    negotiation_request(user=union_user, negotiation=negotiation, requested_by=Side.UNION, received_on=D("2026-03-04"))

    # when the negotiation is read at ``now``
    freeze_now(now)
    response = client_for(union_user).get(url(negotiation))

    # then
    assert response.json()["reply_due"] == "2026-03-24"
    assert response.json()["reply_overdue"] is overdue


# --- R1: the answer ---------------------------------------------------------------------------


@pytest.fixture
def requested(enterprise, union_user):
    negotiation = NegotiationFactory(enterprise=enterprise)
    return negotiation_request(
        user=union_user, negotiation=negotiation, requested_by=Side.UNION, received_on=D("2026-03-04")
    )


def test_the_side_that_did_not_request_accepts(requested, employer_user, client_for):
    response = client_for(employer_user).post(
        url(requested, "respond"), {"accepted": True, "responded_on": "2026-03-20", "text": "Agreed."}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "preparing"
    assert body["accepted"] is True
    assert body["responded_on"] == "2026-03-20"
    assert body["response_text"] == "Agreed."
    assert body["reply_overdue"] is False


def test_the_side_that_did_not_request_declines(requested, employer_user, client_for):
    response = client_for(employer_user).post(url(requested, "respond"), {"accepted": False}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["accepted"] is False
    assert response.json()["responded_on"] == timezone.localdate().isoformat()


def test_an_answer_after_the_due_day_is_recorded_and_no_longer_overdue(requested, employer_user, client_for):
    response = client_for(employer_user).post(
        url(requested, "respond"), {"accepted": True, "responded_on": "2026-04-01"}, format="json"
    )

    assert response.json()["reply_due"] == "2026-03-24"
    assert response.json()["responded_on"] == "2026-04-01"
    assert response.json()["reply_overdue"] is False


def test_the_requesting_side_cannot_answer_its_own_request(requested, union_user, client_for):
    response = client_for(union_user).post(url(requested, "respond"), {"accepted": True}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "side_not_allowed"
    assert response.json()["extra"]["side"] == "employer"
    assert status_of(requested) == NegotiationStatus.REQUESTED


def test_an_answer_dated_before_the_request_is_refused(requested, employer_user, client_for):
    response = client_for(employer_user).post(
        url(requested, "respond"), {"accepted": True, "responded_on": "2026-03-03"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "answer_before_request"
    assert status_of(requested) == NegotiationStatus.REQUESTED


def test_an_answer_on_the_day_of_receipt_is_accepted(requested, employer_user, client_for):
    response = client_for(employer_user).post(
        url(requested, "respond"), {"accepted": True, "responded_on": "2026-03-04"}, format="json"
    )

    assert response.status_code == 200


# --- forbidden transitions --------------------------------------------------------------------

SUSPEND_BODY = {"next_meeting_at": "2026-12-01T09:00:00+08:00", "next_meeting_location": "Room 2"}


@pytest.mark.parametrize(
    ("status", "action", "body"),
    [
        (NegotiationStatus.REQUESTED, "request", {"requested_by": "union", "received_on": "2026-03-04"}),
        (NegotiationStatus.PREPARING, "request", {"requested_by": "union", "received_on": "2026-03-04"}),
        (NegotiationStatus.DRAFT, "respond", {"accepted": True}),
        (NegotiationStatus.IN_ROUNDS, "respond", {"accepted": True}),
        (NegotiationStatus.DRAFT, "conclude", {}),
        (NegotiationStatus.PREPARING, "conclude", {}),
        (NegotiationStatus.SUSPENDED, "conclude", {}),
        (NegotiationStatus.IN_ROUNDS, "resume", {}),
        (NegotiationStatus.DRAFT, "resume", {}),
        (NegotiationStatus.PREPARING, "suspend", SUSPEND_BODY),
        (NegotiationStatus.SUSPENDED, "suspend", SUSPEND_BODY),
        (NegotiationStatus.CONCLUDED, "suspend", SUSPEND_BODY),
        (NegotiationStatus.DECLINED, "resume", {}),
    ],
)
def test_action_the_status_does_not_allow_is_a_conflict(enterprise, make_member, client_for, status, action, body):
    # given an administrator, who acts for both sides, so only the status can refuse
    admin = make_member(enterprise, Role.ADMIN)
    negotiation = NegotiationFactory(enterprise=enterprise, status=status, requested_by=Side.UNION)
    if status != NegotiationStatus.DRAFT:
        negotiation.request_received_on = D("2026-03-04")
        negotiation.save()

    response = client_for(admin).post(url(negotiation, action), body, format="json")

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "transition_forbidden"
    assert response.json()["extra"]["status"] == status
    assert response.json()["extra"]["action"] == action
    assert status not in response.json()["extra"]["allowed_from"]
    assert status_of(negotiation) == status


def test_requesting_twice_is_a_conflict(requested, union_user, client_for):
    response = post_request(client_for(union_user), requested, "2026-03-05")

    assert response.status_code == 409
    assert response.json()["code"] == "transition_forbidden"
    assert response.json()["extra"]["status"] == "requested"
    assert Negotiation.objects.get(pk=requested.pk).request_received_on == D("2026-03-04")


# --- R5: suspension and resumption ------------------------------------------------------------


def test_suspend_requires_the_next_meeting_time_and_place(negotiation_in_rounds, union_user, client_for):
    response = client_for(union_user).post(url(negotiation_in_rounds, "suspend"), {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["extra"]["fields"]) >= {"next_meeting_at", "next_meeting_location"}
    assert status_of(negotiation_in_rounds) == NegotiationStatus.IN_ROUNDS


def test_suspend_records_the_next_meeting_and_resume_returns_to_rounds(
    negotiation_in_rounds, union_user, employer_user, client_for
):
    next_meeting = timezone.now().astimezone(SHANGHAI).replace(microsecond=0) + dt.timedelta(days=14)

    suspended = client_for(union_user).post(
        url(negotiation_in_rounds, "suspend"),
        {
            "next_meeting_at": next_meeting.isoformat(),
            "next_meeting_location": "Union hall",
            "reason": "Costing the wage proposal",
        },
        format="json",
    )
    resumed = client_for(employer_user).post(url(negotiation_in_rounds, "resume"), format="json")

    assert suspended.status_code == 200, suspended.json()
    assert suspended.json()["status"] == "suspended"
    assert dt.datetime.fromisoformat(suspended.json()["next_meeting_at"]) == next_meeting
    assert suspended.json()["next_meeting_location"] == "Union hall"
    assert suspended.json()["suspension_reason"] == "Costing the wage proposal"
    assert resumed.status_code == 200, resumed.json()
    assert resumed.json()["status"] == "in_rounds"


@pytest.fixture
def suspended(negotiation_in_rounds, union_user):
    return negotiation_suspend(
        user=union_user,
        negotiation=negotiation_in_rounds,
        next_meeting_at=timezone.now() + dt.timedelta(days=7),
        next_meeting_location="Room 2",
    )


def test_no_round_is_held_while_suspended(suspended, union_user, client_for):
    response = client_for(union_user).post(
        url(suspended, "sessions"), {"held_at": "2026-11-20T09:00:00+08:00", "location": "Room 3"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "transition_forbidden"
    assert response.json()["extra"]["status"] == "suspended"
    assert suspended.sessions.count() == 1


def test_no_proposal_is_tabled_while_suspended(suspended, union_user, client_for):
    round_1 = suspended.sessions.get()

    response = client_for(union_user).post(
        url(suspended, "proposals"),
        {"session": round_1.pk, "side": "union", "clause_category": "pay", "text": "More pay."},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "transition_forbidden"
    assert not suspended.proposals.exists()


@pytest.fixture
def beijing_negotiation(negotiation_in_rounds):
    negotiation_in_rounds.enterprise.rule_pack = "beijing"
    negotiation_in_rounds.enterprise.save()
    return negotiation_in_rounds


def test_beijing_suspension_within_60_days_is_accepted(beijing_negotiation, union_user, client_for, freeze_now):
    freeze_now(dt.datetime(2026, 3, 12, 10, 0, tzinfo=SHANGHAI))

    response = client_for(union_user).post(
        url(beijing_negotiation, "suspend"),
        {"next_meeting_at": "2026-04-20T09:00:00+08:00", "next_meeting_location": "Room 2"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "suspended"


def test_national_pack_has_no_suspension_cap(negotiation_in_rounds, union_user, client_for):
    next_meeting = timezone.now() + dt.timedelta(days=365)

    response = client_for(union_user).post(
        url(negotiation_in_rounds, "suspend"),
        {"next_meeting_at": next_meeting.isoformat(), "next_meeting_location": "Room 2"},
        format="json",
    )

    assert response.status_code == 200


def test_beijing_suspension_to_the_60th_day_is_accepted_whatever_the_hour(
    beijing_negotiation, union_user, client_for, freeze_now
):
    # given talks suspended on Thursday 2026-03-12 at 10:00; the 60th day after is Monday 2026-05-11
    freeze_now(dt.datetime(2026, 3, 12, 10, 0, tzinfo=SHANGHAI))
    assert D("2026-03-12") + dt.timedelta(days=60) == D("2026-05-11")
    assert chinese_calendar.is_workday(D("2026-05-11"))

    response = client_for(union_user).post(
        url(beijing_negotiation, "suspend"),
        {"next_meeting_at": "2026-05-11T15:00:00+08:00", "next_meeting_location": "Room 2"},
        format="json",
    )

    assert response.status_code == 200, response.json()


def test_beijing_suspension_cap_ending_on_a_rest_day_runs_to_the_next_working_day(
    beijing_negotiation, union_user, client_for, freeze_now
):
    # given talks suspended on 2026-03-11; the 60th day after is Sunday 2026-05-10
    freeze_now(dt.datetime(2026, 3, 11, 10, 0, tzinfo=SHANGHAI))
    assert D("2026-03-11") + dt.timedelta(days=60) == D("2026-05-10")
    assert not chinese_calendar.is_workday(D("2026-05-10"))
    assert chinese_calendar.is_workday(D("2026-05-11"))

    monday = client_for(union_user).post(
        url(beijing_negotiation, "suspend"),
        {"next_meeting_at": "2026-05-11T09:00:00+08:00", "next_meeting_location": "Room 2"},
        format="json",
    )

    assert monday.status_code == 200, monday.json()


def test_beijing_suspension_to_the_61st_day_is_refused(beijing_negotiation, union_user, client_for, freeze_now):
    # given talks suspended on 2026-03-12; the 60th day after, 2026-05-11, is a working Monday
    freeze_now(dt.datetime(2026, 3, 12, 10, 0, tzinfo=SHANGHAI))
    assert chinese_calendar.is_workday(D("2026-05-11"))

    response = client_for(union_user).post(
        url(beijing_negotiation, "suspend"),
        {"next_meeting_at": "2026-05-12T09:00:00+08:00", "next_meeting_location": "Room 2"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "suspension_too_long"
    assert response.json()["extra"]["rule"]["rule"] == "R5"
    assert response.json()["extra"]["rule"]["pack"] == "beijing"
    assert status_of(beijing_negotiation) == NegotiationStatus.IN_ROUNDS


# --- conclusion -------------------------------------------------------------------------------


OVERTIME_CAP = {"clause_category": "working_time", "term_kind": "max_overtime_hours_month"}


def propose(user, negotiation, session, side, **fields):
    return proposal_create(user=user, negotiation=negotiation, session=session, side=side, **fields)


def test_conclude_is_refused_while_a_round_is_unsigned(negotiation_in_rounds, union_user, client_for):
    response = client_for(union_user).post(url(negotiation_in_rounds, "conclude"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "minutes_unsigned"
    assert response.json()["extra"]["rounds"] == [1]
    assert response.json()["extra"]["rule"]["rule"] == "R4"
    assert status_of(negotiation_in_rounds) == NegotiationStatus.IN_ROUNDS


def test_conclude_names_only_the_unsigned_rounds(negotiation_in_rounds, first_round, union_user, sign_both, client_for):
    sign_both(first_round)
    session_create(user=union_user, negotiation=negotiation_in_rounds, held_at=timezone.now(), location="Room 1")

    response = client_for(union_user).post(url(negotiation_in_rounds, "conclude"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["extra"]["rounds"] == [2]


def test_conclude_without_positions_takes_the_converged_topics(
    negotiation_in_rounds, first_round, union_user, employer_user, sign_both, client_for
):
    # given both sides ended on the same minimum wage, but not on the overtime cap
    n, s = negotiation_in_rounds, first_round
    propose(
        union_user, n, s, Side.UNION, clause_category="pay", term_kind="min_monthly_wage", params={"amount": "3200"}
    )
    propose(
        employer_user,
        n,
        s,
        Side.EMPLOYER,
        clause_category="pay",
        term_kind="min_monthly_wage",
        params={"amount": "3200"},
    )
    propose(union_user, n, s, Side.UNION, **OVERTIME_CAP, params={"hours": "20"})
    propose(employer_user, n, s, Side.EMPLOYER, **OVERTIME_CAP, params={"hours": "36"})
    sign_both(s)

    # when
    response = client_for(union_user).post(url(n, "conclude"), {}, format="json")

    # then
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "concluded"
    assert response.json()["concluded_on"] == timezone.localdate().isoformat()
    agreed = [(p["clause_category"], p["term_kind"], p["params"]) for p in response.json()["agreed_positions"]]
    assert agreed == [("pay", "min_monthly_wage", {"amount": "3200"})]
    assert AgreedPosition.objects.filter(negotiation=n).count() == 1


def test_conclude_with_nothing_agreed_is_refused(
    negotiation_in_rounds, first_round, union_user, employer_user, sign_both, client_for
):
    n, s = negotiation_in_rounds, first_round
    propose(
        union_user, n, s, Side.UNION, clause_category="pay", term_kind="min_monthly_wage", params={"amount": "3500"}
    )
    propose(
        employer_user,
        n,
        s,
        Side.EMPLOYER,
        clause_category="pay",
        term_kind="min_monthly_wage",
        params={"amount": "3000"},
    )
    sign_both(s)

    response = client_for(union_user).post(url(n, "conclude"), {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "nothing_agreed"
    assert status_of(n) == NegotiationStatus.IN_ROUNDS


def test_conclude_with_an_empty_list_of_positions_is_refused(
    negotiation_in_rounds, first_round, sign_both, union_user, client_for
):
    sign_both(first_round)

    response = client_for(union_user).post(url(negotiation_in_rounds, "conclude"), {"positions": []}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "nothing_agreed"


def test_conclude_records_the_positions_named(negotiation_in_rounds, first_round, sign_both, union_user, client_for):
    sign_both(first_round)

    response = client_for(union_user).post(
        url(negotiation_in_rounds, "conclude"),
        {
            "positions": [
                {"clause_category": "pay", "term_kind": "min_monthly_wage", "params": {"amount": "3,300"}},
                {"clause_category": "training", "text": "Forty hours of paid training a year."},
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    stored = list(AgreedPosition.objects.filter(negotiation=negotiation_in_rounds).order_by("id"))
    assert [(p.clause_category, p.term_kind, p.params, p.text) for p in stored] == [
        ("pay", "min_monthly_wage", {"amount": "3300"}, ""),
        ("training", "", {}, "Forty hours of paid training a year."),
    ]
    assert [p["id"] for p in response.json()["agreed_positions"]] == [p.pk for p in stored]


def test_conclude_with_invalid_params_records_nothing(
    negotiation_in_rounds, first_round, sign_both, union_user, client_for
):
    sign_both(first_round)

    response = client_for(union_user).post(
        url(negotiation_in_rounds, "conclude"),
        {
            "positions": [
                {"clause_category": "training", "text": "Training."},
                {"clause_category": "pay", "term_kind": "pay_day", "params": {"day": "32"}},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_term_params"
    assert set(response.json()["extra"]["params"]) == {"day"}
    assert not AgreedPosition.objects.exists()
    assert status_of(negotiation_in_rounds) == NegotiationStatus.IN_ROUNDS


def test_conclude_with_the_same_topic_twice_is_refused(
    negotiation_in_rounds, first_round, sign_both, union_user, client_for
):
    sign_both(first_round)
    position = {"clause_category": "pay", "term_kind": "pay_day", "params": {"day": 10}}

    response = client_for(union_user).post(
        url(negotiation_in_rounds, "conclude"), {"positions": [position, position]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_topic"
    assert response.json()["extra"]["index"] == 1
    assert not AgreedPosition.objects.exists()


def test_conclude_refuses_a_term_kind_outside_its_category(
    negotiation_in_rounds, first_round, sign_both, union_user, client_for
):
    sign_both(first_round)

    response = client_for(union_user).post(
        url(negotiation_in_rounds, "conclude"),
        {"positions": [{"clause_category": "working_time", "term_kind": "min_monthly_wage", "params": {"amount": 1}}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "term_kind_category_mismatch"
    assert not AgreedPosition.objects.exists()


def test_after_conclusion_the_teams_and_rounds_are_closed(
    negotiation_in_rounds, first_round, sign_both, union_user, client_for
):
    sign_both(first_round)
    client = client_for(union_user)
    client.post(
        url(negotiation_in_rounds, "conclude"),
        {"positions": [{"clause_category": "other", "text": "x"}]},
        format="json",
    )

    new_rep = client.post(
        url(negotiation_in_rounds, "representatives"), {"side": "union", "name": "Late"}, format="json"
    )
    new_round = client.post(
        url(negotiation_in_rounds, "sessions"), {"held_at": "2026-11-20T09:00:00+08:00", "location": "R"}, format="json"
    )

    assert new_rep.status_code == 409
    assert new_rep.json()["code"] == "negotiation_closed"
    assert new_round.status_code == 409
    assert new_round.json()["code"] == "transition_forbidden"
    assert new_round.json()["extra"]["status"] == "concluded"
