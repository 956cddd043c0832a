"""Payroll imports (SPEC §3, §4 ``payroll-imports/``): the upload is kept byte for byte and
queued on commit; the import task accepts a file whole (with a columnar copy) or rejects it
whole with every problem; processing twice changes nothing."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from contracts.compliance import parsing
from contracts.compliance.models import ComplianceRun, ImportStatus, PayrollImport
from contracts.compliance.storage import payroll_frame_read
from contracts.compliance.tasks import import_payroll
from contracts.enterprises.models import Role
from tests.factories import EnterpriseFactory, FederationOfficerFactory, contract_in_effect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

URL = "/api/v1/payroll-imports/"
SAMPLE = Path("/work/shared/data/payroll-sample-gb18030.csv")

CHINESE_CSV = (
    "工号,姓名,月份,基本工资,加班小时,加班费,发薪日期\n"
    'A1001,王芳,2025-03,"5,200.00",12,¥537.93,2025/4/10\n'
    "A1002,李强,2025-03,4300,0,0,2025/4/10\n"
    "A1001,王芳,2025-04,5200,0,0,2025/5/10\n"
)


@pytest.fixture
def process(django_capture_on_commit_callbacks):
    """Run the import task as the worker would; returns the import and the tasks its processing queued."""

    def run(payroll_id: int):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            import_payroll.run(payroll_id)
        return PayrollImport.objects.get(pk=payroll_id), queued

    return run


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def task_calls(callbacks) -> list[tuple[str, tuple]]:
    """(task name, arguments) of every ``delay`` queued on commit."""
    return [(callback.func.__self__.name, callback.args) for callback in callbacks]


def count_queries(client, url: str, *, rows: int) -> int:
    """The queries of one GET of ``url``, which must list ``rows`` rows (counted at once: the next
    request resets the connection's query log)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert len(response.json()["results"]) == rows
    return len(captured)


def reason(code: str, **params) -> str:
    """The reason people read for a problem code, in the default language (zh-hans)."""
    with translation.override("zh-hans"):
        text = str(parsing.REASONS[code])
    return text % params if params else text


# --- upload -----------------------------------------------------------------------------------


def test_upload_answers_202_with_a_pending_import_and_keeps_the_file_byte_for_byte(upload, enterprise, union_user):
    content = CHINESE_CSV.encode("gb18030")

    response, _ = upload(content, name="工资表 2025-03.csv")

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["progress"], body["enterprise"]) == ("pending", 0, enterprise.pk)
    assert (body["row_count"], body["problems"], body["problem_count"]) == (None, [], 0)
    payroll = PayrollImport.objects.get(pk=body["id"])
    with payroll.file.open("rb") as kept:
        assert kept.read() == content
    assert payroll.checksum == hashlib.sha256(content).hexdigest() == body["checksum"]
    assert payroll.size == len(content) == body["size"]
    assert payroll.original_name == "工资表 2025-03.csv"
    assert payroll.uploaded_by == union_user
    assert not payroll.columnar


def test_upload_queues_the_import_task_exactly_once_on_commit(upload):
    response, queued = upload(CHINESE_CSV.encode())

    assert task_calls(queued) == [("contracts.import_payroll", (response.json()["id"],))]


def test_upload_of_a_file_that_will_be_rejected_is_kept_byte_for_byte_too(upload, process):
    content = b"employee_id,period\nA1,2025-01\n\xff\xfe broken bytes at the end"
    response, _ = upload(content, name="broken.csv")

    payroll, _ = process(response.json()["id"])

    assert payroll.status == ImportStatus.REJECTED
    with payroll.file.open("rb") as kept:
        assert kept.read() == content
    assert payroll.checksum == hashlib.sha256(content).hexdigest()


def test_upload_of_exactly_the_size_limit_is_accepted(upload, settings):
    content = CHINESE_CSV.encode()
    settings.PAYROLL_MAX_UPLOAD_BYTES = len(content)

    response, queued = upload(content)

    assert response.status_code == 202
    assert len(queued) == 1


def test_upload_one_byte_over_the_size_limit_is_refused_before_parsing_and_nothing_is_stored(
    upload, settings, media_root, monkeypatch
):
    content = CHINESE_CSV.encode()
    settings.PAYROLL_MAX_UPLOAD_BYTES = len(content) - 1
    parsed = []
    monkeypatch.setattr(
        "contracts.compliance.services.imports.parse_payroll", lambda *args, **kwargs: parsed.append(args)
    )

    response, queued = upload(content)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "file_too_large"
    assert body["extra"] == {"size": len(content), "limit": len(content) - 1}
    assert not PayrollImport.objects.exists()
    assert stored_files(media_root) == []
    assert queued == []
    assert parsed == []


def test_upload_to_an_enterprise_where_the_user_holds_no_role_is_a_400_on_the_enterprise_field(upload, media_root):
    other = EnterpriseFactory()

    response, queued = upload(CHINESE_CSV.encode(), to=other)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["extra"]["fields"]) == ["enterprise"]
    assert not PayrollImport.objects.exists()
    assert stored_files(media_root) == []
    assert queued == []


def test_upload_without_a_file_is_a_400_on_the_file_field(client, enterprise):
    response = client.post(URL, {"enterprise": enterprise.pk}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["file"]


@pytest.mark.parametrize("read_only", ["congress_delegate", "federation_officer"])
def test_upload_by_a_read_only_role_is_forbidden_and_stores_nothing(
    read_only, upload, enterprise, make_member, client_for, media_root
):
    if read_only == "federation_officer":
        user = FederationOfficerFactory(federation=enterprise.federation).user
    else:
        user = make_member(enterprise, Role.CONGRESS_DELEGATE)

    response, queued = upload(CHINESE_CSV.encode(), as_client=client_for(user))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not PayrollImport.objects.exists()
    assert stored_files(media_root) == []
    assert queued == []


@pytest.mark.parametrize("role", [Role.UNION_LEADER, Role.UNION_NEGOTIATOR, Role.EMPLOYER_NEGOTIATOR, Role.ADMIN])
def test_upload_is_open_to_leaders_negotiators_and_administrators(role, upload, enterprise, make_member, client_for):
    response, _ = upload(CHINESE_CSV.encode(), as_client=client_for(make_member(enterprise, role)))

    assert response.status_code == 202


def test_unauthenticated_upload_is_refused(enterprise):
    response = APIClient().post(
        URL,
        {"enterprise": enterprise.pk, "file": SimpleUploadedFile("p.csv", b"x", content_type="text/csv")},
        format="multipart",
    )

    # 401 with a challenge: the API's first authentication is by token (django-rest-knox)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Token"
    assert not PayrollImport.objects.exists()


# --- processing: accepted ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "encoding", "row_count", "periods"),
    [
        pytest.param(CHINESE_CSV.encode("utf-8"), "utf-8", 3, ["2025-03", "2025-04"], id="utf-8"),
        pytest.param(CHINESE_CSV.encode("utf-8-sig"), "utf-8-sig", 3, ["2025-03", "2025-04"], id="utf-8-bom"),
        pytest.param(SAMPLE.read_bytes(), "gb18030", 60, [f"2025-{m:02d}" for m in range(1, 13)], id="gb18030"),
    ],
)
def test_a_valid_csv_is_accepted_with_its_rows_periods_encoding_and_a_columnar_copy(
    content, encoding, row_count, periods, upload, process, client
):
    response, _ = upload(content)

    payroll, _ = process(response.json()["id"])

    assert payroll.status == ImportStatus.ACCEPTED
    assert (payroll.encoding, payroll.row_count, payroll.periods) == (encoding, row_count, periods)
    assert (payroll.problems, payroll.problem_count, payroll.progress) == ([], 0, 100)
    assert payroll.finished_at is not None
    assert payroll.columnar
    assert len(payroll_frame_read(payroll.columnar.path)) == row_count
    shown = client.get(f"{URL}{payroll.pk}/").json()
    assert (shown["status"], shown["row_count"], shown["periods"], shown["encoding"]) == (
        "accepted",
        row_count,
        periods,
        encoding,
    )


def test_the_columnar_copy_holds_the_values_of_the_upload(upload, process):
    response, _ = upload(CHINESE_CSV.encode("gb18030"))

    payroll, _ = process(response.json()["id"])

    frame = payroll_frame_read(payroll.columnar.path)
    assert frame["employee_id"].tolist() == ["A1001", "A1002", "A1001"]
    assert frame["period"].tolist() == [202503, 202503, 202504]
    assert frame["base_wage"].tolist() == [520_000, 430_000, 520_000]  # fen
    assert frame["overtime_pay"].tolist() == [53_793, 0, 0]


def test_a_payroll_with_a_long_file_name_is_accepted_with_its_columnar_copy(upload, process):
    # given the kind of name HR systems export (92 characters)
    name = (
        "某某精密制造有限公司2025年1月至12月全体职工工资明细表_含加班费_年休假_发薪日期_"
        "人力资源系统导出文件_最终版_20260110_第二次修订_财务部核对后版本_请勿外传.csv"
    )
    response, _ = upload(CHINESE_CSV.encode(), name=name)

    payroll, _ = process(response.json()["id"])

    assert payroll.status == ImportStatus.ACCEPTED
    assert payroll.original_name == name
    assert len(payroll.file.name) <= PayrollImport._meta.get_field("file").max_length
    assert len(payroll.columnar.name) <= PayrollImport._meta.get_field("columnar").max_length


# --- processing: rejected ----------------------------------------------------------------------

HEADER = "employee_id,period,base_wage,overtime_pay,pay_date\n"


@pytest.mark.parametrize(
    ("content", "problems"),
    [
        pytest.param(
            "employee_id,period,overtime_pay\nA1,2025-01,0\n",
            [(1, "base_wage", "", reason(parsing.MISSING_COLUMN))],
            id="missing-required-column",
        ),
        pytest.param(
            HEADER + "A1,2025-01,3000,0,2025-02-10\nA2,2025-01,-3000,0,2025-02-10\n",
            [(3, "base_wage", "-3000", reason(parsing.NEGATIVE))],
            id="negative-amount",
        ),
        pytest.param(
            HEADER + "A1,2025-01,3000,0,yesterday\n",
            [(2, "pay_date", "yesterday", reason(parsing.NOT_A_DATE))],
            id="unreadable-date",
        ),
        pytest.param(
            HEADER + "A1,2025-01,3000,0,2025-02-10\nA2,2025-01,3000,0,2025-02-10\nA1,2025-01,3100,0,2025-02-10\n",
            [
                (2, "employee_id", "A1 2025-01", reason(parsing.DUPLICATE_ROW, rows="2, 4")),
                (4, "employee_id", "A1 2025-01", reason(parsing.DUPLICATE_ROW, rows="2, 4")),
            ],
            id="duplicate-employee-month",
        ),
    ],
)
def test_an_invalid_file_is_rejected_whole_with_its_problem(content, problems, upload, process, client):
    response, _ = upload(content.encode())

    payroll, _ = process(response.json()["id"])

    assert payroll.status == ImportStatus.REJECTED
    assert not payroll.columnar
    shown = client.get(f"{URL}{payroll.pk}/").json()
    assert shown["status"] == "rejected"
    assert shown["problem_count"] == len(problems)
    assert [(p["row"], p["column"], p["value"], p["reason"]) for p in shown["problems"]] == problems


def test_a_file_with_several_problems_lists_every_one_in_row_order(upload, process, client):
    content = (
        "工号,月份,基本工资,加班费,发薪日期\n"
        "A1,2025-01,3000,-5,2025-02-10\n"
        "A2,2025-01,3000,0,昨天\n"
        "A1,2025-01,3100,0,2025-02-10\n"
    )
    response, _ = upload(content.encode("gb18030"))

    payroll, _ = process(response.json()["id"])

    shown = client.get(f"{URL}{payroll.pk}/").json()
    assert shown["problem_count"] == 4
    assert [(p["row"], p["column"], p["value"], p["reason"]) for p in shown["problems"]] == [
        (2, "工号", "A1 2025-01", reason(parsing.DUPLICATE_ROW, rows="2, 4")),
        (2, "加班费", "-5", reason(parsing.NEGATIVE)),
        (3, "发薪日期", "昨天", reason(parsing.NOT_A_DATE)),
        (4, "工号", "A1 2025-01", reason(parsing.DUPLICATE_ROW, rows="2, 4")),
    ]
    assert payroll.encoding == "gb18030"


def test_a_rejected_file_of_an_enterprise_with_a_contract_in_effect_starts_no_run(
    upload, process, enterprise, union_user, media_root
):
    contract_in_effect(enterprise, union_user)
    response, _ = upload((HEADER + "A1,2025-01,-1,0,2025-02-10\n").encode())

    payroll, queued = process(response.json()["id"])

    assert payroll.status == ImportStatus.REJECTED
    assert queued == []
    assert not ComplianceRun.objects.exists()
    assert [path.suffix for path in stored_files(media_root)] == [".csv"]  # the upload, no columnar copy


def test_problem_reasons_are_shown_in_the_readers_language(upload, process, client):
    response, _ = upload((HEADER + "A1,2025-01,-3000,0,2025-02-10\n").encode())
    payroll, _ = process(response.json()["id"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    shown = client.get(f"{URL}{payroll.pk}/").json()

    with translation.override("en"):
        assert [p["reason"] for p in shown["problems"]] == [str(parsing.REASONS[parsing.NEGATIVE])]


# --- processing twice --------------------------------------------------------------------------


def test_processing_an_accepted_import_again_changes_nothing(upload, process, enterprise, union_user, media_root):
    contract_in_effect(enterprise, union_user)
    response, _ = upload(CHINESE_CSV.encode())
    first, first_queued = process(response.json()["id"])
    files = {path: path.read_bytes() for path in stored_files(media_root)}

    again, again_queued = process(first.pk)

    assert len(first_queued) == 1  # the automatic compliance run
    assert again_queued == []
    assert ComplianceRun.objects.count() == 1
    assert (again.status, again.finished_at, again.columnar.name, again.row_count, again.periods) == (
        first.status,
        first.finished_at,
        first.columnar.name,
        first.row_count,
        first.periods,
    )
    assert {path: path.read_bytes() for path in stored_files(media_root)} == files


def test_processing_a_rejected_import_again_changes_nothing(upload, process):
    response, _ = upload((HEADER + "A1,2025-01,-1,0,2025-02-10\n").encode())
    first, _ = process(response.json()["id"])

    again, queued = process(first.pk)

    assert queued == []
    assert (again.status, again.problems, again.problem_count, again.finished_at) == (
        first.status,
        first.problems,
        first.problem_count,
        first.finished_at,
    )


def test_the_import_task_of_a_deleted_import_does_nothing():
    assert import_payroll.run(987654) is None


# --- reading -----------------------------------------------------------------------------------


def test_imports_of_another_enterprise_are_neither_listed_nor_shown(upload, client, make_member, client_for):
    other = EnterpriseFactory()
    stranger = make_member(other, Role.UNION_LEADER)
    theirs, _ = upload(CHINESE_CSV.encode(), as_client=client_for(stranger), to=other)
    mine, _ = upload(CHINESE_CSV.encode())

    listed = client.get(URL).json()["results"]
    shown = client.get(f"{URL}{theirs.json()['id']}/")

    assert [row["id"] for row in listed] == [mine.json()["id"]]
    assert shown.status_code == 404


def test_imports_can_be_filtered_by_status(upload, process, client):
    good, _ = upload(CHINESE_CSV.encode())
    bad, _ = upload((HEADER + "A1,2025-01,-1,0,2025-02-10\n").encode())
    process(good.json()["id"])
    process(bad.json()["id"])

    rejected = client.get(URL, {"status": "rejected"}).json()["results"]

    assert [row["id"] for row in rejected] == [bad.json()["id"]]


def test_payroll_import_list_reads_a_bounded_number_of_queries(upload, process, client, django_assert_max_num_queries):
    def add(count):
        for _ in range(count):
            response, _ = upload((HEADER + "A1,2025-01,-1,0,2025-02-10\n").encode())
            process(response.json()["id"])

    add(2)
    with_two = count_queries(client, URL, rows=2)
    add(8)

    with django_assert_max_num_queries(with_two):
        response = client.get(URL)

    assert len(response.json()["results"]) == 10
