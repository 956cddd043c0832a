"""The answer to a consultation request (R1) counted on a year whose holiday schedule is not yet
published is provisional, and says so in the API and on the page; once the State Council's notice
is loaded the answers still awaited are counted again, and where a date moved both sides'
negotiators are told once."""

import datetime as dt

import pytest
from django.urls import reverse

from bargaining.models import Negotiation, Side
from bargaining.services.negotiations import negotiation_request, negotiation_respond
from bargaining.services.representatives import vacancy_fill_deadline
from contracts.rules.calendar.models import HolidayDay
from contracts.rules.calendar.notice import notice_from_csv
from contracts.rules.calendar.services import LoadOutcome, holiday_notice_load
from contracts.rules.calendar.store import calendar_cache_clear, calendar_changed
from notifications.models import Alert, Delivery
from notifications.rendering import render_alert
from notifications.tasks import send_delivery
from tests.bargaining.pages.negotiation_support import page_client, visible_text
from tests.contracts.rules.test_holiday_notice import NOTICE_CSV
from tests.factories import NegotiationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
SENTENCE_ZH = "按法定节假日推算，待国务院公布2027年安排后核定"
SENTENCE_EN = "Counted on the statutory holidays; to be confirmed once the State Council publishes the 2027 schedule."


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """A notice loaded here is rolled back with the test: no other test may see it cached."""
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(autouse=True)
def december_2026(freeze_now):
    return freeze_now(dt.datetime(2026, 12, 14, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
def queued(monkeypatch):
    """The deliveries handed to the worker (the broker is not called)."""
    sent: list[int] = []
    monkeypatch.setattr(send_delivery, "delay", lambda delivery_id: sent.append(delivery_id))
    return sent


@pytest.fixture
def requested(enterprise, union_user, employer_user):
    negotiation = NegotiationFactory(enterprise=enterprise, title="2027 wage talks")
    return negotiation_request(
        user=union_user, negotiation=negotiation, requested_by=Side.UNION, received_on=D("2026-12-12")
    )


def load_notice(capture):
    """Load the 2027 notice and run what waits for its commit (the recompute, the outbox)."""
    with capture(execute=True):
        return holiday_notice_load(notice=notice_from_csv(NOTICE_CSV))


def api_rule(client, negotiation, language="zh-hans"):
    response = client.get(f"/api/v1/negotiations/{negotiation.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()


def moved_alerts():
    return Alert.objects.filter(template="deadline_moved").order_by("recipient_id")


def test_a_request_received_on_12_december_2026_is_due_4_january_2027_provisionally(requested, union_user, client_for):
    body = api_rule(client_for(union_user), requested)

    # 1 January 2027 is New Year's Day by law, 2–3 January a weekend (the notice is not out)
    assert body["reply_due"] == "2027-01-04"
    assert body["reply_rule"]["rule"] == "R1"
    assert body["reply_rule"]["provisional"] is True
    assert SENTENCE_ZH in body["reply_rule"]["provisional_note"]
    assert body["reply_rule"]["params"]["calendar_known"] is False
    english = api_rule(client_for(union_user), requested, language="en")["reply_rule"]
    assert english["provisional_note"] == SENTENCE_EN


def test_the_page_shows_the_provisional_date_with_the_sentence(requested, union_user):
    text = visible_text(page_client(union_user).get(f"/negotiations/{requested.pk}/").content)

    assert SENTENCE_ZH in text
    assert "暂定" in text  # the badge


def test_loading_the_notice_makes_it_due_on_the_make_up_working_day_and_tells_each_negotiator_once(
    requested, union_user, employer_user, client_for, django_capture_on_commit_callbacks, queued
):
    result = load_notice(django_capture_on_commit_callbacks)

    assert result.outcome == LoadOutcome.CREATED
    negotiation = Negotiation.objects.get(pk=requested.pk)
    assert negotiation.reply_due == D("2027-01-02")  # a Saturday worked under the notice
    assert negotiation.reply_rule["due"] == "2027-01-02"
    assert negotiation.reply_rule["calendar_known"] is True
    assert negotiation.reply_rule["provisional_year"] is None
    body = api_rule(client_for(union_user), requested)
    assert body["reply_due"] == "2027-01-02"
    assert (body["reply_rule"]["provisional"], body["reply_rule"]["provisional_note"]) == (False, "")
    alerts = list(moved_alerts())
    assert [alert.recipient_id for alert in alerts] == sorted([union_user.pk, employer_user.pk])
    assert {alert.dedup_key for alert in alerts} == {f"moved:R1:negotiation:{requested.pk}:2027-01-04:2027-01-02"}
    assert {(a.context["previous_due"], a.context["due"], a.context["provisional_year"]) for a in alerts} == {
        ("2027-01-04", "2027-01-02", None)
    }
    # sooner than before: a warning, e-mailed at once through the outbox
    assert {alert.level for alert in alerts} == {"warning"}
    deliveries = Delivery.objects.filter(alert__in=alerts)
    assert sorted(deliveries.values_list("recipient_id", flat=True)) == sorted([union_user.pk, employer_user.pk])
    assert sorted(queued) == sorted(deliveries.values_list("pk", flat=True))


def test_loading_the_same_notice_twice_changes_nothing_and_sends_nothing(
    requested, django_capture_on_commit_callbacks, queued
):
    load_notice(django_capture_on_commit_callbacks)
    stored = Negotiation.objects.get(pk=requested.pk)
    alerts, deliveries, sent = moved_alerts().count(), Delivery.objects.count(), list(queued)

    again = load_notice(django_capture_on_commit_callbacks)

    assert again.outcome == LoadOutcome.UNCHANGED
    assert again.changed_days == ()
    after = Negotiation.objects.get(pk=requested.pk)
    assert (after.reply_due, after.reply_rule) == (stored.reply_due, stored.reply_rule)
    assert (moved_alerts().count(), Delivery.objects.count(), queued) == (alerts, deliveries, sent)
    assert alerts == 2


def test_an_administrator_removing_the_make_up_working_day_moves_it_back_with_one_more_alert(
    requested, union_user, employer_user, django_capture_on_commit_callbacks, queued
):
    load_notice(django_capture_on_commit_callbacks)

    # as the admin's delete does: the row goes, the calendar is read anew
    with django_capture_on_commit_callbacks(execute=True):
        HolidayDay.objects.get(date=D("2027-01-02")).delete()
        calendar_changed()

    negotiation = Negotiation.objects.get(pk=requested.pk)
    assert negotiation.reply_due == D("2027-01-04")
    keys = sorted(set(moved_alerts().values_list("dedup_key", flat=True)))
    assert keys == [
        f"moved:R1:negotiation:{requested.pk}:2027-01-02:2027-01-04",
        f"moved:R1:negotiation:{requested.pk}:2027-01-04:2027-01-02",
    ]
    later = moved_alerts().filter(dedup_key=keys[0])
    assert {alert.level for alert in later} == {"info"}
    assert later.count() == 2


def test_an_answered_request_is_not_counted_again(
    requested, employer_user, django_capture_on_commit_callbacks, freeze_now, queued
):
    freeze_now(dt.datetime(2026, 12, 20, 10, 0, tzinfo=dt.UTC))
    negotiation_respond(user=employer_user, negotiation=requested, accepted=True, responded_on=D("2026-12-20"))

    load_notice(django_capture_on_commit_callbacks)

    assert Negotiation.objects.get(pk=requested.pk).reply_due == D("2027-01-04")
    assert not moved_alerts().exists()


def test_a_deadline_counted_in_2026_is_never_provisional_and_never_moves(
    enterprise, union_user, client_for, django_capture_on_commit_callbacks, queued
):
    negotiation = negotiation_request(
        user=union_user,
        negotiation=NegotiationFactory(enterprise=enterprise),
        requested_by=Side.UNION,
        received_on=D("2026-09-21"),
    )
    rule = api_rule(client_for(union_user), negotiation)["reply_rule"]
    assert negotiation.reply_due == D("2026-10-12")  # after the National Day week, as chinese-calendar has it
    assert (rule["provisional"], rule["provisional_note"]) == (False, "")

    load_notice(django_capture_on_commit_callbacks)

    assert Negotiation.objects.get(pk=negotiation.pk).reply_due == D("2026-10-12")
    assert not moved_alerts().exists()


def test_a_vacancy_left_in_late_december_2026_is_filled_by_a_provisional_date(
    requested, django_capture_on_commit_callbacks
):
    representative = RepresentativeFactory(negotiation=requested, side=Side.UNION, vacated_on=D("2026-12-18"))

    before = vacancy_fill_deadline(representative=representative)
    assert before is not None
    assert before["fill_due"] == D("2027-01-04")  # 2 January 2027 a Saturday, by the law alone
    assert before["rule"]["provisional"] is True

    load_notice(django_capture_on_commit_callbacks)

    after = vacancy_fill_deadline(representative=representative)
    assert after is not None
    assert after["fill_due"] == D("2027-01-02")
    assert after["rule"]["provisional"] is False


def test_the_alert_of_the_change_reads_both_dates_in_each_language(
    requested, union_user, django_capture_on_commit_callbacks, queued
):
    load_notice(django_capture_on_commit_callbacks)
    alert = moved_alerts().get(recipient=union_user)

    english = render_alert(alert, language="en")
    chinese = render_alert(alert, language="zh-hans")

    assert (
        english.subject
        == "Deadline moved to Jan. 2, 2027: written answer to the consultation request – 2027 wage talks"
    )
    assert "Jan. 4, 2027" in english.text
    assert "The new date follows the holiday schedule the State Council published." in english.text
    assert "Provisions on Collective Contracts, Art. 32" in english.text
    assert "2027年1月2日" in chinese.subject
    assert "2027年1月4日" in chinese.text
    assert "2027 wage talks" in chinese.html


def test_an_administrator_editing_a_day_in_the_admin_counts_the_answer_again(
    requested, admin_client, django_capture_on_commit_callbacks, queued
):
    load_notice(django_capture_on_commit_callbacks)
    day = HolidayDay.objects.get(date=D("2027-01-02"))

    # 2 January 2027 made a rest day of the New Year period after all
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:contracts_holidayday_change", args=[day.pk]),
            {"year": day.year_id, "date": "2027-01-02", "kind": "rest", "festival": "new_year"},
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert HolidayDay.objects.get(pk=day.pk).source == "admin"
    assert Negotiation.objects.get(pk=requested.pk).reply_due == D("2027-01-04")
    assert moved_alerts().filter(dedup_key__endswith=":2027-01-02:2027-01-04").count() == 2
