"""The breach page: what was breached (the clause by its printed article, the term worded, the
rule and its article), who was affected and by how much, its findings sorted and paged, and the
moves of its life, each shown only to who may make it and refused by the service otherwise."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contracts.compliance.models import Breach, BreachStatus
from contracts.enterprises.models import Role
from contracts.models import Document, DocumentKind
from contracts.rules.decisions import article
from contracts.rules.terms import TERM_KINDS
from tests.factories import EnterpriseFactory, MembershipFactory, contract_in_effect, payroll_check, payroll_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

OVERTIME = {"kind": "max_overtime_hours_month", "params": {"hours": "36"}}
MIN_WAGE = {"kind": "min_monthly_wage", "params": {"amount": "3000"}}


def page_client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def text(response) -> str:
    """The page's words, tags dropped and spaces folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture
def contract(enterprise, union_user):
    return contract_in_effect(enterprise, union_user, title="Collective contract 2025", terms=[MIN_WAGE, OVERTIME])


@pytest.fixture
def breach(contract, enterprise, union_user) -> Breach:
    """Three employees under the 3000 CNY floor in March 2025: short by 0.50, 100.00 and 50.00 CNY."""
    payroll_check(
        union_user,
        enterprise,
        payroll_csv(("A1", "2025-03", "2999.50"), ("A2", "2025-03", "2900.00"), ("A3", "2025-03", "2950.00")),
    )
    return Breach.objects.get(contract=contract)


@pytest.fixture
def leader(enterprise, make_member):
    return make_member(enterprise, Role.UNION_LEADER, first_name="Wang")


def url(name, *args):
    return reverse(f"contracts:{name}", args=args)


# --- what the page shows -------------------------------------------------------------------------


def test_the_page_names_the_clause_by_its_printed_article_the_term_worded_and_the_rule(breach, leader):
    response = page_client(leader).get(url("breach", breach.pk))

    assert response.status_code == 200
    words = text(response)
    assert "Article 1 Wages" in words  # clause 5 is the contract's first printed article
    assert "Monthly base wage of at least 3,000 yuan" in words
    assert f"R13 · {article('R13')}" in words
    assert "March 2025" in words
    assert "¥150.50" in words  # in all
    assert "¥100.00" in words and "(employee A2)" in words  # the worst
    assert f'href="{url("contract", breach.contract_id)}"' in response.content.decode()
    assert "min_monthly_wage" not in words


def test_the_term_of_a_clause_changed_since_reads_as_its_kind(breach, leader):
    clause = breach.clause
    clause.terms = []
    clause.save(update_fields=["terms"])

    words = text(page_client(leader).get(url("breach", breach.pk)))

    with translation.override("en"):
        assert f"Commitment {TERM_KINDS['min_monthly_wage'].label} Period" in words
    assert "3,000 yuan" not in words


def findings_order(response) -> list[str]:
    return re.findall(r"<tr>\s*<td>(A\d+)</td>", response.content.decode())


@pytest.mark.parametrize(
    ("params", "order"),
    [
        ({}, ["A2", "A3", "A1"]),
        ({"sort": "shortfall", "dir": "desc"}, ["A2", "A3", "A1"]),
        ({"sort": "shortfall", "dir": "asc"}, ["A1", "A3", "A2"]),
        ({"sort": "employee", "dir": "desc"}, ["A3", "A2", "A1"]),
        ({"sort": "actual", "dir": "asc"}, ["A2", "A3", "A1"]),
        ({"sort": "nonsense", "dir": "sideways"}, ["A2", "A3", "A1"]),
    ],
)
def test_findings_are_sorted_by_the_column_asked_for(params, order, breach, leader):
    response = page_client(leader).get(url("breach", breach.pk), params)

    assert findings_order(response) == order


def test_a_click_on_a_header_under_htmx_answers_the_findings_table_alone(breach, leader):
    response = page_client(leader).get(
        url("breach", breach.pk),
        {"sort": "shortfall", "dir": "asc"},
        headers={"HX-Request": "true", "HX-Target": "findings"},
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="findings"')
    assert "<html" not in body
    assert findings_order(response) == ["A1", "A3", "A2"]
    # the header sorted by says so, and a click on it turns the order round
    assert re.search(r'aria-sort="ascending"[^>]*>\s*<a href="[^"]*sort=shortfall&amp;dir=desc', body)


def test_findings_are_paged_a_hundred_at_a_time(contract, enterprise, union_user, leader):
    rows = [(f"E{n:03d}", "2025-04", 2000 + n) for n in range(150)]
    payroll_check(union_user, enterprise, payroll_csv(*rows))
    breach = Breach.objects.get(contract=contract, period="2025-04")
    client = page_client(leader)

    first = client.get(url("breach", breach.pk))
    second = client.get(url("breach", breach.pk), {"page": 2})

    assert len(re.findall(r"<tr>\s*<td>E\d+</td>", first.content.decode())) == 100
    assert len(re.findall(r"<tr>\s*<td>E\d+</td>", second.content.decode())) == 50
    assert "E000" in first.content.decode()  # the largest shortfall first
    assert "E149" in second.content.decode()
    assert "Page 1 of 2" in text(first)
    assert 'rel="next"' in first.content.decode() and 'rel="next"' not in second.content.decode()


# --- who reads it ----------------------------------------------------------------------------------


def test_another_enterprise_s_breach_is_a_404_like_one_that_does_not_exist(breach, make_member):
    stranger = page_client(make_member(EnterpriseFactory(), Role.UNION_LEADER, Role.EMPLOYER_NEGOTIATOR))

    assert stranger.get(url("breach", breach.pk)).status_code == 404
    assert stranger.get(url("breach", breach.pk + 1000)).status_code == 404
    assert stranger.get(url("breach_findings_export", breach.pk)).status_code == 404
    for action in ("acknowledge", "dispute", "remedy", "close", "notice"):
        assert stranger.post(url(f"breach_{action}", breach.pk), {"reason": "no"}).status_code == 404
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN
    assert not Document.objects.exists()


def test_a_congress_delegate_is_refused_the_page_and_cannot_move_the_breach(breach, enterprise, make_member):
    delegate = page_client(make_member(enterprise, Role.CONGRESS_DELEGATE))

    # The same 404 as for a breach that does not exist (issue 12: never a hint that it does).
    assert delegate.get(url("breach", breach.pk)).status_code == 404
    assert delegate.get(url("breach_findings_export", breach.pk)).status_code == 404
    assert delegate.post(url("breach_close", breach.pk)).status_code == 404
    assert delegate.post(url("breach_notice", breach.pk)).status_code == 404


# --- the moves --------------------------------------------------------------------------------------


def buttons(response) -> set[str]:
    """The move forms the page offers, by the last part of their address."""
    return set(re.findall(r'<form method="post" action="/breaches/\d+/(\w+)/"', response.content.decode()))


def test_each_side_is_offered_only_its_own_moves(breach, enterprise, make_member, leader):
    employer = make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)
    officer_like = make_member(enterprise, Role.UNION_NEGOTIATOR)

    assert buttons(page_client(employer).get(url("breach", breach.pk))) == {"acknowledge", "dispute", "remedy"}
    assert buttons(page_client(leader).get(url("breach", breach.pk))) == {"remedy", "notice"}
    assert buttons(page_client(officer_like).get(url("breach", breach.pk))) == {"remedy", "notice"}
    Breach.objects.filter(pk=breach.pk).update(status=BreachStatus.REMEDIED)
    assert buttons(page_client(leader).get(url("breach", breach.pk))) == {"close"}
    assert buttons(page_client(employer).get(url("breach", breach.pk))) == set()


def test_the_employer_disputes_with_a_reason_and_the_history_shows_who_when_and_why(
    breach, enterprise, make_member, leader
):
    employer = make_member(enterprise, Role.EMPLOYER_NEGOTIATOR, first_name="Chen")
    client = page_client(employer)

    response = client.post(url("breach_dispute", breach.pk), {"reason": "A2 was on unpaid leave in March."})

    assert response.status_code == 302
    breach.refresh_from_db()
    assert (breach.status, breach.status_changed_by, breach.dispute_reason) == (
        BreachStatus.DISPUTED,
        employer,
        "A2 was on unpaid leave in March.",
    )
    history = text(page_client(leader).get(url("breach", breach.pk)))
    assert re.search(r"open .* disputed by the employer .* Chen A2 was on unpaid leave in March\.", history)


def test_a_dispute_without_a_reason_is_refused_with_the_service_s_message(breach, enterprise, make_member):
    employer = make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)

    response = page_client(employer).post(url("breach_dispute", breach.pk), {"reason": "  "})

    assert response.status_code == 400
    assert "Give the reason for the dispute." in text(response)
    breach.refresh_from_db()
    assert (breach.status, breach.dispute_reason) == (BreachStatus.OPEN, "")


@pytest.mark.parametrize(
    ("role", "action", "status", "message"),
    [
        (Role.UNION_LEADER, "acknowledge", 403, "You may not acknowledge the breach in this enterprise."),
        (Role.EMPLOYER_NEGOTIATOR, "close", 403, "You may not close the breach in this enterprise."),
        (Role.FEDERATION_OFFICER, "remedy", 403, "You may not record the remedy in this enterprise."),
    ],
)
def test_a_move_the_user_may_not_make_is_refused_with_the_service_s_message_and_changes_nothing(
    role, action, status, message, breach, enterprise, make_member
):
    if role == Role.FEDERATION_OFFICER:
        user = make_member(EnterpriseFactory())
        MembershipFactory(user=user, enterprise=None, federation=enterprise.federation, role=role)
    else:
        user = make_member(enterprise, role)

    response = page_client(user).post(url(f"breach_{action}", breach.pk))

    assert response.status_code == status
    assert message in text(response)
    assert 'id="move-error"' in response.content.decode()
    breach.refresh_from_db()
    assert (breach.status, breach.status_changed_by) == (BreachStatus.OPEN, None)


def test_a_move_the_state_forbids_is_a_409_with_the_service_s_message(breach, leader):
    response = page_client(leader).post(url("breach_close", breach.pk))

    assert response.status_code == 409
    assert "Cannot close the breach: the breach is open." in text(response)
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN


def test_the_union_closes_a_remedied_breach(breach, leader):
    Breach.objects.filter(pk=breach.pk).update(status=BreachStatus.REMEDIED)

    response = page_client(leader).post(url("breach_close", breach.pk), follow=True)

    assert response.status_code == 200
    assert "The breach is closed." in text(response)
    breach.refresh_from_db()
    assert (breach.status, breach.status_changed_by) == (BreachStatus.CLOSED, leader)


def test_the_leader_issues_a_rectification_notice_and_the_page_shows_its_status_and_where_to_download_it(
    breach, leader, django_capture_on_commit_callbacks
):
    client = page_client(leader)
    assert "No rectification notice has been issued" in text(client.get(url("breach", breach.pk)))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url("breach_notice", breach.pk), follow=True)

    assert response.status_code == 200
    document = Document.objects.get()
    assert (document.kind, document.subject_id, document.contract_id) == (
        DocumentKind.RECTIFICATION_NOTICE,
        breach.pk,
        breach.contract_id,
    )
    assert len(queued) == 1  # its rendering, queued when the request commits
    page = response.content.decode()
    assert re.search(r'id="notice-status">\s*being written', page)
    assert f'href="{url("contract_documents", breach.contract_id)}#document-{document.pk}"' in page
    assert 'hx-trigger="every 3s"' in page  # the notice's part asks again until it is written
    # asked again, the same notice: no second document
    client.post(url("breach_notice", breach.pk))
    assert Document.objects.count() == 1


def test_the_notice_part_under_htmx_answers_alone(breach, leader):
    client = page_client(leader)
    client.post(url("breach_notice", breach.pk))

    response = client.get(url("breach", breach.pk), headers={"HX-Request": "true", "HX-Target": "notice"})

    assert response.content.decode().lstrip().startswith('<div id="notice"')


def test_the_history_shows_when_the_alert_made_the_breach_notified(breach, leader):
    from contracts.compliance.services.breaches import breach_mark_notified

    breach_mark_notified(breach_id=breach.pk)

    body = page_client(leader).get(url("breach", breach.pk)).content.decode()

    history = re.search(r'<ol class="history">(.*?)</ol>', body, re.S).group(1)
    assert re.findall(r'class="badge status-(\w+)"', history) == ["open", "notified"]


def test_the_employer_cannot_issue_a_notice_even_by_posting_for_one(breach, enterprise, make_member):
    employer = make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)

    response = page_client(employer).post(url("breach_notice", breach.pk))

    assert response.status_code == 403
    assert "You may not issue a rectification notice in this enterprise." in text(response)
    assert not Document.objects.exists()


def test_no_notice_is_issued_about_a_closed_breach(breach, leader):
    Breach.objects.filter(pk=breach.pk).update(status=BreachStatus.CLOSED)

    response = page_client(leader).post(url("breach_notice", breach.pk))

    assert response.status_code == 409
    assert "Cannot issue a rectification notice: the breach is closed." in text(response)
    assert not Document.objects.exists()


def test_the_moves_not_offered_are_explained(breach, enterprise, make_member, leader):
    employer = make_member(enterprise, Role.EMPLOYER_NEGOTIATOR)

    def refusals(user) -> list[str]:
        body = page_client(user).get(url("breach", breach.pk)).content.decode()
        found = re.search(r'<details class="refusals" id="refusals">(.*?)</details>', body, re.S)
        return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", found.group(1))] if found else []

    assert refusals(leader) == [
        "You may not acknowledge the breach in this enterprise.",
        "You may not dispute the breach in this enterprise.",
        "Cannot close the breach: the breach is open.",
    ]
    assert refusals(employer) == [
        "You may not close the breach in this enterprise.",
        "You may not issue a rectification notice in this enterprise.",
    ]
