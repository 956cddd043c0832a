"""Every page under the Content-Security-Policy, in a real (headless) browser: the demo's people
read each page at desktop (1280 px) and phone (390 px) width and the browser refuses nothing —
no inline style, script or handler, no eval (its console would say "Refused to …" or "… violates
the following Content Security Policy directive …"). Also the login page, the Django admin, the
Swagger UI, and the charts' tooltips, which ECharts would otherwise write as HTML with style="…"."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.integration.conftest import SCREENSHOT_SIZES, set_viewport
from tests.test_pages_as_people_read_them import PAGES, READERS, demo  # noqa: F401 (demo is a fixture)

# The pages outside the apps' namespaces a person reads too: their API tokens.
EVERY_PAGE = {**PAGES, "auth_pages:tokens": lambda objects: []}

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10  # seconds
DESKTOP, PHONE = SCREENSHOT_SIZES
PASSWORD = "csp-browser-pass-123"
# Pages seen in screenshots (desktop and phone) to check they still look right.
SCREENSHOTS = ("bargaining:home", "bargaining:negotiation", "bargaining:round", "bargaining:gap", "contracts:breaches")


def refusals(driver) -> list[str]:
    """What the browser refused under the policy since the console was last read (reading empties it)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
    ]


def settle(driver) -> None:
    """Wait until the page has loaded and htmx has no request in flight (fragments loaded on
    ``hx-trigger="load"`` are in the page), then two animation frames."""
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && !document.querySelector('.htmx-request')"
        ),
        message=f"{driver.current_url} did not settle",
    )
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
    )


def sign_in(driver, live_server, username: str) -> None:
    """The browser holds ``username``'s session (made by the test client: no login form to type)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    driver.get(f"{live_server.url}/static/concord.css")  # a page of the site, to set its cookie
    driver.delete_all_cookies()
    driver.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"}
    )


def http_status(driver, url: str) -> int:
    """The status of ``url`` fetched by the page, with the browser's cookies."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status), e => done(0));",
        url,
    )


def read_at_both_widths(driver, url: str) -> list[str]:
    """Open ``url`` at desktop width, then make the viewport a phone's (the page lays itself out
    again and the charts redraw); what the browser refused meanwhile."""
    set_viewport(driver, *DESKTOP)
    driver.get(url)
    settle(driver)
    found = refusals(driver)
    set_viewport(driver, *PHONE)
    settle(driver)
    return found + refusals(driver)


def test_every_page_the_demo_people_read_runs_under_the_policy(browser, live_server, demo, screenshot):  # noqa: F811
    found = {}
    for username in READERS:
        sign_in(browser, live_server, username)
        for name, arguments in EVERY_PAGE.items():
            url = live_server.url + reverse(name, args=arguments(demo))
            refused = read_at_both_widths(browser, url)
            if (status := http_status(browser, url)) >= 500:  # an error page would refuse nothing
                refused.append(f"HTTP {status}")
            # htmx adds no <style> and evals nothing, whichever htmx-config meta it read (base.html's or
            # the page's); a fragment (a row's or a count's state, polled by its page) has no htmx.
            config = browser.execute_script(
                "return window.htmx ? [htmx.config.includeIndicatorStyles, htmx.config.allowEval] : null"
            )
            if config not in (None, [False, False]):
                refused.append(f"htmx config includeIndicatorStyles, allowEval = {config}")
            if refused:
                found[username, name] = refused
            if username == "demo" and name in SCREENSHOTS:
                browser.get(url)
                settle(browser)
                screenshot(browser, name.replace(":", "-"))
                refused = refusals(browser)
                if refused:
                    found[username, name, "screenshot"] = refused
    assert found == {}


def test_chart_tooltips_are_drawn_without_inline_styles(browser, live_server, demo):  # noqa: F811
    """ECharts writes its HTML tooltips with style="…" (refused); ours are drawn in the chart."""
    sign_in(browser, live_server, "demo")
    found = {}
    for name, selector in (("bargaining:gap", "[data-chart]"), ("contracts:breaches", "[data-heatmap]")):
        url = live_server.url + reverse(name, args=PAGES[name](demo))
        set_viewport(browser, *DESKTOP)
        browser.get(url)
        settle(browser)
        charts = browser.find_elements(By.CSS_SELECTOR, selector)
        assert charts, f"no chart on {name}"
        WebDriverWait(browser, WAIT).until(
            lambda b, charts=charts: all(chart.get_attribute("data-drawn") for chart in charts),
            message=f"{name}: not drawn",
        )
        for chart in charts[:2]:
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
            width, height = chart.size["width"], chart.size["height"]
            for x, y in ((0.3, 0.5), (0.5, 0.4), (0.7, 0.6)):
                ActionChains(browser).move_to_element_with_offset(
                    chart, int(width * (x - 0.5)), int(height * (y - 0.5))
                ).perform()
                settle(browser)
        refused = refusals(browser)
        if refused:
            found[name] = refused
    assert found == {}


def test_login_admin_and_api_docs_run_under_the_policy(browser, live_server, demo):  # noqa: F811
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    found = {}

    # The login page, and logging in through it (the form posts to the site itself: form-action).
    refused = read_at_both_widths(browser, f"{live_server.url}/accounts/login/?next=/")
    browser.find_element(By.NAME, "username").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    WebDriverWait(browser, WAIT).until(lambda b: b.current_url == f"{live_server.url}/", message="login failed")
    settle(browser)
    if refused := refused + refusals(browser):
        found["login"] = refused

    # The admin: its index, a list, a change form with its widgets, an add form, the history.
    user_admin = reverse("admin:auth_user_change", args=[admin.pk])
    for path in (
        reverse("admin:index"),
        reverse("admin:auth_user_changelist"),
        user_admin,
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_history", args=[admin.pk]),
    ):
        if refused := read_at_both_widths(browser, live_server.url + path):
            found[path] = refused
    browser.get(live_server.url + user_admin)
    assert browser.find_elements(By.CSS_SELECTOR, "#user_form"), "the admin's change form did not render"

    # The Swagger UI draws the schema: its start script came from /api/docs/?script, not inline.
    refused = read_at_both_widths(browser, f"{live_server.url}/api/docs/")
    set_viewport(browser, *DESKTOP)
    WebDriverWait(browser, WAIT).until(
        lambda b: settings.SPECTACULAR_SETTINGS["TITLE"] in b.find_element(By.ID, "swagger-ui").text,
        message="Swagger UI did not render the schema",
    )
    assert not browser.find_elements(By.CSS_SELECTOR, "script:not([src])"), "an inline script on /api/docs/"
    if refused := refused + refusals(browser):
        found["/api/docs/"] = refused
    assert found == {}
