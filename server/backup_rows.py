"""What each value of a backup must be before it goes into the database, column by column.

A backup is a file anyone could have edited. Every value is checked against its column
(type, range, length, whether it may be empty) and the JSON columns against the shape the
server reads, so that a wrong one is refused with its table and column instead of being
stored and failing every request that reads it later. The rules of a rule version must
load as a rule set, and be the rules their digest names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Column, DateTime, Integer, String, Table, Text

from . import rulesets
from .engine import LoadError

# NUL ends a string in PostgreSQL, and half a surrogate pair is no text: neither is ever stored.
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


class BadValue(ValueError):
    """The value does not fit its column; the message says why."""


def _text(value, what: str = "text") -> str:
    if not isinstance(value, str):
        raise BadValue(f"must be {what}, not {type(value).__name__}")
    if _NOT_TEXT.search(value):
        raise BadValue("holds a NUL character or half of a surrogate pair")
    return value


def _strings(value) -> list[str]:
    if not isinstance(value, list):
        raise BadValue(f"must be a list of strings, not {type(value).__name__}")
    return [_text(item, "a list of strings") for item in value]


def _sources(value) -> dict[str, str]:
    """A rule set's files, {path: YAML text}."""
    if not isinstance(value, dict):
        raise BadValue(f"must be the rule files as {{path: YAML text}}, not {type(value).__name__}")
    for path, text in value.items():
        _text(path, "a file's path")
        _text(text, f"the YAML text of {path[:60]!r}")
    return value


def _any_json(value):
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            _text(item)
    return value


# The JSON columns the server reads in a known shape; any other JSON column only needs to be text throughout.
JSON_SHAPES: dict[str, Callable] = {
    "ledger_events.claims": _strings, "ledger_events.categories": _strings,
    "rule_versions.sources": _sources, "shipped_rules.sources": _sources,
}


def _converter(column: Column) -> Callable:
    """The value from the file as the database takes it; BadValue when it cannot be one."""
    kind = getattr(column.type, "impl_instance", column.type)  # a TypeDecorator stores its impl's type
    if isinstance(kind, JSON):
        return JSON_SHAPES.get(f"{column.table.name}.{column.name}", _any_json)
    if isinstance(kind, Boolean):
        def boolean(value):
            if not isinstance(value, bool):
                raise BadValue(f"must be true or false, not {type(value).__name__}")
            return value
        return boolean
    if isinstance(kind, Integer):  # BigInteger is an Integer too
        bound = 1 << (63 if isinstance(kind, BigInteger) else 31)

        def integer(value):
            if type(value) is not int or not -bound <= value < bound:
                raise BadValue(f"must be a whole number from {-bound} to {bound - 1}")
            return value
        return integer
    if isinstance(kind, String):  # Text is a String too
        length = None if isinstance(kind, Text) else kind.length

        def string(value):
            text = _text(value)
            if length is not None and len(text) > length:
                raise BadValue(f"is longer than {length} characters")
            return text
        return string
    if isinstance(kind, DateTime):
        def moment(value):
            try:
                parsed = datetime.fromisoformat(_text(value, "an ISO 8601 time"))
                if parsed.tzinfo is None:
                    raise ValueError
                return parsed.astimezone(UTC)
            except (ValueError, OverflowError):
                raise BadValue("must be an ISO 8601 time with its offset, as the server writes it") from None
        return moment
    raise TypeError(f"{column.table.name}.{column.name}: the backup has no format for {kind!r}")


class Rows:
    """Checks a table's rows, each a list of values in its columns' order, into rows to insert."""

    def __init__(self, table: Table):
        self.table = table
        self.names = [c.name for c in table.columns]
        self.converters = [(c, _converter(c)) for c in table.columns]
        self.rules_checked: set[str] = set()

    def convert(self, values: list) -> dict:
        if len(values) != len(self.names):
            raise BadValue(f"a row of {self.table.name} has {len(values)} values, not {len(self.names)}")
        row = {}
        for (column, convert), value in zip(self.converters, values, strict=True):
            where = f"{self.table.name}.{column.name}"
            if value is None:
                if not column.nullable:
                    raise BadValue(f"{where} may not be empty")
                row[column.name] = None
                continue
            try:
                row[column.name] = convert(value)
            except BadValue as error:
                raise BadValue(f"{where} {error}") from None
        if "sources" in self.names:
            self._check_rules(row)
        return row

    def _check_rules(self, row: dict) -> None:
        """A rule version (or shipped release) must load, and be the rules its digest names."""
        sources, named = row["sources"], row["digest"]
        if rulesets.digest(sources) != named:
            raise BadValue(f"{self.table.name}: the rules of {named[:12]} are not the rules that digest names")
        if named in self.rules_checked:
            return
        try:
            rulesets.build(sources)
        except LoadError as error:
            raise BadValue(f"{self.table.name}: the rules of {named[:12]} do not load: {error}") from None
        self.rules_checked.add(named)
