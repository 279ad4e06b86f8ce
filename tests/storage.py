"""The two databases the storage tests run on, and real servers over them.

SQLite gets a fresh file in the test's own instance folder. PostgreSQL gets a fresh
schema of its own (through the connection's search_path), dropped afterwards, so
test runs on one database never see each other's tables.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from server import accounts
from server.db import make_engine, writing

from .conftest import POSTGRES_URL, require
from .serverproc import ServerProcess

BACKENDS = ("sqlite", "postgresql")
INTENT = ("Dear Dr. Smith,\n\nI am writing to let you know that your program is my first choice, "
          "and I intend to rank it #1.\n\nSincerely,\nAna Ruiz")


def postgres_available() -> bool:
    try:
        dsn = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(dsn, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@dataclass
class Database:
    backend: str
    url: str
    instance: Path

    def engine(self):
        return create_engine(self.url)

    def new_user(self, *tracks: str, email: str | None = None, role: str = "applicant") -> str:
        """A user made straight in the database (far quicker than the CLI); their token."""
        engine = make_engine(self.url)
        try:
            with writing(engine) as connection:
                user = accounts.create_user(connection, email or f"applicant-{secrets.token_hex(6)}@example.edu",
                                            role, tracks)
                return accounts.issue_token(connection, user.id, "test")[1]
        finally:
            engine.dispose()

    def dump(self) -> str:
        """Everything the database holds, as text, to search for what must never be stored."""
        if self.backend == "sqlite":
            # The main file, its write-ahead log and anything else SQLite left next to it.
            return "\n".join(p.read_bytes().decode("latin-1") for p in self.instance.glob("coach.db*"))
        engine = self.engine()
        try:
            with engine.connect() as connection:
                tables = inspect(connection).get_table_names()
                return "\n".join(
                    row[0] for table in tables
                    for row in connection.execute(text(f'SELECT CAST(t AS text) FROM "{table}" AS t'))
                )
        finally:
            engine.dispose()

    def execute(self, statement: str, **params):
        engine = self.engine()
        try:
            with engine.begin() as connection:
                result = connection.execute(text(statement), params)
                return result.all() if result.returns_rows else result.rowcount
        finally:
            engine.dispose()


@contextmanager
def database(backend: str, instance: Path) -> Iterator[Database]:
    instance.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        yield Database(backend, f"sqlite:///{instance / 'coach.db'}", instance)
        return
    require(postgres_available(), f"PostgreSQL at {POSTGRES_URL}")
    schema = f"coach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield Database(backend, url.render_as_string(hide_password=False), instance)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def server(backend: str, instance: Path, env: dict | None = None, **kwargs) -> Iterator[tuple[ServerProcess, Database]]:
    """A server on a fresh database of the given kind."""
    with database(backend, instance) as db:
        with ServerProcess(instance, env={"DATABASE_URL": db.url, **(env or {})}, **kwargs) as process:
            yield process, db


def create_user(server: ServerProcess, email: str | None = None, *options: str) -> str:
    """A new user's token: the last line of `flask create-user` (the CLI contract)."""
    email = email or f"applicant-{secrets.token_hex(4)}@example.edu"
    return server.flask("create-user", email, *options).strip().splitlines()[-1]


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Client:
    """The API as one user's device sees it."""

    def __init__(self, server: ServerProcess, token: str):
        self.url = server.url + "/api/v1"
        self.session = requests.Session()
        self.session.headers.update(auth(token))

    def get(self, path: str, **kwargs):
        return self.session.get(self.url + path, timeout=30, **kwargs)

    def post(self, path: str, body=None, **kwargs):
        return self.session.post(self.url + path, json=body, timeout=30, **kwargs)

    def put(self, path: str, body=None, **kwargs):
        return self.session.put(self.url + path, json=body, timeout=30, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.session.delete(self.url + path, timeout=30, **kwargs)

    def events(self) -> list[dict]:
        answer = self.get("/ledger/export", params={"format": "json"})
        assert answer.status_code == 200, answer.text
        return answer.json()["events"]


def sent(to: str = "Dr Jane Smith <jsmith@uw.edu>", text: str = "Dear Dr. Smith,\n\nThank you for the interview.",
         **fields) -> dict:
    return {"event_id": str(uuid.uuid4()), "type": "sent", "to": [to], "subject": "Thank you",
            "text": text, "at": "2027-01-20T15:00:00Z", **fields}
