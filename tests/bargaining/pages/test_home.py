"""The home page: a delegate's open congress votes first; per enterprise, its negotiations with their
next deadline, its contracts with their term, its open breaches totalled per unit and the user's
unread alerts; nothing of an enterprise the user holds no role in; the same few queries however
many enterprises; worded in Chinese and English, never in internal codes."""

import datetime as dt
import re
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy

from bargaining.models import NegotiationKind, NegotiationStatus, Side
from bargaining.services.negotiations import negotiation_request
from contracts.compliance.models import Breach, BreachStatus, ComplianceRun, PayrollImport
from contracts.enterprises.models import Membership, Role
from contracts.models import BallotChoice, CongressMode, ContractKind, ContractStatus
from contracts.rules.terms import TERM_KINDS
from contracts.rules.terms.payroll import UNIT_DATE, UNIT_DAY_HUNDREDTHS, UNIT_FEN, UNIT_HOUR_HUNDREDTHS
from contracts.services.congress import ballot_cast, congress_session_open
from contracts.services.lifecycle import contract_create, contract_submit_to_congress
from notifications.models import Level
from notifications.services import alert_raise
from tests.factories import (
    EnterpriseFactory,
    FederationOfficerFactory,
    NegotiationFactory,
    UserFactory,
    contract_in_effect,
)

pytestmark = pytest.mark.django_db

HOME = "/"


def page(user, language="zh-hans") -> str:
    """The home page as ``user`` reads it in ``language``."""
    client = Client()
    client.force_login(type(user).objects.get(pk=user.pk))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def visible(html: str) -> str:
    """What a person sees: the body without scripts, styles and tags, spaces collapsed."""
    body = html[html.index("<body") :] if "<body" in html else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(unescape(strip_tags(body)).split())


def worded(value, language: str) -> str:
    """A date as Django's formats write it in ``language``."""
    with translation.override(language):
        return formats.date_format(value)


def in_language(label, language: str) -> str:
    with translation.override(language):
        return str(label)


def contract_before_congress(enterprise, user, *, title="工资专项集体合同"):
    """A special wage contract drafted and submitted to the workers' congress through the services."""
    contract = contract_create(
        user=user,
        enterprise=enterprise,
        kind=ContractKind.WAGES,
        title=title,
        term_start=dt.date(2027, 1, 1),
        term_end=dt.date(2027, 12, 31),
        clauses=[
            {
                "number": "1",
                "category": "pay",
                "title": "工资",
                "text": "最低工资与增幅。",
                "terms": [
                    {"kind": "min_monthly_wage", "params": {"amount": "3000"}},
                    {"kind": "wage_increase_pct", "params": {"percent": "5", "reference_period": "2026"}},
                ],
            }
        ],
    )
    return contract_submit_to_congress(user=user, contract=contract)


def open_ballot(enterprise, organiser, *, title="工资专项集体合同", delegates_total=7):
    contract = contract_before_congress(enterprise, organiser, title=title)
    return congress_session_open(
        user=organiser,
        contract=contract,
        delegates_total=delegates_total,
        held_on=timezone.localdate(),
        mode=CongressMode.BALLOT,
    )


def breach(contract, *, unit, total, status=BreachStatus.OPEN, term_kind="min_monthly_wage", period="2026-03"):
    """A breach row as a compliance run leaves it (the runs are tested on their own)."""
    payroll = PayrollImport.objects.create(
        enterprise=contract.enterprise, file="payroll/x.csv", original_name="x.csv", size=1, checksum="0" * 64
    )
    run = ComplianceRun.objects.create(contract=contract, payroll_import=payroll)
    return Breach.objects.create(
        contract=contract,
        enterprise=contract.enterprise,
        clause_number="5",
        term_kind=term_kind,
        period=period,
        unit=unit,
        affected_count=2,
        total_shortfall=total,
        worst_shortfall=total,
        status=status,
        first_run=run,
        last_run=run,
    )


def breach_alert(user, enterprise, *, clause="5", period="2026-03"):
    return alert_raise(
        recipients=[user.pk],
        level=Level.BREACH,
        template="breach_found",
        context={"enterprise": enterprise.name, "clause": clause, "period": period},
        dedup_key=f"test:{enterprise.pk}:{clause}:{period}",
    )


@pytest.fixture
def chinese_enterprise(db):
    return EnterpriseFactory(name="华南纺织有限公司", union_name="华南纺织有限公司工会")


@pytest.fixture
def organiser(chinese_enterprise, make_member):
    return make_member(chinese_enterprise, Role.UNION_NEGOTIATOR, first_name="王丽")


@pytest.fixture
def delegate(chinese_enterprise, make_member):
    return make_member(chinese_enterprise, Role.CONGRESS_DELEGATE, first_name="张秀英")


# --- who may see it -----------------------------------------------------------------------


def test_home_sends_an_anonymous_visitor_to_the_login_page(db):
    response = Client().get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_of_a_user_without_a_role_says_so(db):
    text = visible(page(UserFactory(first_name="无角色"), "en"))

    assert "You hold no role in any enterprise yet." in text


# --- the congress delegate ------------------------------------------------------------------


def test_home_of_a_delegate_shows_the_open_session_first_with_the_vote_button(chinese_enterprise, organiser, delegate):
    # given an open secret ballot on a contract of the delegate's enterprise
    session = open_ballot(chinese_enterprise, organiser, title="2027年度工资专项集体合同")

    html = page(delegate)

    # then the session comes before everything else, with a link to its voting page
    vote_url = reverse("contracts:congress_session", args=[session.pk])
    congress_at = html.index('id="congress"')
    assert congress_at < html.index(f'id="enterprise-{chinese_enterprise.pk}"')
    assert congress_at < html.index("<h1>") + 200
    assert f'class="button primary vote" href="{vote_url}"' in html
    assert "2027年度工资专项集体合同" in visible(html[congress_at:])


def test_home_of_a_delegate_who_voted_says_so_and_never_what_they_chose(chinese_enterprise, organiser, delegate):
    session = open_ballot(chinese_enterprise, organiser)
    ballot_cast(user=delegate, session=session, choice=BallotChoice.NO)

    html = page(delegate)
    text = visible(html[html.index('id="congress"') : html.index(f'id="enterprise-{chinese_enterprise.pk}"')])

    assert in_language(gettext_lazy("You have voted."), "zh-hans") in text
    assert 'class="button primary vote"' not in html
    for choice in BallotChoice:
        assert in_language(choice.label, "zh-hans") not in text


def test_home_shows_no_vote_to_a_negotiator_nor_of_a_paper_tally(chinese_enterprise, organiser, delegate):
    # given a session counted on paper: there is nothing to vote online
    contract = contract_before_congress(chinese_enterprise, organiser)
    congress_session_open(
        user=organiser, contract=contract, delegates_total=7, held_on=timezone.localdate(), mode=CongressMode.TALLY
    )

    assert 'id="congress"' not in page(delegate)
    assert 'id="congress"' not in page(organiser)


# --- negotiations, contracts, breaches, alerts ----------------------------------------------


def test_home_of_a_negotiator_shows_the_negotiation_status_and_its_overdue_answer(chinese_enterprise, organiser):
    # given a request received 40 days ago and never answered (R1: 20 days)
    negotiation = NegotiationFactory(enterprise=chinese_enterprise, title="2027年度集体合同续签协商")
    negotiation = negotiation_request(
        user=organiser,
        negotiation=negotiation,
        requested_by=Side.UNION,
        received_on=timezone.localdate() - dt.timedelta(days=40),
    )

    html = page(organiser, "en")
    card = html[html.index(f'id="enterprise-{chinese_enterprise.pk}"') :]
    text = visible(card)

    assert f'href="{reverse("bargaining:negotiation", args=[negotiation.pk])}"' in card
    assert "2027年度集体合同续签协商" in text
    assert "request received, awaiting answer" in text
    assert f"Answer due: {worded(negotiation.reply_due, 'en')} overdue R1" in text


def test_home_shows_an_answer_not_yet_due_without_overdue(chinese_enterprise, organiser):
    negotiation = negotiation_request(
        user=organiser,
        negotiation=NegotiationFactory(enterprise=chinese_enterprise),
        requested_by=Side.UNION,
        received_on=timezone.localdate() - dt.timedelta(days=2),
    )

    text = visible(page(organiser, "en"))

    assert f"Answer due: {worded(negotiation.reply_due, 'en')}" in text
    assert "overdue" not in text


def test_home_shows_the_contract_status_term_and_link(chinese_enterprise, organiser):
    contract = contract_in_effect(
        chinese_enterprise,
        organiser,
        title="集体合同（2026—2028年）",
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2028, 12, 31),
    )

    html = page(organiser, "en")
    text = visible(html)

    assert f'href="{reverse("contracts:contract", args=[contract.pk])}"' in html
    assert "集体合同（2026—2028年）" in text
    assert "in effect" in text
    assert f"Term: {worded(dt.date(2026, 1, 1), 'en')} – {worded(dt.date(2028, 12, 31), 'en')}" in text
    assert f'href="{reverse("contracts:breaches")}"' in html


def test_home_totals_open_breaches_per_unit_and_never_adds_yuan_to_hours_or_days(chinese_enterprise, organiser):
    contract = contract_in_effect(chinese_enterprise, organiser)
    breach(contract, unit=UNIT_FEN, total=15000, period="2026-03")
    breach(contract, unit=UNIT_FEN, total=2000, period="2026-04", term_kind="overtime_premium")
    breach(contract, unit=UNIT_HOUR_HUNDREDTHS, total=400, term_kind="max_overtime_hours_month")
    breach(contract, unit=UNIT_DATE, total=3, term_kind="pay_day")
    # settled breaches are not counted
    breach(contract, unit=UNIT_FEN, total=99900, status=BreachStatus.REMEDIED, period="2026-05")
    breach(contract, unit=UNIT_DAY_HUNDREDTHS, total=500, status=BreachStatus.CLOSED, term_kind="annual_leave_days")

    text = visible(page(organiser, "en"))

    assert "4 open breaches" in text
    assert "¥170.00 (2 breaches)" in text
    assert "4.00 hours (1 breach)" in text
    assert "3 days late (1 breach)" in text
    assert "¥1,169.00" not in text  # the remedied one
    assert "5.00 days" not in text  # the closed one
    assert "¥174.03" not in text and "¥170.04" not in text  # units never added together


def test_home_counts_unread_alerts_with_their_latest_subjects(chinese_enterprise, organiser):
    for month in ("2026-01", "2026-02", "2026-03", "2026-04"):
        breach_alert(organiser, chinese_enterprise, period=month)
    read = breach_alert(organiser, chinese_enterprise, period="2025-12")[0]
    read.read_at = timezone.now()
    read.save()

    html = page(organiser, "en")
    text = visible(html)

    assert "You have 4 unread alerts." in text
    assert "4 unread alerts" in text
    assert f'href="{reverse("notifications:alerts")}"' in html
    subjects = re.findall(r"Breach at 华南纺织有限公司: clause 5, (\d{4}-\d{2})", text)
    assert subjects == ["2026-04", "2026-03", "2026-02"]  # the latest three, newest first


def test_home_never_shows_another_enterprises_data(chinese_enterprise, organiser, make_member):
    # given another enterprise with its own negotiation, contract, breach, congress vote and alerts
    other = EnterpriseFactory(name="东方精密机械有限公司")
    outsider = make_member(other, Role.UNION_NEGOTIATOR, Role.UNION_LEADER, Role.CONGRESS_DELEGATE)
    NegotiationFactory(enterprise=other, title="机械厂工资协商", status=NegotiationStatus.IN_ROUNDS)
    contract = contract_in_effect(other, outsider, title="机械厂集体合同")
    breach(contract, unit=UNIT_FEN, total=123456)
    open_ballot(other, outsider, title="机械厂工资专项集体合同")
    breach_alert(outsider, other)
    # and the user's own enterprise with a delegate role too
    make_member(chinese_enterprise, Role.CONGRESS_DELEGATE)

    html = page(organiser, "en")
    text = visible(html)

    assert f'id="enterprise-{chinese_enterprise.pk}"' in html
    assert f'id="enterprise-{other.pk}"' not in html
    for foreign in ("东方精密机械有限公司", "机械厂工资协商", "机械厂集体合同", "机械厂工资专项集体合同", "¥1,234.56"):
        assert foreign not in text
    assert 'id="congress"' not in html
    assert "Breach at" not in text and "You have" not in text  # no alert of theirs


def test_home_of_a_federation_officer_has_a_card_per_enterprise_of_the_federation(db):
    officer = FederationOfficerFactory()
    first = EnterpriseFactory(federation=officer.federation, name="甲企业")
    second = EnterpriseFactory(federation=officer.federation, name="乙企业")
    elsewhere = EnterpriseFactory(name="丙企业")

    html = page(officer.user, "en")

    assert f'id="enterprise-{first.pk}"' in html and f'id="enterprise-{second.pk}"' in html
    assert f'id="enterprise-{elsewhere.pk}"' not in html
    assert visible(html).count("federation officer") == 2


# --- languages and codes --------------------------------------------------------------------


def internal_codes() -> set[str]:
    """The codes people must never read: every stored code that its English wording does not
    contain as a word ("in_rounds", "effective", "min_monthly_wage", "hour_hundredths" …)."""
    choices = [
        *NegotiationStatus.choices,
        *NegotiationKind.choices,
        *ContractStatus.choices,
        *ContractKind.choices,
        *BreachStatus.choices,
        *Role.choices,
        *CongressMode.choices,
        *((code, kind.label) for code, kind in TERM_KINDS.items()),
    ]
    codes = {UNIT_FEN, UNIT_HOUR_HUNDREDTHS, UNIT_DAY_HUNDREDTHS}
    for code, label in choices:
        if not re.search(rf"\b{re.escape(code)}\b", in_language(label, "en")):
            codes.add(code)
    return codes


@pytest.fixture
def busy_enterprise(chinese_enterprise, organiser, delegate):
    """An enterprise with a request awaiting its answer, a contract in effect with breaches in
    every unit, an open secret ballot and an alert: everything the home page words."""
    negotiation_request(
        user=organiser,
        negotiation=NegotiationFactory(enterprise=chinese_enterprise, title="续签协商"),
        requested_by=Side.UNION,
        received_on=timezone.localdate() - dt.timedelta(days=30),
    )
    NegotiationFactory(enterprise=chinese_enterprise, title="工资协商", status=NegotiationStatus.IN_ROUNDS)
    contract = contract_in_effect(chinese_enterprise, organiser, title="集体合同")
    for unit, kind in (
        (UNIT_FEN, "min_monthly_wage"),
        (UNIT_HOUR_HUNDREDTHS, "max_overtime_hours_month"),
        (UNIT_DAY_HUNDREDTHS, "annual_leave_days"),
        (UNIT_DATE, "pay_day"),
    ):
        breach(contract, unit=unit, total=250, term_kind=kind)
    open_ballot(chinese_enterprise, organiser)
    Membership.objects.create(user=organiser, enterprise=chinese_enterprise, role=Role.CONGRESS_DELEGATE)
    breach_alert(organiser, chinese_enterprise)
    return chinese_enterprise


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_is_worded_in_the_readers_language_without_internal_codes(busy_enterprise, organiser, language):
    text = visible(page(organiser, language))

    assert in_language(NegotiationStatus.REQUESTED.label, language) in text
    assert in_language(NegotiationStatus.IN_ROUNDS.label, language) in text
    assert in_language(ContractStatus.EFFECTIVE.label, language) in text
    assert in_language(Role.CONGRESS_DELEGATE.label, language) in text
    with translation.override(language):
        assert formats.date_format(dt.date(2025, 1, 1)) in text  # the contract's term, as the language writes dates
    for code in sorted(internal_codes()):
        assert not re.search(rf"\b{re.escape(code)}\b", text), f"{code!r} shows on the page in {language}"


# --- cost -----------------------------------------------------------------------------------


def member_of_busy_enterprises(count: int):
    """A user in ``count`` enterprises, each with a negotiation awaiting its answer, a contract in
    effect, breaches in two units, an alert and an open secret ballot the user may vote in."""
    enterprises = [EnterpriseFactory() for _ in range(count)]
    user = UserFactory()
    for enterprise in enterprises:
        for role in (Role.UNION_NEGOTIATOR, Role.CONGRESS_DELEGATE):
            Membership.objects.create(user=user, enterprise=enterprise, role=role)
        negotiation_request(
            user=user,
            negotiation=NegotiationFactory(enterprise=enterprise),
            requested_by=Side.UNION,
            received_on=timezone.localdate() - dt.timedelta(days=3),
        )
        contract = contract_in_effect(enterprise, user)
        breach(contract, unit=UNIT_FEN, total=100)
        breach(contract, unit=UNIT_DATE, total=2, term_kind="pay_day")
        open_ballot(enterprise, user)
        breach_alert(user, enterprise)
    client = Client()
    client.force_login(type(user).objects.get(pk=user.pk))
    return client, enterprises


def test_home_costs_the_same_few_queries_for_three_enterprises_as_for_one(django_assert_max_num_queries):
    client, _ = member_of_busy_enterprises(1)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)
    client, enterprises = member_of_busy_enterprises(3)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(HOME)

    assert len(one.captured_queries) <= 12
    html = response.content.decode()
    assert all(f'id="enterprise-{enterprise.pk}"' in html for enterprise in enterprises)
    assert html.count('class="button primary vote"') == 3
