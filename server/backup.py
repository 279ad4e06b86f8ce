"""Export everything the server keeps to one file, and import it into another database.

Every table of server/schema.py goes in, in dependency order, ids and all, so a backup
taken on SQLite restores on PostgreSQL and back; but sign-ins under way, which last minutes
(a restore ends them). The file is JSON lines, read and
written a row at a time, so a national deployment's ledgers never have to fit in memory:

    {"format": "coach-backup", "version": 1, "schema": "0003", "exported_at": "...", "tables": [...]}
    {"table": "users", "columns": ["id", "email", ...]}
    [1, "a@example.edu", ...]                  one line per row
    ...                                        the next table, and so on
    {"end": true, "rows": {"users": 200, ...}} so that a cut-off file is refused

An import checks every line and value (backup_rows.py) as it goes, in one transaction:
anything wrong, anywhere, and nothing changes.

A backup holds email addresses and the hashes of tokens and sessions (never a token, a
password or an email body): it is written readable by its owner only.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from . import migrate
from .backup_rows import BadValue, Rows
from .isotime import iso
from .schema import ledger_events, metadata, users

FORMAT, VERSION = "coach-backup", 1
# What a backup holds: every table but those of sign-ins under way (schema.py marks them transient).
TABLES = [table for table in metadata.sorted_tables if not table.info.get("transient")]
BATCH = 1000
# The longest line: a rule version's row, all its files in one line, is the longest a backup has.
MAX_LINE_CHARS = 16 * 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or restored; nothing was changed."""


def schema_head() -> str:
    return ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


def _encode(value):
    return value.isoformat() if isinstance(value, date) else value  # datetime is a date too


def _line(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def export(engine: Engine, out: IO[str]) -> dict[str, int]:
    """Write every table to `out`, as one consistent snapshot; the row count of each table."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # One snapshot for every table, whatever the servers write meanwhile.
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            revision = MigrationContext.configure(connection).get_current_revision()
            if revision != schema_head():
                raise BackupError(f"the database is at schema revision {revision}, this server at {schema_head()}: "
                                  "run `flask --app server migrate` first")
            tables = TABLES
            out.write(_line({"format": FORMAT, "version": VERSION, "schema": revision,
                             "exported_at": iso(datetime.now(UTC)),
                             "tables": [t.name for t in tables]}))
            counts = {}
            for table in tables:
                counts[table.name] = _export_table(connection, table, out)
            out.write(_line({"end": True, "rows": counts}))
    return counts


def _export_table(connection: Connection, table: Table, out: IO[str]) -> int:
    out.write(_line({"table": table.name, "columns": [c.name for c in table.columns]}))
    # In key order, so rows that refer to rows of their own table (a rule version's parent) come after them.
    query = select(table).order_by(*table.primary_key.columns)
    count = 0
    for row in connection.execution_options(yield_per=BATCH).execute(query):
        out.write(_line([_encode(v) for v in row]))
        count += 1
    return count


class _Reader:
    """The backup's lines as JSON values, with the line number for error messages.

    A line is read up to MAX_LINE_CHARS and no further: a small compressed file can
    unpack to a line of gigabytes.
    """

    def __init__(self, lines: IO[str]):
        self.lines = lines
        self.number = 0

    def next(self):
        try:
            line = self.lines.readline(MAX_LINE_CHARS + 1)
        except (OSError, EOFError, UnicodeDecodeError) as error:  # damaged gzip, bytes that are not UTF-8
            raise BackupError(f"line {self.number + 1} cannot be read: {error}") from None
        if not line:
            raise BackupError(f"the file ends at line {self.number} before its end mark: it is incomplete")
        self.number += 1
        if len(line) > MAX_LINE_CHARS:
            raise BackupError(f"line {self.number} is longer than {MAX_LINE_CHARS:,} characters: "
                              "no line of a backup is")
        try:
            return json.loads(line)
        except (ValueError, RecursionError):
            raise BackupError(f"line {self.number} is not JSON") from None

    def fail(self, message: str) -> BackupError:
        return BackupError(f"line {self.number}: {message}")


def import_(engine: Engine, lines: IO[str], *, replace: bool = False) -> dict[str, int]:
    """Replace everything in the database with the backup; the row count of each table.

    The database is first brought to this server's schema. One that has users is only
    replaced when `replace` says so. Any error undoes everything.
    """
    reader = _Reader(lines)
    header = reader.next()
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("this is not a coach backup (made by `flask --app server export`)")
    if header.get("version") != VERSION:
        raise BackupError(f"backup format version {header.get('version')} is not {VERSION}, the one this server reads")
    if header.get("schema") != schema_head():
        raise BackupError(f"the backup is of schema revision {header.get('schema')}, this server's is {schema_head()}: "
                          "import it with the version of the coach that made it, then upgrade that one")
    try:
        with migrate.locked(engine) as connection:
            migrate.upgrade(connection)
            if not replace and connection.execute(select(func.count()).select_from(users)).scalar():
                raise BackupError("the database already has users; give --replace to replace everything in it")
            for table in reversed(metadata.sorted_tables):
                connection.execute(delete(table))
            counts = _import_tables(connection, reader)
            _count_ledgers(connection)
            if connection.dialect.name == "postgresql":
                _restart_sequences(connection)
    except CommandError as error:  # the database is at a revision this server does not know
        raise BackupError(f"cannot bring the database to this server's schema: {error}") from None
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise BackupError(f"the database refused the backup: {reason}") from None
    return counts


def _import_tables(connection: Connection, reader: _Reader) -> dict[str, int]:
    """Every table of the schema, in the order of the export (parents first), each row checked."""
    counts: dict[str, int] = {}
    section = reader.next()
    for table in TABLES:
        if not isinstance(section, dict) or section.get("table") != table.name:
            raise reader.fail(f"expected the table {table.name}, found {str(section)[:80]}")
        if section.get("columns") != [c.name for c in table.columns]:
            raise reader.fail(f"the columns of {table.name} are not this server's: {str(section.get('columns'))[:200]}")
        rows = Rows(table)
        batch, count = [], 0
        section = reader.next()
        while isinstance(section, list):
            try:
                batch.append(rows.convert(section))
            except BadValue as error:
                raise reader.fail(str(error)) from None
            if len(batch) == BATCH:
                connection.execute(insert(table), batch)
                count, batch = count + len(batch), []
            section = reader.next()
        if batch:
            connection.execute(insert(table), batch)
        counts[table.name] = count + len(batch)
    if not (isinstance(section, dict) and section.get("end") is True):
        raise reader.fail(f"expected the end mark after the last table, found {str(section)[:80]}")
    if section.get("rows") != counts:
        raise reader.fail(f"the end mark counts {str(section.get('rows'))[:400]} rows, the file holds {counts}")
    return counts


def _count_ledgers(connection: Connection) -> None:
    """Each user's ledger size from their events, whatever the file said: the API's limit and the
    ledger cache's version rely on it."""
    events = select(func.count()).where(ledger_events.c.user_id == users.c.id).scalar_subquery()
    connection.execute(update(users).values(ledger_size=events))


def _restart_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences, which rows inserted with their ids do not move."""
    for table in metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and keys[0].autoincrement in (True, "auto") and keys[0].type.python_type is int:
            name = keys[0].name
            connection.execute(text(
                f'SELECT setval(pg_get_serial_sequence(:table, :column), COALESCE(MAX("{name}"), 0) + 1, false) '
                f'FROM "{table.name}"'), {"table": f'"{table.name}"', "column": name})


@contextmanager
def writing_to(path: Path | None) -> Iterator[IO[str]]:
    """The file to write a backup to (gzip when its name ends in .gz), or standard output."""
    if path is None:
        yield sys.stdout
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "wb") as raw:
        stream = gzip.open(raw, "wt", encoding="utf-8") if path.name.endswith(".gz") else \
            io.TextIOWrapper(raw, encoding="utf-8")
        with stream:
            yield stream


@contextmanager
def reading_from(path: Path | None) -> Iterator[IO[str]]:
    """A backup file, compressed or not, or standard input."""
    raw = open(path, "rb") if path is not None else sys.stdin.buffer
    try:
        compressed = raw.peek(2)[:2] == b"\x1f\x8b"
        yield gzip.open(raw, "rt", encoding="utf-8") if compressed else io.TextIOWrapper(raw, encoding="utf-8")
    finally:
        if path is not None:
            raw.close()
