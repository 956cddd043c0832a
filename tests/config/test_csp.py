"""The Content-Security-Policy (django-csp, config/settings.py): every page carries it, strict (no
'unsafe-inline', no 'unsafe-eval'), and nothing a page is made of needs more — no <style>,
style="…", inline <script> or on…= handler in a page's template or in what is rendered, no htmx
attribute that htmx would have to eval, no eval in our scripts. The browser's side, that it
really refuses nothing, is tests/integration/test_csp_browser.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.test_pages_as_people_read_them import PAGES, READERS, demo  # noqa: F401 (demo is a fixture)

# The pages outside the apps' namespaces a person reads too: their API tokens.
EVERY_PAGE = {**PAGES, "auth_pages:tokens": lambda objects: []}

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC = Path(settings.BASE_DIR) / "static"

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}

# What a page must not carry: the policy refuses each of them.
INLINE = {
    "a <style> element": re.compile(r"<style\b", re.I),
    'a style="…" attribute': re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S),
    # json_script's <script type="application/json"> is data, never run: allowed.
    "an inline <script>": re.compile(
        r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*type=[\"']application/json[\"'])[^>]*>", re.I
    ),
    "an on…= handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S),
    "a javascript: URL": re.compile(r"javascript:", re.I),
    "an hx-on attribute (eval)": re.compile(r"\shx-on[:\-]", re.I),
    "a js: expression in hx-vals/hx-headers (eval)": re.compile(
        r"hx-(vals|headers|vars)\s*=\s*[\"']\s*(js|javascript):", re.I
    ),
    "an hx-trigger filter [...] (eval)": re.compile(r"hx-trigger\s*=\s*\"[^\"]*\[", re.I),
}


def page_templates() -> list[Path]:
    """The templates pages are made of: not e-mails (templates/notifications/ outside pages/,
    never served) nor .docx."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith("notifications/") and not name.startswith("notifications/pages/"):
            continue
        found.append(path)
    return found


def inline_things(text: str) -> list[str]:
    # Template comments ({# … #}, {% comment %}) are never sent.
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.S)
    return [what for what, pattern in INLINE.items() if pattern.search(text)]


def parse(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def test_the_policy_is_strict():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert {name: set(values) for name, values in directives.items()} == POLICY


def test_no_page_template_carries_anything_inline():
    found = {}
    for path in page_templates():
        if things := inline_things(path.read_text()):
            found[path.relative_to(TEMPLATES).as_posix()] = things
    assert found == {}


def test_the_scan_finds_what_the_policy_refuses():
    for sample in (
        "<style>p{}</style>",
        '<p class="x" style="color: red">',
        "<script>alert(1)</script>",
        '<select name="language" onchange="this.form.submit()">',
        '<a href="javascript:void(0)">',
        '<button hx-on:click="go()">',
        "<div hx-vals='js:{a: 1}'>",
        "<div hx-trigger=\"keyup[key=='Enter']\">",
    ):
        assert inline_things(sample), sample
    for sample in (
        '<script src="/static/concord.js" defer></script>',
        '<script id="chart-1" type="application/json">{"a": 1}</script>',
        '<div hx-trigger="every 2s" hx-headers=\'{"X-CSRFToken": "t"}\'>',
        '<p data-style="x" class="styled">',
        "{# an example: <style> #}",
    ):
        assert not inline_things(sample), sample


def test_our_scripts_use_no_eval_and_write_no_inline_style():
    """Styles set through the CSSOM (element.style.x = …) are allowed; markup with style="…" or a
    style attribute set as text is not, nor eval."""
    refused = re.compile(r"\beval\(|new Function\(|setAttribute\(\s*[\"']style|innerHTML|insertAdjacentHTML|style=")
    found = {}
    for path in [STATIC / "concord.js", *sorted((STATIC / "pages").glob("*.js"))]:
        if hits := refused.findall(path.read_text()):
            found[path.name] = hits
    assert found == {}


@pytest.mark.django_db
def test_every_page_carries_the_policy_and_renders_nothing_inline(demo):  # noqa: F811
    found = {}
    for username in READERS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for name, arguments in EVERY_PAGE.items():
            response = client.get(reverse(name, args=arguments(demo)))
            if response.status_code != 200:
                continue  # a page this reader may not see (its 403/404 is tested with the page)
            header = response.get("Content-Security-Policy")
            if header is None or parse(header) != POLICY:
                found[username, name] = f"policy: {header}"
            elif things := inline_things(response.content.decode()):
                found[username, name] = things
    assert found == {}


@pytest.mark.django_db
def test_login_admin_and_api_docs_carry_the_policy(admin_client):
    for client, path in (
        (Client(), reverse("login")),
        (admin_client, reverse("admin:index")),
        (admin_client, reverse("admin:auth_user_changelist")),
        (Client(), reverse("api-docs")),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert parse(response["Content-Security-Policy"]) == POLICY, path
    docs = Client().get(reverse("api-docs")).content.decode()
    assert inline_things(docs) == [], "the Swagger UI page carries something inline"
    script = Client().get(reverse("api-docs") + "?script")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_gets_a_page_the_policy_lets_show():
    """Django's own CSRF failure page carries an inline <style>; ours (403_csrf.html) does not."""
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    response = client.post(reverse("login"), {"username": "someone", "password": "x"})
    assert response.status_code == 403
    assert parse(response["Content-Security-Policy"]) == POLICY
    page = response.content.decode()
    assert "The form could not be accepted" in page and "Nothing was saved." in page
    assert inline_things(page) == []
