"""R8: the filing pack holds the signed contract, the congress resolution, the
representatives and the signed minutes, in one archive."""

import csv
import datetime as dt
import io
import zipfile

import docx
import pytest

from bargaining.models import Representative
from bargaining.services.negotiations import negotiation_conclude
from contracts.models import CongressMode, Contract
from contracts.services.congress import congress_session_close, congress_session_open, congress_tally_record
from contracts.services.lifecycle import clause_add, contract_sign, contract_submit_to_congress

pytestmark = pytest.mark.django_db

REQUIRED = [
    ("term", "本合同期限三年。"),
    ("amendment", "变更须经双方协商一致。"),
    ("disputes", "争议先由双方协商处理。"),
    ("breach_liability", "违约方承担相应责任。"),
    ("women_minors", "女职工享受特殊保护。"),
]


@pytest.fixture
def signed_contract(negotiation_in_rounds, first_round, sign_both, union_user, employer_user):
    """A contract drafted from a concluded negotiation, passed by a paper vote and signed by both chiefs."""
    sign_both(first_round)
    negotiation_conclude(
        user=union_user,
        negotiation=negotiation_in_rounds,
        positions=[{"clause_category": "pay", "term_kind": "pay_day", "params": {"day": 10}, "text": "每月10日发薪。"}],
        contract_term_start=dt.date(2026, 7, 1),
        contract_term_end=dt.date(2029, 6, 30),
    )
    contract = Contract.objects.get(negotiation_id=negotiation_in_rounds.pk)
    for number, (category, text) in enumerate(REQUIRED, 2):
        clause_add(user=union_user, contract=contract, number=str(number), category=category, text=text)
    contract_submit_to_congress(user=union_user, contract=contract)
    session = congress_session_open(
        user=union_user, contract=contract, delegates_total=30, held_on=dt.date(2026, 6, 1), mode=CongressMode.TALLY
    )
    congress_tally_record(user=union_user, session=session, present=24, yes=20, no=3, abstain=1)
    congress_session_close(user=union_user, session=session)
    contract_sign(user=union_user, contract=contract)
    contract_sign(user=employer_user, contract=contract)
    contract.refresh_from_db()
    return contract


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_filing_pack_holds_contract_resolution_representatives_and_signed_minutes(
    signed_contract, union_user, client_for
):
    response = client_for(union_user).get(f"/api/v1/contracts/{signed_contract.pk}/filing-pack/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert [name.split("-")[0] for name in names] == ["1", "2", "3", "4"]
    contract_doc, resolution_doc, people_csv, minutes_doc = (archive.read(name) for name in names)
    assert "每月10日发薪。" in _text(contract_doc)
    assert "女职工享受特殊保护。" in _text(contract_doc)
    resolution = _text(resolution_doc)
    assert "24" in resolution and "20" in resolution
    rows = list(csv.reader(io.StringIO(people_csv.decode("utf-8-sig"))))
    assert len(rows) == 1 + 6  # header and three representatives a side
    assert "Round 1: both sides stated their positions." in _text(minutes_doc)


def test_filing_pack_in_english_names_its_files_in_english(signed_contract, union_user, client_for):
    response = client_for(union_user).get(f"/api/v1/contracts/{signed_contract.pk}/filing-pack/?language=en")

    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "1-contract.docx" in names
    assert any(name.startswith("4-minutes-1") for name in names)


def test_a_draft_has_no_filing_pack(negotiation_in_rounds, first_round, sign_both, union_user, client_for):
    sign_both(first_round)
    negotiation_conclude(
        user=union_user,
        negotiation=negotiation_in_rounds,
        positions=[{"clause_category": "pay", "term_kind": "pay_day", "params": {"day": 10}}],
    )
    contract = Contract.objects.get(negotiation_id=negotiation_in_rounds.pk)

    response = client_for(union_user).get(f"/api/v1/contracts/{contract.pk}/filing-pack/")

    assert response.status_code == 409
    assert response.json()["code"] == "contract_not_signed"


def test_another_enterprise_cannot_download_the_filing_pack(signed_contract, make_member, client_for):
    from tests.factories import EnterpriseFactory

    stranger = make_member(EnterpriseFactory())

    response = client_for(stranger).get(f"/api/v1/contracts/{signed_contract.pk}/filing-pack/")

    assert response.status_code == 404


def test_the_filed_contract_in_the_pack_carries_the_congress_approval_and_both_signing_dates(
    signed_contract, union_user, client_for
):
    from django.utils import timezone

    response = client_for(union_user).get(f"/api/v1/contracts/{signed_contract.pk}/filing-pack/")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    contract_doc = archive.read(sorted(archive.namelist())[0])

    text = _text(contract_doc)
    assert (
        "本合同经2026年6月1日职工代表大会审议表决：应到代表30人，实到代表24人；"
        "赞成20票，反对3票，弃权1票。表决结果：通过。"
    ) in text
    for signed_at in (signed_contract.union_signed_at, signed_contract.employer_signed_at):
        day = timezone.localtime(signed_at).date()
        assert f"日期：{day.year}年{day.month}月{day.day}日" in text
    # signed, not yet filed: no filing record
    assert "报送备案日期" not in text


def test_a_representative_named_like_a_formula_stays_text_in_the_packs_spreadsheet(
    signed_contract, union_user, client_for
):
    # given a representative whose name a spreadsheet would run as a formula
    hostile = '=HYPERLINK("http://evil.example/","点我")'
    person = Representative.objects.filter(negotiation_id=signed_contract.negotiation_id).order_by("pk").first()
    Representative.objects.filter(pk=person.pk).update(name=hostile)

    response = client_for(union_user).get(f"/api/v1/contracts/{signed_contract.pk}/filing-pack/")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    people_csv = archive.read(next(name for name in archive.namelist() if name.startswith("3-")))
    names = [row[1] for row in csv.reader(io.StringIO(people_csv.decode("utf-8-sig")))][1:]
    assert "'" + hostile in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
