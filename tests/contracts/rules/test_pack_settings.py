"""R6's majority as an administrator's setting per rule pack (SPEC R6: "a setting switches to
'half or more'"): more than half of ALL delegates by default; half or more once the pack is
switched in the admin, with who switched it, when and on what legal basis. A decision made
before the switch keeps the majority it was decided under."""

import datetime as dt

import pytest
from django.test import Client

from contracts.enterprises.models import Role
from contracts.models import CongressMode, CongressSession, ContractStatus, RulePackSetting
from contracts.rules.pack_settings.store import rule_pack_in_force
from contracts.rules.packs import NATIONAL, PACKS, CongressMajority
from contracts.services.congress import (
    congress_result_describe,
    congress_session_close,
    congress_session_open,
    congress_tally_record,
)
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_ADD = "/admin/contracts/rulepacksetting/add/"
BASIS = "重庆市集体合同条例 第二十四条: 经全体职工代表半数以上同意"


def admin_change(setting):
    return f"/admin/contracts/rulepacksetting/{setting.pk}/change/"


@pytest.fixture
def superuser_client():
    user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client, user


def switch(client, *, pack="chongqing", majority=CongressMajority.HALF_OR_MORE, basis=BASIS):
    return client.post(ADMIN_ADD, {"pack": pack, "congress_majority": majority, "legal_basis": basis})


@pytest.fixture
def leader_of(make_member):
    def make(enterprise):
        return make_member(enterprise, Role.UNION_LEADER)

    return make


def congress_vote(enterprise, user, make_contract_in_congress, *, delegates_total, present, yes):
    contract = make_contract_in_congress(enterprise, user=user)
    session = congress_session_open(
        user=user,
        contract=contract,
        delegates_total=delegates_total,
        held_on=dt.date(2026, 6, 15),
        mode=CongressMode.TALLY,
    )
    congress_tally_record(user=user, session=session, present=present, yes=yes, no=present - yes, abstain=0)
    return congress_session_close(user=user, session=session)


# --- the pack in force ------------------------------------------------------------------------


def test_without_a_setting_the_pack_in_force_is_the_pack_of_code():
    assert rule_pack_in_force("chongqing") is PACKS["chongqing"]
    assert rule_pack_in_force("atlantis") is NATIONAL
    assert rule_pack_in_force("chongqing").congress_majority == CongressMajority.MORE_THAN_HALF


def test_a_setting_changes_only_its_own_pack_and_only_the_majority():
    RulePackSetting.objects.create(pack="chongqing", congress_majority=CongressMajority.HALF_OR_MORE, legal_basis=BASIS)

    chongqing = rule_pack_in_force("chongqing")

    assert chongqing.congress_majority == CongressMajority.HALF_OR_MORE
    assert chongqing.congress_quorum == PACKS["chongqing"].congress_quorum
    assert chongqing.employer_side_may_be_smaller is True
    assert rule_pack_in_force("zhejiang") is PACKS["zhejiang"]
    assert rule_pack_in_force("national") is NATIONAL


def test_a_setting_equal_to_the_default_leaves_the_pack_as_it_is():
    RulePackSetting.objects.create(pack="beijing", congress_majority=CongressMajority.MORE_THAN_HALF, legal_basis=BASIS)

    assert rule_pack_in_force("beijing") is PACKS["beijing"]


def test_the_pack_in_force_is_read_with_one_query(django_assert_num_queries):
    RulePackSetting.objects.create(pack="chongqing", congress_majority=CongressMajority.HALF_OR_MORE, legal_basis=BASIS)

    with django_assert_num_queries(1):
        rule_pack_in_force("chongqing")


# --- the congress decision, before and after the switch --------------------------------------


def test_exactly_half_yes_fails_under_the_default_and_passes_once_the_admin_switches_the_pack(
    superuser_client, leader_of, make_contract_in_congress
):
    enterprise = EnterpriseFactory(rule_pack="chongqing")
    leader = leader_of(enterprise)
    client, _admin = superuser_client

    before = congress_vote(enterprise, leader, make_contract_in_congress, delegates_total=30, present=20, yes=15)
    response = switch(client)
    after = congress_vote(enterprise, leader, make_contract_in_congress, delegates_total=30, present=20, yes=15)

    assert response.status_code == 302
    assert (before.passed, before.result["majority"], before.result["yes_needed"]) == (
        False,
        CongressMajority.MORE_THAN_HALF,
        16,
    )
    assert (after.passed, after.result["majority"], after.result["yes_needed"]) == (
        True,
        CongressMajority.HALF_OR_MORE,
        15,
    )
    after.contract.refresh_from_db()
    assert after.contract.status == ContractStatus.APPROVED


def test_one_yes_short_of_half_fails_even_under_half_or_more(leader_of, make_contract_in_congress):
    RulePackSetting.objects.create(pack="chongqing", congress_majority=CongressMajority.HALF_OR_MORE, legal_basis=BASIS)
    enterprise = EnterpriseFactory(rule_pack="chongqing")

    session = congress_vote(
        enterprise, leader_of(enterprise), make_contract_in_congress, delegates_total=30, present=20, yes=14
    )

    assert (session.passed, session.result["majority_met"]) == (False, False)


def test_the_switch_applies_to_enterprises_of_that_pack_only(superuser_client, leader_of, make_contract_in_congress):
    switch(superuser_client[0], pack="chongqing")
    enterprise = EnterpriseFactory(rule_pack="zhejiang")

    session = congress_vote(
        enterprise, leader_of(enterprise), make_contract_in_congress, delegates_total=30, present=20, yes=15
    )

    assert session.passed is False
    assert session.result["majority"] == CongressMajority.MORE_THAN_HALF


@pytest.mark.parametrize("majority", list(CongressMajority))
@pytest.mark.parametrize(("present", "quorum_met"), [(20, True), (19, False)])
def test_exactly_two_thirds_attending_is_a_quorum_under_either_majority(
    majority, present, quorum_met, leader_of, make_contract_in_congress
):
    RulePackSetting.objects.create(pack="chongqing", congress_majority=majority, legal_basis=BASIS)
    enterprise = EnterpriseFactory(rule_pack="chongqing")

    session = congress_vote(
        enterprise, leader_of(enterprise), make_contract_in_congress, delegates_total=30, present=present, yes=present
    )

    assert session.result["present_needed"] == 20
    assert session.result["quorum_met"] is quorum_met
    assert session.passed is quorum_met


def test_a_stored_decision_is_unchanged_after_the_switch(superuser_client, leader_of, make_contract_in_congress):
    enterprise = EnterpriseFactory(rule_pack="chongqing")
    session = congress_vote(
        enterprise, leader_of(enterprise), make_contract_in_congress, delegates_total=30, present=20, yes=15
    )
    stored = dict(session.result)
    reason = congress_result_describe(session.result)["reason"]

    switch(superuser_client[0])
    session = CongressSession.objects.get(pk=session.pk)

    assert session.result == stored
    assert (session.passed, session.result["majority"]) == (False, CongressMajority.MORE_THAN_HALF)
    assert congress_result_describe(session.result)["reason"] == reason
    assert session.contract.status == ContractStatus.DRAFT


# --- the admin page -----------------------------------------------------------------------------


def test_the_admin_saves_the_setting_with_who_and_its_legal_basis(superuser_client):
    client, admin_user = superuser_client

    response = switch(client)

    assert response.status_code == 302
    setting = RulePackSetting.objects.get(pack="chongqing")
    assert setting.congress_majority == CongressMajority.HALF_OR_MORE
    assert setting.legal_basis == BASIS
    assert setting.changed_by == admin_user
    assert setting.changed_at is not None
    assert [(h.history_type, h.congress_majority, h.history_user) for h in setting.history.all()] == [
        ("+", CongressMajority.HALF_OR_MORE, admin_user)
    ]


def test_the_admin_refuses_a_setting_without_its_legal_basis(superuser_client):
    response = switch(superuser_client[0], basis="")

    assert response.status_code == 200
    assert "legal_basis" in response.context["adminform"].form.errors
    assert not RulePackSetting.objects.exists()


def test_the_admin_refuses_a_second_setting_for_the_same_pack(superuser_client):
    client, _admin = superuser_client
    switch(client)

    response = switch(client, majority=CongressMajority.MORE_THAN_HALF)

    assert response.status_code == 200
    assert "pack" in response.context["adminform"].form.errors
    assert RulePackSetting.objects.get(pack="chongqing").congress_majority == CongressMajority.HALF_OR_MORE


def test_switching_back_needs_a_new_legal_basis_and_is_kept_in_the_history(superuser_client):
    client, _admin = superuser_client
    switch(client)
    setting = RulePackSetting.objects.get(pack="chongqing")
    back = {"congress_majority": CongressMajority.MORE_THAN_HALF, "legal_basis": BASIS}

    refused = client.post(admin_change(setting), back)
    accepted = client.post(admin_change(setting), back | {"legal_basis": "企业民主管理规定 第二十条"})

    assert refused.status_code == 200
    assert "legal_basis" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    setting.refresh_from_db()
    assert (setting.pack, setting.congress_majority, setting.legal_basis) == (
        "chongqing",
        CongressMajority.MORE_THAN_HALF,
        "企业民主管理规定 第二十条",
    )
    assert [h.congress_majority for h in setting.history.order_by("history_date")] == [
        CongressMajority.HALF_OR_MORE,
        CongressMajority.MORE_THAN_HALF,
    ]
    assert rule_pack_in_force("chongqing") is PACKS["chongqing"]


def test_the_admin_lists_the_settings(superuser_client):
    client, _admin = superuser_client
    switch(client)

    response = client.get("/admin/contracts/rulepacksetting/")

    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("pack", flat=True)) == ["chongqing"]


def test_the_admin_add_page_offers_every_pack_and_both_majorities(superuser_client):
    response = superuser_client[0].get(ADMIN_ADD)

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert [code for code, _label in form.fields["pack"].choices if code] == list(PACKS)
    assert [code for code, _label in form.fields["congress_majority"].choices] == list(CongressMajority.values)
    assert form.fields["legal_basis"].required is True


def test_a_saved_setting_keeps_its_pack(superuser_client):
    client, _admin = superuser_client
    switch(client)
    setting = RulePackSetting.objects.get(pack="chongqing")

    client.post(
        admin_change(setting),
        {"pack": "national", "congress_majority": CongressMajority.HALF_OR_MORE, "legal_basis": BASIS + "。"},
    )

    assert list(RulePackSetting.objects.values_list("pack", flat=True)) == ["chongqing"]
    assert rule_pack_in_force("national") is NATIONAL


def test_the_congress_page_cites_the_majority_the_setting_puts_in_force(
    superuser_client, leader_of, make_contract_in_congress
):
    enterprise = EnterpriseFactory(rule_pack="chongqing")
    leader = leader_of(enterprise)
    contract = make_contract_in_congress(enterprise, user=leader)
    page = Client(headers={"accept-language": "en"})
    page.force_login(leader)
    opening = f"/contracts/{contract.pk}/congress/new/"
    before = page.get(opening).content.decode()

    client, _admin = superuser_client
    switch(client)
    after = page.get(opening).content.decode()

    assert "more than half of all delegates" in before and "half or more of all delegates" not in before
    assert "half or more of all delegates" in after
