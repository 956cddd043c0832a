"""Ballot secrecy (R6): nothing the service stores, answers or shows in the admin ties a
delegate to the choice they made, and no copy of the database taken at any moment does either."""

import collections
import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contracts.models import BallotBox, BallotReceipt, CongressMode, CongressSession
from contracts.services.ballot_box import private_key_unseal
from contracts.services.congress import ballot_cast, congress_session_close, congress_session_open
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/congress-sessions/"
CHOICES = {"yes", "no", "abstain"}
USER_KEYS = {"user", "delegate", "voter", "by", "created_by", "history_user", "username", "user_id", "delegate_id"}


def dicts_in(value):
    """Every dict inside a JSON value, itself included."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from dicts_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from dicts_in(child)


def string_values_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for child in value.values() if isinstance(value, dict) else value:
            yield from string_values_in(child)


def links_a_delegate_to_a_choice(body, delegates) -> list[dict]:
    """The objects in ``body`` that name a delegate and also carry a choice."""
    ids = {delegate.pk for delegate in delegates}
    names = {delegate.username for delegate in delegates}
    found = []
    for obj in dicts_in(body):
        names_delegate = any(
            (key in USER_KEYS and value in ids | names) or (isinstance(value, str) and value in names)
            for key, value in obj.items()
        )
        carries_choice = "choice" in obj or any(isinstance(value, str) and value in CHOICES for value in obj.values())
        if names_delegate and carries_choice:
            found.append(obj)
    return found


@pytest.fixture
def voted(contract_in_congress, union_user, make_delegates, client_for):
    """Three delegates of a four-delegate congress voted yes, no and abstain; the session is still open."""
    session = congress_session_open(
        user=union_user,
        contract=contract_in_congress,
        delegates_total=4,
        held_on=dt.date(2026, 6, 15),
        mode=CongressMode.BALLOT,
    )
    delegates = make_delegates(contract_in_congress.enterprise, 3)
    acknowledgements = [
        client_for(delegate).post(f"{URL}{session.pk}/ballots/", {"choice": choice}, format="json")
        for delegate, choice in zip(delegates, ["yes", "no", "abstain"], strict=True)
    ]
    return session, delegates, acknowledgements


def test_the_acknowledgement_of_a_ballot_says_only_that_one_voted(voted):
    _, _, acknowledgements = voted

    assert [(r.status_code, r.json()) for r in acknowledgements] == [(201, {"voted": True})] * 3


def test_no_api_response_links_a_delegate_to_a_choice(voted, union_user, client_for):
    # given three delegates voted yes, no and abstain
    session, delegates, _ = voted
    organiser = client_for(union_user)
    contract_id = session.contract_id
    bodies = {}

    # when everyone reads everything there is to read, before and after closing
    def read_all(stage):
        for who, client in [("organiser", organiser)] + [(d.username, client_for(d)) for d in delegates]:
            for path in [f"{URL}{session.pk}/", URL, f"{URL}{session.pk}/ballots/"]:
                response = client.get(path)
                assert response.status_code == 200, (path, response.content)
                bodies[(stage, who, path)] = response.json()
            for path in [
                f"/api/v1/contracts/{contract_id}/",
                f"/api/v1/contracts/{contract_id}/versions/",
                f"/api/v1/contracts/{contract_id}/history/",
            ]:
                response = client.get(path)
                if response.status_code == 200:  # the contract endpoints, where they exist
                    bodies[(stage, who, path)] = response.json()

    read_all("open")
    closed = organiser.post(f"{URL}{session.pk}/close/", {"closing_code": session.closing_code}, format="json")
    assert closed.status_code == 200
    bodies[("closed", "organiser", "close")] = closed.json()
    read_all("closed")

    # then no object names a delegate and a choice together; no delegate's name, no choice
    # as a value and no "choice" or "delegate" key appears at all
    for key, body in bodies.items():
        assert links_a_delegate_to_a_choice(body, delegates) == [], key
        values = set(string_values_in(body))
        assert not values & {d.username for d in delegates}, key
        assert not values & CHOICES, key
        keys = {k for obj in dicts_in(body) for k in obj}
        assert not keys & {"choice", "delegate", "voter"}, key
    # and the closed result gives the counts only
    result = closed.json()["result"]
    assert (result["present"], result["yes"], result["no"], result["abstain"]) == (3, 1, 1, 1)


def test_while_open_no_count_of_choices_is_shown(voted, union_user, client_for):
    session, delegates, _ = voted

    detail = client_for(union_user).get(f"{URL}{session.pk}/").json()
    listed = client_for(union_user).get(URL).json()["results"][0]
    ballots = client_for(delegates[0]).get(f"{URL}{session.pk}/ballots/").json()

    for body in (detail, listed):
        assert (body["yes"], body["no"], body["abstain"], body["decision"]) == (None, None, None, None)
    assert ballots == {"ballots_cast": 3, "delegates_total": 4, "you_voted": True}


def test_what_anyone_reads_while_open_is_the_same_whatever_a_delegate_chose(
    enterprise, make_contract_in_congress, union_user, make_delegates, client_for
):
    # given two sessions in which the same delegate voted differently
    (delegate,) = make_delegates(enterprise, 1)
    seen = []
    for choice in ("yes", "no"):
        session = congress_session_open(
            user=union_user,
            contract=make_contract_in_congress(enterprise),
            delegates_total=4,
            held_on=dt.date(2026, 6, 15),
            mode=CongressMode.BALLOT,
        )
        client_for(delegate).post(f"{URL}{session.pk}/ballots/", {"choice": choice}, format="json")

        # when the organiser and the delegate read the session and its ballots
        pages = [
            client.get(path).json()
            for client in (client_for(union_user), client_for(delegate))
            for path in (f"{URL}{session.pk}/", f"{URL}{session.pk}/ballots/")
        ]
        for page in pages:
            page.pop("id", None)
            page.pop("contract", None)
        seen.append(pages)

    # then nothing tells the two apart
    assert seen[0] == seen[1]


def test_the_schema_has_no_object_pairing_a_delegate_with_a_choice(client_for, union_user):
    response = client_for(union_user).get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schemas = response.json()["components"]["schemas"]
    assert not [name for name in schemas if "ballotreceipt" in name.lower() or "ballotbox" in name.lower()]
    for name, schema in schemas.items():
        properties = set(schema.get("properties", {}))
        if "choice" in properties:
            assert properties == {"choice"}, name
        assert not ("delegate" in properties and properties & {"choice", "yes", "no", "abstain"}), name


# --- the models themselves --------------------------------------------------------------


def test_ballot_receipt_holds_only_session_and_delegate():
    fields = BallotReceipt._meta.get_fields()

    assert {field.name for field in fields} == {"id", "session", "delegate"}
    assert not [f for f in fields if isinstance(f, models.DateField | models.DateTimeField | models.TimeField)]
    assert isinstance(BallotReceipt._meta.pk, models.UUIDField)


def test_ballot_box_has_no_link_to_a_user():
    user_model = get_user_model()

    assert [f.name for f in BallotBox._meta.get_fields() if f.related_model is user_model] == []
    assert {f.name for f in BallotBox._meta.concrete_fields} == {"id", "session", "public_key", "tally", "sealed_key"}


def test_neither_ballot_model_keeps_a_history():
    assert not hasattr(BallotReceipt, "history")
    assert not hasattr(BallotBox, "history")
    model_names = {model.__name__ for model in apps.get_models()}
    assert not {"HistoricalBallotReceipt", "HistoricalBallotBox"} & model_names


def test_the_ballot_box_holds_one_encrypted_tally_not_ballots_nor_counts(voted):
    session, _, _ = voted

    box = BallotBox.objects.get(session=session)

    assert BallotBox.objects.filter(session=session).count() == 1
    assert (len(box.public_key), len(box.tally)) == (256, 512)
    assert BallotReceipt.objects.filter(session=session).count() == 3
    session.refresh_from_db()
    assert (session.present, session.yes, session.no, session.abstain) == (None, None, None, None)


def test_a_ballot_neither_saves_the_session_nor_adds_to_its_history(contract_in_congress, union_user, make_delegates):
    session = congress_session_open(
        user=union_user, contract=contract_in_congress, delegates_total=3, held_on=dt.date(2026, 6, 15)
    )
    (delegate,) = make_delegates(contract_in_congress.enterprise, 1)
    history_before = list(session.history.values_list("history_id", flat=True))

    with CaptureQueriesContext(connection) as queries:
        ballot_cast(user=delegate, session=session, choice="no")

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 2, writes  # the receipt, and the tally
    assert "contracts_ballotreceipt" in writes[0] and "contracts_ballotbox" in writes[1]
    assert list(session.history.values_list("history_id", flat=True)) == history_before


# --- the admin --------------------------------------------------------------------------


def admin_fields(page) -> list[str]:
    """The fields an admin change (or view) page shows, in order."""
    return [
        field.field["name"] if isinstance(field.field, dict) else field.field.name
        for fieldset in page.context["adminform"]
        for line in fieldset
        for field in line
    ]


@pytest.fixture
def superuser_client():
    superuser = UserFactory(is_staff=True, is_superuser=True)
    superuser.save()  # the factory sets the password after saving; the session hash must match the stored one
    client = Client()
    client.force_login(superuser)
    return client


def test_admin_receipts_show_who_voted_and_nothing_else(voted, superuser_client):
    session, _, _ = voted
    receipt = BallotReceipt.objects.filter(session=session).first()

    listing = superuser_client.get("/admin/contracts/ballotreceipt/")
    page = superuser_client.get(f"/admin/contracts/ballotreceipt/{receipt.pk}/change/")

    assert listing.status_code == 200
    assert set(listing.context["cl"].list_display) <= {"action_checkbox", "session", "delegate"}
    assert page.status_code == 200
    assert admin_fields(page) == ["session", "delegate"]
    assert b"choice" not in page.content.lower()


def test_admin_session_page_hides_counts_while_open_and_names_no_delegate(voted, union_user, superuser_client):
    session, delegates, _ = voted

    open_page = superuser_client.get(f"/admin/contracts/congresssession/{session.pk}/change/")
    congress_session_close(user=union_user, session=session, closing_code=session.closing_code)
    closed_page = superuser_client.get(f"/admin/contracts/congresssession/{session.pk}/change/")
    history = superuser_client.get(f"/admin/contracts/congresssession/{session.pk}/history/")

    assert open_page.status_code == closed_page.status_code == history.status_code == 200
    assert not set(admin_fields(open_page)) & {"yes", "no", "abstain"}
    assert {"present", "yes", "no", "abstain"} <= set(admin_fields(closed_page))
    for page in (open_page, closed_page, history):
        for delegate in delegates:
            assert delegate.username.encode() not in page.content


def test_ballot_box_is_not_in_the_admin(voted, superuser_client):
    assert not admin.site.is_registered(BallotBox)
    assert superuser_client.get("/admin/contracts/ballotbox/").status_code == 404


def test_congress_sessions_change_only_through_the_services_not_the_admin(voted, superuser_client):
    session, _, _ = voted

    response = superuser_client.post(
        f"/admin/contracts/congresssession/{session.pk}/change/", {"yes": 4, "no": 0, "abstain": 0}
    )

    assert response.status_code == 403
    assert CongressSession.objects.get(pk=session.pk).yes is None


# --- copies of the database after every ballot --------------------------------------------
#
# Whoever can read the database files (the SQLite file with its WAL and shared-memory index,
# a backup, a pg_dump) at any moment, even after every single ballot, must not learn what any
# delegate chose. The same five delegates vote, in the same order, in two sessions with other
# choices; the database is copied after every ballot. From the copies alone the two runs are
# the same: the same tables change, by the same rows and columns, with values of the same
# sizes; what differs is only the bytes of the encrypted tally.

Row = tuple[tuple[str, object], ...]
UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")


class Snapshot:
    """One copy of the database: its raw bytes (files or dump) and its rows, table by table."""

    def __init__(self, raw: dict[str, bytes], tables: dict[str, list[dict[str, object]]]):
        self.raw, self.tables = raw, tables


def _sqlite_snapshot(directory: Path) -> Snapshot:
    """The test database's file, WAL and shm copied as they are (no write is under way: every
    ballot has committed), then the rows read from the copy (SQLite replays the copied WAL)."""
    source = Path(connection.settings_dict["NAME"])
    raw = {}
    directory.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{source}{suffix}")
        if path.exists():
            shutil.copyfile(path, directory / f"copy.sqlite3{suffix}")
            raw[suffix or "db"] = (directory / f"copy.sqlite3{suffix}").read_bytes()
    reading = directory / "read"
    reading.mkdir()
    for suffix in ("", "-wal"):  # the wal-index (-shm) is rebuilt from the WAL on opening
        if (directory / f"copy.sqlite3{suffix}").exists():
            shutil.copyfile(directory / f"copy.sqlite3{suffix}", reading / f"copy.sqlite3{suffix}")
    db = sqlite3.connect(reading / "copy.sqlite3")
    try:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables = {}
        for name in names:
            cursor = db.execute(f'SELECT * FROM "{name}"')  # noqa: S608 (names from the copy's own sqlite_master)
            columns = [column[0] for column in cursor.description]
            tables[name] = [
                dict(
                    zip(
                        columns,
                        [value if value is None or isinstance(value, bytes) else str(value) for value in row],
                        strict=True,
                    )
                )
                for row in cursor
            ]
    finally:
        db.close()
    return Snapshot(raw, tables)


def _copy_unescape(field: str) -> object:
    if field == r"\N":
        return None
    text = re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(m.group(1), m.group(1)), field)
    return bytes.fromhex(text[2:]) if text.startswith("\\x") else text


def _postgresql_snapshot(directory: Path) -> Snapshot:
    """A plain pg_dump of the test database, and its COPY blocks read back as rows."""
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    command = ["pg_dump", "--no-owner", "--no-privileges", "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    dump = subprocess.run(command, env=env, check=True, capture_output=True).stdout
    directory.mkdir(parents=True)
    (directory / "dump.sql").write_bytes(dump)
    tables: dict[str, list[dict[str, object]]] = {}
    lines = iter(dump.decode().splitlines())
    for line in lines:
        match = re.match(r"^COPY (?:public\.)?\"?(\w+)\"? \((.*)\) FROM stdin;$", line)
        if not match:
            continue
        columns = [column.strip().strip('"') for column in match.group(2).split(",")]
        rows = tables.setdefault(match.group(1), [])
        for row in lines:
            if row == r"\.":
                break
            rows.append(dict(zip(columns, map(_copy_unescape, row.split("\t")), strict=True)))
    return Snapshot({"dump": dump}, tables)


def snapshot(directory: Path) -> Snapshot:
    if connection.vendor == "postgresql":
        return _postgresql_snapshot(directory)
    assert connection.vendor == "sqlite"
    return _sqlite_snapshot(directory)


def as_seen(value: object) -> object:
    """A value as the comparison of the two runs sees it: bytes by their size, random ids as such."""
    if isinstance(value, bytes | memoryview):
        return ("bytes", len(bytes(value)))
    if isinstance(value, str) and UUID.match(value):
        return "<uuid>"
    return value


def changes(before: Snapshot, after: Snapshot, run_ids: dict[str, str]) -> dict[str, tuple[list, list]]:
    """Table by table, the rows that went and the rows that came, each as seen, with the ids that
    belong to one run (its session and ballot box) written as names."""

    def rows(snapshot: Snapshot, table: str) -> collections.Counter:
        return collections.Counter(tuple(sorted(row.items())) for row in snapshot.tables.get(table, []))

    def seen(table: str, row: Row) -> Row:
        out = []
        for column, value in row:
            name = run_ids.get(f"{table}.{column}") or run_ids.get(f"*.{column}")
            out.append((column, f"<{column}>" if name is not None and value == name else as_seen(value)))
        return tuple(out)

    found = {}
    for table in sorted(set(before.tables) | set(after.tables)):
        old, new = rows(before, table), rows(after, table)
        gone, came = old - new, new - old
        if gone or came:
            found[table] = (
                sorted((seen(table, row) for row in gone.elements()), key=str),
                sorted((seen(table, row) for row in came.elements()), key=str),
            )
    return found


def forms_of(number: int) -> list[bytes]:
    """The ways a secret number could sit in a file: decimal, hexadecimal, big- and little-endian bytes."""
    size = (number.bit_length() + 7) // 8
    hexa = f"{number:x}"
    return [
        str(number).encode(),
        hexa.encode(),
        hexa.upper().encode(),
        number.to_bytes(size, "big"),
        number.to_bytes(size, "little"),
    ]


CHOICES_A = ["yes", "no", "abstain", "yes", "yes"]
CHOICES_B = ["abstain", "yes", "yes", "no", "yes"]  # the same totals, another delegate behind each


@pytest.mark.django_db(transaction=True)
def test_copies_of_the_database_after_every_ballot_do_not_tell_any_choice(
    enterprise, make_contract_in_congress, union_user, make_delegates, tmp_path
):
    delegates = make_delegates(enterprise, len(CHOICES_A))
    runs = {}
    for run, choices in (("a", CHOICES_A), ("b", CHOICES_B)):
        # given a session open for the same five delegates
        session = congress_session_open(
            user=union_user,
            contract=make_contract_in_congress(enterprise),
            delegates_total=len(delegates),
            held_on=dt.date(2026, 6, 15),
        )
        box = BallotBox.objects.get(session=session)
        ids = {"*.session_id": str(session.pk), "contracts_ballotbox.id": str(box.pk)}
        copies = [snapshot(tmp_path / run / "0")]
        # when they vote one at a time, the database copied after every ballot
        for number, (delegate, choice) in enumerate(zip(delegates, choices, strict=True), 1):
            ballot_cast(user=delegate, session=session, choice=choice)
            copies.append(snapshot(tmp_path / run / str(number)))
        runs[run] = (session, ids, copies)

    for run, (session, _ids, copies) in runs.items():
        for copy in copies:
            # then no copy holds a count of the choices: the box has no counters and the session's stay empty
            assert set(copy.tables["contracts_ballotbox"][0]) == {
                "id",
                "session_id",
                "public_key",
                "tally",
                "sealed_key",
            }
            (row,) = [r for r in copy.tables["contracts_congresssession"] if r["id"] == str(session.pk)]
            assert (row["present"], row["yes"], row["no"], row["abstain"], row["closed_at"]) == (None,) * 5, run

    # and between two copies the same tables change, by the same rows, whatever the choices
    (_session_a, ids_a, copies_a), (_session_b, ids_b, copies_b) = runs["a"], runs["b"]
    tallies = {"a": [], "b": []}
    for number in range(1, len(delegates) + 1):
        change_a = changes(copies_a[number - 1], copies_a[number], ids_a)
        change_b = changes(copies_b[number - 1], copies_b[number], ids_b)
        assert change_a == change_b, f"ballot {number} can be told apart"
        # only the receipt and the box: no history, no time, the session row untouched
        assert set(change_a) == {"contracts_ballotreceipt", "contracts_ballotbox"}, change_a
        (receipt,) = change_a["contracts_ballotreceipt"][1]
        assert dict(receipt)["delegate_id"] == str(delegates[number - 1].pk)  # who voted: not secret
        for run, copies, ids in (("a", copies_a, ids_a), ("b", copies_b, ids_b)):
            before = [
                r for r in copies[number - 1].tables["contracts_ballotbox"] if r["session_id"] == ids["*.session_id"]
            ]
            after = [r for r in copies[number].tables["contracts_ballotbox"] if r["session_id"] == ids["*.session_id"]]
            assert len(before) == len(after) == 1
            # the ciphertext of the tally, and nothing else, changed: the same size, other bytes
            differing = {column for column in after[0] if after[0][column] != before[0][column]}
            assert differing == {"tally"}
            assert len(bytes(after[0]["tally"])) == len(bytes(before[0]["tally"])) == 512
            tallies[run].append(bytes(after[0]["tally"]))
    # every tally is new: the same choice added twice never gives back a ciphertext seen before
    assert len(set(tallies["a"] + tallies["b"])) == 2 * len(delegates)

    # and neither the private key (p, q) nor the closing code is in any copy, file or WAL
    for run, (session, _ids, _copies) in runs.items():
        box = BallotBox.objects.get(session=session)
        p, q = private_key_unseal(
            closing_code=session.closing_code,
            session_id=session.pk,
            public_n=bytes(box.public_key),
            sealed_key=bytes(box.sealed_key),
        )
        assert p * q == int.from_bytes(bytes(box.public_key), "big")
        code = session.closing_code
        secrets_ = [form for prime in (p, q) for form in forms_of(prime)]
        secrets_ += [code.encode(), code.replace("-", "").encode()]
        for number, copy in enumerate(copies_a + copies_b):
            for name, data in copy.raw.items():
                assert not [secret[:16] for secret in secrets_ if secret in data], (run, number, name)

    # and at close, with the code, the totals are right, and the sealed key and ciphertext are gone
    for run, (session, _ids, _copies) in runs.items():
        closed = congress_session_close(user=union_user, session=session, closing_code=session.closing_code)
        assert (closed.present, closed.yes, closed.no, closed.abstain) == (5, 3, 1, 1), run
    final = snapshot(tmp_path / "closed")
    assert final.tables["contracts_ballotbox"] == []
