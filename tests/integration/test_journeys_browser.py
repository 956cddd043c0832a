"""Journeys through the bargaining and congress pages in a real (headless) browser, as the people
make them: clicking and typing in the pages, one login each, the page read in Chinese.

Each step is saved as a screenshot at desktop and phone width (the ``screenshot`` fixture, which
also checks that a phone never has to scroll sideways) into VAR_DIR/screenshots/."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select

from bargaining.models import ConsultationSession, Side
from bargaining.pages.rounds.shared import side_label
from bargaining.services.proposals import proposal_create
from bargaining.services.sessions import session_create, session_sign
from contracts.enterprises.models import Role
from contracts.models import BallotBox, BallotReceipt, CongressMode, CongressSession
from contracts.rules.decisions import article
from contracts.rules.terms import TERM_KINDS
from contracts.services.congress import congress_result_describe, congress_session_open
from tests.factories import EnterpriseFactory
from tests.integration.conftest import set_viewport
from tests.integration.journeys import (
    another_browser,
    contract_in_congress,
    csrf_post_status,
    log_out,
    negotiation_with_teams,
    page_has_no_sideways_scroll,
    path_of,
    person,
    sign,
    sign_button,
    switch_user,
    table_position,
    type_minutes,
    wait_for_new,
    wait_for_path,
    wait_until,
    zh,
)
from tests.integration.test_pages_browser import http_status, log_in

pytestmark = pytest.mark.django_db(transaction=True)

WAGE, OVERTIME = "min_monthly_wage", "max_overtime_hours_month"
# Each side's figures round by round: (monthly minimum wage in yuan, overtime hours a month at most).
POSITIONS = {
    Side.UNION: [("3500", "20"), ("3300", "24")],
    Side.EMPLOYER: [("2900", "36"), ("3100", "32")],
}
MINUTES = "双方就月最低工资和每月加班时间上限陈述了各自立场。\n下一轮由企业方首席代表主持。"
COUNT_POLL = 3  # seconds: how often the chair's page asks for the count
CHOICES = {"1": "For", "2": "Against", "3": "Abstain"}  # the ballot's field values and their words


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def text_of(browser, selector: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, selector).text


def worded(kind: str, **params: str) -> str:
    return zh(lambda: TERM_KINDS[kind].describe(params))


def round_path(session: ConsultationSession) -> str:
    return url("bargaining:round", session.negotiation_id, session.pk)


def open_a_round_from_the_workspace(browser, negotiation, *, expected_chair: Side, place: str):
    """From the workspace's rounds card to the open form; checks its presets, types the place, returns the form."""
    open_path = url("bargaining:round_open", negotiation.pk)
    browser.find_element(By.CSS_SELECTOR, f"#card-rounds a[href='{open_path}']").click()
    wait_for_path(browser, open_path)
    # The chair R4 assigns is preset, and everyone serving is ticked as present.
    chair = Select(browser.find_element(By.NAME, "chair_side")).first_selected_option
    assert chair.get_attribute("value") == expected_chair
    assert len(browser.find_elements(By.CSS_SELECTOR, "input[name$='_attendees']:checked")) == 6
    browser.find_element(By.NAME, "location").send_keys(place)
    return browser.find_element(By.CSS_SELECTOR, f"main form[action='{open_path}']")


def submit_and_find_round(browser, form, negotiation) -> ConsultationSession:
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_until(browser, lambda b: re.fullmatch(r"/negotiations/\d+/rounds/\d+/", path_of(b)), "the round did not open")
    session = negotiation.sessions.order_by("-round_no").first()
    assert path_of(browser) == round_path(session)
    return session


def signature_cells(browser) -> dict[str, str]:
    """Each side's signature cell in the signatures table, by the side's column label."""
    rows = browser.find_elements(By.CSS_SELECTOR, "#signatures tbody tr")
    return {row.find_elements(By.TAG_NAME, "td")[0].text: row.find_elements(By.TAG_NAME, "td")[2].text for row in rows}


# --- 1. a round recorded and signed ------------------------------------------------------------


def test_a_round_with_two_typed_positions_and_minutes_is_signed_by_both_chiefs_and_frozen(
    browser, live_server, screenshot
):
    negotiation, union_chief, employer_chief = negotiation_with_teams()
    workspace = url("bargaining:negotiation", negotiation.pk)

    # The union's chief opens round 1 from the workspace; the union asked for the talks, so it chairs.
    log_in(browser, live_server, union_chief, path=workspace)
    screenshot(browser, "1-workspace")
    form = open_a_round_from_the_workspace(browser, negotiation, expected_chair=Side.UNION, place="公司三楼第一会议室")
    browser.find_element(By.NAME, "agenda").send_keys("月最低工资\n加班时间")
    screenshot(browser, "2-open-round")
    session = submit_and_find_round(browser, form, negotiation)
    assert (session.round_no, session.chair_side, session.agenda) == (1, Side.UNION, ["月最低工资", "加班时间"])

    # Two positions on two typed topics: a monthly minimum wage in yuan, the most overtime a month.
    wage, overtime = POSITIONS[Side.UNION][0]
    table_position(browser, category="pay", kind=WAGE, amount=wage)
    table_position(browser, category="working_time", kind=OVERTIME, hours=overtime)
    proposals = text_of(browser, "#proposals")
    assert worded(WAGE, amount=wage) in proposals
    assert worded(OVERTIME, hours=overtime) in proposals
    assert list(session.proposals.order_by("pk").values_list("side", "term_kind", "params")) == [
        (Side.UNION, WAGE, {"amount": wage}),
        (Side.UNION, OVERTIME, {"hours": overtime}),
    ]

    # The minutes, saved as they are typed.
    type_minutes(browser, MINUTES)
    session.refresh_from_db()
    assert session.minutes == MINUTES
    screenshot(browser, "3-union-recorded")

    # The employer's chief, with their own login, tables the employer's positions and signs first.
    switch_user(browser, live_server, employer_chief, path=round_path(session))
    wage, overtime = POSITIONS[Side.EMPLOYER][0]
    table_position(browser, category="pay", kind=WAGE, amount=wage)
    table_position(browser, category="working_time", kind=OVERTIME, hours=overtime)
    (button,) = sign_button(browser)
    assert button.text == zh(
        lambda: gettext("Sign the minutes as %(name)s, chief representative of the %(side)s side")
        % {"name": "陈志明", "side": Side.EMPLOYER.label}
    )
    sign(browser)
    cells = signature_cells(browser)
    assert zh(lambda: gettext("not signed yet")) in cells[zh(lambda: side_label(Side.UNION))]
    assert "陈志明" in cells[zh(lambda: side_label(Side.EMPLOYER))]
    assert not sign_button(browser), "the employer's chief has signed: no button is left for them"
    screenshot(browser, "4-employer-signed")

    # The union's chief logs in again and signs: the minutes are final.
    switch_user(browser, live_server, union_chief, path=round_path(session))
    sign(browser)
    session.refresh_from_db()
    assert session.is_signed
    frozen = text_of(browser, "#frozen")
    assert zh(lambda: gettext("Signed by both chief representatives — the minutes can no longer change.")) in frozen
    assert f"R4 · {zh(lambda: article('R4'))}" in frozen
    assert not browser.find_elements(By.ID, "minutes-text"), "signed minutes offer no field to edit"
    assert not browser.find_elements(By.CSS_SELECTOR, "main textarea, #proposal-form, #attendees form")
    assert not sign_button(browser)
    assert text_of(browser, "#minutes .record-text") == MINUTES
    assert "王丽" in signature_cells(browser)[zh(lambda: side_label(Side.UNION))]
    screenshot(browser, "5-frozen")


# --- 2. a second round, and the gap chart ------------------------------------------------------


def signed_first_round(negotiation, union_chief, employer_chief) -> ConsultationSession:
    """Round 1 as the first journey leaves it: both sides' positions, minutes signed by both chiefs."""
    session = session_create(
        user=union_chief,
        negotiation=negotiation,
        held_at=timezone.now(),
        location="公司三楼第一会议室",
        minutes=MINUTES,
    )
    for side, user in ((Side.UNION, union_chief), (Side.EMPLOYER, employer_chief)):
        wage, overtime = POSITIONS[side][0]
        for category, kind, params in (
            ("pay", WAGE, {"amount": wage}),
            ("working_time", OVERTIME, {"hours": overtime}),
        ):
            proposal_create(
                user=user,
                negotiation=negotiation,
                session=session,
                side=side,
                clause_category=category,
                term_kind=kind,
                params=params,
            )
    session_sign(user=union_chief, session=session)
    return session_sign(user=employer_chief, session=session)


def test_a_second_round_moves_both_sides_and_the_workspace_charts_two_rounds_per_topic(
    browser, live_server, screenshot
):
    negotiation, union_chief, employer_chief = negotiation_with_teams()
    signed_first_round(negotiation, union_chief, employer_chief)
    workspace = url("bargaining:negotiation", negotiation.pk)

    # Round 2, opened by the union's negotiator: the employer's chief chairs it, in turn (R4).
    log_in(browser, live_server, union_chief, path=workspace)
    form = open_a_round_from_the_workspace(browser, negotiation, expected_chair=Side.EMPLOYER, place="企业行政楼二楼")
    session = submit_and_find_round(browser, form, negotiation)
    assert (session.round_no, session.chair_side) == (2, Side.EMPLOYER)
    wage, overtime = POSITIONS[Side.UNION][1]
    table_position(browser, category="pay", kind=WAGE, amount=wage)
    table_position(browser, category="working_time", kind=OVERTIME, hours=overtime)

    switch_user(browser, live_server, employer_chief, path=round_path(session))
    wage, overtime = POSITIONS[Side.EMPLOYER][1]
    table_position(browser, category="pay", kind=WAGE, amount=wage)
    table_position(browser, category="working_time", kind=OVERTIME, hours=overtime)
    screenshot(browser, "1-round-2")

    # Back to the workspace by the link above the round: the gap card loads its charts (htmx).
    browser.find_element(By.CSS_SELECTOR, f"main .meta a[href='{workspace}']").click()
    wait_for_path(browser, workspace)
    wait_until(
        browser,
        lambda b: len(b.find_elements(By.CSS_SELECTOR, "#gap-chart .chart svg")) == 2,
        "the gap card did not draw a chart (an svg) for each of the two topics",
    )
    charts = {
        chart.get_attribute("data-chart"): chart
        for chart in browser.find_elements(By.CSS_SELECTOR, "#gap-chart .chart")
    }
    data = {
        chart_id: json.loads(
            browser.find_element(By.CSS_SELECTOR, f"script[id='{chart_id}']").get_attribute("textContent")
        )
        for chart_id in charts
    }
    rounds = [zh(lambda n=n: gettext("Round %(n)s") % {"n": n}) for n in (1, 2)]
    sides = [zh(lambda side=side: side_label(side)) for side in Side]
    by_unit = {chart["unit"]: chart for chart in data.values()}
    assert set(by_unit) == {zh(lambda: gettext("yuan")), zh(lambda: gettext("hours"))}
    for unit, figure in ((zh(lambda: gettext("yuan")), 0), (zh(lambda: gettext("hours")), 1)):
        chart = by_unit[unit]
        assert chart["rounds"] == rounds
        assert [line["name"] for line in chart["series"]] == sides
        # Both sides moved between the rounds: the union down, the employer up (or fewer hours).
        assert {line["name"]: line["values"] for line in chart["series"]} == {
            sides[index]: [int(POSITIONS[side][n][figure]) for n in (0, 1)] for index, side in enumerate(Side)
        }
    for chart_id, chart in charts.items():
        size = chart.size
        assert size["width"] > 150 and size["height"] > 100, f"chart {chart_id} is drawn {size}"
        # The same figures as a table under the chart: a row per round.
        rows = chart.find_elements(By.XPATH, "following-sibling::table[1]/tbody/tr")
        assert [row.find_element(By.TAG_NAME, "td").text for row in rows] == rounds
    screenshot(browser, "2-workspace-gap")


# --- 3. a secret ballot on the delegates' phones -----------------------------------------------


def ballot_word(key: str) -> str:
    return zh(lambda: pgettext("ballot choice", CHOICES[key]))


def vote(phone, key: str, *, change_from: str | None = None) -> None:
    """Tap a choice, see it in the confirmation, confirm; ``change_from``: first tap that one, then "change"."""
    if change_from:
        phone.find_element(By.CSS_SELECTOR, f"label[for='pick-{change_from}']").click()
        confirm = phone.find_element(By.CSS_SELECTOR, f"form.confirm-{change_from}")
        wait_until(phone, lambda b: confirm.is_displayed(), "no confirmation after the tap")
        confirm.find_element(By.CSS_SELECTOR, "label[for='pick-none']").click()
        wait_until(phone, lambda b: b.find_element(By.CSS_SELECTOR, "#ballot .pick").is_displayed(), "no change")
    phone.find_element(By.CSS_SELECTOR, f"label[for='pick-{key}']").click()
    confirm = phone.find_element(By.CSS_SELECTOR, f"form.confirm-{key}")
    wait_until(phone, lambda b: confirm.is_displayed(), "no confirmation after the tap")
    assert not phone.find_element(By.CSS_SELECTOR, "#ballot .pick").is_displayed()
    assert confirm.find_element(By.CSS_SELECTOR, ".choice-chosen").text == ballot_word(key)
    assert page_has_no_sideways_scroll(phone)


def confirm_vote(phone, key: str) -> None:
    ballot = phone.find_element(By.ID, "ballot")
    phone.find_element(By.CSS_SELECTOR, f"form.confirm-{key} [type=submit]").click()
    wait_for_new(phone, ballot, "#ballot")
    wait_until(phone, ec.presence_of_element_located((By.CSS_SELECTOR, "#ballot .receipt")), "no receipt")


def wait_for_count(browser, cast: int) -> None:
    wait_until(
        browser,
        lambda b: b.find_element(By.CSS_SELECTOR, "#count [role=progressbar]").get_attribute("aria-valuenow")
        == str(cast),
        f"the chair's count did not reach {cast}",
        timeout=COUNT_POLL * 2 + 2,
    )


def open_a_congress_session(browser, contract, *, delegates_total: int, mode: str) -> CongressSession:
    """From the congress index (the draft waiting for the congress) through the open form."""
    open_path = url("contracts:congress_open", contract.pk)
    browser.find_element(By.CSS_SELECTOR, f"#awaiting a[href='{open_path}']").click()
    wait_for_path(browser, open_path)
    browser.find_element(By.NAME, "delegates_total").send_keys(str(delegates_total))
    browser.find_element(By.CSS_SELECTOR, f"input[name=mode][value={mode}]").click()
    return browser.find_element(By.CSS_SELECTOR, "main form.stacked")


def read_the_closing_code(browser) -> str:
    """The closing code as the page shows it once, after the opening: its groups of four signs."""
    wait_until(
        browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".closing-code span")), "no closing code shown"
    )
    groups = [span.text for span in browser.find_elements(By.CSS_SELECTOR, ".closing-code span")]
    assert len(groups) == 8 and all(re.fullmatch(r"[0-9A-Z]{4}", group) for group in groups), groups
    return "-".join(groups)


def close_the_vote(browser, closing_code: str | None = None) -> None:
    close = browser.find_element(By.ID, "close")
    if closing_code is not None:
        close.find_element(By.NAME, "closing_code").send_keys(closing_code)
    close.find_element(By.NAME, "confirm").click()
    close.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_for_new(browser, close, "#result")


def assert_result(browser, session: CongressSession, *, passed: bool) -> None:
    session.refresh_from_db()
    badge = zh(lambda: gettext("Passed" if passed else "Not passed"))
    assert text_of(browser, "#state") == badge
    assert text_of(browser, "#result h2 .badge") == badge
    assert text_of(browser, "#result .rule") == f"R6 · {zh(lambda: article('R6'))}"
    reason = zh(lambda: congress_result_describe(session.result)["reason"])
    assert browser.find_elements(By.CSS_SELECTOR, "#result > p")[0].text == reason
    assert session.passed is passed


def test_delegates_vote_on_their_phones_while_the_chair_watches_the_count_then_closes_with_r6(
    browser, live_server, screenshot, tmp_path
):
    enterprise = EnterpriseFactory(name="华南纺织有限公司", union_name="华南纺织有限公司工会")
    chair = person(enterprise, Role.UNION_NEGOTIATOR, "王丽")
    delegates = [person(enterprise, Role.CONGRESS_DELEGATE, name) for name in ("周敏", "吴刚", "郑红")]
    contract = contract_in_congress(enterprise, chair)

    # The chair opens a session of secret ballots for a congress of four delegates.
    log_in(browser, live_server, chair, path=url("contracts:congress_index"))
    form = open_a_congress_session(browser, contract, delegates_total=4, mode=CongressMode.BALLOT)
    screenshot(browser, "1-chair-opens")
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    # The answer to the opening shows the closing code, once; the chair keeps it and goes on.
    closing_code = read_the_closing_code(browser)
    session = CongressSession.objects.get(contract=contract)
    session_path = url("contracts:congress_session", session.pk)
    assert (
        browser.find_element(By.CSS_SELECTOR, "#closing-code .actions a.primary").get_attribute("pathname")
        == session_path
    )
    screenshot(browser, "1b-closing-code")
    browser.find_element(By.CSS_SELECTOR, "#closing-code .actions a.primary").click()
    wait_for_path(browser, session_path)
    wait_for_count(browser, 0)
    assert not browser.find_elements(By.ID, "ballot"), "the chair is no delegate: no ballot"

    # Three delegates, one after another on the same phone, each with their own login.
    with another_browser(tmp_path / "phone") as phone:
        set_viewport(phone, 390, 844)
        for number, delegate in enumerate(delegates, start=1):
            log_in(phone, live_server, delegate, path=session_path)
            assert phone.execute_script("return window.innerWidth") == 390
            if number == 1:
                screenshot(phone, "2-delegate-ballot")
            # The second one taps "against" first, then changes their mind before confirming.
            vote(phone, "1", change_from="2" if number == 2 else None)
            if number == 1:
                screenshot(phone, "3-delegate-confirms")
            confirm_vote(phone, "1")
            main = text_of(phone, "main")
            assert zh(lambda: gettext("Your vote was counted.")) in text_of(phone, "#ballot .receipt")
            assert not [word for word in map(ballot_word, CHOICES) if word in main], "the receipt tells the choice"
            assert not phone.find_elements(By.CSS_SELECTOR, "[name=choice], [name=pick]")
            assert page_has_no_sideways_scroll(phone)
            if number == 1:
                screenshot(phone, "4-delegate-receipt")
            # The chair's page counts the ballot, never the choice.
            wait_for_count(browser, number)
            log_out(phone)

    assert BallotReceipt.objects.filter(session=session).count() == 3
    assert "done" in browser.find_element(By.ID, "quorum-state").get_attribute("class")
    screenshot(browser, "5-chair-count")

    # The chair closes the vote: 3 of 4 attended (two thirds), 3 of 4 voted for (more than half).
    browser.find_element(By.NAME, "closing_code").send_keys(closing_code)
    screenshot(browser, "5b-chair-close-form")
    browser.find_element(By.NAME, "closing_code").clear()
    close_the_vote(browser, closing_code)
    assert_result(browser, session, passed=True)
    session.refresh_from_db()
    assert (session.yes, session.no, session.abstain) == (3, 0, 0)
    assert not BallotBox.objects.filter(session=session).exists(), "the ballot box is deleted at close"
    screenshot(browser, "6-chair-result")


# --- 4. a paper tally one vote short -----------------------------------------------------------


def test_a_paper_tally_one_vote_short_of_more_than_half_of_all_delegates_is_not_passed_with_r6(
    browser, live_server, screenshot
):
    enterprise = EnterpriseFactory(name="华南纺织有限公司", union_name="华南纺织有限公司工会")
    chair = person(enterprise, Role.UNION_LEADER, "黄建国")
    contract = contract_in_congress(enterprise, chair)

    log_in(browser, live_server, chair, path=url("contracts:congress_index"))
    form = open_a_congress_session(browser, contract, delegates_total=30, mode=CongressMode.TALLY)
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_until(browser, lambda b: re.fullmatch(r"/congress/\d+/", path_of(b)), "the session did not open")
    session = CongressSession.objects.get(contract=contract)

    # 30 delegates, 20 present (two thirds exactly), 15 for: 16 would be more than half of all.
    tally = browser.find_element(By.ID, "tally")
    for name, figure in (("present", 20), ("yes", 15), ("no", 4), ("abstain", 1)):
        tally.find_element(By.NAME, name).send_keys(str(figure))
    screenshot(browser, "1-tally")
    tally.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    tally = wait_for_new(browser, tally, "#tally")
    assert tally.find_element(By.CSS_SELECTOR, ".notice").text == zh(
        lambda: gettext(
            "A count is recorded (%(present)s delegates present). Entering it again replaces it; "
            "the votes show when the session closes."
        )
        % {"present": 20}
    )
    screenshot(browser, "2-tally-recorded")

    close_the_vote(browser)
    assert_result(browser, session, passed=False)
    assert (session.result["yes_needed"], session.result["quorum_met"]) == (16, True)
    figures = {
        row.find_element(By.TAG_NAME, "th").text: row.find_element(By.TAG_NAME, "td").text
        for row in browser.find_elements(By.CSS_SELECTOR, "#result table.figures tr")
    }
    assert figures[zh(lambda: pgettext("paper tally", "Votes for"))] == "15"
    screenshot(browser, "3-not-passed")


# --- 5. who may do what, through the pages -----------------------------------------------------


def test_a_delegate_reads_the_workspace_and_round_without_forms_and_is_refused_payroll_and_breaches(
    browser, live_server, screenshot
):
    negotiation, union_chief, employer_chief = negotiation_with_teams()
    signed_first_round(negotiation, union_chief, employer_chief)
    second = session_create(
        user=union_chief, negotiation=negotiation, held_at=timezone.now(), location="企业行政楼二楼", minutes="记录中"
    )
    delegate = person(negotiation.enterprise, Role.CONGRESS_DELEGATE, "周敏")
    workspace = url("bargaining:negotiation", negotiation.pk)

    log_in(browser, live_server, delegate, path=workspace)
    assert text_of(browser, "#read-only") == zh(
        lambda: gettext("You can follow these talks; only the negotiators of each side can change them.")
    )
    assert not browser.find_elements(By.CSS_SELECTOR, "main form, main details"), "the delegate is offered a form"
    assert not browser.find_elements(By.CSS_SELECTOR, f"a[href='{url('bargaining:round_open', negotiation.pk)}']")
    wait_until(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#gap-chart .chart svg"), "no gap chart")
    screenshot(browser, "1-workspace")

    # The round still being recorded: read-only for the delegate too.
    browser.find_element(By.CSS_SELECTOR, f"#card-rounds a[href='{round_path(second)}']").click()
    wait_for_path(browser, round_path(second))
    assert not browser.find_elements(By.CSS_SELECTOR, "main form, main textarea"), "the delegate may edit the round"
    assert text_of(browser, "#minutes .record-text") == "记录中"
    screenshot(browser, "2-round")

    statuses = {
        name: http_status(browser, f"{live_server.url}{url(name)}")
        for name in ("contracts:payroll", "contracts:breaches")
    }
    browser.get(f"{live_server.url}{url('contracts:payroll')}")
    screenshot(browser, "3-payroll")
    assert statuses == {"contracts:payroll": 403, "contracts:breaches": 403}


def test_an_employer_negotiator_cannot_sign_for_the_union(browser, live_server, screenshot):
    negotiation, union_chief, employer_chief = negotiation_with_teams()
    session = session_create(
        user=union_chief,
        negotiation=negotiation,
        held_at=timezone.now(),
        location="公司三楼第一会议室",
        minutes=MINUTES,
    )
    other_negotiator = person(negotiation.enterprise, Role.EMPLOYER_NEGOTIATOR, "刘洋")
    sign_path = url("bargaining:round_sign", negotiation.pk, session.pk)
    union_column = zh(lambda: side_label(Side.UNION))
    unsigned = zh(lambda: gettext("not signed yet"))

    # The employer's chief: the one button signs for the employer; then none is left.
    log_in(browser, live_server, employer_chief, path=round_path(session))
    (button,) = sign_button(browser)
    assert zh(lambda: str(Side.EMPLOYER.label)) in button.text
    assert zh(lambda: str(Side.UNION.label)) not in button.text
    sign(browser)
    assert unsigned in signature_cells(browser)[union_column]
    assert not sign_button(browser)
    assert csrf_post_status(browser, sign_path) == 409
    screenshot(browser, "1-employer-chief")

    # Another employer negotiator, no chief: no button, and a signature sent anyway is refused.
    switch_user(browser, live_server, other_negotiator, path=round_path(session))
    assert not sign_button(browser)
    assert unsigned in signature_cells(browser)[union_column]
    assert csrf_post_status(browser, sign_path) == 403
    screenshot(browser, "2-employer-negotiator")

    session.refresh_from_db()
    assert (session.union_signed_at, session.union_signed_by) == (None, None)
    assert session.employer_signed_by.name == "陈志明"


def test_a_user_of_another_enterprise_gets_404_on_its_negotiation_round_and_congress(browser, live_server, screenshot):
    negotiation, union_chief, employer_chief = negotiation_with_teams()
    session = signed_first_round(negotiation, union_chief, employer_chief)
    contract = contract_in_congress(negotiation.enterprise, union_chief)
    congress = congress_session_open(
        user=union_chief, contract=contract, delegates_total=5, held_on=timezone.localdate(), mode=CongressMode.BALLOT
    )
    outsider = person(EnterpriseFactory(name="西北重工集团"), Role.UNION_NEGOTIATOR, "孙涛")

    log_in(browser, live_server, outsider)
    paths = {
        "negotiation": url("bargaining:negotiation", negotiation.pk),
        "round": round_path(session),
        "round_open": url("bargaining:round_open", negotiation.pk),
        "gap": url("bargaining:gap", negotiation.pk),
        "congress_session": url("contracts:congress_session", congress.pk),
        "congress_count": url("contracts:congress_count", congress.pk),
        "congress_open": url("contracts:congress_open", contract.pk),
    }
    statuses = {name: http_status(browser, f"{live_server.url}{path}") for name, path in paths.items()}
    assert statuses == dict.fromkeys(paths, 404)

    browser.get(f"{live_server.url}{paths['negotiation']}")
    assert negotiation.title not in browser.page_source
    assert negotiation.enterprise.name not in browser.page_source
    screenshot(browser, "1-not-found")
    browser.get(f"{live_server.url}{url('contracts:congress_index')}")
    assert contract.title not in browser.page_source
