"""Regional rule packs: the national defaults of SPEC §2 and what each region overrides."""

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest

from contracts.enterprises.models import Enterprise
from contracts.rules.packs import NATIONAL, PACK_CHOICES, PACKS, CongressMajority, rule_pack_get
from tests.factories import EnterpriseFactory


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("reply_days", 20),  # R1
        ("reply_in_working_days", False),
        ("min_representatives", 3),  # R2
        ("max_external_fraction", Fraction(1, 3)),
        ("employer_side_may_be_smaller", False),
        ("vacancy_fill_days", 15),
        ("suspension_max_days", None),  # R5
        ("congress_quorum", Fraction(2, 3)),  # R6
        ("congress_majority", CongressMajority.MORE_THAN_HALF),
        ("filing_days", 10),  # R8
        ("review_days", 15),  # R9
        ("term_min_years", 1),  # R10
        ("term_max_years", 3),
        ("renewal_window_months", 3),
        ("overtime_max_hours_day", Decimal("3")),  # R11
        ("overtime_max_hours_month", Decimal("36")),
        ("overtime_premium_weekday", Decimal("1.5")),  # R12
        ("overtime_premium_rest_day", Decimal("2")),
        ("overtime_premium_holiday", Decimal("3")),
        ("monthly_paid_days", Decimal("21.75")),
        ("hours_per_day", Decimal("8")),
        ("annual_leave_tiers", ((1, 5), (10, 10), (20, 15))),  # R15
        ("weekends_extend_deadlines", True),  # R16
        ("pregnancy_months_no_overtime", 7),  # R17
        ("nursing_months", 12),
    ],
)
def test_national_pack_carries_the_statutory_defaults(field, expected):
    assert getattr(NATIONAL, field) == expected


def _overrides(pack):
    return {
        field.name: getattr(pack, field.name)
        for field in dataclasses.fields(pack)
        if field.name not in {"code", "name"} and getattr(pack, field.name) != getattr(NATIONAL, field.name)
    }


@pytest.mark.parametrize(
    ("code", "overrides"),
    [
        ("national", {}),
        ("beijing", {"suspension_max_days": 60}),
        ("shanghai", {"reply_days": 15, "employer_side_may_be_smaller": True}),
        ("zhejiang", {"reply_days": 10, "reply_in_working_days": True, "employer_side_may_be_smaller": True}),
        ("chongqing", {"employer_side_may_be_smaller": True}),
    ],
)
def test_regional_pack_overrides_only_what_differs(code, overrides):
    pack = PACKS[code]

    assert pack.code == code
    assert _overrides(pack) == overrides


def test_rule_pack_get_returns_the_named_pack():
    assert rule_pack_get("shanghai") is PACKS["shanghai"]


def test_rule_pack_get_falls_back_to_the_national_pack_for_an_unknown_code():
    assert rule_pack_get("atlantis") is NATIONAL
    assert rule_pack_get("") is NATIONAL


def test_rule_packs_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        NATIONAL.reply_days = 30


def test_pack_as_dict_renders_fractions_and_decimals_as_strings():
    data = PACKS["beijing"].as_dict()

    assert data["code"] == "beijing"
    assert data["name"] == str(PACKS["beijing"].name)
    assert data["max_external_fraction"] == "1/3"
    assert data["congress_quorum"] == "2/3"
    assert data["overtime_max_hours_month"] == "36"
    assert data["monthly_paid_days"] == "21.75"
    assert data["suspension_max_days"] == 60
    assert data["reply_days"] == 20


def test_every_pack_is_a_choice_of_the_enterprise_rule_pack():
    field_choices = {code for code, _label in Enterprise._meta.get_field("rule_pack").choices}

    assert [code for code, _label in PACK_CHOICES] == list(PACKS)
    assert field_choices == set(PACKS)


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(PACKS))
def test_enterprise_pack_is_the_pack_it_names(code):
    enterprise = EnterpriseFactory(rule_pack=code)

    enterprise.refresh_from_db()

    assert enterprise.pack is PACKS[code]
