"""`flask --app server export` and `import`: everything the server keeps round-trips, ids
and all, between SQLite and PostgreSQL, into a database that has no tables yet; the
users' tokens and ledgers work on the restored server; a bad import changes nothing."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from server import backup, migrate, rulesets
from server.db import make_engine
from server.engine.loader import read_sources
from server.schema import metadata

from .admin_support import AdminSession, set_password
from .prodserver import PUBLIC_URL
from .serverproc import ROOT, ServerProcess
from .storage import Client, create_user, database, sent, server

ADMIN = "office@example.edu"
RULES = ROOT / "rules"


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "server", *args], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def production(db, instance: Path) -> dict:
    """A restore as the README describes it: production settings, nothing migrated beforehand."""
    return {"DATABASE_URL": db.url, "COACH_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
            "COACH_PUBLIC_URL": PUBLIC_URL, "COACH_INSTANCE_PATH": str(instance)}


TRANSIENT = {"sign_in_requests", "sign_in_codes"}  # sign-ins under way: minutes long, never backed up


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table a backup holds, by primary key."""
    engine = create_engine(db.url)
    try:
        with engine.connect() as connection:
            return {table.name: [tuple(row) for row in connection.execute(
                select(table).order_by(*table.primary_key.columns))] for table in metadata.sorted_tables
                if table.name not in TRANSIENT}
    finally:
        engine.dispose()


def populate(origin: ServerProcess) -> tuple[str, dict]:
    """What a season leaves behind, made through the product itself; an applicant's token and what they see."""
    assert set_password(origin, ADMIN).returncode == 0  # an admin, their password, an audit line
    assert AdminSession(origin).sign_in(ADMIN).is_redirect  # signed in: a session
    assert not AdminSession(origin).sign_in(ADMIN, "not the password").is_redirect  # a failed sign-in is counted
    token = create_user(origin, None, "--track", "anesthesiology")
    applicant = Client(origin, token)
    interview = {"event_id": str(uuid.uuid4()), "type": "interview", "program": "uw.edu", "at": "2026-11-02T14:00:00Z"}
    received = {"event_id": str(uuid.uuid4()), "type": "received", "from": "pd@ucsf.edu",
                "text": "Dear applicant, we loved meeting you."}
    for event in (sent(), sent(to="Program Director <pd@vumc.org>", text="Dear Dr. Lee,\n\nYou are my first choice."),
                  interview, received):
        assert applicant.post("/ledger/events", event).status_code == 201
    assert applicant.post("/tokens", {"label": "phone"}).status_code == 201
    origin.flask("invite", applicant.get("/me").json()["email"], "--url", "https://coach.example.edu")
    assert applicant.put("/me/tracks", {"tracks": ["anesthesiology", "internal-medicine-prelim"]}).status_code == 200
    checked = applicant.post("/check", {"text": "Dear Dr. Smith,\n\nYou are my #1.", "to": ["pd@uw.edu"]})
    seen = {"me": applicant.get("/me").json(), "events": applicant.events(), "ruleset": checked.json()["ruleset"],
            "tokens": [t["label"] for t in applicant.get("/tokens").json()["tokens"]]}
    return token, seen


@pytest.mark.parametrize(("source", "target"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_everything_round_trips_into_an_empty_database_of_the_other_kind(tmp_path, source, target):
    backup = tmp_path / "coach-backup.jsonl.gz"
    with server(source, tmp_path / "source") as (origin, source_db):
        token, seen = populate(origin)
        origin.flask("export", "--output", str(backup))
        before = snapshot(source_db)
    assert oct(backup.stat().st_mode & 0o777) == "0o600"  # emails and token hashes: the owner's eyes only
    with gzip.open(backup, "rt") as lines:
        header = json.loads(lines.readline())
    # Every table, parents first, but those of sign-ins under way (minutes long).
    assert header["tables"] == [t.name for t in metadata.sorted_tables if t.name not in TRANSIENT]
    assert [name for name, rows in before.items() if not rows] == []  # so every table is put to the test

    with database(target, tmp_path / "target") as target_db:
        restored = flask(production(target_db, tmp_path / "target"), "import", str(backup))
        assert restored.returncode == 0, restored.stderr
        assert snapshot(target_db) == before
        env = {**production(target_db, tmp_path / "target"), "COACH_INSTANCE_PATH": str(tmp_path / "served")}
        with ServerProcess(tmp_path / "served", env=env) as restored_server:
            applicant = Client(restored_server, token)  # the same token: only its hash was kept, and it came along
            assert applicant.get("/me").json() == seen["me"]
            assert applicant.events() == seen["events"]
            assert [t["label"] for t in applicant.get("/tokens").json()["tokens"]] == seen["tokens"]
            assert applicant.post("/check", {"text": "Dear Dr. Smith,"}).json()["ruleset"] == seen["ruleset"]
            # New rows get ids after the imported ones (PostgreSQL's sequences were moved past them).
            assert applicant.post("/ledger/events", sent()).status_code == 201
            assert Client(restored_server, target_db.new_user()).get("/me").status_code == 200
            assert AdminSession(restored_server).sign_in(ADMIN).is_redirect


@pytest.fixture
def backup_file(tmp_path):
    """A backup of a database with one user (made straight in it: the API's part is tested above)."""
    with database("sqlite", tmp_path / "source") as source:
        engine = make_engine(source.url)
        migrate.prepare(engine, RULES)
        rulesets.sync_shipped(engine, read_sources(RULES))  # version 1: the shipped rules
        source.new_user(email="applicant@example.edu")
        path = tmp_path / "coach-backup.jsonl"
        with path.open("w") as out:
            backup.export(engine, out)
        engine.dispose()
    return path


def test_a_bad_import_changes_nothing(tmp_path, backup_file):
    path = backup_file
    lines = path.read_text().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:-3]))
    other_schema = tmp_path / "other-schema.jsonl"
    other_schema.write_text(json.dumps({**json.loads(lines[0]), "schema": "0001"}) + "\n" + "".join(lines[1:]))
    with database("postgresql", tmp_path / "target") as target:
        engine = make_engine(target.url)
        migrate.prepare(engine, RULES)
        target.new_user(email="someone@example.edu")
        before = snapshot(target)
        for bad, replace, reason in ((path, False, "already has users"), (cut, True, "incomplete"),
                                     (other_schema, True, "schema revision")):
            with pytest.raises(backup.BackupError, match=reason), bad.open() as lines:
                backup.import_(engine, lines, replace=replace)
            assert snapshot(target) == before
        with path.open() as lines:
            backup.import_(engine, lines, replace=True)
        engine.dispose()
        assert [row[1] for row in snapshot(target)["users"]] == ["applicant@example.edu"]


def edited(path: Path, table: str, edit) -> str:
    """The backup's text with the first row of `table` edited: edit(row as a dict) -> dict."""
    lines = path.read_text().splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith(f'{{"table":"{table}"'))
    columns = json.loads(lines[at])["columns"]
    row = edit(dict(zip(columns, json.loads(lines[at + 1]), strict=True)))
    lines[at + 1] = json.dumps(list(row.values()) if isinstance(row, dict) else row) + "\n"
    return "".join(lines)


def _sources(value):
    return lambda row: {**row, "sources": value}


BAD_ROWS = [
    # A rule version's files that are not files, or not rules, or not the rules its digest names.
    ("rule_versions", _sources(5), "rule_versions.sources must be the rule files"),
    ("rule_versions", _sources(["packs/nrmp.yaml", "id: x"]), "rule_versions.sources must be the rule files"),
    ("rule_versions", _sources({"packs/nrmp.yaml": 5}), "must be the YAML text of 'packs/nrmp.yaml'"),
    ("rule_versions", lambda row: {**row, "digest": "0" * 64}, "are not the rules that digest names"),
    ("rule_versions", lambda row: {**row, "sources": {**row["sources"], "packs/nrmp.yaml": "id: ["},
                                   "digest": rulesets.digest({**row["sources"], "packs/nrmp.yaml": "id: ["})},
     "do not load: packs/nrmp.yaml:2: not valid YAML"),
    ("rule_versions", lambda row: {**row, "sources": {**row["sources"], "packs/x.yaml": "a: &x [1]\nb: *x\n"},
                                   "digest": rulesets.digest({**row["sources"], "packs/x.yaml": "a: &x [1]\nb: *x\n"})},
     "anchors and aliases"),
    ("shipped_rules", lambda row: {**row, "sources": {}, "digest": rulesets.digest({})},
     "do not load: message.yaml: missing"),
    # Values of the wrong type, range or length, and text that is no text.
    ("users", lambda row: {**row, "id": "1"}, "users.id must be a whole number"),
    ("users", lambda row: {**row, "id": True}, "users.id must be a whole number"),
    ("users", lambda row: {**row, "id": 2 ** 40}, "users.id must be a whole number from"),
    ("users", lambda row: {**row, "active": 1}, "users.active must be true or false"),
    ("users", lambda row: {**row, "email": "a" * 400}, "users.email is longer than 320 characters"),
    ("users", lambda row: {**row, "email": "nul\u0000@example.edu"}, "users.email holds a NUL character"),
    ("users", lambda row: {**row, "email": "\ud800@example.edu"}, "half of a surrogate pair"),
    ("users", lambda row: {**row, "role": None}, "users.role may not be empty"),
    ("users", lambda row: {**row, "created_at": "yesterday"}, "users.created_at must be an ISO 8601 time"),
    ("users", lambda row: {**row, "created_at": "2027-01-01T00:00:00"}, "users.created_at must be an ISO 8601 time"),
    ("users", lambda row: {**row, "created_at": [2027]}, "users.created_at must be an ISO 8601 time"),
    ("users", lambda row: list(row.values())[:3], "has 3 values, not"),
    ("users", lambda row: {"id": row}, "has 1 values, not"),
]


@pytest.mark.parametrize(("table", "edit", "reason"), BAD_ROWS, ids=range(len(BAD_ROWS)))
def test_a_value_that_does_not_fit_its_column_is_refused_and_nothing_changes(tmp_path, backup_file, table, edit,
                                                                              reason):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(edited(backup_file, table, edit), encoding="utf-8", errors="surrogatepass")
    with database("sqlite", tmp_path / "target") as target:
        engine = make_engine(target.url)
        migrate.prepare(engine, RULES)
        target.new_user(email="someone@example.edu")
        before = snapshot(target)
        with pytest.raises(backup.BackupError, match=re.escape(reason)), bad.open() as lines:
            backup.import_(engine, lines, replace=True)
        engine.dispose()
        assert snapshot(target) == before


def test_a_backup_out_of_shape_is_refused(tmp_path, backup_file):
    lines = backup_file.read_text().splitlines(keepends=True)
    end = json.loads(lines[-1])
    without_a_table = [line for n, line in enumerate(lines) if not _in_section(lines, n, "audit_log")]
    cases = [
        ("".join(lines[:-1] + [json.dumps({**end, "rows": list(end["rows"])}) + "\n"]), "the end mark counts"),
        ("".join(lines[:-1] + [json.dumps({**end, "rows": {**end["rows"], "users": 7}}) + "\n"]), "the end mark"),
        ("".join(without_a_table), "expected the table audit_log"),
        ("".join(lines[:2] + ['{"table": ["users"]}\n'] + lines[2:]), "expected the table"),
        ("".join(lines[:1] + ["[" * 100_000 + "]" * 100_000 + "\n"] + lines[1:]), "line 2 is not JSON"),
    ]
    with database("sqlite", tmp_path / "target") as target:
        engine = make_engine(target.url)
        migrate.prepare(engine, RULES)
        target.new_user(email="someone@example.edu")
        before = snapshot(target)
        for text, reason in cases:
            with pytest.raises(backup.BackupError, match=re.escape(reason)):
                backup.import_(engine, io.StringIO(text), replace=True)
            assert snapshot(target) == before
        engine.dispose()


def _in_section(lines: list[str], number: int, table: str) -> bool:
    """Whether line `number` is the header or a row of `table`."""
    for line in reversed(lines[:number + 1]):
        if line.startswith('{"table":'):
            return json.loads(line)["table"] == table
    return False


def test_an_endless_line_is_refused_without_reading_it_whole(tmp_path, backup_file):
    """A small gzip holding a line of hundreds of megabytes: refused at the line limit."""
    bomb = tmp_path / "bomb.jsonl.gz"
    header = backup_file.read_text().splitlines(keepends=True)[0]
    with gzip.open(bomb, "wt", encoding="utf-8") as out:
        out.write(header + '["')
        chunk = "x" * (1 << 20)
        for _ in range(backup.MAX_LINE_CHARS // len(chunk) + 8):
            out.write(chunk)
        out.write('"]\n')
    assert bomb.stat().st_size < 1_000_000
    with database("sqlite", tmp_path / "target") as target:
        done = flask(production(target, tmp_path / "target"), "import", str(bomb))
    assert done.returncode != 0
    assert f"nothing changed: line 2 is longer than {backup.MAX_LINE_CHARS:,} characters" in done.stderr


def test_each_users_ledger_size_is_counted_from_the_events_restored(tmp_path, backup_file):
    text = edited(backup_file, "users", lambda row: {**row, "ledger_size": 1_000_000})
    with database("sqlite", tmp_path / "target") as target:
        engine = make_engine(target.url)
        backup.import_(engine, io.StringIO(text))
        engine.dispose()
        assert target.execute("SELECT ledger_size FROM users") == [(0,)]
