"""Payroll compliance in a real (headless) browser, with the real worker: a union leader uploads
a payroll file with planted breaches, watches the import finish, finds the breaches on the heat
map, opens one, downloads its findings (XLSX) and issues a rectification notice; the employer's
negotiator disputes it with a reason. A rejected file shows its problems as a table.

Elements are found by id, name, data attributes or address, not by their English words; what
the pages say is compared with the Chinese catalogue (the browser asks for Chinese)."""

import base64
import io
import re
import time

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from contracts.compliance.exports import finding_headers
from contracts.compliance.models import Breach, BreachStatus, ImportStatus, PayrollImport
from contracts.enterprises.models import Role
from contracts.models import Document, DocumentKind, DocumentStatus
from contracts.rules.terms import TERM_KINDS
from contracts.rules.terms.payroll import UNIT_FEN
from contracts.rules.units import quantity_text
from tests.factories import EnterpriseFactory, contract_in_effect
from tests.integration.journeys import path_of, person, switch_user, wait_for_path, wait_until, zh
from tests.integration.test_pages_browser import log_in

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

IMPORT_WAIT = 120  # seconds at most for the worker to import and check a file (CI runs on 2 busy cores)
NOTICE_WAIT = 180  # seconds at most for the worker to write a notice and its PDF (LibreOffice)

MIN_WAGE = {"kind": "min_monthly_wage", "params": {"amount": "4000"}}
OVERTIME = {"kind": "max_overtime_hours_month", "params": {"hours": "36"}}
HYPERLINK = '=HYPERLINK("http://evil.example/","点我")'


def planted_payroll() -> bytes:
    """Six employees, January to March 2025, as an HR system exports it (Chinese headers, GB18030):
    A1005 earns 3,900 CNY every month, under the 4,000 floor; in March A1002 and an employee whose
    id is a spreadsheet formula fall under it too; in February A1003 and A1004 work 40 and 48 hours
    of overtime, over the 36 allowed."""
    lines = ["员工编号,姓名,月份,基本工资,加班小时"]
    wages = {"A1001": 5200, "A1002": 4800, "A1003": 4500, "A1004": 4600, "A1005": 3900, HYPERLINK: 4100}
    for month in (1, 2, 3):
        for employee, wage in wages.items():
            overtime = {("A1003", 2): 40, ("A1004", 2): 48}.get((employee, month), 12)
            if month == 3 and employee == "A1002":
                wage = 3500
            if month == 3 and employee == HYPERLINK:
                wage = 3800
            cell = '"' + employee.replace('"', '""') + '"'
            lines.append(f'{cell},员工{employee[-1]},2025{month:02d},"{wage:,}.00",{overtime}')
    return ("\n".join(lines) + "\n").encode("gb18030")


REJECTED = "工号,月份,基本工资\nA1,2025-03,-3000\nA2,2025-14,3000\nA3,2025-03,\n".encode("gb18030")


def upload(browser, tmp_path, enterprise, content: bytes, name: str) -> PayrollImport:
    """Upload ``content`` with the page's form; returns the import it made."""
    path = tmp_path / name
    path.write_bytes(content)
    before = set(PayrollImport.objects.values_list("pk", flat=True))
    form = browser.find_element(By.ID, "upload")
    Select(form.find_element(By.NAME, "enterprise")).select_by_value(str(enterprise.pk))
    form.find_element(By.NAME, "file").send_keys(str(path))
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    payroll = wait_until(
        browser,
        lambda b: PayrollImport.objects.exclude(pk__in=before).first() if "#import-" in b.current_url else None,
        "the upload did not come back to the list of imports",
    )
    assert browser.current_url.endswith(f"/payroll/#import-{payroll.pk}")
    return payroll


def wait_for_status(browser, payroll, status: str, worker) -> None:
    """Wait, on the list that asks again while the import is checked, until it shows ``status``
    and nothing is being checked any more."""

    def done(b):
        worker.assert_running()
        row = b.find_element(By.ID, f"import-{payroll.pk}")
        return row.get_attribute("data-status") == status and not b.find_elements(
            By.CSS_SELECTOR, "#imports-box[hx-get]"
        )

    wait_until(browser, done, f"the import did not end {status} on the page; worker log:\n{worker.log()}", IMPORT_WAIT)


def fetch_bytes(browser, url: str) -> tuple[int, str, bytes]:
    """``url`` fetched by the page with the browser's cookies: status, content type, body."""
    status, kind, body = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(async r => {"
        "  const bytes = new Uint8Array(await r.arrayBuffer()); let s = '';"
        "  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);"
        "  done([r.status, r.headers.get('content-type'), btoa(s)]);"
        "}, e => done([0, String(e), '']));",
        url,
    )
    return status, kind, base64.b64decode(body)


def t(message: str) -> str:
    """``message`` as the Chinese page says it."""
    return zh(lambda: gettext(message))


def money(fen: int) -> str:
    return zh(lambda: quantity_text(fen, UNIT_FEN))


def headers_in_chinese() -> list[str]:
    with translation.override("zh-hans"):
        return finding_headers(UNIT_FEN)


def cell_text(element) -> str:
    return " ".join(element.text.split())


def test_a_leader_finds_planted_breaches_on_the_heat_map_exports_one_and_the_employer_disputes_it(
    browser, live_server, screenshot, celery_worker, remove_stored_files, tmp_path
):
    enterprise = EnterpriseFactory(name="华南纺织有限公司", union_name="华南纺织有限公司工会")
    leader = person(enterprise, Role.UNION_LEADER, "周建国")
    employer = person(enterprise, Role.EMPLOYER_NEGOTIATOR, "陈志明")
    contract = contract_in_effect(enterprise, leader, title="2025年集体合同", terms=[MIN_WAGE, OVERTIME])
    wage_label = zh(lambda: TERM_KINDS["min_monthly_wage"].label)
    overtime_label = zh(lambda: TERM_KINDS["max_overtime_hours_month"].label)

    # the leader uploads the payroll and watches its import and checks finish on the list
    log_in(browser, live_server, leader, path=reverse("contracts:payroll"))
    screenshot(browser, "1-payroll-form")
    payroll = upload(browser, tmp_path, enterprise, planted_payroll(), "2025年一季度工资.csv")
    wait_for_status(browser, payroll, ImportStatus.ACCEPTED, celery_worker)
    row = browser.find_element(By.ID, f"import-{payroll.pk}")
    cells = {td.get_attribute("data-label"): cell_text(td) for td in row.find_elements(By.TAG_NAME, "td")}
    assert cells[t("Rows")] == "18"
    assert cells[t("Periods")] == "2025-01 – 2025-03"
    link = row.find_element(By.CSS_SELECTOR, "a.import-breaches")
    assert link.get_attribute("href").endswith(f"/breaches/?payroll_import={payroll.pk}")
    assert re.fullmatch(r"4\D+", cell_text(link))  # the floor in January, February, March; overtime in February
    assert zh(lambda: ImportStatus.ACCEPTED.label) in cells[t("Status")]
    screenshot(browser, "2-import-accepted")

    # the import's breaches, on the heat map: one row per commitment, one column per month
    link.click()
    wait_for_path(browser, reverse("contracts:breaches"))
    wait_until(
        browser,
        lambda b: b.find_element(By.CSS_SELECTOR, "[data-heatmap]").get_attribute("data-drawn") == "1",
        "the heat map was not drawn",
    )
    chart = browser.find_element(By.CSS_SELECTOR, "[data-heatmap]")
    assert chart.find_elements(By.TAG_NAME, "svg")
    screenshot(browser, "3-heat-map")
    table = browser.find_element(By.ID, "heatmap-table")
    if not table.is_displayed():  # the chart shows it; its table is one click away
        browser.find_element(By.CSS_SELECTOR, "details.heatmap-table summary").click()
    columns = [cell_text(th) for th in table.find_elements(By.CSS_SELECTOR, "thead th")][1:]
    assert columns == ["2025-01", "2025-02", "2025-03"]
    grid = {}
    for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
        heading = cell_text(tr.find_element(By.TAG_NAME, "th"))
        for column, td in zip(columns, tr.find_elements(By.TAG_NAME, "td"), strict=True):
            grid[(heading, column)] = cell_text(td)
    assert grid == {
        (f"第一条 {wage_label}", "2025-01"): "1",
        (f"第一条 {wage_label}", "2025-02"): "1",
        (f"第一条 {wage_label}", "2025-03"): "3",
        (f"第一条 {overtime_label}", "2025-01"): "",
        (f"第一条 {overtime_label}", "2025-02"): "2",
        (f"第一条 {overtime_label}", "2025-03"): "",
    }

    # a click on the chart's cell opens the list of its breaches, as its table link does: under
    # the wage floor in March (column 2, row 0)
    link = table.find_element(By.CSS_SELECTOR, "a[data-period='2025-03']").get_attribute("href")
    x, y, width, height = browser.execute_script(
        "const element = arguments[0], chart = echarts.getInstanceByDom(element);"
        "const [x, y] = chart.convertToPixel({seriesIndex: 0}, [2, 0]);"
        "return [x, y, element.offsetWidth, element.offsetHeight];",
        chart,
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
    ActionChains(browser).move_to_element_with_offset(chart, int(x - width / 2), int(y - height / 2)).click().perform()
    wait_until(browser, lambda b: "period=2025-03" in b.current_url, "the chart's cell did not open its breaches")
    assert browser.current_url == link
    assert "term=min_monthly_wage" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "#breaches tbody tr[id^=breach-]")
    breach = Breach.objects.get(contract=contract, term_kind="min_monthly_wage", period="2025-03")
    assert [row.get_attribute("id") for row in rows] == [f"breach-{breach.pk}"]
    screenshot(browser, "4-the-cell-s-breaches")

    # the breach: its clause by printed article, its rule, its findings largest shortfall first
    rows[0].find_element(By.CSS_SELECTOR, f"a[href='{reverse('contracts:breach', args=[breach.pk])}']").click()
    wait_for_path(browser, reverse("contracts:breach", args=[breach.pk]))
    assert cell_text(browser.find_element(By.ID, "clause")).startswith("第一条")
    assert cell_text(browser.find_element(By.ID, "affected")) == "3"
    assert cell_text(browser.find_element(By.ID, "total")) == money(800_00)
    assert "R13" in cell_text(browser.find_element(By.ID, "rule"))
    findings = [
        [cell_text(td) for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in browser.find_elements(By.CSS_SELECTOR, "#findings-table tbody tr")
    ]
    assert [finding[0] for finding in findings] == ["A1002", HYPERLINK, "A1005"]
    assert findings[0][2:] == [money(4000_00), money(3500_00), money(500_00)]
    screenshot(browser, "5-breach")

    # a click on a header sorts the findings in place (htmx), smallest shortfall first
    browser.execute_script("window.stillTheSamePage = true")
    browser.find_element(By.CSS_SELECTOR, "#findings-table th a[data-sort='shortfall']").click()
    wait_until(
        browser,
        lambda b: cell_text(b.find_element(By.CSS_SELECTOR, "#findings-table tbody tr td")) in ("A1005", HYPERLINK),
        "the findings were not sorted again",
    )
    assert browser.execute_script("return window.stillTheSamePage") is True
    assert "dir=asc" in browser.current_url

    # its findings as XLSX: the formula-like id comes back as text, the amounts as numbers
    href = browser.find_element(By.ID, "findings-export").get_attribute("href")
    status, kind, content = fetch_bytes(browser, href)
    assert (status, kind) == (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [(row[0].value, row[0].data_type) for row in rows] == [
        ("A1005", "s"),
        ("'" + HYPERLINK, "s"),
        ("A1002", "s"),
    ]
    assert [row[4].value for row in rows] == [100, 200, 500]
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))] == headers_in_chinese()

    # the leader is offered the union's moves, not the employer's
    moves = {
        form.get_attribute("action").rsplit("/", 2)[-2]
        for form in browser.find_elements(By.CSS_SELECTOR, "main form[method=post]")
    }
    assert moves == {"remedy", "notice"}

    # the employer's negotiator disputes it, with a reason
    breach_path = reverse("contracts:breach", args=[breach.pk])
    switch_user(browser, live_server, employer, path=breach_path)
    assert not browser.find_elements(
        By.CSS_SELECTOR, f"form[action='{reverse('contracts:breach_notice', args=[breach.pk])}']"
    )
    form = browser.find_element(By.ID, "dispute-form")
    reason = "A1002 三月请事假十天，工资按出勤折算，不低于最低工资标准。"
    form.find_element(By.NAME, "reason").send_keys(reason)
    screenshot(browser, "6-dispute")
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_until(
        browser,
        lambda b: b.find_element(By.ID, "status").text == zh(lambda: BreachStatus.DISPUTED.label),
        "the breach does not show disputed",
    )
    assert reason in browser.find_element(By.ID, "history").text
    breach.refresh_from_db()
    assert (breach.status, breach.dispute_reason, breach.status_changed_by) == (BreachStatus.DISPUTED, reason, employer)
    assert not browser.find_elements(By.ID, "dispute-form")
    screenshot(browser, "7-disputed")

    # the leader issues a rectification notice; it is written in the background, then to be downloaded
    switch_user(browser, live_server, leader, path=breach_path)
    browser.find_element(
        By.CSS_SELECTOR, f"form[action='{reverse('contracts:breach_notice', args=[breach.pk])}'] [type=submit]"
    ).click()
    wait_until(browser, lambda b: b.find_elements(By.ID, "notice-status"), "no notice status after asking for it")
    document = Document.objects.get(kind=DocumentKind.RECTIFICATION_NOTICE, subject_id=breach.pk)
    assert document.contract_id == contract.pk
    screenshot(browser, "8-notice-asked")
    deadline = time.monotonic() + NOTICE_WAIT
    while Document.objects.filter(pk=document.pk, status=DocumentStatus.PENDING).exists():
        celery_worker.assert_running()
        assert time.monotonic() < deadline, f"the notice was not written; worker log:\n{celery_worker.log()}"
        time.sleep(0.5)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    wait_until(
        browser,
        lambda b: b.find_element(By.ID, "notice-status").text == zh(lambda: DocumentStatus.READY.label),
        "the notice's part did not show it ready",
    )
    screenshot(browser, "9-notice-ready")
    browser.find_element(By.ID, "notice-documents").click()
    wait_for_path(browser, reverse("contracts:contract_documents", args=[contract.pk]))
    assert path_of(browser) == reverse("contracts:contract_documents", args=[contract.pk])
    screenshot(browser, "10-documents")


def test_a_rejected_file_shows_its_problems_as_a_table(
    browser, live_server, screenshot, celery_worker, remove_stored_files, tmp_path
):
    enterprise = EnterpriseFactory(name="华南纺织有限公司", union_name="华南纺织有限公司工会")
    leader = person(enterprise, Role.UNION_LEADER, "周建国")
    contract_in_effect(enterprise, leader, title="2025年集体合同", terms=[MIN_WAGE])

    log_in(browser, live_server, leader, path=reverse("contracts:payroll"))
    payroll = upload(browser, tmp_path, enterprise, REJECTED, "三月工资.csv")
    wait_for_status(browser, payroll, ImportStatus.REJECTED, celery_worker)
    row = browser.find_element(By.ID, f"import-{payroll.pk}")
    assert zh(lambda: ImportStatus.REJECTED.label) in row.text
    screenshot(browser, "1-rejected-in-the-list")

    row.find_element(
        By.CSS_SELECTOR, f"a[href='{reverse('contracts:payroll_import', args=[payroll.pk])}#problems']"
    ).click()
    wait_for_path(browser, reverse("contracts:payroll_import", args=[payroll.pk]))
    table = browser.find_element(By.ID, "problems-table")
    header = [cell_text(th) for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert header == [t("Row"), t("Column"), t("Value"), t("Reason")]
    problems = [
        [cell_text(td) for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert sorted(problems) == sorted(
        [
            ["2", "基本工资", "-3000", t("Must not be negative.")],
            ["3", "月份", "2025-14", t("Not a month (write 2026-03, 2026/03, 202603 or 2026年3月).")],
            ["4", "基本工资", t("(blank)"), t("This value is required.")],
        ]
    )
    assert not Breach.objects.exists()
    screenshot(browser, "2-problems")
