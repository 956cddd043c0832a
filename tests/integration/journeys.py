"""What the journey tests share: the people and the negotiation they build, and the few moves a
person makes in the pages (log out, pick from a list htmx redraws, table a position, wait for a
save), written once. Elements are found by id, name, data attributes or address, never by their
English words: the catalogue may be translated while the tests are written."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from bargaining.models import Negotiation, Side
from bargaining.services.negotiations import negotiation_request, negotiation_respond
from contracts.enterprises.models import Role
from contracts.services.lifecycle import contract_create, contract_submit_to_congress
from tests.factories import EnterpriseFactory, NegotiationFactory, RepresentativeFactory
from tests.integration.conftest import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS
from tests.integration.test_pages_browser import log_in, member

WAIT = 20  # seconds at most for a page or an htmx answer (CI runs on 2 busy cores)
POLL = 0.1  # seconds between two looks while waiting

UNION_TEAM = ("王丽", "李强", "张敏")  # the first is the chief representative
EMPLOYER_TEAM = ("陈志明", "刘洋", "赵静")


# --- words as the pages say them --------------------------------------------------------------


def zh(make: Callable[[], object]) -> str:
    """``make()`` as it reads in Chinese (a gettext, a label, a date)."""
    with translation.override("zh-hans"):
        return str(make())


def zh_pattern(message: str, **patterns: str) -> re.Pattern:
    """A regular expression for the Chinese of ``message`` with each ``%(name)s`` matching ``patterns[name]``."""
    translated = zh(lambda: translation.gettext(message))
    parts = re.split(r"%\((\w+)\)s", translated)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else patterns[part] for i, part in enumerate(parts)))


# --- the people and what they work on ---------------------------------------------------------


def person(enterprise, role, name: str):
    """A login holding ``role`` in ``enterprise``, with the password of ``member``, called ``name``."""
    user = member(enterprise, role)
    user.first_name = name
    user.save(update_fields=["first_name"])
    return user


def negotiation_with_teams(enterprise=None, *, title="2027年度工资专项集体协商"):
    """A wage negotiation the union asked for and the employer accepted, three representatives a
    side, each side's chief linked to a login. Returns the negotiation and the two chiefs' logins."""
    enterprise = enterprise or EnterpriseFactory(name="东方精密机械有限公司", union_name="东方精密机械有限公司工会")
    union_chief = person(enterprise, Role.UNION_NEGOTIATOR, UNION_TEAM[0])
    employer_chief = person(enterprise, Role.EMPLOYER_NEGOTIATOR, EMPLOYER_TEAM[0])
    negotiation = NegotiationFactory(enterprise=enterprise, title=title, kind="wages")
    negotiation_request(
        user=union_chief, negotiation=negotiation, requested_by=Side.UNION, received_on=dt.date(2026, 3, 2)
    )
    negotiation_respond(user=employer_chief, negotiation=negotiation, accepted=True, responded_on=dt.date(2026, 3, 10))
    for side, names, chief in ((Side.UNION, UNION_TEAM, union_chief), (Side.EMPLOYER, EMPLOYER_TEAM, employer_chief)):
        for index, name in enumerate(names):
            RepresentativeFactory(
                negotiation=negotiation, side=side, name=name, is_chief=index == 0, user=chief if index == 0 else None
            )
    return Negotiation.objects.get(pk=negotiation.pk), union_chief, employer_chief


def contract_in_congress(enterprise, user, *, title="2027年度工资专项集体合同（草案）"):
    """A draft submitted to the workers' congress through the services."""
    contract = contract_create(
        user=user,
        enterprise=enterprise,
        kind="wages",
        title=title,
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2029, 12, 31),
        clauses=[{"number": "1", "category": "pay", "title": "工资", "text": "工资按月以货币形式支付。"}],
    )
    return contract_submit_to_congress(user=user, contract=contract)


# --- browsers -----------------------------------------------------------------------------------


@contextmanager
def another_browser(folder: Path, languages: str = "zh-CN,zh") -> Iterator[webdriver.Chrome]:
    """A second headless Chromium (its own profile, so its own login), set up as the ``browser`` fixture."""
    folder.mkdir(parents=True, exist_ok=True)
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={folder / 'chromium-profile'}")
    options.add_argument(f"--lang={languages.split(',')[0]}")
    options.add_experimental_option("prefs", {"intl.accept_languages": languages})
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(folder / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def wait_until(browser, condition, message: str, timeout: float = WAIT):
    """``condition(browser)`` once it is true; an element htmx swaps away meanwhile is looked up again."""
    ignored = (NoSuchElementException, StaleElementReferenceException)
    wait = WebDriverWait(browser, timeout, poll_frequency=POLL, ignored_exceptions=ignored)

    def settled(driver):
        try:
            return condition(driver)
        except WebDriverException as error:
            # Chromium's word for a node htmx swapped out between two commands: look again.
            if "does not belong to the document" in str(error):
                return False
            raise

    return wait.until(settled, message=message)


def path_of(browser) -> str:
    return urlsplit(browser.current_url).path


def wait_for_path(browser, path: str) -> None:
    wait_until(browser, lambda b: path_of(b) == path, f"the browser did not get to {path}")


def _replaced(old: WebElement):
    """Whether ``old`` has left the document. Chromium may answer a node caught mid-swap with a
    plain "does not belong to the document" error instead of a stale reference: that is gone too."""

    def check(_browser) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    return check


def wait_for_new(browser, old: WebElement, selector: str) -> WebElement:
    """The element at ``selector`` once ``old`` has been replaced (an htmx swap, a new page)."""
    wait_until(browser, _replaced(old), f"{selector} was not replaced")
    return wait_until(browser, ec.presence_of_element_located((By.CSS_SELECTOR, selector)), f"no {selector}")


def log_out(browser) -> None:
    """Log out with the button in the page's header."""
    browser.find_element(By.CSS_SELECTOR, f"header form[action='{reverse('logout')}'] [type=submit]").click()
    wait_for_path(browser, resolve_url(settings.LOGIN_URL))


def switch_user(browser, live_server, user, *, path: str) -> None:
    """Log out, then log in as ``user`` on ``path``, as a second person at the same computer."""
    log_out(browser)
    log_in(browser, live_server, user, path=path)


def page_has_no_sideways_scroll(browser) -> bool:
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def csrf_post_status(browser, url: str) -> int:
    """The status of a POST to ``url`` sent from the page with its CSRF token, as a forged button would."""
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const token = document.querySelector('[name=csrfmiddlewaretoken]').value;"
        "fetch(arguments[0], {method: 'POST', credentials: 'same-origin', redirect: 'manual',"
        " headers: {'X-CSRFToken': token}}).then(r => done(r.status), e => done(String(e)));",
        url,
    )


# --- the round page -----------------------------------------------------------------------------


def choose(browser, name: str, value: str) -> None:
    """Pick ``value`` in the proposal form's list ``name``; the form redraws itself (htmx) for it."""
    form = browser.find_element(By.ID, "proposal-form")
    select = Select(form.find_element(By.NAME, name))
    if select.first_selected_option.get_attribute("value") == value:
        return
    select.select_by_value(value)
    wait_until(browser, ec.staleness_of(form), f"the proposal form was not redrawn for {name}={value}")
    wait_until(
        browser,
        lambda b: Select(
            b.find_element(By.CSS_SELECTOR, f"#proposal-form [name={name}]")
        ).first_selected_option.get_attribute("value")
        == value,
        f"the redrawn proposal form does not hold {name}={value}",
    )


def table_position(browser, *, category: str, kind: str, **params: str) -> None:
    """Table a position in the round: choose its category and term, type its figures, record it,
    and wait until the proposals come back with the notice that it is recorded."""
    choose(browser, "clause_category", category)
    choose(browser, "term_kind", kind)
    for name, value in params.items():
        field = wait_until(
            browser, ec.element_to_be_clickable((By.NAME, f"params-{name}")), f"no field for the figure {name}"
        )
        field.clear()
        field.send_keys(value)
    proposals = browser.find_element(By.ID, "proposals")
    browser.find_element(By.CSS_SELECTOR, "#proposal-form > .actions [type=submit]").click()
    section = wait_for_new(browser, proposals, "#proposals")
    errors = [e.text for e in section.find_elements(By.CSS_SELECTOR, ".problem")]
    assert not errors, f"the position on {kind} was refused: {errors}"
    assert section.find_elements(By.CSS_SELECTOR, ".notice[role=status]"), "no notice that the position is recorded"


def type_minutes(browser, text: str) -> str:
    """Type the minutes and wait for the autosave's "saved at" line; returns that line."""
    browser.find_element(By.ID, "minutes-text").send_keys(text)
    saved = zh_pattern("Saved at %(time)s", time=r"\d{2}:\d{2}")
    wait_until(
        browser,
        lambda b: saved.search(b.find_element(By.ID, "minutes-status").text),
        "the minutes were not saved as they were typed",
    )
    return browser.find_element(By.ID, "minutes-status").text


def sign_button(browser) -> list[WebElement]:
    return browser.find_elements(By.CSS_SELECTOR, "#signatures form[action$='/sign/'] [type=submit]")


def sign(browser) -> None:
    """Sign the minutes with the button the page offers this login."""
    (button,) = sign_button(browser)
    signatures = browser.find_element(By.ID, "signatures")
    button.click()
    wait_for_new(browser, signatures, "#signatures")
