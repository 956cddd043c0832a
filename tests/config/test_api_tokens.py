"""API tokens (django-rest-knox): obtained with a username and password, stored only as a digest,
expiring, listed and revoked by their owner only, and all revoked when the password changes."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW = "a whole new password 42"
TOKENS = "/api/v1/auth/tokens/"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("wang.li", password=PASSWORD)


@pytest.fixture
def other():
    return get_user_model().objects.create_user("zhang.wei", password=PASSWORD)


def obtain(username="wang.li", password=PASSWORD, **kwargs) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_obtained_with_json_or_a_form_and_expires_in_30_days(user):
    response = APIClient().post("/api/v1/auth/token/", {"username": "wang.li", "password": PASSWORD}, format="json")
    form_token = obtain()

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    expiry = dt.datetime.fromisoformat(body["expiry"])
    assert dt.timedelta(days=29, hours=23) < expiry - timezone.now() <= dt.timedelta(days=30)
    assert with_token(body["token"]).get(TOKENS).status_code == 200
    assert with_token(form_token).get(TOKENS).status_code == 200


def test_a_wrong_password_gets_a_sentence_and_no_token(user):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/", {"username": "wang.li", "password": "nope"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["message"] == "The username or the password is wrong, or the account is disabled."
    assert not AuthToken.objects.exists()


def test_only_a_digest_of_the_token_is_stored(user):
    token = obtain()

    stored = AuthToken.objects.get(user=user)
    assert token not in {stored.digest, stored.token_key}
    assert len(stored.digest) == 128


def test_the_owner_lists_their_tokens_without_the_secrets(user, other):
    first, second = obtain(), obtain()
    obtain("zhang.wei")

    listed = with_token(second).get(TOKENS).json()["results"]

    assert [(t["prefix"], t["current"]) for t in listed] == [(second[:8], True), (first[:8], False)]
    assert set(listed[0]) == {"id", "prefix", "created", "expiry", "current"}
    assert first not in str(listed) and second not in str(listed)


def test_a_revoked_token_gets_401(user):
    kept, revoked = obtain(), obtain()
    client = with_token(kept)
    revoked_id = next(t["id"] for t in client.get(TOKENS).json()["results"] if not t["current"])

    assert client.delete(f"{TOKENS}{revoked_id}/").status_code == 204

    assert with_token(revoked).get(TOKENS).status_code == 401
    assert with_token(kept).get(TOKENS).status_code == 200


def test_revoking_all_tokens_leaves_none_working(user, other):
    tokens = [obtain() for _ in range(3)]
    others = obtain("zhang.wei")

    response = with_token(tokens[0]).post(f"{TOKENS}revoke-all/")

    assert response.json() == {"revoked": 3}
    assert [with_token(token).get(TOKENS).status_code for token in tokens] == [401, 401, 401]
    assert with_token(others).get(TOKENS).status_code == 200


def test_an_expired_token_gets_401(user):
    token = obtain()
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - dt.timedelta(seconds=1))

    assert with_token(token).get(TOKENS).status_code == 401


def test_a_user_cannot_list_or_revoke_another_users_tokens(user, other):
    obtain()
    theirs = AuthToken.objects.get(user=user).digest
    client = with_token(obtain("zhang.wei"))

    listed = client.get(TOKENS).json()["results"]
    foreign = client.delete(f"{TOKENS}{theirs}/")
    missing = client.delete(f"{TOKENS}{'0' * 128}/")

    assert theirs not in {t["id"] for t in listed}
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert AuthToken.objects.filter(digest=theirs).exists()


def test_anonymous_requests_to_the_token_list_are_refused():
    assert APIClient().get(TOKENS).status_code in (401, 403)


def test_set_password_and_save_revokes_every_token(user):
    tokens = [obtain(), obtain()]

    user.set_password("a whole new password")
    user.save()

    assert [with_token(token).get(TOKENS).status_code for token in tokens] == [401, 401]
    assert not AuthToken.objects.filter(user=user).exists()


def test_the_password_change_page_revokes_every_token(user):
    token = obtain()
    client = Client()
    client.force_login(user)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    assert with_token(token).get(TOKENS).status_code == 401


def test_the_admin_password_form_revokes_every_token(user, admin_client):
    token = obtain()

    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert with_token(token).get(TOKENS).status_code == 401


def test_saving_a_user_without_changing_the_password_keeps_the_tokens(user):
    token = obtain()
    user.refresh_from_db()

    user.first_name = "丽"
    user.save()
    user.set_password(PASSWORD)  # the same password, hashed anew (as a hasher upgrade does)
    user.save()

    assert with_token(token).get(TOKENS).status_code == 200


def test_demo_data_prints_a_new_working_token_per_login():
    get_user_model().objects.create_superuser("admin", password=PASSWORD)
    out = io.StringIO()

    call_command("demo_data", "--logins-only", "--tokens", stdout=out)

    tokens = [line.split() for line in out.getvalue().splitlines() if re.fullmatch(r"  admin +[0-9a-f]{64}", line)]
    assert len(tokens) == 1
    assert with_token(tokens[0][1]).get(TOKENS).status_code == 200
