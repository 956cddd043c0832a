"""The contract workspace in a real (headless) browser: a negotiator opens a draft whose wage
floor is below the local minimum wage, edits the clause's term in place (htmx) and sees the
draft check and the moves update; screenshots at desktop and 390 px."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from contracts.enterprises.models import Role
from contracts.models import Clause
from contracts.services.lifecycle import contract_create
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pass-word-123"
WAIT = 10  # seconds


def member(enterprise, role, **fields):
    user = UserFactory(**fields)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    MembershipFactory(user=user, enterprise=enterprise, role=role)
    return user


def log_in(browser, live_server, user, *, path):
    browser.get(f"{live_server.url}{path}")
    assert urlsplit(browser.current_url).path == resolve_url(settings.LOGIN_URL)
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    WebDriverWait(browser, WAIT).until(lambda b: b.current_url == f"{live_server.url}{path}")


@pytest.fixture
def negotiator_and_draft():
    enterprise = EnterpriseFactory(name="东方精密机械有限公司", local_minimum_wage="2690.00")
    negotiator = member(enterprise, Role.UNION_NEGOTIATOR, first_name="丽", last_name="王")
    contract = contract_create(
        user=negotiator,
        enterprise=enterprise,
        kind="general",
        title="东方精密机械有限公司2027—2029年集体合同",
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2029, 12, 31),
        clauses=[
            {
                "number": "1",
                "category": "disputes",
                "title": "争议处理",
                "text": "双方协商解决；协商不成的，申请劳动争议仲裁。",
            },
            {
                "number": "2",
                "category": "pay",
                "title": "最低工资",
                "text": "职工月基本工资不低于当地最低工资标准，按月以货币形式支付。",
                "terms": [{"kind": "min_monthly_wage", "params": {"amount": "2500"}}],
            },
            {"number": "3", "category": "term", "title": "合同期限", "text": "本合同期限为三年。"},
            {
                "number": "4",
                "category": "rest_leave",
                "title": "年休假",
                "text": "职工按工龄享受带薪年休假。",
                "terms": [
                    {
                        "kind": "annual_leave_days",
                        "params": {
                            "tiers": [
                                {"from_years": 1, "days": 5},
                                {"from_years": 10, "days": 10},
                                {"from_years": 20, "days": 15},
                            ]
                        },
                    }
                ],
            },
        ],
    )
    return negotiator, contract


def test_negotiator_raises_a_wage_floor_in_place_and_the_draft_check_updates(
    browser, live_server, screenshot, negotiator_and_draft
):
    negotiator, contract = negotiator_and_draft
    wage = Clause.objects.get(contract=contract, number="2")
    path = f"/contracts/{contract.pk}/"
    log_in(browser, live_server, negotiator, path=path)

    # The wage clause prints first (chapter 1, pay), whatever order it was written in.
    first = browser.find_element(By.CSS_SELECTOR, ".chapter .clause")
    assert first.get_attribute("id") == f"clause-{wage.pk}"
    assert first.find_element(By.CSS_SELECTOR, ".article-no").text == "第一条"
    assert "月基本工资不低于2,500元" in first.text

    # The check names article 1 and the rule; there is no submit button while the floor is not met.
    below = browser.find_element(By.ID, "check-below-floor")
    assert "第一条" in below.text and "R13" in below.text and "2,690" in below.text
    assert not browser.find_elements(By.ID, "move-submit")
    screenshot(browser, "draft-below-floor")

    # Edit the clause in place: the form takes the article's place, its amount preset.
    first.find_element(By.CSS_SELECTOR, f"a[href$='/clauses/{wage.pk}/edit/']").click()
    amount = WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements(By.ID, f"id_clause-form-{wage.pk}-term-min_monthly_wage-amount"),
        message="the clause form did not open in place",
    )[0]
    assert browser.current_url == f"{live_server.url}{path}"
    assert amount.get_attribute("value") == "2500"
    screenshot(browser, "editing")

    # A figure that does not parse is refused beside its field; nothing changes.
    amount.clear()
    amount.send_keys("-1")
    browser.find_element(By.CSS_SELECTOR, f"#clause-form-{wage.pk} button.primary").click()
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, f"#clause-form-{wage.pk} .has-error"),
        message="the refused figure was not marked",
    )
    wage.refresh_from_db()
    assert wage.terms == [{"kind": "min_monthly_wage", "params": {"amount": "2500"}}]

    amount = browser.find_element(By.ID, f"id_clause-form-{wage.pk}-term-min_monthly_wage-amount")
    amount.clear()
    amount.send_keys("2900")
    browser.find_element(By.CSS_SELECTOR, f"#clause-form-{wage.pk} button.primary").click()
    WebDriverWait(browser, WAIT).until(
        lambda b: not b.find_elements(By.ID, "check-below-floor") and b.find_elements(By.ID, f"clause-{wage.pk}"),
        message="the draft check did not update after the save",
    )

    # Saved: the term is worded anew, the floor problem is gone and the draft may go to the congress.
    assert "月基本工资不低于2,900元" in browser.find_element(By.ID, f"clause-{wage.pk}").text
    assert browser.find_elements(By.ID, "move-submit")
    assert browser.find_element(By.CSS_SELECTOR, "#workspace .notice").text
    wage.refresh_from_db()
    assert wage.terms == [{"kind": "min_monthly_wage", "params": {"amount": "2900"}}]
    screenshot(browser, "after-save")


def test_contract_index_at_phone_width(browser, live_server, screenshot, negotiator_and_draft):
    negotiator, contract = negotiator_and_draft
    log_in(browser, live_server, negotiator, path="/contracts/")

    assert contract.title in browser.find_element(By.CSS_SELECTOR, "table.contract-list").text
    screenshot(browser, "index")


def test_union_chief_signs_and_sees_the_employer_chief_still_to_sign(browser, live_server, screenshot):
    from contracts.services.lifecycle import contract_congress_decided, contract_submit_to_congress

    enterprise = EnterpriseFactory(name="东方精密机械有限公司")
    union_chief = member(enterprise, Role.UNION_NEGOTIATOR, first_name="丽", last_name="王")
    employer_chief = member(enterprise, Role.EMPLOYER_NEGOTIATOR, first_name="强", last_name="李")
    contract = contract_create(
        user=union_chief,
        enterprise=enterprise,
        kind="general",
        title="东方精密机械有限公司2027—2029年集体合同",
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2029, 12, 31),
        union_chief=union_chief,
        employer_chief=employer_chief,
        clauses=[{"number": "1", "category": "pay", "title": "工资", "text": "按月支付。"}],
    )
    contract = contract_submit_to_congress(user=union_chief, contract=contract)
    contract_congress_decided(contract=contract, passed=True, user=union_chief)
    path = f"/contracts/{contract.pk}/"
    log_in(browser, live_server, union_chief, path=path)

    browser.find_element(By.CSS_SELECTOR, "#move-sign button").click()
    WebDriverWait(browser, WAIT).until(lambda b: b.find_elements(By.ID, "move-sign-blocked"))

    signatures = browser.find_element(By.CSS_SELECTOR, "#moves .signatures").text
    assert "王丽" in signatures or "丽 王" in signatures
    assert not browser.find_elements(By.ID, "move-sign")
    contract.refresh_from_db()
    assert contract.union_signed_at is not None and contract.employer_signed_at is None
    screenshot(browser, "signed-by-union")
