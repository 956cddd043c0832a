"""The alerts inbox and the notification preferences in a real (headless) browser, as a union
leader uses them: open a breach alert and land on the breach's page, come back to it read, read
one alert in place (htmx, no reload), mark all the rest read, then ask for a daily digest in
English instead of one Chinese e-mail per alert.

Each step is saved as a screenshot at desktop and phone width (the ``screenshot`` fixture, which
also checks that a phone never has to scroll sideways) into VAR_DIR/screenshots/."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

from contracts.compliance.models import Breach
from contracts.compliance.services.runs import breach_facts
from contracts.enterprises.models import Role
from contracts.services.deadline_alerts import FILING, RENEWAL_CLOSES, deadline_alert_raise
from notifications.models import Alert, Level, Mode, Preference
from notifications.services import alert_raise
from tests.factories import EnterpriseFactory, MembershipFactory, contract_in_effect, payroll_check, payroll_csv
from tests.integration.journeys import path_of, person, wait_for_new, wait_for_path, wait_until
from tests.integration.test_pages_browser import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


def row(browser, alert):
    return browser.find_element(By.ID, f"alert-{alert.pk}")


def is_read(browser, alert) -> bool:
    return row(browser, alert).get_attribute("data-read") == "1"


def nav_count(browser) -> str | None:
    """The unread count beside "alerts" in the site's navigation, None when it shows none."""
    inbox = reverse("notifications:alerts")
    counts = browser.find_elements(By.CSS_SELECTOR, f".site-nav a[href='{inbox}'] .count")
    return counts[0].text if counts else None


def alerts_of(enterprise, contract, breach, leader) -> tuple[Alert, Alert, Alert]:
    """The alerts the domain raises for the leader (who also negotiates for the union): the
    breach (with the facts and the link of its breach page), the contract's filing overdue, the
    last day to ask for its renewal coming up. Returned oldest first."""
    (breach_alert,) = alert_raise(
        recipients=[leader.pk],
        level=Level.BREACH,
        template="breach_found",
        context=breach_facts(breach),
        link=reverse("contracts:breach", args=[breach.pk]),
        dedup_key=f"breach:{breach.pk}",
    )
    today = timezone.localdate()
    for kind, due in ((FILING, today - dt.timedelta(days=3)), (RENEWAL_CLOSES, today + dt.timedelta(days=5))):
        deadline_alert_raise(
            kind=kind,
            enterprise=enterprise,
            subject=("contract", contract.pk),
            title=contract.title,
            due=due,
            today=today,
            link=reverse("contracts:contract", args=[contract.pk]),
        )
    overdue = Alert.objects.get(recipient=leader, level=Level.OVERDUE)
    soon = Alert.objects.get(recipient=leader, template="deadline_soon")
    return breach_alert, overdue, soon


def test_a_union_leader_opens_a_breach_alert_marks_the_rest_read_and_chooses_a_daily_digest_in_english(
    browser, live_server, screenshot
):
    # given a breach found in 华南纺织's May payroll (two employees under the contract's 3000 yuan floor)
    enterprise = EnterpriseFactory(name="华南纺织有限公司", union_name="华南纺织有限公司工会")
    officer = person(enterprise, Role.UNION_LEADER, "李强")
    contract = contract_in_effect(enterprise, officer, title="2026—2028年度集体合同")
    payroll_check(officer, enterprise, payroll_csv(("A1", "2025-05", "2900.00"), ("A2", "2025-05", "2950.00")))
    breach = Breach.objects.get(contract=contract)
    # and a union leader, 王丽, with three unread alerts: the breach and two deadlines of the contract
    leader = person(enterprise, Role.UNION_LEADER, "王丽")
    MembershipFactory(user=leader, enterprise=enterprise, role=Role.UNION_NEGOTIATOR)
    breach_alert, overdue, soon = alerts_of(enterprise, contract, breach, leader)
    inbox = reverse("notifications:alerts")

    # she opens the inbox: all three unread, newest first, worded for people
    log_in(browser, live_server, leader, path=inbox)
    rows = browser.find_elements(By.CSS_SELECTOR, "#alerts > li.alert-row")
    assert [r.get_attribute("id") for r in rows] == [f"alert-{a.pk}" for a in (soon, overdue, breach_alert)]
    assert not any(is_read(browser, alert) for alert in (breach_alert, soon, overdue))
    breach_words = row(browser, breach_alert).text
    assert "违约提醒：华南纺织有限公司" in breach_words and "2025-05" in breach_words
    assert "涉及职工人数：2" in breach_words and "差额合计：150.00元" in breach_words
    assert "min_monthly_wage" not in browser.page_source and "breach_found" not in browser.page_source
    assert nav_count(browser) == "3"
    screenshot(browser, "1-inbox")

    # opens the breach alert and lands on the breach's own page
    row(browser, breach_alert).find_element(By.CSS_SELECTOR, "form.alert-open [type=submit]").click()
    wait_for_path(browser, reverse("contracts:breach", args=[breach.pk]))
    assert Alert.objects.get(pk=breach_alert.pk).read_at is not None
    screenshot(browser, "2-the-breach")

    # comes back: the breach alert shows read, the two deadlines still unread
    browser.back()
    wait_for_path(browser, inbox)
    wait_until(browser, lambda b: is_read(b, breach_alert), "coming back, the opened alert does not show read")
    assert not is_read(browser, soon) and not is_read(browser, overdue)

    # marks the filing deadline read in place: the row comes back read, the page does not reload
    browser.execute_script("window.stillTheSamePage = true")
    old = row(browser, soon)
    old.find_element(By.CSS_SELECTOR, "form.alert-read [type=submit]").click()
    new = wait_for_new(browser, old, f"#alert-{soon.pk}")
    assert new.get_attribute("data-read") == "1"
    assert not new.find_elements(By.CSS_SELECTOR, "form.alert-read"), "a read alert offers no 'mark read'"
    assert Alert.objects.get(pk=soon.pk).read_at is not None
    assert Alert.objects.get(pk=overdue.pk).read_at is None
    wait_until(browser, lambda b: "您有1条未读提醒" in b.find_element(By.ID, "alerts-summary").text, "count unchanged")
    wait_until(browser, lambda b: nav_count(b) == "1", "the navigation's count did not follow")
    screenshot(browser, "3-one-read-in-place")

    # marks all the rest read: in place again, with a notice, nothing left to mark
    old_inbox = browser.find_element(By.ID, "inbox")
    browser.find_element(By.CSS_SELECTOR, "#alerts-summary form.alerts-read-all [type=submit]").click()
    wait_for_new(browser, old_inbox, "#inbox")
    assert browser.execute_script("return window.stillTheSamePage") is True
    wait_until(browser, lambda b: all(is_read(b, a) for a in (breach_alert, soon, overdue)), "not all read")
    assert "已将1条提醒标为已读" in browser.find_element(By.ID, "inbox-notice").text
    assert not browser.find_elements(By.CSS_SELECTOR, "form.alert-read, #alerts-summary form")
    assert not Alert.objects.filter(recipient=leader, read_at__isnull=True).exists()
    wait_until(browser, lambda b: nav_count(b) is None, "the navigation still counts unread alerts")
    screenshot(browser, "4-all-read")

    # then goes to her notification preferences: one e-mail per alert, in Chinese, until she changes it
    browser.find_element(By.CSS_SELECTOR, f"main a[href='{reverse('notifications:preferences')}']").click()
    wait_for_path(browser, reverse("notifications:preferences"))
    assert browser.find_element(By.CSS_SELECTOR, f"input[name=mode][value={Mode.IMMEDIATE}]").is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "input[name=language][value=zh-hans]").is_selected()
    assert not browser.find_element(By.CSS_SELECTOR, "input[name=emailed_levels][value=breach]").is_enabled()
    screenshot(browser, "5-preferences")

    # chooses the daily digest, in English, by their labels, and saves
    for name, value in (("mode", Mode.DAILY_DIGEST), ("language", "en")):
        radio = browser.find_element(By.CSS_SELECTOR, f"input[name={name}][value={value}]")
        browser.find_element(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']").click()
    form = browser.find_element(By.ID, "preferences-form")
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_until(browser, ec.staleness_of(form), "the preferences were not sent")

    # sees them saved: a notice, and the page shows her choice
    wait_for_path(browser, reverse("notifications:preferences"))
    notice = browser.find_element(By.CSS_SELECTOR, "main > .notice[role=status]")
    assert notice.text == "您的通知设置已保存。"
    assert browser.find_element(By.CSS_SELECTOR, f"input[name=mode][value={Mode.DAILY_DIGEST}]").is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "input[name=language][value=en]").is_selected()
    saved = Preference.objects.get(user=leader)
    assert (saved.mode, saved.language, saved.opted_out_levels) == (Mode.DAILY_DIGEST, "en", [])
    assert path_of(browser) == reverse("notifications:preferences")
    screenshot(browser, "6-digest-in-english-saved")


@pytest.mark.parametrize("browser_languages", ["en"])
def test_the_inbox_and_the_preferences_read_in_english_for_a_reader_who_asks_for_it(browser, live_server, screenshot):
    # given a union leader whose browser asks for English, with the alerts of the first test
    enterprise = EnterpriseFactory(name="Huanan Textiles", union_name="Huanan Textiles trade union")
    officer = person(enterprise, Role.UNION_LEADER, "Li")
    contract = contract_in_effect(enterprise, officer, title="Collective contract 2026-2028")
    payroll_check(officer, enterprise, payroll_csv(("A1", "2025-05", "2900.00"), ("A2", "2025-05", "2950.00")))
    leader = person(enterprise, Role.UNION_LEADER, "Wang")
    MembershipFactory(user=leader, enterprise=enterprise, role=Role.UNION_NEGOTIATOR)
    breach_alert, overdue, soon = alerts_of(enterprise, contract, breach=Breach.objects.get(), leader=leader)

    log_in(browser, live_server, leader, path=reverse("notifications:alerts"))

    assert browser.find_element(By.TAG_NAME, "h1").text == "Alerts"
    assert "You have 3 unread alerts." in browser.find_element(By.ID, "alerts-summary").text
    assert "Breach at Huanan Textiles" in row(browser, breach_alert).text
    assert "Employees affected: 2" in row(browser, breach_alert).text
    assert "Overdue: filing the signed contract" in row(browser, overdue).text
    assert "(in 5 days)" in row(browser, soon).text
    screenshot(browser, "1-inbox")
    browser.get(f"{live_server.url}{reverse('notifications:preferences')}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Notification preferences"
    assert "one e-mail a day, at 08:00" in browser.find_element(By.ID, "field-mode").text.lower()
    screenshot(browser, "2-preferences")
