"""Recording a round at the table through the pages (bargaining/pages/rounds.py): opening it with
the chair R4 assigns, two proposals with their typed parameters, the minutes saved as they are
typed, each chief signing with their own login, then the round frozen (R4)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bargaining.models import ConsultationSession, NegotiationStatus, Proposal, Side
from bargaining.services.proposals import proposal_create
from bargaining.services.sessions import session_create, session_sign
from contracts.enterprises.models import Role
from contracts.rules.decisions import article
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from tests.bargaining.pages.negotiation_support import in_language, page_client, visible_text
from tests.factories import EnterpriseFactory, NegotiationFactory, staff_side

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
INTERNAL_CODES = [
    *TERM_KINDS,
    *(code for code in ClauseCategory.values if "_" in code),
    *(code for code in NegotiationStatus.values if "_" in code),
    "minutes_signed",
    "not_chief_representative",
    "chair_out_of_turn",
    "side_not_allowed",
    "invalid_term_params",
]


def open_url(negotiation):
    return reverse("bargaining:round_open", args=[negotiation.pk])


def round_url(session, name="round"):
    return reverse(f"bargaining:{name}", args=[session.negotiation_id, session.pk])


def open_round(client, negotiation, **fields):
    attendees = list(negotiation.representatives.values_list("pk", "side"))
    data = {
        "held_at": "2026-11-20T09:00",
        "location": "Room 3",
        "chair_side": Side.UNION,
        "union_attendees": [pk for pk, side in attendees if side == Side.UNION],
        "employer_attendees": [pk for pk, side in attendees if side == Side.EMPLOYER],
        "agenda": "Minimum wage\nPay day",
        **fields,
    }
    return client.post(open_url(negotiation), data)


def table_wage(client, session, side, amount, **extra):
    data = {
        "side": side,
        "clause_category": "pay",
        "term_kind": "min_monthly_wage",
        "params-amount": amount,
        "text": "",
    }
    return client.post(round_url(session, "round_proposal"), data | extra, **HTMX)


@pytest.fixture
def held_round(accepted_negotiation, union_user):
    """Round 1 opened through the service, chaired by the union, no minutes yet."""
    session = session_create(
        user=union_user, negotiation=accepted_negotiation, held_at=timezone.now(), location="Room 1"
    )
    accepted_negotiation.refresh_from_db()
    return session


@pytest.fixture
def delegate(enterprise, make_member):
    return make_member(enterprise, Role.CONGRESS_DELEGATE)


# --- opening a round -------------------------------------------------------------------------


def test_the_open_form_presets_the_chair_r4_assigns_says_why_and_ticks_every_serving_representative(
    accepted_negotiation, union_user
):
    response = page_client(union_user, language="en").get(open_url(accepted_negotiation))

    page = response.content.decode()
    text = visible_text(page)
    assert response.status_code == 200
    assert '<option value="union" selected>' in page
    assert "Chaired by the union side" in text
    assert "asked for the talks, so its chief chairs the first round" in text
    assert f"R4 · {in_language('en', lambda: article('R4'))}" in text
    serving = accepted_negotiation.representatives.filter(vacated_on__isnull=True)
    assert page.count('type="checkbox"') == serving.count() == page.count("checked")


def test_opening_a_round_creates_it_through_the_service_and_goes_to_the_round_page(accepted_negotiation, union_user):
    client = page_client(union_user)

    response = open_round(client, accepted_negotiation)

    session = ConsultationSession.objects.get(negotiation=accepted_negotiation)
    assert response.status_code == 302
    assert response["Location"] == round_url(session)
    assert (session.round_no, session.chair_side, session.location) == (1, Side.UNION, "Room 3")
    assert session.attendees.count() == 6
    assert session.agenda == ["Minimum wage", "Pay day"]
    accepted_negotiation.refresh_from_db()
    assert accepted_negotiation.status == NegotiationStatus.IN_ROUNDS


def test_a_chair_out_of_turn_is_refused_by_the_service_with_r4_cited(accepted_negotiation, union_user):
    response = open_round(page_client(union_user, language="en"), accepted_negotiation, chair_side=Side.EMPLOYER)

    text = visible_text(response.content)
    assert response.status_code == 400
    assert "this round is chaired by the union side" in text
    assert f"R4 · {in_language('en', lambda: article('R4'))}" in text
    assert not accepted_negotiation.sessions.exists()


# --- proposals -------------------------------------------------------------------------------


def test_a_negotiator_records_a_round_with_two_proposals_through_the_pages(
    accepted_negotiation, union_user, employer_user
):
    open_round(page_client(union_user), accepted_negotiation)
    session = accepted_negotiation.sessions.get()

    union = table_wage(page_client(union_user, language="en"), session, Side.UNION, "3200")
    employer = table_wage(page_client(employer_user, language="en"), session, Side.EMPLOYER, "2900")

    assert (union.status_code, employer.status_code) == (200, 200)
    assert list(session.proposals.values_list("side", "term_kind", "params")) == [
        (Side.UNION, "min_monthly_wage", {"amount": "3200"}),
        (Side.EMPLOYER, "min_monthly_wage", {"amount": "2900"}),
    ]
    assert "position on “Pay · Minimum monthly wage” is recorded" in visible_text(employer.content)
    page = visible_text(page_client(union_user, language="en").get(round_url(session)).content)
    assert "Monthly base wage of at least 3,200 yuan" in page
    assert "Monthly base wage of at least 2,900 yuan" in page


def test_an_untyped_topic_is_tabled_as_free_text(held_round, union_user):
    client = page_client(union_user)

    response = client.post(
        round_url(held_round, "round_proposal"),
        {"side": Side.UNION, "clause_category": "training", "term_kind": "", "text": "Forty hours of training a year"},
        **HTMX,
    )

    assert response.status_code == 200
    proposal = Proposal.objects.get(session=held_round)
    assert (proposal.clause_category, proposal.term_kind, proposal.text) == (
        "training",
        "",
        "Forty hours of training a year",
    )


def test_the_parameters_form_is_built_from_the_chosen_term_kinds_schema(held_round, union_user):
    client = page_client(union_user, language="en")
    url = round_url(held_round, "round_proposal")

    premiums = client.get(url, {"clause_category": "pay", "term_kind": "overtime_premium"}, **HTMX)
    leave = client.get(url, {"clause_category": "rest_leave", "term_kind": "annual_leave_days"}, **HTMX)
    premiums, leave = premiums.content.decode(), leave.content.decode()

    assert premiums.count('<span class="unit">×</span>') == 3
    for name in ("params-weekday", "params-rest_day", "params-holiday"):
        assert f'name="{name}"' in premiums
    assert 'name="params-tiers-0-from_years"' in leave and 'name="params-tiers-0-days"' in leave
    assert "Days by years of service" in visible_text(leave)


def test_the_form_for_a_topic_starts_from_the_sides_latest_figures(held_round, union_user):
    table_wage(page_client(union_user), held_round, Side.UNION, "3200")

    fragment = (
        page_client(union_user)
        .get(
            round_url(held_round, "round_proposal"),
            {"side": Side.UNION, "clause_category": "pay", "term_kind": "min_monthly_wage"},
            **HTMX,
        )
        .content.decode()
    )

    assert 'name="params-amount" value="3200"' in fragment


def test_figures_the_schema_refuses_are_shown_beside_their_field_without_a_code(held_round, union_user):
    response = table_wage(page_client(union_user, language="en"), held_round, Side.UNION, "-1")

    text = visible_text(response.content)
    assert response.status_code == 400
    assert "The figures do not fit the term “Minimum monthly wage”" in text
    assert "Must be at least 0." in text
    assert "min_monthly_wage" not in text
    assert not Proposal.objects.exists()


def test_an_employer_negotiator_is_offered_only_the_employer_side_and_refused_the_unions(held_round, employer_user):
    client = page_client(employer_user, language="en")

    form = client.get(round_url(held_round, "round_proposal"), **HTMX).content.decode()
    response = table_wage(client, held_round, Side.UNION, "3200")

    assert '<option value="employer"' in form and '<option value="union"' not in form
    assert response.status_code == 403
    assert "You do not act for the union side in this enterprise." in visible_text(response.content)
    assert not Proposal.objects.exists()


# --- the minutes, saved as they are typed ----------------------------------------------------


def test_the_minutes_autosave_stores_the_text_and_answers_the_htmx_partial(held_round, union_user, freeze_now):
    freeze_now(dt.datetime(2026, 11, 20, 6, 3, tzinfo=dt.UTC))  # 14:03 in Shanghai

    response = page_client(union_user, language="en").post(
        round_url(held_round, "round_minutes"), {"minutes": "Both sides stated\r\ntheir positions."}, **HTMX
    )

    page = response.content.decode()
    held_round.refresh_from_db()
    assert response.status_code == 200
    assert held_round.minutes == "Both sides stated\ntheir positions."
    assert "<html" not in page
    assert '<span id="minutes-status" class="saved" role="status">Saved at 14:03</span>' in page
    assert 'id="signatures" class="card" hx-swap-oob="true"' in page


def test_saving_untouched_minutes_keeps_the_signature_already_given(held_round, union_user):
    held_round.minutes = "Line one\nLine two"
    held_round.save()
    session_sign(user=union_user, session=held_round)

    page_client(union_user).post(round_url(held_round, "round_minutes"), {"minutes": "Line one\r\nLine two"}, **HTMX)

    held_round.refresh_from_db()
    assert held_round.union_signed_at is not None


def test_a_change_after_one_signature_withdraws_it_and_the_answer_says_so(held_round, union_user):
    held_round.minutes = "Line one"
    held_round.save()
    session_sign(user=union_user, session=held_round)

    response = page_client(union_user, language="en").post(
        round_url(held_round, "round_minutes"), {"minutes": "Line one, amended"}, **HTMX
    )

    held_round.refresh_from_db()
    assert held_round.union_signed_at is None
    assert "Still to sign: the union side's chief representative" in visible_text(response.content)


def test_the_agenda_and_who_is_present_are_saved_as_they_change(held_round, union_user):
    client = page_client(union_user)
    present = list(held_round.negotiation.representatives.order_by("pk").values_list("pk", flat=True)[:4])

    client.post(round_url(held_round, "round_agenda"), {"agenda": "Wages\r\n\r\n Pay day \r\n"}, **HTMX)
    client.post(round_url(held_round, "round_attendees"), {"attendees": present}, **HTMX)

    held_round.refresh_from_db()
    assert held_round.agenda == ["Wages", "Pay day"]
    assert sorted(held_round.attendees.values_list("pk", flat=True)) == present


def test_without_htmx_a_save_goes_back_to_the_round_page(held_round, union_user):
    response = page_client(union_user).post(round_url(held_round, "round_minutes"), {"minutes": "Typed offline."})

    assert response.status_code == 302
    assert response["Location"] == f"{round_url(held_round)}#minutes"
    held_round.refresh_from_db()
    assert held_round.minutes == "Typed offline."


def test_the_minutes_textarea_saves_as_it_is_typed_and_keeps_a_draft_on_the_device(held_round, union_user):
    page = page_client(union_user).get(round_url(held_round)).content.decode()

    assert f'hx-post="{round_url(held_round, "round_minutes")}" hx-trigger="input changed delay:800ms, change"' in page
    assert f'data-draft-key="round-{held_round.pk}-minutes"' in page
    assert f'data-draft-offer="round-{held_round.pk}-minutes" hidden' in page


# --- signing with each chief's own login, then frozen ----------------------------------------


def test_both_chiefs_sign_with_their_own_logins_and_then_the_round_is_frozen(held_round, union_user, employer_user):
    union, employer = page_client(union_user, language="en"), page_client(employer_user, language="en")
    union.post(round_url(held_round, "round_minutes"), {"minutes": "Agreed to meet again."}, **HTMX)

    union.post(round_url(held_round, "round_sign"))
    halfway = visible_text(employer.get(round_url(held_round)).content)
    employer.post(round_url(held_round, "round_sign"))
    frozen = union.get(round_url(held_round)).content.decode()

    assert "Still to sign: the employer side's chief representative, Employer rep" in halfway
    assert "signed by Union rep" in halfway
    held_round.refresh_from_db()
    assert held_round.is_signed
    assert held_round.union_signed_by.user == union_user and held_round.employer_signed_by.user == employer_user
    text = visible_text(frozen)
    assert "Signed by both chief representatives — the minutes can no longer change." in text
    assert f"R4 · {in_language('en', lambda: article('R4'))}" in text
    assert "Agreed to meet again." in text
    assert "<textarea" not in frozen and "hx-post" not in frozen and 'type="checkbox"' not in frozen
    assert round_url(held_round, "round_sign") not in frozen
    assert f'data-draft-clear="round-{held_round.pk}-minutes' in frozen


def test_a_change_to_a_signed_round_is_refused_by_the_service_and_the_refusal_shown(
    held_round, union_user, employer_user, sign_both
):
    held_round.minutes = "Final text."
    held_round.save()
    sign_both(held_round)
    client = page_client(union_user, language="en")

    minutes = client.post(round_url(held_round, "round_minutes"), {"minutes": "Rewritten."}, **HTMX)
    page = client.post(round_url(held_round, "round_minutes"), {"minutes": "Rewritten."})
    proposal = table_wage(client, held_round, Side.UNION, "3300")

    assert (minutes.status_code, page.status_code, proposal.status_code) == (409, 409, 409)
    assert "signed by both chief representatives and can no longer change" in visible_text(minutes.content)
    assert "Signed by both chief representatives — the minutes can no longer change." in visible_text(page.content)
    assert "its minutes are signed" in visible_text(proposal.content)
    held_round.refresh_from_db()
    assert held_round.minutes == "Final text."
    assert not Proposal.objects.exists()


def test_an_employer_negotiator_cannot_sign_as_the_unions_chief(held_round, enterprise, make_member):
    held_round.minutes = "Text."
    held_round.save()
    negotiator = make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)

    response = page_client(negotiator, language="en").post(round_url(held_round, "round_sign"))

    text = visible_text(response.content)
    assert response.status_code == 403
    assert "Only a chief representative of this negotiation may sign the minutes." in text
    assert f"R4 · {in_language('en', lambda: article('R4'))}" in text
    held_round.refresh_from_db()
    assert held_round.union_signed_at is None and held_round.employer_signed_at is None


def test_only_the_chief_linked_to_the_login_is_offered_the_signing_button(held_round, union_user, employer_user):
    held_round.minutes = "Text."
    held_round.save()

    chief = visible_text(page_client(union_user, language="en").get(round_url(held_round)).content)
    other = page_client(employer_user, language="en")
    other.post(round_url(held_round, "round_sign"))
    held_round.refresh_from_db()

    assert "Sign the minutes as Union rep" in chief
    assert "chief representative of the union side" in chief
    assert held_round.employer_signed_at is not None and held_round.union_signed_at is None


# --- who sees what ---------------------------------------------------------------------------


def test_a_congress_delegate_sees_no_editing_form_and_is_refused_on_post(held_round, accepted_negotiation, delegate):
    client = page_client(delegate, language="en")

    page = client.get(round_url(held_round)).content.decode()
    opening = client.get(open_url(accepted_negotiation)).content.decode()
    minutes = client.post(round_url(held_round, "round_minutes"), {"minutes": "Mine."}, **HTMX)
    proposal = client.post(
        round_url(held_round, "round_proposal"),
        {"side": "union", "clause_category": "pay", "term_kind": "min_monthly_wage", "params-amount": "1"},
    )
    opened = open_round(client, accepted_negotiation)

    for editing in ("<textarea", "hx-post", 'type="checkbox"', 'name="clause_category"'):
        assert editing not in page
    assert "only the negotiators of the two sides record it" in visible_text(page)
    assert 'name="location"' not in opening
    assert (minutes.status_code, proposal.status_code, opened.status_code) == (403, 403, 403)
    assert "Only negotiators of this enterprise may change its negotiations." in visible_text(minutes.content)
    assert "You do not act for the union side in this enterprise." in visible_text(proposal.content)
    assert not Proposal.objects.exists()
    held_round.refresh_from_db()
    assert held_round.minutes == "" and accepted_negotiation.sessions.count() == 1


def test_another_enterprises_user_gets_404_on_every_round_page(held_round, make_member):
    stranger = make_member(EnterpriseFactory(), Role.UNION_NEGOTIATOR, is_superuser=False)
    client = page_client(stranger)
    negotiation = held_round.negotiation

    answers = [
        client.get(open_url(negotiation)).status_code,
        client.get(round_url(held_round)).status_code,
        client.post(round_url(held_round, "round_minutes"), {"minutes": "x"}).status_code,
        client.post(round_url(held_round, "round_sign")).status_code,
        client.get(round_url(held_round, "round_proposal"), **HTMX).status_code,
        client.get(reverse("bargaining:gap", args=[negotiation.pk])).status_code,
    ]

    assert answers == [404] * 6
    held_round.refresh_from_db()
    assert held_round.minutes == ""


def test_a_round_of_another_negotiation_is_not_found_under_this_one(held_round, enterprise, union_user):
    other = NegotiationFactory(enterprise=enterprise)

    response = page_client(union_user).get(reverse("bargaining:round", args=[other.pk, held_round.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_round_pages_read_in_each_language_with_no_internal_code(
    language, accepted_negotiation, union_user, employer_user
):
    open_round(page_client(union_user), accepted_negotiation)
    session = accepted_negotiation.sessions.get()
    proposal_create(
        user=union_user,
        negotiation=accepted_negotiation,
        session=session,
        side=Side.UNION,
        clause_category="pay",
        term_kind="min_monthly_wage",
        params={"amount": "3200"},
    )
    proposal_create(
        user=employer_user,
        negotiation=accepted_negotiation,
        session=session,
        side=Side.EMPLOYER,
        clause_category="rest_leave",
        term_kind="annual_leave_days",
        params={"tiers": [{"from_years": 1, "days": 6}]},
    )
    client = page_client(union_user, language=language)

    pages = [
        client.get(open_url(accepted_negotiation)),
        client.get(round_url(session)),
        client.get(round_url(session), {"clause_category": "rest_leave", "term_kind": "annual_leave_days"}),
    ]

    for response in pages:
        assert response.status_code == 200
        text = visible_text(response.content)
        for code in INTERNAL_CODES:
            assert code not in text, (code, response.request["PATH_INFO"])
    round_text = visible_text(pages[1].content)
    assert in_language(language, lambda: TERM_KINDS["min_monthly_wage"].label) in round_text
    assert in_language(language, lambda: ClauseCategory.PAY.label) in round_text
    assert in_language(language, lambda: TERM_KINDS["min_monthly_wage"].describe({"amount": "3200"})) in round_text


def test_a_second_round_is_chaired_by_the_other_side(negotiation_in_rounds, union_user):
    page = visible_text(page_client(union_user, language="en").get(open_url(negotiation_in_rounds)).content)

    assert "Open round 2" in page
    assert "Chaired by the employer side" in page
    assert "the other side chaired the last round" in page


def test_the_round_page_links_the_gap(held_round, union_user):
    page = page_client(union_user).get(round_url(held_round)).content.decode()

    assert reverse("bargaining:gap", args=[held_round.negotiation_id]) in page


def test_staffing_problems_are_shown_before_the_first_round(enterprise, union_user):
    negotiation = NegotiationFactory(enterprise=enterprise, status=NegotiationStatus.PREPARING)
    staff_side(negotiation, Side.UNION, chief_user=union_user)

    page = visible_text(page_client(union_user, language="en").get(open_url(negotiation)).content)

    assert "Before the first round" in page
    assert "(R2)" in page


def test_the_round_page_reads_a_bounded_number_of_queries_whatever_the_positions(held_round, union_user):
    client = page_client(union_user)
    table_wage(client, held_round, Side.UNION, "3000")
    with CaptureQueriesContext(connection) as few:
        client.get(round_url(held_round))
    for amount in ("3100", "3200", "3300"):
        table_wage(client, held_round, Side.UNION, amount)
    client.post(
        round_url(held_round, "round_proposal"),
        {"side": Side.UNION, "clause_category": "training", "term_kind": "", "text": "Forty hours"},
        **HTMX,
    )
    with CaptureQueriesContext(connection) as many:
        client.get(round_url(held_round))

    assert len(many) == len(few)
