"""The "API tokens" page: the user's own tokens, a new one shown once, revoked from the page."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from config.auth.tokens import token_issue

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("wang.li", password="x")


@pytest.fixture
def client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def works(token: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/auth/tokens/").status_code == 200


def test_the_page_needs_a_login():
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_user_menu_links_to_the_page(client):
    assert f'href="{PAGE}"' in client.get("/").content.decode()


def test_a_new_token_is_shown_once_and_works(client, user):
    created = client.post(f"{PAGE}new/")
    token = created.context["new_token"]

    assert token in created.content.decode()
    assert works(token)
    later = client.get(PAGE).content.decode()
    assert token not in later
    assert token[:8] in later


def test_the_page_lists_only_the_users_own_tokens(client, user):
    _mine, my_token = token_issue(user)
    _theirs, their_token = token_issue(get_user_model().objects.create_user("zhang.wei"))

    page = client.get(PAGE).content.decode()

    assert my_token[:8] in page
    assert their_token[:8] not in page
    assert my_token not in page


def test_a_token_is_revoked_from_the_page_and_another_users_is_not_found(client, user):
    mine, my_token = token_issue(user)
    theirs, their_token = token_issue(get_user_model().objects.create_user("zhang.wei"))

    revoked = client.post(f"{PAGE}{mine.digest}/revoke/", follow=True)
    foreign = client.post(f"{PAGE}{theirs.digest}/revoke/")

    assert "The token is revoked" in revoked.content.decode()
    assert not works(my_token)
    assert foreign.status_code == 404
    assert works(their_token)


def test_revoke_all_from_the_page(client, user):
    tokens = [token_issue(user)[1] for _ in range(2)]

    response = client.post(f"{PAGE}revoke-all/", follow=True)

    assert "2 tokens revoked." in response.content.decode()
    assert not any(works(token) for token in tokens)
    assert not AuthToken.objects.filter(user=user).exists()


def test_revoking_needs_a_post(client, user):
    mine, _token = token_issue(user)

    assert client.get(f"{PAGE}{mine.digest}/revoke/").status_code == 405
    assert AuthToken.objects.filter(digest=mine.digest).exists()
