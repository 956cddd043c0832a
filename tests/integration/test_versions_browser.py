"""The versions page in a real (headless) browser, as a union negotiator uses it: open a
contract's versions, pick two of them and read the redline side by side, the changed words
marked (<del> on the older side, <ins> on the newer), the typed term worded as people read it;
then pick the first and the last and see a clause added and one removed whole.

Each step is saved as a screenshot at desktop and phone width (the ``screenshot`` fixture, which
also checks that a phone never has to scroll sideways) into VAR_DIR/screenshots/."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select

from contracts.enterprises.models import Role
from contracts.models import Clause
from contracts.rules.terms import TERM_KINDS
from contracts.services.lifecycle import clause_add, clause_delete, clause_update, contract_create
from tests.factories import EnterpriseFactory
from tests.integration.journeys import person, wait_until, zh
from tests.integration.test_pages_browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def marks(browser, clause_id: int, tag: str) -> list[str]:
    """The text of each <del> or <ins> of one clause's redline on the page."""
    return [element.text for element in browser.find_elements(By.CSS_SELECTOR, f"#clause-{clause_id} {tag}")]


def as_seen(browser, element) -> str:
    """An element's text as a sighted reader reads it: without the words only a screen reader says."""
    return browser.execute_script(
        "const copy = arguments[0].cloneNode(true);"
        "copy.querySelectorAll('.sr-only').forEach(e => e.remove());"
        "return copy.textContent.replace(/\\s+/g, ' ').trim();",
        element,
    )


def compare(browser, older: int, newer: int) -> None:
    """Pick two versions in the compare form and send it; wait for the page that answers."""
    form = browser.find_element(By.ID, "compare-form")
    Select(form.find_element(By.NAME, "from")).select_by_value(str(older))
    Select(form.find_element(By.NAME, "to")).select_by_value(str(newer))
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_until(browser, ec.staleness_of(form), f"the comparison of versions {older} and {newer} was not sent")
    wait_until(
        browser,
        lambda b: b.find_elements(By.ID, "redline") or b.find_elements(By.ID, "compare-error"),
        f"the page shows neither the redline of {older} and {newer} nor a refusal",
    )


def test_a_negotiator_picks_two_versions_and_sees_the_changed_words_marked(browser, live_server, screenshot):
    # given a wage contract in three versions: v2 raises the floor and cuts the training hours,
    # v3 adds a payday clause and drops the training clause
    enterprise = EnterpriseFactory(name="华南纺织有限公司", union_name="华南纺织有限公司工会")
    negotiator = person(enterprise, Role.UNION_NEGOTIATOR, "李强")
    contract = contract_create(
        user=negotiator,
        enterprise=enterprise,
        kind="wages",
        title="2027年度工资专项集体合同",
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2027, 12, 31),
        clauses=[
            {"number": "1", "category": "term", "title": "合同期限", "text": "本合同期限为一年。"},
            {
                "number": "2",
                "category": "pay",
                "title": "最低工资",
                "text": "职工月基本工资不低于2600元，按月支付。",
                "terms": [{"kind": "min_monthly_wage", "params": {"amount": "2600"}}],
            },
            {"number": "3", "category": "training", "title": "职业培训", "text": "每年培训不少于四十小时。"},
        ],
    )
    wage = Clause.objects.get(contract=contract, number="2")
    training = Clause.objects.get(contract=contract, number="3")
    training_id = training.pk
    clause_update(
        user=negotiator,
        clause=wage,
        text="职工月基本工资不低于2800元，按月支付。",
        terms=[{"kind": "min_monthly_wage", "params": {"amount": "2800"}}],
    )
    clause_update(user=negotiator, clause=training, text="每年培训不少于三十二小时。")
    payday = clause_add(
        user=negotiator, contract=contract, number="4", category="pay", title="发薪日", text="每月15日前发放上月工资。"
    )
    clause_delete(user=negotiator, clause=Clause.objects.get(pk=training_id))
    assert contract.versions.count() == 5  # drafted, two clauses changed, one added, one removed

    # the negotiator opens the contract's versions: every version listed, newest first
    log_in(browser, live_server, negotiator, path=reverse("contracts:contract_versions", args=[contract.pk]))
    rows = browser.find_elements(By.CSS_SELECTOR, ".versions-table tbody tr")
    assert [row.get_attribute("id") for row in rows] == [f"version-{n}" for n in (5, 4, 3, 2, 1)]
    assert "李强" in rows[0].text
    screenshot(browser, "1-versions")

    # picks version 1 and version 3
    compare(browser, 1, 3)
    assert browser.find_element(By.ID, "redline").is_displayed()
    # then the wage clause shows the figure marked on each side and its term worded old → new
    wage_floor = TERM_KINDS["min_monthly_wage"].describe
    assert marks(browser, wage.pk, "del") == ["2,600", "2600"]
    assert marks(browser, wage.pk, "ins") == ["2,800", "2800"]
    term = as_seen(browser, browser.find_element(By.CSS_SELECTOR, f"#clause-{wage.pk} .term-changes li"))
    assert term.endswith(zh(lambda: f"{wage_floor({'amount': '2600'})} → {wage_floor({'amount': '2800'})}"))
    # and the training clause only the characters that changed: 四十 → 三十二
    assert (marks(browser, training_id, "del"), marks(browser, training_id, "ins")) == (["四"], ["三", "二"])
    assert "第" in browser.find_element(By.CSS_SELECTOR, f"#clause-{wage.pk} .article").text
    # side by side on a desktop: the newer side to the right of the older one
    old_side, new_side = browser.find_elements(By.CSS_SELECTOR, f"#clause-{wage.pk} .side")
    assert new_side.location["x"] > old_side.location["x"]
    assert new_side.location["y"] == old_side.location["y"]
    screenshot(browser, "2-redline-1-3")

    # picks the first and the last: the payday clause added whole, the training clause removed whole
    compare(browser, 1, 5)
    assert marks(browser, payday.pk, "ins") == ["每月15日前发放上月工资。"]
    assert marks(browser, payday.pk, "del") == []
    assert marks(browser, training_id, "del") == ["每年培训不少于四十小时。"]
    assert marks(browser, training_id, "ins") == []
    changes = {
        element.get_attribute("id"): element.get_attribute("data-change")
        for element in browser.find_elements(By.CSS_SELECTOR, "#redline article.clause-diff")
    }
    assert changes == {
        f"clause-{wage.pk}": "changed",
        f"clause-{payday.pk}": "added",
        f"clause-{training_id}": "removed",
    }
    screenshot(browser, "3-redline-1-5")

    # at phone width the two sides are stacked, the older above the newer
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": False}
    )
    try:
        old_side, new_side = browser.find_elements(By.CSS_SELECTOR, f"#clause-{wage.pk} .side")
        assert new_side.location["y"] > old_side.location["y"]
        assert new_side.location["x"] == old_side.location["x"]
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # a version picked twice is a message on the page, not an error page
    compare(browser, 2, 2)
    error = browser.find_element(By.ID, "compare-error")
    assert error.text == zh(lambda: gettext("Those are the same version: choose two different versions."))
    assert not browser.find_elements(By.ID, "redline")
    screenshot(browser, "4-same-version")
