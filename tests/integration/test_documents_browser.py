"""A negotiator asks for the contract document in a real browser, watches its row being made
(htmx asks the server every 2 s) until a real Celery worker has written it, and downloads the
.docx; screenshots at desktop and phone width.

The worker is the restartable one (``restartable_worker``, a real ``celery worker`` on a broker
of its own), started only once the page shows the document being made: so the test sees the
row change through the polling, never by chance of timing. Elements are found by id, class or
address, never by their words."""

import datetime as dt
import io
import time
import urllib.request
import zipfile
from urllib.parse import urljoin

import docx
import pytest
from selenium.webdriver.common.by import By

from contracts.enterprises.models import Role
from contracts.models import Document, DocumentStatus
from contracts.services.documents import pdf_enabled
from contracts.services.lifecycle import contract_create
from tests.factories import EnterpriseFactory
from tests.integration.journeys import person, wait_until
from tests.integration.test_pages_browser import log_in

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKER_WAIT = 120  # seconds at most for the worker to write the document (a PDF takes LibreOffice a while)


def fetch_with_cookies(browser, url: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url`` from the live server as the browser's login (its session cookie)."""
    cookies = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in browser.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})  # noqa: S310 (the live server's http URL)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def test_a_negotiator_asks_for_the_contract_watches_it_being_made_and_downloads_it(
    browser, live_server, screenshot, restartable_worker, remove_stored_files
):
    # given a contract of a Chinese enterprise and its union negotiator, and no worker running yet
    enterprise = EnterpriseFactory(name="东方精密机械有限公司", union_name="东方精密机械有限公司工会")
    negotiator = person(enterprise, Role.UNION_NEGOTIATOR, "王丽")
    contract = contract_create(
        user=negotiator,
        enterprise=enterprise,
        kind="general",
        title="2027年集体合同",
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2029, 12, 31),
        clauses=[
            {"number": "1", "category": "pay", "title": "工资", "text": "职工月工资不低于三千元，按月以货币形式支付。"},
            {"number": "2", "category": "working_time", "title": "工作时间", "text": "每日工作八小时，每周四十小时。"},
        ],
    )
    worker = restartable_worker()
    path = f"/contracts/{contract.pk}/documents/"
    log_in(browser, live_server, negotiator, path=path)
    assert browser.find_elements(By.ID, "no-documents")
    screenshot(browser, "1-nothing-asked")

    # when the negotiator asks for the contract in Chinese (the page's language, chosen already)
    offer = browser.find_element(By.ID, "offer-contract")
    assert offer.find_element(By.NAME, "language").get_attribute("value") == "zh-hans"
    offer.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    # then the page lists it as being made, its row asking the server how it stands
    row = wait_until(
        browser,
        lambda b: b.find_element(By.CSS_SELECTOR, "tr.document-row.doc-pending"),
        "the document asked for is not shown as being made",
    )
    [document] = Document.objects.all()
    assert (document.kind, document.language, document.status) == ("contract", "zh-hans", DocumentStatus.PENDING)
    assert row.get_attribute("id") == f"document-{document.pk}"
    assert row.get_attribute("hx-trigger") == "every 2s"
    assert not row.find_elements(By.CSS_SELECTOR, "a.download-docx")
    # the page is not reloaded from here on: what changes comes through the polling
    browser.execute_script(
        "window.documentPage = true; window.statusAnswers = 0;"
        "document.body.addEventListener('htmx:afterRequest', e => {"
        "  if (e.detail.pathInfo.requestPath.endsWith('/status/')) window.statusAnswers += 1; });"
    )
    wait_until(browser, lambda b: b.execute_script("return window.statusAnswers") >= 1, "the row never asked")
    screenshot(browser, "2-being-made")

    # when the worker starts and writes the document
    worker.start()

    # then the row turns ready on the same page, and stops asking
    ready = wait_until(
        browser,
        lambda b: b.find_element(By.CSS_SELECTOR, f"#document-{document.pk}.doc-ready"),
        f"the document was not shown ready; the worker's log:\n{worker.log()}",
        timeout=WORKER_WAIT,
    )
    assert browser.execute_script("return window.documentPage") is True
    assert ready.get_attribute("hx-trigger") is None
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    answers = browser.execute_script("return window.statusAnswers")
    time.sleep(2.5)  # longer than one polling period: a row that still polled would have asked again
    assert browser.execute_script("return window.statusAnswers") == answers
    screenshot(browser, "3-ready")

    # and the .docx downloads with the browser's login: a Word file holding the contract's clauses
    link = browser.find_element(By.CSS_SELECTOR, f"#document-{document.pk} a.download-docx")
    href = urljoin(live_server.url, link.get_attribute("href"))
    status, headers, data = fetch_with_cookies(browser, href)
    assert status == 200
    assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "attachment" in headers["Content-Disposition"]
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "职工月工资不低于三千元，按月以货币形式支付。" in paragraphs
    assert "2027年集体合同" in " ".join(paragraphs)

    # and the PDF where this server makes one; where it does not, the row says so instead of a link
    pdf_links = browser.find_elements(By.CSS_SELECTOR, f"#document-{document.pk} a.download-pdf")
    if pdf_enabled() and document.pdf:
        status, headers, data = fetch_with_cookies(
            browser, urljoin(live_server.url, pdf_links[0].get_attribute("href"))
        )
        assert (status, headers["Content-Type"], data[:5]) == (200, "application/pdf", b"%PDF-")
    else:
        assert pdf_links == []
        assert browser.find_elements(By.CSS_SELECTOR, f"#document-{document.pk} .doc-problem")
