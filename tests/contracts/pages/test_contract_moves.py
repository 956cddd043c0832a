"""The contract's moves in the workspace: submit to the congress, sign (each chief), file, record
the receipt or an objection. Each button is shown only to who may press it (``contract_moves``),
the server decides every POST through the lifecycle services, and a refused move is explained
on the page with its rule."""

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from contracts.enterprises.models import Role
from contracts.models import Clause, Contract, ContractStatus
from contracts.services.contract_moves import contract_moves
from contracts.services.lifecycle import (
    contract_congress_decided,
    contract_create,
    contract_file,
    contract_sign,
    contract_submit_to_congress,
)

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
BUTTONS = {
    "submit": "contracts:contract_submit",
    "sign": "contracts:contract_sign",
    "file": "contracts:contract_file",
    "receipt": "contracts:contract_receipt",
    "objection": "contracts:contract_objection",
}


@pytest.fixture
def page_for():
    def make(user, language="en"):
        client = Client()
        client.force_login(type(user).objects.get(pk=user.pk))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def people(enterprise, union_user, employer_user, make_member):
    """The two chiefs (a negotiator of each side), a union negotiator who is not chief, a delegate."""
    return {
        "union_chief": union_user,
        "employer_chief": employer_user,
        "negotiator": make_member(enterprise, Role.UNION_NEGOTIATOR),
        "delegate": make_member(enterprise, Role.CONGRESS_DELEGATE),
    }


@pytest.fixture
def draft(enterprise, people):
    return contract_create(
        user=people["union_chief"],
        enterprise=enterprise,
        kind="general",
        title="2027年集体合同",
        term_start=D("2027-01-01"),
        term_end=D("2029-12-31"),
        union_chief=people["union_chief"],
        employer_chief=people["employer_chief"],
        clauses=[
            {
                "number": "1",
                "category": "pay",
                "title": "工资",
                "text": "……",
                "terms": [{"kind": "min_monthly_wage", "params": {"amount": "3000"}}],
            }
        ],
    )


@pytest.fixture
def approved(draft, people):
    contract = contract_submit_to_congress(user=people["union_chief"], contract=draft)
    return contract_congress_decided(contract=contract, passed=True, user=people["union_chief"])


def buttons(response, contract) -> set[str]:
    """The moves whose form the page offers."""
    content = response.content.decode()
    return {move for move, name in BUTTONS.items() if f'action="{reverse(name, args=[contract.pk])}"' in content}


def text_of(response) -> str:
    content = response if isinstance(response, str) else response.content.decode()
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content))).strip()


def moves_text(response) -> str:
    content = response.content.decode()
    start = content.index('id="moves"')
    return text_of(content[start : content.index("</section>", start)])


def page_url(contract):
    return reverse("contracts:contract", args=[contract.pk])


# --- who sees which button -----------------------------------------------------------------


def test_in_a_draft_negotiators_see_submit_and_a_delegate_sees_none(page_for, draft, people):
    for who in ("union_chief", "employer_chief", "negotiator"):
        assert buttons(page_for(people[who]).get(page_url(draft)), draft) == {"submit"}, who
    delegate_page = page_for(people["delegate"]).get(page_url(draft))
    assert buttons(delegate_page, draft) == set()
    assert "Terms below" not in moves_text(delegate_page)


def test_a_term_below_the_floor_hides_submit_and_says_why(page_for, draft, people):
    Clause.objects.filter(contract=draft).update(terms=[{"kind": "min_monthly_wage", "params": {"amount": "2000"}}])
    response = page_for(people["negotiator"]).get(page_url(draft))

    assert buttons(response, draft) == set()
    assert (
        "Terms below the statutory floor must be raised before the congress votes. R14 · Labour Contract Law, Art. 55"
    ) in moves_text(response)


def test_after_the_congress_each_chief_sees_sign_and_the_others_do_not(page_for, approved, people):
    assert buttons(page_for(people["union_chief"]).get(page_url(approved)), approved) == {"sign"}
    assert buttons(page_for(people["employer_chief"]).get(page_url(approved)), approved) == {"sign"}

    negotiator_page = page_for(people["negotiator"]).get(page_url(approved))
    assert buttons(negotiator_page, approved) == set()
    assert "Only the chief representatives named on this contract may sign it." in moves_text(negotiator_page)
    assert "R7 · Provisions on Collective Contracts, Art. 37" in moves_text(negotiator_page)

    delegate_page = page_for(people["delegate"]).get(page_url(approved))
    assert buttons(delegate_page, approved) == set()
    assert "Only the chief" not in moves_text(delegate_page)


def test_a_chief_who_signed_sees_it_and_the_other_still_may_sign(page_for, approved, people):
    page = page_for(people["union_chief"])
    response = page.post(reverse("contracts:contract_sign", args=[approved.pk]))
    assert response.status_code == 302

    mine = page.get(page_url(approved))
    assert buttons(mine, approved) == set()
    assert "You have already signed this contract." in moves_text(mine)
    assert buttons(page_for(people["employer_chief"]).get(page_url(approved)), approved) == {"sign"}

    page_for(people["employer_chief"]).post(reverse("contracts:contract_sign", args=[approved.pk]))
    approved.refresh_from_db()
    assert approved.status == ContractStatus.SIGNED
    assert approved.signed_on is not None


def test_a_signed_contract_offers_filing_to_negotiators_with_its_due_date(page_for, approved, people):
    for who in ("union_chief", "employer_chief"):
        contract_sign(user=people[who], contract=approved)
    response = page_for(people["employer_chief"]).get(page_url(approved))

    assert buttons(response, approved) == {"file"}
    assert "Due by" in moves_text(response) and "R8 · Provisions on Collective Contracts, Art. 42" in moves_text(
        response
    )
    assert buttons(page_for(people["delegate"]).get(page_url(approved)), approved) == set()


def test_a_filed_contract_offers_receipt_and_objection(page_for, approved, people):
    for who in ("union_chief", "employer_chief"):
        contract_sign(user=people[who], contract=approved)
    approved.refresh_from_db()
    contract_file(user=people["union_chief"], contract=approved, filed_on=approved.signed_on)

    assert buttons(page_for(people["negotiator"]).get(page_url(approved)), approved) == {"receipt", "objection"}
    assert buttons(page_for(people["delegate"]).get(page_url(approved)), approved) == set()


# --- the server decides, and the page explains ------------------------------------------------


def test_a_delegate_posting_sign_is_refused_and_told_why(page_for, approved, people):
    response = page_for(people["delegate"]).post(reverse("contracts:contract_sign", args=[approved.pk]))

    assert response.status_code == 403
    said = moves_text(response)
    assert "Only the chief representatives named on this contract may sign it." in said
    assert "R7 · Provisions on Collective Contracts, Art. 37" in said
    approved.refresh_from_db()
    assert approved.union_signed_at is None and approved.employer_signed_at is None


def test_a_delegate_posting_submit_is_refused(page_for, draft, people):
    response = page_for(people["delegate"]).post(reverse("contracts:contract_submit", args=[draft.pk]))

    assert response.status_code == 403
    assert "Only negotiators and union leaders of this enterprise may change its contracts." in moves_text(response)
    assert Contract.objects.get(pk=draft.pk).status == ContractStatus.DRAFT


def test_signing_a_draft_is_refused_with_its_state(page_for, draft, people):
    response = page_for(people["union_chief"]).post(reverse("contracts:contract_sign", args=[draft.pk]))

    assert response.status_code == 409
    assert "Cannot sign it: the contract is draft." in moves_text(response)


def test_submitting_a_draft_below_the_floor_is_refused_even_without_the_button(page_for, draft, people):
    Clause.objects.filter(contract=draft).update(terms=[{"kind": "min_monthly_wage", "params": {"amount": "2000"}}])
    response = page_for(people["negotiator"]).post(reverse("contracts:contract_submit", args=[draft.pk]))

    assert response.status_code == 409
    said = moves_text(response)
    assert "Terms below the statutory floor must be raised before the congress votes." in said
    assert "R14 · Labour Contract Law, Art. 55" in said and "amount" not in said
    assert Contract.objects.get(pk=draft.pk).status == ContractStatus.DRAFT


def test_submit_moves_the_draft_to_the_congress(page_for, draft, people):
    page = page_for(people["negotiator"])
    response = page.post(reverse("contracts:contract_submit", args=[draft.pk]))

    assert response.status_code == 302
    assert Contract.objects.get(pk=draft.pk).status == ContractStatus.IN_CONGRESS
    assert "The draft is before the workers' congress." in text_of(page.get(response.url))


def test_filing_before_signing_is_refused_beside_the_form(page_for, approved, people):
    for who in ("union_chief", "employer_chief"):
        contract_sign(user=people[who], contract=approved)
    approved.refresh_from_db()
    early = approved.signed_on - dt.timedelta(days=1)
    response = page_for(people["union_chief"]).post(
        reverse("contracts:contract_file", args=[approved.pk]), {"file-filed_on": early.isoformat()}
    )

    assert response.status_code == 400
    assert "A contract cannot be filed before it was signed." in moves_text(response)
    assert Contract.objects.get(pk=approved.pk).status == ContractStatus.SIGNED


def test_filing_receipt_and_objection_through_the_forms(page_for, approved, people):
    for who in ("union_chief", "employer_chief"):
        contract_sign(user=people[who], contract=approved)
    approved.refresh_from_db()
    page = page_for(people["union_chief"])
    signed_on = approved.signed_on

    assert (
        page.post(
            reverse("contracts:contract_file", args=[approved.pk]), {"file-filed_on": signed_on.isoformat()}
        ).status_code
        == 302
    )
    receipt_on = signed_on + dt.timedelta(days=1)
    assert (
        page.post(
            reverse("contracts:contract_receipt", args=[approved.pk]), {"receipt-receipt_on": receipt_on.isoformat()}
        ).status_code
        == 302
    )
    approved.refresh_from_db()
    assert approved.receipt_on == receipt_on and approved.review_deadline is not None

    no_text = page.post(
        reverse("contracts:contract_objection", args=[approved.pk]),
        {"objection-objected_on": receipt_on.isoformat(), "objection-text": ""},
    )
    assert no_text.status_code == 400
    assert "This field is required." in moves_text(no_text)

    response = page.post(
        reverse("contracts:contract_objection", args=[approved.pk]),
        {"objection-objected_on": receipt_on.isoformat(), "objection-text": "第五条加班工资标准低于法定标准。"},
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == ContractStatus.DRAFT
    page_text = text_of(page.get(response.url))
    assert "第五条加班工资标准低于法定标准。" in page_text


# --- contract_moves ----------------------------------------------------------------------------


def test_contract_moves_for_each_role_at_approval(approved, people):
    union = contract_moves(approved, people["union_chief"])
    assert union["sign"].possible and not union["edit"].possible and not union["submit"].shown
    assert not contract_moves(approved, people["delegate"])["sign"].shown
    blocked = contract_moves(approved, people["negotiator"])["sign"]
    assert not blocked.possible and blocked.rule["rule"] == "R7"


def test_contract_moves_without_a_named_chief_says_to_name_them(enterprise, people):
    contract = contract_create(
        user=people["union_chief"],
        enterprise=enterprise,
        kind="general",
        title="无首席代表",
        term_start=D("2027-01-01"),
        term_end=D("2029-12-31"),
        clauses=[{"number": "1", "category": "pay", "title": "工资", "text": "……"}],
    )
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.APPROVED)
    contract.refresh_from_db()

    with translation.override("en"):
        move = contract_moves(contract, people["negotiator"])["sign"]
    assert not move.possible
    assert move.reason == "Name both chief representatives on the contract before it can be signed."


def test_the_timeline_dates_a_signature_by_the_local_day(page_for, approved, people):
    # 20:00 UTC on 4 December is 04:00 on 5 December in China.
    Contract.objects.filter(pk=approved.pk).update(union_signed_at=dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.UTC))
    response = page_for(people["delegate"]).get(page_url(approved))
    content = response.content.decode()
    start = content.index('id="timeline"')
    timeline = text_of(content[start : content.index("</section>", start)])

    assert "union side signed Dec. 5, 2026" in timeline
