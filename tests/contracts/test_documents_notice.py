"""The rectification notice words a breach's shortfall in its own unit, from the one formatter
(``contracts.rules.units.quantity_text``) that pages and e-mails use: wages paid 168 days late
read as days late under a heading of lateness, never as 1.68 yuan; money reads as yuan. The
breached clause is named by the article the contract prints it as."""

import io

import docx
import pytest
from django.utils import translation

from contracts.compliance.models import Breach
from contracts.rules.terms import TERM_KINDS
from contracts.rules.units import quantity_text
from contracts.services.documents import document_render, document_request
from tests.factories import MIN_WAGE, contract_in_effect, payroll_check, payroll_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PAY_DAY = {"kind": "pay_day", "params": {"day": 15}}
COLUMNS = ("employee_id", "period", "base_wage", "pay_date")


def notice_rows(breach: Breach, user, language: str) -> dict[str, str]:
    """The notice's table as {heading: value}, rendered through the documents service."""
    document = document_request(
        user=user, contract=breach.contract, kind="rectification_notice", language=language, subject_id=breach.pk
    )
    document = document_render(document_id=document.pk)
    assert document.status == "ready", document.error
    (table,) = docx.Document(io.BytesIO(document.file.read())).tables
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


@pytest.fixture
def paid_late(enterprise, union_user) -> Breach:
    """March 2025 wages, due on 15 April, paid on 30 September: 168 days late."""
    contract_in_effect(enterprise, union_user, terms=[MIN_WAGE, PAY_DAY])
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", 3000, "2025-09-30"), columns=COLUMNS))
    breach = Breach.objects.get(term_kind="pay_day")
    assert (breach.unit, breach.total_shortfall) == ("date", 168)
    return breach


def test_a_pay_day_breach_notice_words_the_shortfall_in_days_late_not_yuan(paid_late, union_user):
    rows = notice_rows(paid_late, union_user, "zh-hans")

    assert rows["工资迟延发放"] == "迟延 168 天"
    with translation.override("zh-hans"):
        assert rows["工资迟延发放"] == quantity_text(168, "date")  # the one formatter's wording
        term = str(TERM_KINDS["pay_day"].label)
    assert "差额（元）" not in rows
    assert "差额" not in rows
    assert not [value for value in rows.values() if "元" in value or "1.68" in value]
    # the clause stored as "5" is the contract's first printed article
    assert rows["约定事项"] == f"第一条 · {term}"
    assert rows["涉及职工人数"] == "1"


def test_a_pay_day_breach_notice_in_english(paid_late, union_user):
    rows = notice_rows(paid_late, union_user, "en")

    assert rows["Wages paid late"] == "168 days late"
    assert rows["Obligation"].startswith("Article 1 · ")
    assert not [value for value in rows.values() if "¥" in value or "CNY" in value]


def test_a_wage_breach_notice_words_the_shortfall_in_yuan(enterprise, union_user):
    contract_in_effect(enterprise, union_user)
    payroll_check(union_user, enterprise, payroll_csv(("A1", "2025-03", "2999.50"), ("A2", "2025-03", "2900.00")))
    breach = Breach.objects.get()

    assert notice_rows(breach, union_user, "zh-hans")["差额"] == "100.50元"
    assert notice_rows(breach, union_user, "en")["Shortfall"] == "¥100.50"
