"""Generated documents: asking for one (idempotent), the render task (safe to run twice),
and the API (202 on request, 404 outside the user's enterprises, 409 before ready)."""

import datetime as dt
import hashlib
import io
import os
import re
from pathlib import Path

import docx
import pytest
from django.utils import timezone

from config.errors import NotAllowed
from contracts.compliance.tasks import sweep_pending
from contracts.documents import pdf
from contracts.errors import InvalidDocumentSubject, NoClosedCongressSession
from contracts.models import CongressSession, Document, DocumentStatus
from contracts.services import documents as services
from contracts.services.documents import document_render, document_request
from contracts.services.lifecycle import clause_add, contract_create
from contracts.tasks import render_document
from tests.factories import EnterpriseFactory, NegotiationFactory, SessionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def make_contract(enterprise, user, **fields):
    return contract_create(
        user=user,
        enterprise=enterprise,
        kind="general",
        title=fields.pop("title", "2026年集体合同"),
        term_start=dt.date(2026, 7, 1),
        term_end=dt.date(2029, 6, 30),
        clauses=[
            {"number": "第六条", "category": "pay", "title": "工资", "text": "员工月工资不低于3000元。"},
            {"number": "第十条", "category": "working_time", "title": "工时", "text": "每日工作八小时。"},
        ],
        **fields,
    )


@pytest.fixture
def contract(enterprise, union_user):
    return make_contract(enterprise, union_user)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def url(contract, suffix=""):
    return f"/api/v1/contracts/{contract.pk}/documents/{suffix}"


# --- requesting -------------------------------------------------------------------------


def test_requesting_the_same_document_twice_gives_one_document_queued_once(
    contract, union_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as first:
        document = document_request(user=union_user, contract=contract, kind="contract", language="zh-hans")
    with django_capture_on_commit_callbacks(execute=False) as second:
        again = document_request(user=union_user, contract=contract, kind="contract", language="zh-hans")

    assert again.pk == document.pk
    assert Document.objects.count() == 1
    assert (document.status, document.contract_version, document.subject_id) == ("pending", contract.version, None)
    assert len(first) == 1
    assert second == []


def test_each_language_and_each_version_is_its_own_document(contract, union_user):
    chinese = document_request(user=union_user, contract=contract, kind="contract", language="zh-hans")
    english = document_request(user=union_user, contract=contract, kind="contract", language="en")
    clause_add(user=union_user, contract=contract, number="第十二条", category="training", text="每年培训。")
    contract.refresh_from_db()
    newer = document_request(user=union_user, contract=contract, kind="contract", language="zh-hans")

    assert len({chinese.pk, english.pk, newer.pk}) == 3
    assert newer.contract_version == chinese.contract_version + 1


def test_the_task_queued_at_commit_renders_the_document(contract, union_user, django_capture_on_commit_callbacks):
    # given a request, whose task is queued when the transaction commits
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = document_request(user=union_user, contract=contract, kind="contract", language="zh-hans")
    [queued] = callbacks
    assert (queued.func.__self__.name, queued.func.__name__, queued.args) == (
        "contracts.render_document",
        "delay",
        (document.pk,),
    )

    # when the worker runs the task with that id
    assert render_document.run(*queued.args) == "ready"

    # then the .docx is stored with its checksum, template and time
    document.refresh_from_db()
    data = document.file.read()
    assert document.status == DocumentStatus.READY
    assert document.checksum == hashlib.sha256(data).hexdigest()
    assert document.template == "docx/contract.docx"
    assert document.rendered_at is not None
    assert re.fullmatch(rf"documents/{contract.enterprise_id}/[0-9a-f]{{32}}\.docx", document.file.name)
    assert "员工月工资不低于3000元。" in [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert not document.pdf


def test_running_the_render_twice_keeps_one_file_and_its_checksum(contract, union_user, media_root):
    document = document_request(user=union_user, contract=contract, kind="contract")
    first = document_render(document_id=document.pk)

    second = document_render(document_id=document.pk)

    assert second.checksum == first.checksum
    assert second.file.name == first.file.name
    assert second.rendered_at == first.rendered_at
    assert len(stored_files(media_root)) == 1


def test_a_second_message_while_a_worker_renders_leaves_the_document_to_it(
    contract, union_user, media_root, monkeypatch
):
    document = document_request(user=union_user, contract=contract, kind="contract")
    real_render = services.render_docx
    seen = []

    def render_while_a_second_message_arrives(template, context):
        seen.append(document_render(document_id=document.pk))  # the sweep's copy, say
        return real_render(template, context)

    monkeypatch.setattr(services, "render_docx", render_while_a_second_message_arrives)

    result = document_render(document_id=document.pk)

    assert [d.status for d in seen] == [DocumentStatus.PENDING]  # it rendered nothing
    assert result.status == DocumentStatus.READY and result.lease_until is None
    assert len(stored_files(media_root)) == 1


def test_a_worker_taken_for_dead_that_finishes_second_discards_its_copy(contract, union_user, media_root, monkeypatch):
    # given a first worker so slow that its lease runs out, and a second that takes the document over
    document = document_request(user=union_user, contract=contract, kind="contract")
    real_render = services.render_docx
    calls = []

    def render_while_another_worker_takes_over(template, context):
        calls.append(template)
        if len(calls) == 1:
            Document.objects.filter(pk=document.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
            document_render(document_id=document.pk)
        return real_render(template, context)

    monkeypatch.setattr(services, "render_docx", render_while_another_worker_takes_over)

    # when the first worker is done, then the second worker's file is the only one
    result = document_render(document_id=document.pk)
    assert result.status == DocumentStatus.READY
    assert len(calls) == 2
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    ("queued_minutes_ago", "lease", "queued_again"),
    [
        (3, None, True),  # its message was lost: asking again queues it
        (0, None, False),  # just queued: its message is on its way
        (3, dt.timedelta(minutes=4), False),  # a live worker renders it
        (0, -dt.timedelta(seconds=1), True),  # its worker died: the lease ran out
    ],
)
def test_asking_again_for_a_stuck_document_queues_it_again(
    contract, union_user, settings, django_capture_on_commit_callbacks, queued_minutes_ago, lease, queued_again
):
    settings.WORK_REQUEUE_AFTER_SECONDS = 120
    document = document_request(user=union_user, contract=contract, kind="contract")
    now = timezone.now()
    Document.objects.filter(pk=document.pk).update(
        queued_at=now - dt.timedelta(minutes=queued_minutes_ago), lease_until=now + lease if lease else None
    )

    with django_capture_on_commit_callbacks(execute=False) as queued:
        again = document_request(user=union_user, contract=contract, kind="contract")

    assert again.pk == document.pk
    assert len(queued) == (1 if queued_again else 0)


def test_the_sweep_queues_a_stuck_document_once(contract, union_user, settings, monkeypatch):
    settings.WORK_REQUEUE_AFTER_SECONDS = 120
    document = document_request(user=union_user, contract=contract, kind="contract")
    Document.objects.filter(pk=document.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=3))
    sent = []
    monkeypatch.setattr(render_document, "delay", sent.append)

    assert sweep_pending.run()["documents"] == 1
    assert sweep_pending.run()["documents"] == 0  # queued just now: left to that message
    assert sent == [document.pk]


def test_a_render_that_fails_records_the_error_and_a_new_request_queues_it_again(
    contract, union_user, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(template, context):
        raise ValueError("template is broken")

    monkeypatch.setattr(services, "render_docx", broken)
    document = document_request(user=union_user, contract=contract, kind="contract")

    failed = document_render(document_id=document.pk)
    assert failed.status == DocumentStatus.FAILED
    assert failed.error == "ValueError: template is broken"
    assert not failed.file

    with django_capture_on_commit_callbacks(execute=False) as queued:
        again = document_request(user=union_user, contract=contract, kind="contract")
    assert (again.pk, again.status, again.error, len(queued)) == (document.pk, "pending", "", 1)


def test_render_of_a_deleted_document_does_nothing(contract, union_user):
    document = document_request(user=union_user, contract=contract, kind="contract")
    Document.objects.filter(pk=document.pk).delete()

    assert render_document.run(document.pk) is None


def test_a_user_without_a_role_in_the_enterprise_cannot_ask(contract):
    outsider = UserFactory()

    with pytest.raises(NotAllowed):
        document_request(user=outsider, contract=contract, kind="contract")


@pytest.fixture
def negotiated_contract(enterprise, union_user):
    negotiation = NegotiationFactory(enterprise=enterprise)
    contract = make_contract(enterprise, union_user, negotiation_id=negotiation.pk)
    return contract, SessionFactory(negotiation=negotiation, round_no=1, minutes="双方陈述立场。")


def test_minutes_are_rendered_for_a_round_of_the_contracts_negotiation(negotiated_contract, union_user):
    contract, session = negotiated_contract

    document = document_request(user=union_user, contract=contract, kind="minutes", subject_id=session.pk)
    document = document_render(document_id=document.pk)

    assert (document.subject_id, document.status, document.template) == (session.pk, "ready", "docx/minutes.docx")
    assert "双方陈述立场。" in [p.text for p in docx.Document(document.file.open("rb")).paragraphs]


def test_minutes_of_a_round_of_another_negotiation_are_refused(negotiated_contract, union_user, enterprise):
    contract, _session = negotiated_contract
    elsewhere = SessionFactory(negotiation=NegotiationFactory(enterprise=enterprise))

    with pytest.raises(InvalidDocumentSubject):
        document_request(user=union_user, contract=contract, kind="minutes", subject_id=elsewhere.pk)
    with pytest.raises(InvalidDocumentSubject):
        document_request(user=union_user, contract=contract, kind="minutes")


def closed_session(contract, *, passed=True, held_on=dt.date(2026, 6, 15)):
    return CongressSession.objects.create(
        contract=contract,
        delegates_total=30,
        held_on=held_on,
        contract_version=contract.version,
        present=25,
        yes=20 if passed else 10,
        no=4,
        abstain=1,
        closed_at=timezone.now(),
        passed=passed,
    )


def test_the_resolution_is_about_the_latest_closed_congress_session(contract, union_user):
    closed_session(contract, passed=False, held_on=dt.date(2026, 5, 1))
    latest = closed_session(contract, passed=True)

    document = document_request(user=union_user, contract=contract, kind="resolution")
    document = document_render(document_id=document.pk)

    assert document.subject_id == latest.pk
    table = [c.text for t in docx.Document(document.file.open("rb")).tables for r in t.rows for c in r.cells]
    assert table[-2:] == ["表决结果", "通过"]


def test_a_resolution_before_the_congress_voted_is_a_conflict(contract, union_user):
    with pytest.raises(NoClosedCongressSession):
        document_request(user=union_user, contract=contract, kind="resolution")


# --- API ----------------------------------------------------------------------------------


def test_post_asks_for_a_document_and_answers_202_pending(contract, union_user, client_for):
    response = client_for(union_user).post(url(contract), {"kind": "contract"}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert (body["kind"], body["language"], body["status"], body["contract_version"]) == (
        "contract",
        "zh-hans",
        "pending",
        contract.version,
    )
    assert body["download_url"] is None


def test_post_again_after_rendering_returns_the_ready_document(contract, union_user, client_for):
    client = client_for(union_user)
    first = client.post(url(contract), {"kind": "contract", "language": "en"}, format="json").json()
    document_render(document_id=first["id"])

    response = client.post(url(contract), {"kind": "contract", "language": "en"}, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    assert response.json()["status"] == "ready"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"kind": "poem"}, "invalid"),
        ({"kind": "contract", "language": "fr"}, "invalid"),
        ({"kind": "contract", "subject_id": 5}, "invalid_document_subject"),
        ({"kind": "minutes", "subject_id": 999999}, "invalid_document_subject"),
        ({"kind": "rectification_notice", "subject_id": 999999}, "invalid_document_subject"),
    ],
)
def test_post_refuses_a_bad_request(contract, union_user, client_for, payload, code):
    response = client_for(union_user).post(url(contract), payload, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code


def test_post_resolution_before_the_vote_is_409(contract, union_user, client_for):
    response = client_for(union_user).post(url(contract), {"kind": "resolution"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "no_closed_congress_session"


def test_list_and_detail_show_the_contracts_documents(contract, union_user, client_for):
    client = client_for(union_user)
    ids = [client.post(url(contract), {"kind": "contract", "language": lang}, format="json").json()["id"]
           for lang in ("zh-hans", "en")]  # fmt: skip
    document_render(document_id=ids[0])

    listing = client.get(url(contract))
    detail = client.get(url(contract, f"{ids[0]}/"))
    english_only = client.get(url(contract), {"language": "en"})

    assert listing.status_code == 200
    assert sorted(row["id"] for row in listing.json()["results"]) == sorted(ids)
    assert [row["id"] for row in english_only.json()["results"]] == [ids[1]]
    assert detail.status_code == 200
    assert detail.json()["status"] == "ready"
    assert detail.json()["download_url"] == url(contract, f"{ids[0]}/download/")
    assert detail.json()["pdf_available"] is False


def test_listing_documents_takes_the_same_queries_however_many_there_are(
    enterprise, union_user, client_for, django_assert_num_queries
):
    client = client_for(union_user)
    one, many = make_contract(enterprise, union_user), make_contract(enterprise, union_user, title="Another")
    document_request(user=union_user, contract=one, kind="contract")
    for language in ("zh-hans", "en"):
        document_render(
            document_id=document_request(user=union_user, contract=many, kind="contract", language=language).pk
        )
        clause_add(user=union_user, contract=many, number=f"X-{language}", category="other", text="…")
        many.refresh_from_db()

    with django_assert_num_queries(3) as few:
        client.get(url(one))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url(many)).json()["count"] == 2


def test_another_enterprises_contract_is_not_found(contract, union_user, client_for):
    document = document_request(user=union_user, contract=contract, kind="contract")
    outsider = client_for(UserFactory())
    stranger_in_another_enterprise = UserFactory()
    EnterpriseFactory().memberships.create(user=stranger_in_another_enterprise, role="union_negotiator")

    for client in (outsider, client_for(stranger_in_another_enterprise)):
        assert client.get(url(contract)).status_code == 404
        assert client.post(url(contract), {"kind": "contract"}, format="json").status_code == 404
        assert client.get(url(contract, f"{document.pk}/")).status_code == 404
        response = client.get(url(contract, f"{document.pk}/download/"))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_document_is_not_found_under_another_contract(enterprise, contract, union_user, client_for):
    other = make_contract(enterprise, union_user, title="Other")
    document = document_request(user=union_user, contract=contract, kind="contract")

    assert client_for(union_user).get(url(other, f"{document.pk}/")).status_code == 404
    assert client_for(union_user).get(url(other, f"{document.pk}/download/")).status_code == 404


def test_download_before_the_document_is_ready_is_409(contract, union_user, client_for):
    document = document_request(user=union_user, contract=contract, kind="contract")

    response = client_for(union_user).get(url(contract, f"{document.pk}/download/"))

    assert response.status_code == 409
    assert response.json()["code"] == "document_not_ready"
    assert response.json()["extra"]["status"] == "pending"


def test_download_streams_the_docx_with_its_type_and_name(contract, union_user, client_for):
    document = document_render(document_id=document_request(user=union_user, contract=contract, kind="contract").pk)

    response = client_for(union_user).get(url(contract, f"{document.pk}/download/"), {"format": "docx"})

    assert response.status_code == 200
    assert response["Content-Type"] == services.DOCX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"-contract-v{contract.version}-zh-hans.docx" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == document.checksum


def test_download_as_pdf_without_libreoffice_says_no_pdf(contract, union_user, client_for):
    document = document_render(document_id=document_request(user=union_user, contract=contract, kind="contract").pk)

    response = client_for(union_user).get(url(contract, f"{document.pk}/download/"), {"format": "pdf"})

    assert response.status_code == 409
    assert response.json()["code"] == "pdf_unavailable"


def test_download_in_an_unknown_format_is_400(contract, union_user, client_for):
    document = document_render(document_id=document_request(user=union_user, contract=contract, kind="contract").pk)

    response = client_for(union_user).get(url(contract, f"{document.pk}/download/"), {"format": "odt"})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_format"


def test_unauthenticated_request_is_refused(contract):
    from rest_framework.test import APIClient

    assert APIClient().get(url(contract)).status_code in (401, 403)


def test_pdf_is_stored_and_downloads_where_libreoffice_is_installed(contract, union_user, client_for, settings):
    if pdf.soffice_path() is None:
        if os.environ.get("CONCORD_REQUIRE_PDF") == "1":
            pytest.fail("CONCORD_REQUIRE_PDF=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice is not installed")
    settings.DOCUMENTS_PDF = True
    document = document_render(document_id=document_request(user=union_user, contract=contract, kind="contract").pk)
    assert document.pdf and document.error == ""

    client = client_for(union_user)
    detail = client.get(url(contract, f"{document.pk}/")).json()
    response = client.get(url(contract, f"{document.pk}/download/"), {"format": "pdf"})

    assert detail["pdf_available"] is True
    assert detail["pdf_url"] == url(contract, f"{document.pk}/download/?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
