"""The database: one SQLAlchemy engine per app, SQLite by default, PostgreSQL by URL.

SQLite runs in WAL mode so checks keep reading while a send is being recorded, with a
busy timeout so concurrent writers wait for each other instead of failing. Write
transactions start with BEGIN IMMEDIATE: a deferred transaction that read first and
then tries to write cannot wait for the lock and fails at once under load.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InvalidatePoolError, OperationalError

from .errors import error_response

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_CONNECT_TIMEOUT_S = 5
# A pooled connection idle longer than this is pinged before use (see _ping_when_idle).
PING_AFTER_IDLE_S = 1.0
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
        engine = create_engine(url, connect_args=timeout)
        _ping_when_idle(engine)
        return engine
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


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only if it sat idle for a while, as HikariCP does.

    A connection that went stale while idle (a database restarted overnight, a firewall
    dropping quiet connections) is replaced before a request sees it. Pinging every
    checkout (pool_pre_ping) would add a round trip to every request, and a connection
    used a moment ago is alive: if the database went away within that moment, the request
    gets a 503, the pool drops all its connections, and the client's retry gets a new one.
    """
    errors = engine.dialect.loaded_dbapi.Error

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, record, _proxy):
        # record.info is cleared with its connection: a new connection has no idle_since and needs no ping.
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except errors as error:
            # Likely all of them went stale together (a restart): the pool replaces every one it holds.
            raise InvalidatePoolError(f"a pooled connection went stale ({type(error).__name__})") from error


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db"] = engine
    app.teardown_appcontext(_close)
    app.register_error_handler(OperationalError, _unavailable)


def engine() -> Engine:
    return current_app.extensions["db"]


def _connection() -> Connection:
    # One connection per request, not one per query: a checkout and its return are not free.
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
def read_only() -> Iterator[Connection]:
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


def insert(connection: Connection, table: Table):
    """An INSERT that can say what to do when the row exists (ON CONFLICT), in the connection's dialect."""
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[connection.dialect.name](table)


def _unavailable(error: OperationalError):
    # Unreachable, or SQLite still locked after the busy timeout: the client should retry later.
    log.error("database unavailable (%s)", type(error.orig).__name__)
    return error_response(503, "database_unavailable", "The database does not answer; try again shortly.")


def ping() -> None:
    with read_only() as connection:
        connection.execute(text("SELECT 1"))
