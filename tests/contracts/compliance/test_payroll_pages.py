"""The payroll pages: the upload, the list of imports with each one's status, row count and a
link to the breaches it caused (asking again while one is being checked), and an import's own
page: its facts, a rejected file's problems as a table (row, column, value, reason), an
accepted one's checks and breaches."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contracts.compliance.models import ImportStatus, PayrollImport
from contracts.compliance.services.imports import payroll_import_process
from contracts.enterprises.models import Role
from tests.factories import EnterpriseFactory, contract_in_effect, payroll_check, payroll_csv, payroll_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

OVERTIME = {"kind": "max_overtime_hours_month", "params": {"hours": "36"}}
MIN_WAGE = {"kind": "min_monthly_wage", "params": {"amount": "3000"}}


@pytest.fixture
def leader(enterprise, make_member):
    return make_member(enterprise, Role.UNION_LEADER)


def page_client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def words(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def row_of(response, payroll: PayrollImport) -> str:
    """The import's row in the list of imports, as HTML."""
    return re.search(rf'<tr id="import-{payroll.pk}"[^>]*>(.*?)</tr>', response.content.decode(), re.S).group(1)


def cells(row_html: str) -> dict[str, str]:
    """A stacked table's row: its cells' words by their labels."""
    return {label: words(cell) for label, cell in re.findall(r'<td data-label="([^"]+)">(.*?)</td>', row_html, re.S)}


def test_a_leader_uploads_a_file_and_it_is_queued_for_its_check(enterprise, leader, django_capture_on_commit_callbacks):
    client = page_client(leader)
    content = payroll_csv(("A1", "2025-03", "2900"))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("contracts:payroll"),
            {"enterprise": enterprise.pk, "file": SimpleUploadedFile("三月工资.csv", content, content_type="text/csv")},
        )

    payroll = PayrollImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/payroll/#import-{payroll.pk}"
    assert (payroll.status, payroll.original_name, payroll.uploaded_by) == (
        ImportStatus.PENDING,
        "三月工资.csv",
        leader,
    )
    assert len(queued) == 1  # its import, queued once the upload is committed
    listing = client.get(reverse("contracts:payroll"))
    assert cells(row_of(listing, payroll))["Status"].startswith("waiting")
    # while it is checked the list asks again every 2 s; answered under htmx by the list alone
    assert 'hx-trigger="every 2s"' in listing.content.decode()
    part = client.get(reverse("contracts:payroll"), headers={"HX-Request": "true", "HX-Target": "imports-box"})
    assert part.content.decode().lstrip().startswith('<div id="imports-box"')
    assert "<html" not in part.content.decode()


def test_a_file_that_is_not_a_payroll_is_refused_by_the_form(enterprise, leader):
    response = page_client(leader).post(reverse("contracts:payroll"), {"enterprise": enterprise.pk})

    assert response.status_code == 400
    assert not PayrollImport.objects.exists()


def test_an_accepted_import_shows_its_status_row_count_and_a_link_to_the_breaches_it_caused(
    enterprise, union_user, leader
):
    contract_in_effect(enterprise, union_user, terms=[MIN_WAGE, OVERTIME])
    [run] = payroll_check(
        union_user,
        enterprise,
        payroll_csv(
            ("A1", "2025-03", "2900", "40"),
            ("A2", "2025-03", "3100", "10"),
            ("A1", "2025-04", "3000", "0"),
            columns=("employee_id", "period", "base_wage", "overtime_hours"),
        ),
    )
    payroll = run.payroll_import
    client = page_client(leader)

    listing = client.get(reverse("contracts:payroll"))

    row = cells(row_of(listing, payroll))
    assert row["Status"] == "accepted"
    assert row["Rows"] == "3"
    assert row["Periods"] == "2025-03 – 2025-04"
    assert row["Breaches"] == "2 breaches"  # under the wage floor and over 36 hours, both in March
    assert f'href="/breaches/?payroll_import={payroll.pk}"' in row_of(listing, payroll)
    assert 'hx-trigger="every 2s"' not in listing.content.decode()  # nothing left to ask about

    breaches = client.get(reverse("contracts:breaches"), {"payroll_import": payroll.pk})
    assert len(re.findall(r'<tr id="breach-\d+">', breaches.content.decode())) == 2
    assert "Only what the payroll import “payroll.csv” found." in words(breaches.content.decode())

    page = client.get(reverse("contracts:payroll_import", args=[payroll.pk]))
    assert page.status_code == 200
    text = words(page.content.decode())
    assert "Status accepted" in text and "Rows 3" in text
    assert "Breaches 2 breaches" in text
    assert len(re.findall(r'<tr id="breach-\d+">', page.content.decode())) == 2
    assert 'id="problems"' not in page.content.decode()


def test_an_import_that_found_nothing_says_none(enterprise, union_user, leader):
    contract_in_effect(enterprise, union_user)
    [run] = payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", "3500")))

    row = cells(row_of(page_client(leader).get(reverse("contracts:payroll")), run.payroll_import))

    assert (row["Status"], row["Rows"], row["Breaches"]) == ("accepted", "1", "none")


def test_a_rejected_file_shows_its_problems_as_a_table_of_row_column_value_and_reason(enterprise, union_user, leader):
    payroll = payroll_upload(
        union_user,
        enterprise,
        "工号,月份,基本工资\nA1,2025-03,-5\nA2,2025-13,3000\nA3,2025-03,\nA1,2025-03,3000\n".encode(),
        name="bad.csv",
    )
    payroll_import_process(payroll_id=payroll.pk)
    client = page_client(leader)

    listing = client.get(reverse("contracts:payroll"))
    row = cells(row_of(listing, payroll))
    assert (row["Status"], row["Rows"]) == ("rejected", "4")  # the rows read, none kept
    assert row["Breaches"] == "5 problems"
    assert f'href="/payroll/{payroll.pk}/#problems"' in row_of(listing, payroll)

    page = client.get(reverse("contracts:payroll_import", args=[payroll.pk]))
    body = page.content.decode()
    assert "5 problems: the file was not imported" in words(body)
    table = re.search(r'<table id="problems-table" class="stack problems">(.*?)</table>', body, re.S).group(1)
    header = [words(th) for th in re.findall(r"<th>(.*?)</th>", table)]
    assert header == ["Row", "Column", "Value", "Reason"]
    problems = [
        [words(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    ]
    assert sorted(problems) == sorted(
        [
            ["2", "基本工资", "-5", "Must not be negative."],
            ["3", "月份", "2025-13", "Not a month (write 2026-03, 2026/03, 202603 or 2026年3月)."],
            ["4", "基本工资", "(blank)", "This value is required."],
            ["2", "工号", "A1 2025-03", "The same employee and month appear more than once (rows 2, 5)."],
            ["5", "工号", "A1 2025-03", "The same employee and month appear more than once (rows 2, 5)."],
        ]
    )
    assert not {"not_a_month", "missing_value", "duplicate_row"} & set(re.findall(r"[a-z_]+", words(body)))


def test_a_rejected_file_s_problems_read_in_chinese_too(enterprise, union_user, leader):
    payroll = payroll_upload(union_user, enterprise, payroll_csv(("A1", "2025-03", "-5")), name="bad.csv")
    payroll_import_process(payroll_id=payroll.pk)
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(leader)

    body = client.get(reverse("contracts:payroll_import", args=[payroll.pk])).content.decode()

    assert "Must not be negative." not in body
    assert "不得为负数。" in body


def test_an_import_being_checked_asks_again_and_reloads_once_done(enterprise, union_user, leader):
    payroll = payroll_upload(union_user, enterprise, payroll_csv(("A1", "2025-03", "3500")))
    client = page_client(leader)
    poll = {"HX-Request": "true", "HX-Target": "import-facts"}

    waiting = client.get(reverse("contracts:payroll_import", args=[payroll.pk]))
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    assert (
        client.get(reverse("contracts:payroll_import", args=[payroll.pk]), headers=poll)
        .content.decode()
        .lstrip()
        .startswith('<section class="card" id="import-facts"')
    )
    payroll_import_process(payroll_id=payroll.pk)  # no contract in effect: nothing more to check
    done = client.get(reverse("contracts:payroll_import", args=[payroll.pk]), headers=poll)
    assert done["HX-Refresh"] == "true"


def test_another_enterprise_s_import_is_a_404(enterprise, union_user, make_member):
    payroll = payroll_upload(union_user, enterprise, payroll_csv(("A1", "2025-03", "3500")))
    stranger = page_client(make_member(EnterpriseFactory(), Role.UNION_LEADER))

    assert stranger.get(reverse("contracts:payroll_import", args=[payroll.pk])).status_code == 404
    assert f"import-{payroll.pk}" not in stranger.get(reverse("contracts:payroll")).content.decode()


def test_the_only_enterprise_a_user_uploads_for_is_chosen_already(enterprise, leader):
    form = page_client(leader).get(reverse("contracts:payroll")).context["form"]

    assert form["enterprise"].value() == enterprise.pk


def test_a_federation_officer_reads_the_imports_but_is_not_offered_the_upload(enterprise, union_user):
    from tests.factories import FederationOfficerFactory

    payroll = payroll_upload(union_user, enterprise, payroll_csv(("A1", "2025-03", "3500")))
    officer = FederationOfficerFactory(federation=enterprise.federation).user

    body = page_client(officer).get(reverse("contracts:payroll")).content.decode()

    assert 'id="upload"' not in body and 'id="no-upload"' in body
    assert f'id="import-{payroll.pk}"' in body
