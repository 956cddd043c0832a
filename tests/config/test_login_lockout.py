"""Login lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from
one address, that username is refused from that address, a right password too, on the login
page, the admin login and the token endpoint alike; other addresses and usernames are not."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from config.auth.lockout import lockout_message
from config.auth.throttles import TokenRateThrottle

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("wang.li", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def unthrottled(monkeypatch):
    """The token endpoint's own throttle would answer first: these tests are about the lockout."""
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "10000/min", "write": "10000/min"})


def login_page(password, *, username="wang.li", ip=ATTACKER, language="en"):
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def admin_login(password, *, username="wang.li", ip=ATTACKER):
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en").post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )


def token_endpoint(password, *, username="wang.li", ip=ATTACKER):
    return APIClient(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_the_71st_wrong_password_on_the_login_page_is_refused_with_a_page_saying_to_wait(user, settings):
    answers = [login_page(f"wrong {n}").status_code for n in range(70)]
    limit = settings.AXES_FAILURE_LIMIT

    # Wrong passwords are answered with the form again until the limit, then refused.
    assert answers[: limit - 1] == [200] * (limit - 1)
    assert set(answers[limit:]) == {429}
    response = login_page("wrong 71")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Logging in is blocked for now" in text
    assert "blocked for 30 minutes. Wait and try again, or ask your administrator" in text
    assert response["Retry-After"] == "1800"


def test_a_right_password_during_the_lockout_is_refused_too(user):
    for n in range(10):
        login_page(f"wrong {n}")

    response = login_page(PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session


def test_the_lockout_page_is_in_chinese_by_default(user):
    for n in range(10):
        login_page(f"wrong {n}", language="zh-hans")

    response = login_page("wrong", language="zh-hans")

    assert response.status_code == 429
    assert '<html lang="zh-hans"' in response.content.decode()
    with translation.override("zh-hans"):
        assert lockout_message() in response.content.decode()


def test_the_same_username_from_another_address_and_another_username_are_not_locked(user):
    get_user_model().objects.create_user("zhang.wei", password=PASSWORD)
    for n in range(70):
        login_page(f"wrong {n}")

    elsewhere = login_page(PASSWORD, ip=ELSEWHERE)
    colleague = login_page(PASSWORD, username="zhang.wei")

    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "/")
    assert (colleague.status_code, colleague["Location"]) == (302, "/")


def test_the_71st_wrong_password_on_the_admin_login_is_refused(user):
    answers = [admin_login(f"wrong {n}").status_code for n in range(70)]

    assert answers[0] == 200
    assert answers[-1] == 429
    response = admin_login("wrong 71")
    assert response.status_code == 429
    assert "Logging in is blocked for now" in response.content.decode()
    assert admin_login(PASSWORD).status_code == 429
    assert admin_login(PASSWORD, ip=ELSEWHERE).status_code == 302


def test_the_71st_wrong_password_on_the_token_endpoint_is_refused(user, unthrottled):
    answers = [token_endpoint(f"wrong {n}").status_code for n in range(70)]

    assert answers[0] == 400
    assert answers[-1] == 429
    response = token_endpoint("wrong 71")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "blocked for 30 minutes" in response.json()["message"]
    refused = token_endpoint(PASSWORD)
    assert refused.status_code == 429 and "token" not in refused.json()
    assert token_endpoint(PASSWORD, ip=ELSEWHERE).status_code == 200


def test_failures_on_all_three_doors_count_together(user, unthrottled):
    for n in range(4):
        login_page(f"page {n}")
        admin_login(f"admin {n}")
    token_endpoint("api 1")
    token_endpoint("api 2")

    assert token_endpoint(PASSWORD).status_code == 429
    assert AccessAttempt.objects.get(username="wang.li", ip_address=ATTACKER).failures_since_start >= 10


def test_a_right_password_before_the_limit_starts_the_count_again(user):
    for n in range(9):
        login_page(f"wrong {n}")
    assert login_page(PASSWORD).status_code == 302

    answers = [login_page(f"again {n}").status_code for n in range(9)]

    assert answers == [200] * 9
