"""Every page, as the demo's people read it, in both languages: in Chinese no English word of
ours is left untranslated, and in neither language does an internal code show (a term kind, a
status, a side, ``tiers = [{…}]``). A new page joins ``PAGES`` or the coverage test fails."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import get_resolver, reverse

from bargaining.models import ConsultationSession, Negotiation
from contracts.compliance.models import Breach, PayrollImport
from contracts.models import CongressSession, Contract, ContractStatus, DocumentKind
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from contracts.services.documents import document_request

pytestmark = pytest.mark.django_db

# The people of the demo whose pages differ (a chief, the employer, a delegate, the federation).
READERS = ("demo", "demo-employer", "demo-delegate-1", "demo-federation", "demo-textiles-leader")

# Pages read with GET, by URL name, and how to fill their arguments from the demo's objects.
PAGES = {
    "bargaining:home": lambda demo: [],
    "bargaining:index": lambda demo: [],
    "bargaining:negotiation": lambda demo: [demo["negotiation"].pk],
    "bargaining:round_open": lambda demo: [demo["negotiation"].pk],
    "bargaining:round": lambda demo: [demo["round"].negotiation_id, demo["round"].pk],
    "bargaining:gap": lambda demo: [demo["negotiation"].pk],
    "contracts:index": lambda demo: [],
    "contracts:contract": lambda demo: [demo["contract"].pk],
    "contracts:clause": lambda demo: [demo["draft"].pk, demo["clause"].pk],
    "contracts:clause_new": lambda demo: [demo["draft"].pk],
    "contracts:clause_edit": lambda demo: [demo["draft"].pk, demo["clause"].pk],
    "contracts:contract_versions": lambda demo: [demo["contract"].pk],
    "contracts:contract_documents": lambda demo: [demo["contract"].pk],
    "contracts:document_status": lambda demo: [demo["document"].pk],
    "contracts:breaches": lambda demo: [],
    "contracts:breach": lambda demo: [demo["breach"].pk],
    "contracts:payroll": lambda demo: [],
    "contracts:payroll_import": lambda demo: [demo["payroll_import"].pk],
    "contracts:congress_index": lambda demo: [],
    "contracts:congress_open": lambda demo: [demo["congress"].contract_id],
    "contracts:congress_session": lambda demo: [demo["congress"].pk],
    "contracts:congress_count": lambda demo: [demo["congress"].pk],
    "notifications:alerts": lambda demo: [],
    "notifications:preferences": lambda demo: [],
}
# Names that only take a POST (actions), answering GET with 405 or a redirect, and files
# (exports and downloads, read in a spreadsheet or a word processor, tested where they are made).
ACTIONS = re.compile(
    r"_(create|request|respond|representative_add|representative_update|representative_vacate|suspend|resume|"
    r"conclude|minutes|agenda|attendees|proposal|sign|vote|tally|close|add|update|delete|submit|file|receipt|"
    r"objection|acknowledge|dispute|remedy|notice|read|read_all|export|download|cancel)$|^alert_open$"
)

# Latin words a Chinese page may hold: names of things that have none in Chinese, and the demo's data.
ALLOWED_LATIN = {
    "Concord",
    "API",
    "PDF",
    "XLSX",
    "CSV",
    "docx",
    "English",
    "ECharts",
    "htmx",
}  # Concord: the product's name
LATIN_WORD = re.compile(r"(?<![\w@./-])[A-Za-z][A-Za-z'’]+(?![\w@./-])")


def visible_text(page: str) -> str:
    """What a person reads: the text outside tags, scripts and styles, entities decoded."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def internal_codes() -> set[str]:
    """The stored codes a person must never read: term kinds, clause categories and every choice
    value with an underscore (statuses, roles, modes…)."""
    codes = set(TERM_KINDS) | {value for value in ClauseCategory.values if "_" in value}
    for model in (Negotiation, ConsultationSession, Contract, CongressSession):
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "choices", None) or []:
                if isinstance(value, str) and "_" in value:
                    codes.add(value)
    for choices in models.TextChoices.__subclasses__():
        codes.update(value for value in choices.values if isinstance(value, str) and "_" in value)
    return codes


@pytest.fixture
def demo():
    call_command("demo_data", verbosity=0)
    congress = CongressSession.objects.filter(closed_at__isnull=True).select_related("contract").first()
    contract = Contract.objects.filter(status=ContractStatus.EFFECTIVE).order_by("pk").first()
    draft = Contract.objects.filter(status=ContractStatus.DRAFT).order_by("pk").first()
    document = document_request(
        user=get_user_model().objects.get(username="demo"), contract=contract, kind=DocumentKind.CONTRACT
    )
    return {
        "negotiation": Negotiation.objects.filter(sessions__isnull=False).order_by("pk").first(),
        "round": ConsultationSession.objects.order_by("pk").first(),
        "contract": contract,
        "draft": draft,
        "clause": draft.clauses.order_by("position").first(),
        "document": document,
        "breach": Breach.objects.filter(contract=contract).order_by("pk").first(),
        "payroll_import": PayrollImport.objects.filter(enterprise=contract.enterprise).order_by("pk").first(),
        "congress": congress,
    }


def test_every_page_a_person_reads_is_in_pages():
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in ("bargaining", "contracts", "notifications") and pattern.name:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    pages = {name for name in names if not ACTIONS.search(name.split(":")[1])}

    assert pages == set(PAGES)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_shows_an_internal_code(demo, language):
    codes = internal_codes()
    found = {}
    for username in READERS:
        client = Client(headers={"accept-language": language})
        client.force_login(get_user_model().objects.get(username=username))
        for name, arguments in PAGES.items():
            response = client.get(reverse(name, args=arguments(demo)))
            assert response.status_code in (200, 403, 404), (username, name, response.status_code)
            text = visible_text(response.content.decode())
            shown = sorted(code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text))
            if "[{" in text or "{'" in text:
                shown.append("a raw dict or list")
            if shown:
                found[username, name] = shown
    assert found == {}


def test_no_chinese_page_leaves_an_english_word_untranslated(demo):
    people = set(get_user_model().objects.values_list("username", flat=True))
    found = {}
    for username in READERS:
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(get_user_model().objects.get(username=username))
        for name, arguments in PAGES.items():
            response = client.get(reverse(name, args=arguments(demo)))
            text = visible_text(response.content.decode())
            words = {
                word
                for word in LATIN_WORD.findall(text)
                if word not in ALLOWED_LATIN and word not in people and not re.fullmatch(r"R\d+", word)
            }
            if words:
                found[username, name] = sorted(words)
    assert found == {}
