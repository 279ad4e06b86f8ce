"""The database: one SQLAlchemy engine per app, SQLite by default, PostgreSQL by URL.

SQLite runs in WAL mode so checks keep reading while a send is being recorded, with a
busy timeout so concurrent writers wait for each other instead of failing. Write
transactions start with BEGIN IMMEDIATE: a deferred transaction that read first and
then tries to write cannot wait for the lock and fails at once under load.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE = "coach_write"


def url_from(database_url: str) -> str:
    """Plain postgres:// and postgresql:// URLs (as hosting platforms give them) use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix):]
    return database_url


def make_engine(database_url: str) -> Engine:
    url = make_url(url_from(database_url))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # SQLAlchemy, not the sqlite3 module, decides where transactions begin (see begin below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = connection.get_execution_options().get(_WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db"] = engine
    if app.config["AUTO_MIGRATE"]:
        from . import migrate

        migrate.prepare(engine, app.config["RULES_DIR"])


def engine() -> Engine:
    return current_app.extensions["db"]


@contextmanager
def reading() -> Iterator[Connection]:
    """A connection for queries; its snapshot is consistent, nothing it does is kept."""
    with engine().connect() as connection:
        yield connection


@contextmanager
def writing(bind: Engine | None = None) -> Iterator[Connection]:
    """A transaction that commits on success and holds the write lock from its start on SQLite."""
    with (bind or engine()).connect() as connection:
        connection.execution_options(**{_WRITE: True})
        with connection.begin():
            yield connection


def ping() -> None:
    with reading() as connection:
        connection.execute(text("SELECT 1"))
