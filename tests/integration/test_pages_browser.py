"""The negotiator pages in a real (headless) browser against the live server."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import formats, translation
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bargaining.models import Side
from bargaining.services.negotiations import negotiation_request
from contracts.enterprises.models import Role
from tests.factories import EnterpriseFactory, MembershipFactory, NegotiationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pass-word-123"
WAIT = 10  # seconds
ERRORS = ".problem, .errorlist, .errornote"  # what a login form shows when it refuses


def member(enterprise, role):
    user = UserFactory()
    # UserFactory sets the password after saving and skips the save that would store it.
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    MembershipFactory(user=user, enterprise=enterprise, role=role)
    return user


def log_in(browser, live_server, user, *, path="/"):
    """Open ``path``, get sent to the login page, log in like a person, land back on ``path``."""
    browser.get(f"{live_server.url}{path}")
    assert urlsplit(browser.current_url).path == resolve_url(settings.LOGIN_URL), "not sent to the login page"
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    WebDriverWait(browser, WAIT).until(
        lambda b: b.current_url == f"{live_server.url}{path}" or b.find_elements(By.CSS_SELECTOR, ERRORS),
        message=f"the login form neither answered nor went on to {path}",
    )
    errors = " ".join(element.text for element in browser.find_elements(By.CSS_SELECTOR, ERRORS))
    assert browser.current_url == f"{live_server.url}{path}", f"login as {user.username} refused: {errors}"


def http_status(browser, url: str) -> int:
    """The status of ``url`` fetched by the page, with the browser's cookies."""
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status), e => done(String(e)));",
        url,
    )


def html_lang(browser) -> str:
    return browser.find_element(By.TAG_NAME, "html").get_attribute("lang")


@pytest.fixture
def negotiation():
    """A union request awaiting the employer's answer, in an enterprise with Chinese names."""
    enterprise = EnterpriseFactory(name="东方精密机械有限公司")
    negotiation = NegotiationFactory(enterprise=enterprise, title="2027年度工资专项集体协商", kind="wages")
    return negotiation_request(
        user=member(enterprise, Role.UNION_NEGOTIATOR),
        negotiation=negotiation,
        requested_by=Side.UNION,
        received_on=dt.date(2030, 3, 1),
    )


def zh(callable_):
    with translation.override("zh-hans"):
        return str(callable_())


def test_negotiator_finds_the_negotiation_and_its_answer_due_date(browser, live_server, negotiation):
    user = member(negotiation.enterprise, Role.EMPLOYER_NEGOTIATOR)
    log_in(browser, live_server, user, path="/negotiations/")

    # The list, in Chinese: the browser asks for zh-CN and the site's default is zh-hans.
    assert html_lang(browser) == "zh-hans"
    row = browser.find_element(By.XPATH, f"//article[h2/a[normalize-space()='{negotiation.title}']]")
    assert negotiation.enterprise.name in row.text
    assert row.find_element(By.CSS_SELECTOR, ".badge").text == zh(negotiation.get_status_display)
    due = zh(lambda: formats.date_format(negotiation.reply_due))
    assert due in row.text

    # The detail page, reached by following the link.
    row.find_element(By.LINK_TEXT, negotiation.title).click()
    WebDriverWait(browser, WAIT).until(lambda b: b.current_url == f"{live_server.url}/negotiations/{negotiation.pk}/")
    assert html_lang(browser) == "zh-hans"
    assert browser.title.startswith(negotiation.title)
    assert browser.find_element(By.TAG_NAME, "h1").text == negotiation.title
    assert browser.find_element(By.ID, "status").text == zh(negotiation.get_status_display)
    answer_due = browser.find_element(By.ID, "reply-due").text
    assert zh(lambda: translation.gettext("Answer due")) in answer_due
    assert due in answer_due
    assert http_status(browser, f"{live_server.url}/negotiations/{negotiation.pk}/") == 200


def test_user_of_another_enterprise_gets_404_on_the_detail_page(browser, live_server, negotiation):
    outsider = member(EnterpriseFactory(), Role.UNION_NEGOTIATOR)
    log_in(browser, live_server, outsider)

    assert negotiation.title not in browser.find_element(By.TAG_NAME, "body").text
    url = f"{live_server.url}/negotiations/{negotiation.pk}/"
    assert http_status(browser, url) == 404
    browser.get(url)
    assert negotiation.title not in browser.page_source


@pytest.mark.parametrize(
    ("browser_languages", "served"),
    [("zh-CN,zh", "zh-hans"), ("de-DE,de", "zh-hans"), ("en-US,en", "en")],
    ids=["asks-chinese", "asks-other-language-gets-default", "asks-english"],
)
def test_pages_are_chinese_unless_the_browser_asks_for_english(browser, live_server, browser_languages, served):
    browser.get(f"{live_server.url}/")  # the login page
    assert html_lang(browser) == served


def test_api_docs_load(browser, live_server):
    browser.get(f"{live_server.url}/api/docs/")
    assert browser.title == settings.SPECTACULAR_SETTINGS["TITLE"]
    assert browser.find_elements(By.ID, "swagger-ui")
    assert http_status(browser, f"{live_server.url}/api/schema/") == 200

    bundle = browser.find_element(By.CSS_SELECTOR, "script[src*='swagger-ui-bundle']").get_attribute("src")
    assert bundle.startswith(live_server.url), "Swagger UI must come from this server so the docs work offline"
    WebDriverWait(browser, WAIT).until(
        lambda b: settings.SPECTACULAR_SETTINGS["TITLE"] in b.find_element(By.ID, "swagger-ui").text,
        message="Swagger UI did not render the schema",
    )
