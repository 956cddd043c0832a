"""Fixtures for the contracts tests: contracts at each stage, congress delegates and sessions."""

import dataclasses
import datetime as dt

import pytest

from contracts.enterprises.models import Role
from contracts.models import CongressMode
from contracts.rules.packs import PACKS, CongressMajority
from contracts.services.congress import congress_session_open
from contracts.services.lifecycle import contract_create, contract_submit_to_congress


@pytest.fixture
def make_contract_in_congress(union_user):
    """A contract drafted and submitted to the workers' congress through the services."""

    def make(enterprise, *, user=None):
        user = user or union_user
        contract = contract_create(
            user=user,
            enterprise=enterprise,
            kind="general",
            title="Collective contract 2026–2029",
            term_start=dt.date(2026, 7, 1),
            term_end=dt.date(2029, 6, 30),
            clauses=[{"number": "1", "category": "pay", "title": "Wages", "text": "Wages are paid monthly."}],
        )
        return contract_submit_to_congress(user=user, contract=contract)

    return make


@pytest.fixture
def contract_in_congress(enterprise, make_contract_in_congress):
    return make_contract_in_congress(enterprise)


@pytest.fixture
def make_delegates(make_member):
    """``count`` users holding the congress delegate role in ``enterprise``."""

    def make(enterprise, count):
        return [make_member(enterprise, Role.CONGRESS_DELEGATE) for _ in range(count)]

    return make


@pytest.fixture
def open_session(union_user):
    """A congress session opened by the union negotiator on a contract before the congress."""

    def open_(contract, *, delegates_total=30, mode=CongressMode.TALLY, held_on=dt.date(2026, 6, 15)):
        return congress_session_open(
            user=union_user, contract=contract, delegates_total=delegates_total, held_on=held_on, mode=mode
        )

    return open_


@pytest.fixture
def half_or_more_pack(monkeypatch):
    """A rule pack code whose congress lets exactly half of all delegates pass a draft (our configuration)."""
    code = "chongqing"
    monkeypatch.setitem(PACKS, code, dataclasses.replace(PACKS[code], congress_majority=CongressMajority.HALF_OR_MORE))
    return code
