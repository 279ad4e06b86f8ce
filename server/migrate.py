"""Bringing a database to the latest schema and seeding it from rules/.

Every gunicorn worker starts by calling prepare(), so the migration runs under a lock:
the first worker migrates and seeds, the others wait, then find nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask
from sqlalchemy import Connection, Engine, func, select

from . import directory_store
from .config import ROOT
from .db import writing

# Any fixed number: the PostgreSQL advisory lock that migrations hold.
MIGRATION_LOCK = 0x636F616368  # "coach"


def alembic_config() -> Config:
    return Config(str(ROOT / "alembic.ini"))


@contextmanager
def locked(engine: Engine) -> Iterator[Connection]:
    """A write transaction that only one process at a time can hold."""
    with writing(engine) as connection:
        # On SQLite, BEGIN IMMEDIATE (see db.writing) already excludes every other writer.
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
        yield connection


def upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def prepare(engine: Engine, rules_dir: str | Path) -> None:
    """The latest schema, and the directory and calendar from rules/ if the database has none."""
    with locked(engine) as connection:
        upgrade(connection)
        directory_store.seed_if_empty(connection, Path(rules_dir))


def init_app(app: Flask) -> None:
    """Call after db.init_app: with COACH_AUTO_MIGRATE the app's database is brought up to date."""
    if app.config["AUTO_MIGRATE"]:
        engine = app.extensions["db"]
        prepare(engine, app.config["RULES_DIR"])
        # Nothing pooled may outlive this point: with gunicorn --preload the workers fork from here.
        engine.dispose()
