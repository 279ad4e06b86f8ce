"""Versions of the program directory and of the season calendar, as rule versions are kept.

Each save stores the whole directory (or calendar) in the files' shape, with who saved it,
when and what changed, so that any version can be compared with the one before it and
brought back (a rollback is itself a new version). directory_store records one with every
replace; the first edit of a database that predates versions first records what it held.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, date, datetime

import regex
import yaml
from sqlalchemy import Connection, func, insert, select

from .schema import data_history
from .wording import plural

_ISO = regex.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d)?)?")
FILES = {"directory": "programs.yaml", "calendar": "calendar.yaml"}


@dataclass(frozen=True)
class DataVersion:
    id: int
    kind: str
    author: str | None
    summary: str
    created_at: datetime
    restored_from: int | None


def plain(value):
    """A spec as JSON holds it: dates and times as ISO text, as they are written in the files."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _version(row) -> DataVersion:
    return DataVersion(row.id, row.kind, row.author, row.summary, row.created_at, row.restored_from)


_COLUMNS = [c for c in data_history.c if c.name != "spec"]


def any_kept(connection: Connection, kind: str) -> bool:
    return connection.execute(select(func.count()).select_from(data_history)
                              .where(data_history.c.kind == kind)).scalar_one() > 0


def record(connection: Connection, kind: str, spec: dict, *, author: str | None, summary: str,
           restored_from: int | None = None) -> int:
    """Keep a version, in the caller's transaction; its id."""
    return connection.execute(insert(data_history).values(
        kind=kind, spec=plain(spec), author=author, summary=summary[:2000], created_at=datetime.now(UTC),
        restored_from=restored_from).returning(data_history.c.id)).scalar_one()


def versions(connection: Connection, kind: str, limit: int = 50, before: int | None = None) -> list[DataVersion]:
    """The kind's versions, newest first; `before`: only those older than this id."""
    query = select(*_COLUMNS).where(data_history.c.kind == kind).order_by(data_history.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(data_history.c.id < before)
    return [_version(row) for row in connection.execute(query)]


def get(connection: Connection, kind: str, version_id: int) -> tuple[DataVersion, dict] | None:
    row = connection.execute(select(data_history).where(data_history.c.id == version_id,
                                                        data_history.c.kind == kind)).first()
    return (_version(row), row.spec) if row else None


def previous(connection: Connection, version: DataVersion) -> dict | None:
    """The spec of the version before this one of its kind, or None for the first."""
    return connection.execute(select(data_history.c.spec).where(
        data_history.c.kind == version.kind, data_history.c.id < version.id)
        .order_by(data_history.c.id.desc()).limit(1)).scalar()


def latest_id(connection: Connection, kind: str) -> int | None:
    return connection.execute(select(func.max(data_history.c.id)).where(data_history.c.kind == kind)).scalar()


def _as_written(value):
    """ISO dates back to dates, so that they read as in the files (2027-03-19, not '2027-03-19')."""
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_written(v) for v in value]
    if isinstance(value, str) and _ISO.fullmatch(value):
        return (datetime if "T" in value else date).fromisoformat(value)
    return value


def as_yaml(spec: dict | None) -> str:
    if spec is None:
        return ""
    return yaml.safe_dump(_as_written(plain(spec)), sort_keys=False, allow_unicode=True, width=100)


def diff(kind: str, old: dict | None, new: dict) -> str:
    """The two versions as their YAML files would differ."""
    name = FILES[kind]
    return "".join(difflib.unified_diff(as_yaml(old).splitlines(keepends=True), as_yaml(new).splitlines(keepends=True),
                                        fromfile=f"before/{name}", tofile=f"after/{name}", n=2))


def calendar_changes(old: dict | None, new: dict) -> list[str]:
    """What changed in a calendar, one line each: 'certification_deadline: 2027-03-03T21:00:00 → 2027-03-04'."""
    old, new = plain(old or {}), plain(new)
    lines = [f"{key}: {old.get(key) or '(none)'} → {new.get(key) or '(none)'}"
             for key in ("season", "timezone") if old.get(key) != new.get(key)]
    before, after = old.get("dates") or {}, new.get("dates") or {}
    for name in after:
        if name not in before:
            lines.append(f"{name}: added, {after[name]}")
        elif before[name] != after[name]:
            lines.append(f"{name}: {before[name]} → {after[name]}")
    lines += [f"{name}: removed (was {before[name]})" for name in before if name not in after]
    stages_before = {s["id"]: s["starts"] for s in old.get("stages") or []}
    stages_after = {s["id"]: s["starts"] for s in new.get("stages") or []}
    for stage, starts in stages_after.items():
        if stage not in stages_before:
            lines.append(f"stage {stage}: added, starting at {starts}")
        elif stages_before[stage] != starts:
            lines.append(f"stage {stage}: starts at {starts}, not {stages_before[stage]}")
    lines += [f"stage {stage}: removed" for stage in stages_before if stage not in stages_after]
    return lines


def directory_changes(old: dict | None, new: dict) -> list[str]:
    """What changed in a directory, by section: 'institutions: added uw.edu; changed vumc.org'."""
    old, new = plain(old or {}), plain(new)
    lines = []
    for section, key in (("tracks", "id"), ("institutions", "key")):
        before = {entry[key]: entry for entry in old.get(section) or []}
        after = {entry[key]: entry for entry in new.get(section) or []}
        parts = [f"{verb} {', '.join(keys)}" for verb, keys in (
            ("added", [k for k in after if k not in before]),
            ("changed", [k for k in after if k in before and before[k] != after[k]]),
            ("removed", [k for k in before if k not in after])) if keys]
        if parts:
            lines.append(f"{section}: {'; '.join(parts)}")
    for section in ("specialty_policies", "program_policies", "programs"):
        count_before, count_after = len(old.get(section) or []), len(new.get(section) or [])
        if old.get(section) != new.get(section):
            label = section.replace("_", " ")
            lines.append(f"{label}: {plural(count_after, 'entry', 'entries')} (were {count_before})")
    return lines
