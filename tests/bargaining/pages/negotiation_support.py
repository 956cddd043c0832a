"""What the page tests share: a browser-like client logged in as a user, and the text a person reads."""

import html
import re

from django.conf import settings
from django.test import Client
from django.utils import translation


def page_client(user, *, language: str | None = None) -> Client:
    """A client logged in through the session, as a browser is, reading ``language`` (default: the site's)."""
    client = Client()
    # As stored: UserFactory's password is set in memory only, and a session whose password hash
    # differs from the stored one is logged out on the next request.
    client.force_login(type(user).objects.get(pk=user.pk))
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def visible_text(page: bytes | str) -> str:
    """What a person reads: the page without its scripts, styles, tags and attribute values."""
    text = page.decode() if isinstance(page, bytes) else page
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def in_language(language: str, make):
    """``make()`` as it reads in ``language`` (a date format, a rule's article)."""
    with translation.override(language):
        return str(make())
