"""Export everything the server keeps to one file, and import it into another database.

Every table of server/schema.py goes in, in dependency order, ids and all, so a backup
taken on SQLite restores on PostgreSQL and back. The file is JSON lines, read and
written a row at a time, so a national deployment's ledgers never have to fit in memory:

    {"format": "coach-backup", "version": 1, "schema": "0003", "exported_at": "...", "tables": [...]}
    {"table": "users", "columns": ["id", "email", ...]}
    [1, "a@example.edu", ...]                  one line per row
    ...                                        the next table, and so on
    {"end": true, "rows": {"users": 200, ...}} so that a cut-off file is refused

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
from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from . import migrate
from .isotime import iso
from .schema import metadata, users

FORMAT, VERSION = "coach-backup", 1
BATCH = 1000


class BackupError(Exception):
    """A backup that cannot be made or restored; nothing was changed."""


def schema_head() -> str:
    return ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


def _encode(value):
    return value.isoformat() if isinstance(value, date) else value  # datetime is a date too


def _decoder(column):
    # A TypeDecorator (schema.UTCDateTime) answers `object`; what it stores is its impl's type.
    kind = getattr(column.type, "impl_instance", column.type).python_type
    if kind is datetime:
        return lambda v: None if v is None else datetime.fromisoformat(v).astimezone(UTC)
    if kind is date:
        return lambda v: None if v is None else date.fromisoformat(v)
    return None


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
            tables = metadata.sorted_tables
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
    """The backup's lines as JSON values, with the line number for error messages."""

    def __init__(self, lines: IO[str]):
        self.lines = lines
        self.number = 0

    def next(self):
        line = self.lines.readline()
        if not line:
            raise BackupError(f"the file ends at line {self.number} before its end mark: it is incomplete")
        self.number += 1
        try:
            return json.loads(line)
        except ValueError:
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
            if connection.dialect.name == "postgresql":
                _restart_sequences(connection)
    except CommandError as error:  # the database is at a revision this server does not know
        raise BackupError(f"cannot bring the database to this server's schema: {error}") from None
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise BackupError(f"the database refused the backup: {reason}") from None
    return counts


def _import_tables(connection: Connection, reader: _Reader) -> dict[str, int]:
    counts: dict[str, int] = {}
    section = reader.next()
    while not (isinstance(section, dict) and section.get("end") is True):
        if not isinstance(section, dict) or section.get("table") not in metadata.tables:
            raise reader.fail(f"expected a table of this server's schema, found {str(section)[:80]}")
        table = metadata.tables[section["table"]]
        columns = section.get("columns")
        if columns != [c.name for c in table.columns]:
            raise reader.fail(f"the columns of {table.name} are not this server's: {columns}")
        decoders = [_decoder(c) for c in table.columns]
        batch, count = [], 0
        section = reader.next()
        while isinstance(section, list):
            if len(section) != len(columns):
                raise reader.fail(f"a row of {table.name} has {len(section)} values, not {len(columns)}")
            try:
                batch.append({name: decode(value) if decode else value
                              for name, decode, value in zip(columns, decoders, section, strict=True)})
            except (TypeError, ValueError) as error:
                raise reader.fail(f"a value of {table.name} does not fit its column: {error}") from None
            if len(batch) == BATCH:
                connection.execute(insert(table), batch)
                count, batch = count + len(batch), []
            section = reader.next()
        if batch:
            connection.execute(insert(table), batch)
        counts[table.name] = count + len(batch)
    expected = section.get("rows")
    if expected != {name: counts.get(name, 0) for name in expected or {}} or set(counts) - set(expected or {}):
        raise reader.fail(f"the end mark counts {expected} rows, the file holds {counts}")
    return counts


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
