"""The schema, its migrations and the directory and calendar tables, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import yaml
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text, update

from server import accounts, create_app, directory_store, migrate
from server.config import ROOT
from server.db import make_engine, url_from, writing
from server.directory_calendar import DirectoryCalendar
from server.ledger.events import Event
from server.schema import directory_tracks, ledger_events, metadata, users

from .storage import BACKENDS, database

RULES = ROOT / "rules"


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    """A fresh database, migrated and seeded as a starting server would leave it."""
    with database(request.param, tmp_path) as db:
        engine = make_engine(db.url)
        migrate.prepare(engine, RULES)
        yield engine
        engine.dispose()


def test_the_migrations_build_exactly_the_schema(engine):
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    migrate.prepare(engine, RULES)  # a second worker starting finds nothing to do


def test_ledgers_kept_before_their_size_was_get_it_counted(engine):
    with writing(engine) as connection:
        sizes = {accounts.create_user(connection, f"a{n}@example.edu", "applicant", ()).id: n for n in (0, 1, 3)}
        now = datetime.now(UTC)
        connection.execute(insert(ledger_events), [
            Event(event_id=str(uuid.uuid4()), type="sent", at=now, recorded_at=now).as_row(user_id)
            for user_id, size in sizes.items() for _ in range(size)])
    config = migrate.alembic_config()
    with migrate.locked(engine) as connection:  # the schema before sizes were kept
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    migrate.prepare(engine, RULES)
    with engine.connect() as connection:
        assert dict(connection.execute(select(users.c.id, users.c.ledger_size)).all()) == sizes


def test_directory_and_calendar_come_back_in_the_files_shape(engine):
    with engine.connect() as connection:
        assert directory_store.directory_spec(connection) == yaml.safe_load((RULES / "programs.yaml").read_text())
        assert directory_store.calendar_spec(connection) == yaml.safe_load((RULES / "calendar.yaml").read_text())


def test_a_bad_directory_file_changes_nothing(engine, tmp_path):
    spec = yaml.safe_load((RULES / "programs.yaml").read_text())
    broken = {**spec, "program_policies": [{"policy": "no-post-interview-contact", "institution": "nowhere.edu"}]}
    unknown_key = {**spec, "tracks": [*spec["tracks"], {"id": "x", "label": "X", "colour": "red"}]}
    with engine.connect() as connection:
        before = directory_store.directory_spec(connection), directory_store.version(connection)
    for bad in (broken, unknown_key, "just text", {**spec, "programs": ["uw.edu"]}):
        folder = tmp_path / "rules"
        folder.mkdir(exist_ok=True)
        (folder / "programs.yaml").write_text(yaml.safe_dump(bad))
        with pytest.raises(directory_store.InvalidData):
            with writing(engine) as connection:
                directory_store.load_files(connection, folder)
    with engine.connect() as connection:
        assert (directory_store.directory_spec(connection), directory_store.version(connection)) == before


def test_an_edit_is_seen_after_the_version_moves(engine):
    in_force = DirectoryCalendar(engine)
    directory, calendar = in_force.current()
    assert directory.tracks["anesthesiology"] == "Anesthesiology"
    assert calendar.stage_at(calendar.dates["match_day"]) == "matched"
    with writing(engine) as connection:
        connection.execute(update(directory_tracks).where(directory_tracks.c.id == "anesthesiology")
                           .values(label="Anaesthesia"))
    in_force.refresh()  # what the process's watch does every second (server/version_watch.py)
    assert in_force.current()[0].tracks["anesthesiology"] == "Anesthesiology"  # the version has not moved
    with writing(engine) as connection:
        directory_store.bump_version(connection)
    in_force.refresh()
    assert in_force.current()[0].tracks["anesthesiology"] == "Anaesthesia"


def test_platform_postgres_urls_use_psycopg():
    assert url_from("postgres://coach:pw@db:5432/coach") == "postgresql+psycopg://coach:pw@db:5432/coach"
    assert url_from("postgresql://coach@db/coach") == "postgresql+psycopg://coach@db/coach"
    assert url_from("sqlite:////srv/coach.db") == "sqlite:////srv/coach.db"


def test_without_auto_migrate_the_release_step_builds_the_schema(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_INSTANCE_PATH", str(tmp_path))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}", "AUTO_MIGRATE": False})
    engine = app.extensions["db"]
    assert inspect(engine).get_table_names() == []
    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0, result.output
    assert "ledger_events" in inspect(engine).get_table_names()


def test_health_answers_503_when_the_database_does_not(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_INSTANCE_PATH", str(tmp_path))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    app.extensions["db"] = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=2")
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["error"]["code"] == "database_unavailable"
