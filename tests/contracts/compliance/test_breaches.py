"""Breaches (SPEC §3, §4 ``breaches/``): listed and filtered within the user's enterprises, their
findings paged, and their life open → acknowledged | disputed → remedied → closed, with who
moved them and when; a rectification notice is asked for from a breach."""

import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.errors import InvalidInput
from contracts.compliance.models import Breach, BreachStatus
from contracts.compliance.services.breaches import breach_transition
from contracts.enterprises.models import Role
from contracts.models import Document
from contracts.services.documents import document_render
from tests.factories import (
    MIN_WAGE,
    EnterpriseFactory,
    FederationOfficerFactory,
    MembershipFactory,
    contract_in_effect,
    payroll_check,
    payroll_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

URL = "/api/v1/breaches/"


# The contracts in effect here: no monthly base wage below 3000 CNY; at most 36 hours of overtime a month.
TERMS = [MIN_WAGE, {"kind": "max_overtime_hours_month", "params": {"hours": "36"}}]


@pytest.fixture
def contract(enterprise, union_user):
    return contract_in_effect(enterprise, union_user, terms=TERMS)


@pytest.fixture
def breach(contract, enterprise, union_user) -> Breach:
    """Two employees under the 3000 CNY minimum in March 2025: short by 0.50 and 100.00 CNY."""
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", "2999.50"), ("A2", "2025-03", "2900.00")))
    return Breach.objects.get(contract=contract)


def act(client, breach, action, data=None):
    return client.post(f"{URL}{breach.pk}/{action}/", data or {}, format="json")


def move(breach, status):
    """Put the breach in ``status`` (test setup: the states before it are tested on their own)."""
    Breach.objects.filter(pk=breach.pk).update(status=status)
    breach.refresh_from_db()
    return breach


def table_cells(document: Document) -> list[str]:
    """The text of every table cell of a rendered .docx, in order."""
    with document.file.open("rb") as handle:
        opened = docx.Document(io.BytesIO(handle.read()))
    return [cell.text for table in opened.tables for row in table.rows for cell in row.cells]


def count_queries(client, url, *, rows) -> int:
    """Queries of one GET listing ``rows`` rows; counted at once, as the next request resets the log."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert len(response.json()["results"]) == rows
    return len(captured)


# --- reading -----------------------------------------------------------------------------------


def test_a_breach_shows_its_term_period_people_and_shortfall(breach, contract, enterprise, union_user, client_for):
    response = client_for(union_user).get(f"{URL}{breach.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in body if key not in ("id", "created_at")} == {
        "clause_number": "5",
        "term_kind": "min_monthly_wage",
        "period": "2025-03",
        "unit": "fen",
        "affected_count": 2,
        "total_shortfall": 10_050,
        "worst_shortfall": 10_000,
        "worst_employee": "A2",
        "status": "open",
        "contract": contract.pk,
        "enterprise": enterprise.pk,
        "dispute_reason": "",
        "status_changed_by": None,
        "status_changed_at": None,
    }


def test_a_breach_of_another_enterprise_is_not_found_and_cannot_be_moved(breach, make_member, client_for):
    stranger = client_for(make_member(EnterpriseFactory(), Role.EMPLOYER_NEGOTIATOR, Role.UNION_LEADER))

    assert stranger.get(f"{URL}{breach.pk}/").status_code == 404
    assert stranger.get(f"{URL}{breach.pk}/findings/").status_code == 404
    assert act(stranger, breach, "acknowledge").status_code == 404
    assert act(stranger, breach, "close").status_code == 404
    assert act(stranger, breach, "rectification-notice").status_code == 404
    assert stranger.get(URL).json()["results"] == []
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN
    assert not Document.objects.exists()


def test_a_federation_officer_sees_the_breaches_of_the_federations_enterprises(breach, enterprise, client_for):
    officer = FederationOfficerFactory(federation=enterprise.federation).user

    listed = client_for(officer).get(URL).json()["results"]

    assert [row["id"] for row in listed] == [breach.pk]


@pytest.fixture
def two_enterprises_of_breaches(enterprise, union_user, contract):
    """A union negotiator of two enterprises, with breaches of two terms, two contracts and two statuses."""
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", 2000)))
    overtime = payroll_csv(
        ("A1", "2025-04", 3000, 40), columns=("employee_id", "period", "base_wage", "overtime_hours")
    )
    payroll_check(union_user, enterprise, overtime)
    other = EnterpriseFactory()
    MembershipFactory(user=union_user, enterprise=other, role=Role.UNION_NEGOTIATOR)
    other_contract = contract_in_effect(other, union_user, title="Other enterprise's contract", terms=TERMS)
    payroll_check(union_user, other, payroll_csv(("B1", "2025-05", 2500)))
    Breach.objects.filter(period="2025-05").update(status=BreachStatus.ACKNOWLEDGED)
    by = {breach.period: breach.pk for breach in Breach.objects.all()}
    return {"other": other, "other_contract": other_contract, "by_period": by}


@pytest.mark.parametrize(
    ("filters", "periods"),
    [
        ({}, ["2025-03", "2025-04", "2025-05"]),
        ({"enterprise": "other"}, ["2025-05"]),
        ({"contract": "other_contract"}, ["2025-05"]),
        ({"status": "acknowledged"}, ["2025-05"]),
        ({"status": "open"}, ["2025-03", "2025-04"]),
        ({"term_kind": "max_overtime_hours_month"}, ["2025-04"]),
        ({"term": "min_monthly_wage"}, ["2025-03", "2025-05"]),
        ({"period": "2025-03"}, ["2025-03"]),
    ],
)
def test_breaches_are_filtered_by_enterprise_contract_status_and_term(
    filters, periods, two_enterprises_of_breaches, union_user, client_for
):
    setup = two_enterprises_of_breaches
    params = {key: setup[value].pk if value in setup else value for key, value in filters.items()}

    response = client_for(union_user).get(URL, params)

    assert response.status_code == 200
    assert sorted(row["period"] for row in response.json()["results"]) == periods


def test_findings_of_a_breach_are_paged_worst_first(contract, enterprise, union_user, client_for):
    payroll_check(union_user, enterprise, payroll_csv(*[(f"A{n}", "2025-03", 2990 - n) for n in range(1, 6)]))
    breach = Breach.objects.get()
    client = client_for(union_user)

    first = client.get(f"{URL}{breach.pk}/findings/", {"page_size": 2}).json()
    last = client.get(f"{URL}{breach.pk}/findings/", {"page_size": 2, "page": 3}).json()

    assert first["count"] == 5
    assert first["next"] is not None and first["previous"] is None
    assert first["results"] == [
        {"employee_id": "A5", "period": "2025-03", "expected": 300_000, "actual": 298_500, "shortfall": 1_500},
        {"employee_id": "A4", "period": "2025-03", "expected": 300_000, "actual": 298_600, "shortfall": 1_400},
    ]
    assert [row["employee_id"] for row in last["results"]] == ["A1"]
    assert last["next"] is None


# --- acknowledge and dispute: the employer's answer --------------------------------------------


@pytest.mark.parametrize("status", [BreachStatus.OPEN, BreachStatus.NOTIFIED])
def test_the_employer_acknowledges_a_new_breach_and_who_and_when_are_recorded(
    status, breach, employer_user, client_for
):
    move(breach, status)

    response = act(client_for(employer_user), breach, "acknowledge")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_changed_by"]) == ("acknowledged", employer_user.pk)
    breach.refresh_from_db()
    assert (breach.status, breach.status_changed_by) == (BreachStatus.ACKNOWLEDGED, employer_user)
    assert breach.status_changed_at is not None


def test_the_employer_disputes_a_breach_with_a_reason(breach, employer_user, client_for):
    response = act(client_for(employer_user), breach, "dispute", {"reason": "A2 was on unpaid leave for a week."})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["dispute_reason"]) == (
        "disputed",
        "A2 was on unpaid leave for a week.",
    )
    breach.refresh_from_db()
    assert (breach.status, breach.status_changed_by) == (BreachStatus.DISPUTED, employer_user)


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_a_dispute_without_a_reason_is_a_400_on_the_reason_field(data, breach, employer_user, client_for):
    response = act(client_for(employer_user), breach, "dispute", data)

    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["extra"]["fields"])) == ("invalid", ["reason"])
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN


def test_the_dispute_service_refuses_a_blank_reason(breach, employer_user):
    with pytest.raises(InvalidInput) as refused:
        breach_transition(user=employer_user, breach=breach, action="dispute", reason="  \n")

    assert refused.value.code == "dispute_reason_required"
    breach.refresh_from_db()
    assert (breach.status, breach.dispute_reason) == (BreachStatus.OPEN, "")


@pytest.mark.parametrize("action", ["acknowledge", "dispute"])
@pytest.mark.parametrize("role", [Role.UNION_NEGOTIATOR, Role.UNION_LEADER])
def test_only_the_employer_answers_a_breach(action, role, breach, enterprise, make_member, client_for):
    response = act(client_for(make_member(enterprise, role)), breach, action, {"reason": "Not ours to say."})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN


@pytest.mark.parametrize("action", ["acknowledge", "dispute"])
def test_a_congress_delegate_does_not_see_the_breach_to_answer_it(action, breach, enterprise, make_member, client_for):
    # A delegate for being one reads no payroll compliance: the breach does not exist for them.
    delegate = make_member(enterprise, Role.CONGRESS_DELEGATE)

    response = act(client_for(delegate), breach, action, {"reason": "Not ours to say."})

    assert response.status_code == 404
    assert client_for(delegate).get(URL).json()["count"] == 0
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN


def test_a_federation_officer_may_not_answer_for_the_employer(breach, enterprise, client_for):
    officer = FederationOfficerFactory(federation=enterprise.federation).user

    assert act(client_for(officer), breach, "acknowledge").status_code == 403


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (BreachStatus.ACKNOWLEDGED, "acknowledge"),
        (BreachStatus.ACKNOWLEDGED, "dispute"),
        (BreachStatus.DISPUTED, "acknowledge"),
        (BreachStatus.REMEDIED, "dispute"),
        (BreachStatus.CLOSED, "acknowledge"),
    ],
)
def test_an_answer_the_breach_state_forbids_is_a_409(status, action, breach, employer_user, client_for):
    move(breach, status)

    response = act(client_for(employer_user), breach, action, {"reason": "We disagree."})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "breach_state_conflict"
    assert (body["extra"]["action"], body["extra"]["status"]) == (action, status)
    breach.refresh_from_db()
    assert breach.status == status


# --- remedy and close --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EMPLOYER_NEGOTIATOR, Role.UNION_NEGOTIATOR, Role.UNION_LEADER, Role.ADMIN])
@pytest.mark.parametrize("status", [BreachStatus.OPEN, BreachStatus.ACKNOWLEDGED, BreachStatus.DISPUTED])
def test_either_side_records_a_remedy_of_a_live_breach(status, role, breach, enterprise, make_member, client_for):
    move(breach, status)
    user = make_member(enterprise, role)

    response = act(client_for(user), breach, "remedy")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_changed_by"]) == ("remedied", user.pk)


def test_a_remedy_of_a_closed_breach_is_a_409(breach, union_user, client_for):
    move(breach, BreachStatus.CLOSED)

    response = act(client_for(union_user), breach, "remedy")

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["extra"]["status"]) == ("breach_state_conflict", "closed")


@pytest.mark.parametrize("status", [BreachStatus.REMEDIED, BreachStatus.DISPUTED])
def test_the_union_closes_a_remedied_or_disputed_breach(status, breach, union_user, client_for):
    move(breach, status)

    response = act(client_for(union_user), breach, "close")

    assert response.status_code == 200
    breach.refresh_from_db()
    assert (breach.status, breach.status_changed_by) == (BreachStatus.CLOSED, union_user)
    assert breach.status_changed_at is not None


@pytest.mark.parametrize("status", [BreachStatus.OPEN, BreachStatus.ACKNOWLEDGED, BreachStatus.CLOSED])
def test_closing_a_breach_neither_remedied_nor_disputed_is_a_409_with_its_status(
    status, breach, union_user, client_for
):
    move(breach, status)

    response = act(client_for(union_user), breach, "close")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "breach_state_conflict"
    assert body["extra"]["status"] == status
    assert body["extra"]["allowed_from"] == ["disputed", "remedied"]
    breach.refresh_from_db()
    assert breach.status == status


def test_the_employer_may_not_close_a_breach(breach, employer_user, client_for):
    move(breach, BreachStatus.REMEDIED)

    response = act(client_for(employer_user), breach, "close")

    assert response.status_code == 403
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REMEDIED


def test_the_whole_life_of_a_breach_records_each_change(breach, employer_user, union_user, client_for):
    employer, union = client_for(employer_user), client_for(union_user)

    assert act(employer, breach, "dispute", {"reason": "Wrong month."}).status_code == 200
    assert act(union, breach, "remedy").status_code == 200
    closed = act(union, breach, "close")

    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["status_changed_by"], closed.json()["dispute_reason"]) == (
        "closed",
        union_user.pk,
        "Wrong month.",
    )
    history = list(breach.history.order_by("history_date").values_list("status", flat=True))
    assert history == ["open", "disputed", "remedied", "closed"]


# --- rectification notice ----------------------------------------------------------------------


def test_a_rectification_notice_is_asked_for_with_202_and_queued_on_commit(
    breach, contract, union_user, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client_for(union_user).post(
            f"{URL}{breach.pk}/rectification-notice/", {"language": "en"}, format="json"
        )

    assert response.status_code == 202
    body = response.json()
    assert (body["kind"], body["status"], body["subject_id"], body["contract"], body["language"]) == (
        "rectification_notice",
        "pending",
        breach.pk,
        contract.pk,
        "en",
    )
    document = Document.objects.get()
    assert [(q.func.__self__.name, q.args) for q in queued] == [("contracts.render_document", (document.pk,))]


def test_the_rendered_rectification_notice_states_the_term_period_people_and_shortfall(breach, union_user, client_for):
    client = client_for(union_user)
    document_id = client.post(f"{URL}{breach.pk}/rectification-notice/", {"language": "en"}, format="json").json()["id"]

    document = document_render(document_id=document_id)

    assert document.status == "ready"
    cells = table_cells(document)
    # the clause stored as "5" is the contract's first printed article
    assert "Article 1 · Minimum monthly wage" in cells
    assert "2025-03" in cells
    assert "2" in cells
    assert "¥100.50" in cells  # 10,050 fen
    again = client.post(f"{URL}{breach.pk}/rectification-notice/", {"language": "en"}, format="json")
    assert (again.status_code, again.json()["id"], again.json()["status"]) == (200, document_id, "ready")


def test_the_rectification_notice_is_in_chinese_by_default(breach, union_user, client_for):
    response = client_for(union_user).post(f"{URL}{breach.pk}/rectification-notice/", format="json")
    assert response.json()["language"] == "zh-hans"

    document = document_render(document_id=response.json()["id"])

    cells = table_cells(document)
    assert "第一条 · 月最低工资" in cells
    assert "100.50元" in cells


def test_a_rectification_notice_asked_for_after_the_breach_grew_states_the_current_shortfall(
    breach, contract, enterprise, union_user, client_for
):
    # given a notice rendered for the breach as first found (100.50 CNY short)
    client = client_for(union_user)
    first = client.post(f"{URL}{breach.pk}/rectification-notice/", {"language": "en"}, format="json").json()
    document_render(document_id=first["id"])
    # and a corrected March payroll that shows a third employee short as well
    payroll_check(
        union_user,
        enterprise,
        payroll_csv(("A1", "2025-03", "2999.50"), ("A2", "2025-03", "2900.00"), ("A3", "2025-03", "2000.00")),
    )
    breach.refresh_from_db()
    assert (breach.affected_count, breach.total_shortfall) == (3, 110_050)

    # when the union asks for the notice again
    again = client.post(f"{URL}{breach.pk}/rectification-notice/", {"language": "en"}, format="json").json()
    document = document_render(document_id=again["id"])

    # then it states the breach as it stands now
    cells = table_cells(document)
    assert "3" in cells
    assert "¥1,100.50" in cells


def test_a_rectification_notice_in_an_unknown_language_is_a_400(breach, union_user, client_for):
    response = client_for(union_user).post(f"{URL}{breach.pk}/rectification-notice/", {"language": "fr"}, format="json")

    assert response.status_code == 400
    assert not Document.objects.exists()


# --- query counts ------------------------------------------------------------------------------


def test_breach_list_reads_a_bounded_number_of_queries(
    contract, enterprise, union_user, client_for, django_assert_max_num_queries
):
    client = client_for(union_user)
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-01", 2000), ("A1", "2025-02", 2000)))
    with_two = count_queries(client, URL, rows=2)
    payroll_check(union_user, enterprise, payroll_csv(*[("A1", f"2025-{m:02d}", 2000) for m in range(3, 11)]))

    with django_assert_max_num_queries(with_two):
        response = client.get(URL)

    assert len(response.json()["results"]) == 10


def test_findings_list_reads_a_bounded_number_of_queries(
    contract, enterprise, union_user, client_for, django_assert_max_num_queries
):
    client = client_for(union_user)
    payroll_check(
        union_user,
        enterprise,
        payroll_csv(
            *[(f"A{n}", "2025-01", 2000) for n in range(2)],  # two findings in January
            *[(f"A{n}", "2025-02", 2000) for n in range(10)],  # ten in February
        ),
    )
    small, large = Breach.objects.get(period="2025-01"), Breach.objects.get(period="2025-02")
    with_two = count_queries(client, f"{URL}{small.pk}/findings/", rows=2)

    with django_assert_max_num_queries(with_two):
        response = client.get(f"{URL}{large.pk}/findings/")

    assert len(response.json()["results"]) == 10
