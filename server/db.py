"""The database: one SQLAlchemy engine per app, SQLite by default, PostgreSQL by URL.

SQLite runs in WAL mode so checks keep reading while a send is being recorded, with a
busy timeout so concurrent writers wait for each other instead of failing. Write
transactions start with BEGIN IMMEDIATE: a deferred transaction that read first and
then tries to write cannot wait for the lock and fails at once under load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from .errors import error_response

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_CONNECT_TIMEOUT_S = 5
_WRITE = "coach_write"
_READS = "AUTOCOMMIT"  # PostgreSQL's isolation for a request's reads


def url_from(database_url: str) -> str:
    """Plain postgres:// and postgresql:// URLs (as hosting platforms give them) use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix):]
    return database_url


def make_engine(database_url: str) -> Engine:
    url = make_url(url_from(database_url))
    if url.get_backend_name() != "sqlite":
        # A database that does not answer (a paused machine, a dropped route) fails a request in
        # seconds, as a 503, instead of holding a worker until gunicorn kills it. The URL may say otherwise.
        timeout = {} if "connect_timeout" in url.query else {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
        return create_engine(url, pool_pre_ping=True, connect_args=timeout)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # SQLAlchemy, not the sqlite3 module, decides where transactions begin (see begin below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = connection.get_execution_options().get(_WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db"] = engine
    app.teardown_appcontext(_close)
    app.register_error_handler(OperationalError, _unavailable)
    if app.config["AUTO_MIGRATE"]:
        from . import migrate

        migrate.prepare(engine, app.config["RULES_DIR"])
        # Nothing pooled may outlive this point: with gunicorn --preload the workers fork from here.
        engine.dispose()


def engine() -> Engine:
    return current_app.extensions["db"]


def _connection() -> Connection:
    # One connection per request: each checkout would cost PostgreSQL a ping and a rollback.
    if "db_connection" not in g:
        connection = engine().connect()
        if connection.dialect.name != "sqlite":
            # Reads run without a transaction: under READ COMMITTED each statement sees its own
            # snapshot either way, and a check is spared the BEGIN and ROLLBACK round trips.
            connection.execution_options(isolation_level=_READS)
        g.db_connection = connection
    return g.db_connection


def _close(_error=None) -> None:
    connection = g.pop("db_connection", None)
    if connection is not None:
        connection.close()


@contextmanager
def reading() -> Iterator[Connection]:
    """The request's connection for queries, open until the request ends."""
    yield _connection()


@contextmanager
def writing(bind: Engine | None = None) -> Iterator[Connection]:
    """A transaction that commits on success, holding the write lock from its start on SQLite.

    In a request it uses the request's connection (a write inside a write joins it);
    with `bind` it runs on a connection of its own, e.g. in a migration.
    """
    if bind is not None:
        with bind.connect() as connection:
            connection.execution_options(**{_WRITE: True})
            with connection.begin():
                yield connection
        return
    connection = _connection()
    if g.get("db_writing"):
        yield connection
        return
    if connection.in_transaction():
        connection.rollback()  # the read snapshot ends; SQLite must take the write lock at BEGIN
    reads = connection.get_execution_options().get("isolation_level")
    connection.execution_options(**{_WRITE: True})
    if reads == _READS:
        connection.execution_options(isolation_level=connection.default_isolation_level)
    g.db_writing = True
    try:
        with connection.begin():
            yield connection
    finally:
        g.db_writing = False
        connection.execution_options(**{_WRITE: False})
        if reads == _READS:
            connection.execution_options(isolation_level=_READS)


def _unavailable(error: OperationalError):
    # Unreachable, or SQLite still locked after the busy timeout: the client should retry later.
    log.error("database unavailable (%s)", type(error.orig).__name__)
    return error_response(503, "database_unavailable", "The database does not answer; try again shortly.")


def ping() -> None:
    with reading() as connection:
        connection.execute(text("SELECT 1"))
