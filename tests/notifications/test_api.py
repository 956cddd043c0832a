"""API: /alerts/ lists the current user's alerts (unread first), read/ and read-all/ mark
them; /notification-preferences/ reads and changes the current user's preferences."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.models import Alert, Level, Mode, Preference
from tests.factories import UserFactory
from tests.notifications.conftest import breach_context, deadline_context

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/alerts/"
PREFERENCES = "/api/v1/notification-preferences/"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def api(client_for, user):
    return client_for(user)


def make_alert(user, n, *, level=Level.BREACH, read=False, minutes_ago=0):
    alert = Alert.objects.create(
        recipient=user,
        level=level,
        template="breach_found" if level == Level.BREACH else "deadline_soon",
        context=breach_context(breach=n, clause=str(n)) if level == Level.BREACH else deadline_context(),
        link=f"/api/v1/breaches/{n}/",
        dedup_key=f"k:{n}",
        read_at=timezone.now() if read else None,
    )
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return alert


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_alerts_need_a_login():
    response = APIClient().get(ALERTS)

    assert response.status_code in (401, 403)


def test_alerts_list_the_users_own_unread_first_then_newest(api, user):
    old_unread = make_alert(user, 1, minutes_ago=30)
    new_read = make_alert(user, 2, read=True, minutes_ago=1)
    new_unread = make_alert(user, 3, minutes_ago=5)
    make_alert(UserFactory(), 4)  # someone else's

    response = api.get(ALERTS)

    assert response.status_code == 200
    assert ids(response) == [new_unread.pk, old_unread.pk, new_read.pk]
    first = response.json()["results"][0]
    assert first["is_read"] is False
    assert first["level"] == "breach"
    assert first["url"] == "http://localhost:8000/api/v1/breaches/3/"
    assert first["subject"] == "违约提醒：Hengda Textiles，第 3 条，2026-03"


def test_the_subject_follows_the_request_language(api, user):
    make_alert(user, 1)

    response = api.get(ALERTS, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["results"][0]["subject"] == "Breach at Hengda Textiles: clause 1, 2026-03"


def test_alerts_filter_by_level_and_by_read(api, user):
    breach = make_alert(user, 1)
    reminder = make_alert(user, 2, level=Level.WARNING)
    read = make_alert(user, 3, read=True)

    assert ids(api.get(ALERTS, {"level": "warning"})) == [reminder.pk]
    assert set(ids(api.get(ALERTS, {"read": "false"}))) == {breach.pk, reminder.pk}
    assert ids(api.get(ALERTS, {"read": "true"})) == [read.pk]
    assert api.get(ALERTS, {"level": "critical"}).status_code == 400


def test_alerts_are_paginated(api, user):
    for n in range(3):
        make_alert(user, n)

    body = api.get(ALERTS, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_alerts_list_reads_the_same_number_of_queries_whatever_the_number_of_alerts(api, user):
    def count(rows):
        with CaptureQueriesContext(connection) as captured:
            response = api.get(ALERTS, {"page_size": 100})
        assert len(response.json()["results"]) == rows
        return len(captured)

    make_alert(user, 0)
    one = count(1)
    for n in range(1, 20):
        make_alert(user, n, level=Level.WARNING if n % 2 else Level.BREACH)
    many = count(20)

    assert many == one
    assert many <= 3


def test_read_marks_the_alert_read_and_reading_again_keeps_the_first_time(api, user):
    alert = make_alert(user, 1)

    first = api.post(f"{ALERTS}{alert.pk}/read/")
    again = api.post(f"{ALERTS}{alert.pk}/read/")

    assert first.status_code == 200
    assert first.json()["is_read"] is True
    assert again.json()["read_at"] == first.json()["read_at"]
    alert.refresh_from_db()
    assert alert.read_at is not None


def test_someone_elses_alert_cannot_be_read_or_marked(api):
    other = make_alert(UserFactory(), 1)

    assert api.get(f"{ALERTS}{other.pk}/").status_code == 404
    assert api.post(f"{ALERTS}{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_read_all_marks_only_the_users_unread_alerts(api, user):
    make_alert(user, 1)
    make_alert(user, 2)
    make_alert(user, 3, read=True)
    others = make_alert(UserFactory(), 4)

    response = api.post(f"{ALERTS}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert not Alert.objects.filter(recipient=user, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None


def test_alerts_cannot_be_created_or_deleted_through_the_api(api, user):
    alert = make_alert(user, 1)

    assert api.post(ALERTS, {}, format="json").status_code == 405
    assert api.delete(f"{ALERTS}{alert.pk}/").status_code == 405


# --- preferences -------------------------------------------------------------------------------


def test_preferences_default_to_immediate_chinese_and_nothing_opted_out(api):
    response = api.get(PREFERENCES)

    assert response.status_code == 200
    assert response.json() == {"mode": "immediate", "language": "zh-hans", "opted_out_levels": []}
    assert not Preference.objects.exists()  # reading stores nothing


def test_preferences_need_a_login():
    assert APIClient().get(PREFERENCES).status_code in (401, 403)


def test_patch_changes_only_what_is_sent(api, user):
    response = api.patch(PREFERENCES, {"mode": "daily_digest"}, format="json")
    assert response.status_code == 200
    response = api.patch(PREFERENCES, {"language": "en", "opted_out_levels": ["info"]}, format="json")

    assert response.json() == {"mode": "daily_digest", "language": "en", "opted_out_levels": ["info"]}
    preference = Preference.objects.get(user=user)
    assert (preference.mode, preference.language, preference.opted_out_levels) == (Mode.DAILY_DIGEST, "en", ["info"])


@pytest.mark.parametrize("level", ["breach", "overdue"])
def test_breach_and_overdue_cannot_be_opted_out(api, user, level):
    response = api.patch(PREFERENCES, {"opted_out_levels": ["info", level]}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "level_not_optional"
    assert response.json()["extra"] == {"levels": [level]}
    assert api.get(PREFERENCES).json()["opted_out_levels"] == []


@pytest.mark.parametrize(
    "data", [{"mode": "weekly"}, {"language": "fr"}, {"opted_out_levels": ["loud"]}, {"opted_out_levels": "info"}]
)
def test_invalid_preferences_are_refused_with_field_messages(api, data):
    response = api.patch(PREFERENCES, data, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["extra"]["fields"]) == set(data)


def test_each_user_changes_only_their_own_preferences(api, user, client_for):
    other = UserFactory()
    client_for(other).patch(PREFERENCES, {"language": "en"}, format="json")

    assert api.get(PREFERENCES).json()["language"] == "zh-hans"
    assert Preference.objects.get(user=other).language == "en"
