"""`flask --app server export` and `import`: everything the server keeps round-trips, ids
and all, between SQLite and PostgreSQL, into a database that has no tables yet; the
users' tokens and ledgers work on the restored server; a bad import changes nothing."""

from __future__ import annotations

import gzip
import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from server import backup, migrate
from server.db import make_engine
from server.schema import metadata

from .admin_support import AdminSession, set_password
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
            "COACH_INSTANCE_PATH": str(instance)}


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, by primary key."""
    engine = create_engine(db.url)
    try:
        with engine.connect() as connection:
            return {table.name: [tuple(row) for row in connection.execute(
                select(table).order_by(*table.primary_key.columns))] for table in metadata.sorted_tables}
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
    assert header["tables"] == [t.name for t in metadata.sorted_tables]  # every table, parents first
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
