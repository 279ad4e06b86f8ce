"""The program directory and the season calendar in the database.

rules/programs.yaml and rules/calendar.yaml are the seed: they are loaded into tables
when the database has none (and again by `flask --app server load-directory`), so the
advising office can edit them later. Reading them back gives a dict in exactly the
files' shape, which the engine turns into objects (Directory.from_spec, Calendar.from_spec).
Every change bumps one version number; server/directory_calendar.py follows it (server/version_watch.py).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import yaml
from sqlalchemy import Connection, delete, func, insert, select, update

from . import data_history
from .engine.calendar import Calendar, CalendarError
from .engine.directory import Directory, DirectoryError
from .schema import (
    calendar,
    calendar_dates,
    calendar_stages,
    data_versions,
    directory_policies,
    directory_programs,
    directory_tracks,
    institution_domains,
    institution_names,
    institutions,
    program_addresses,
)

DIRECTORY_FILE = "programs.yaml"
CALENDAR_FILE = "calendar.yaml"
VERSION = "directory"  # one version for directory and calendar together

# What the tables can hold; a key outside these would be silently lost, so it is refused.
_KEYS = {
    "directory": {"tracks", "institutions", "specialty_policies", "program_policies", "programs"},
    "tracks": {"id", "label"},
    "institutions": {"key", "name", "domains", "names", "abbreviations", "city", "state"},
    "specialty_policies": {"policy", "track", "note", "source"},
    "program_policies": {"policy", "institution", "track", "note", "source"},
    "programs": {"institution", "track", "addresses"},
    "calendar": {"season", "timezone", "dates", "stages"},
    "stages": {"id", "starts"},
}


class InvalidData(ValueError):
    """A directory or calendar that cannot be stored; the message says where and why."""


def _check_keys(entry, section: str) -> None:
    unknown = set(entry) - _KEYS[section] if isinstance(entry, dict) else set()
    if unknown:
        raise InvalidData(f"{section}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values or ()))


# libyaml, where installed, reads the directory about ten times faster than pure Python.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as error:
        raise InvalidData(f"{path.name}: not valid YAML: {error}") from None


def validate_directory(spec) -> Directory:
    try:
        built = Directory.from_spec(spec)
    except (DirectoryError, TypeError, AttributeError) as error:  # a list where a mapping belongs, and such
        raise InvalidData(f"directory: {error}") from None
    _check_keys(spec, "directory")
    for section in _KEYS["directory"]:
        for entry in spec.get(section) or []:
            _check_keys(entry, section)
    return built


def validate_calendar(spec) -> Calendar:
    try:
        built = Calendar.from_spec(spec)
    except (CalendarError, TypeError, AttributeError) as error:
        raise InvalidData(f"calendar: {error}") from None
    _check_keys(spec, "calendar")
    for entry in spec.get("stages") or []:
        _check_keys(entry, "stages")
    return built


def _keep_version(connection: Connection, kind: str, old: dict | None, new: dict, author: str | None,
                  summary: str | None, restored_from: int | None) -> list[str]:
    """Record the new version in the history (after what the database held, if versions start now);
    what changed, in words, or [] when nothing did."""
    if old is not None and data_history.plain(old) == data_history.plain(new):
        return []
    changes = (data_history.directory_changes if kind == "directory" else data_history.calendar_changes)(old, new)
    if old is not None and not data_history.any_kept(connection, kind):
        data_history.record(connection, kind, old, author=None, summary="as it was before versions were kept")
    data_history.record(connection, kind, new, author=author, summary=summary or "; ".join(changes),
                        restored_from=restored_from)
    return changes


def replace_directory(connection: Connection, spec: dict, *, author: str | None = None, summary: str | None = None,
                      restored_from: int | None = None) -> list[str]:
    """Store a directory in place of the current one, and keep it as a version; nothing changes if it
    is invalid. What changed, in words."""
    validate_directory(spec)
    old = directory_spec(connection) if _has_rows(connection, institutions, directory_tracks) else None
    for table in (institutions, directory_tracks, directory_programs, directory_policies):
        connection.execute(delete(table))  # domains, names and addresses go with their parents
    rows = [{"id": t["id"], "label": None if t.get("label") is None else str(t["label"]), "position": n}
            for n, t in enumerate(spec.get("tracks") or [])]
    _insert(connection, directory_tracks, rows)
    domains, names = [], []
    rows = []
    for n, entry in enumerate(spec.get("institutions") or []):
        key = str(entry["key"]).lower()
        rows.append({"key": key, "name": str(entry["name"]), "position": n,
                     "city": _text(entry.get("city")), "state": _text(entry.get("state"))})
        domains += [{"institution_key": key, "domain": d, "position": i}
                    for i, d in enumerate(_unique(d.strip().lower() for d in entry.get("domains") or []))]
        names += [{"institution_key": key, "kind": kind, "value": v, "position": i}
                  for kind, field in (("name", "names"), ("abbreviation", "abbreviations"))
                  for i, v in enumerate(_unique(v.strip() for v in entry.get(field) or []))]
    _insert(connection, institutions, rows)
    _insert(connection, institution_domains, domains)
    _insert(connection, institution_names, names)
    rows = [{"scope": scope, "policy": p["policy"], "track": p.get("track"), "position": n,
             "institution_key": str(p["institution"]).lower() if scope == "program" else None,
             "note": _text(p.get("note")), "source": _text(p.get("source"))}
            for scope in ("specialty", "program")
            for n, p in enumerate(spec.get(f"{scope}_policies") or [])]
    _insert(connection, directory_policies, rows)
    for n, entry in enumerate(spec.get("programs") or []):
        program = {"institution_key": entry["institution"], "track": entry["track"], "position": n}
        _check_fit(directory_programs, [program])
        program_id = connection.execute(
            insert(directory_programs).values(**program).returning(directory_programs.c.id)
        ).scalar_one()
        addresses = _unique(a.strip().lower() for a in entry.get("addresses") or [])
        _insert(connection, program_addresses,
                [{"program_id": program_id, "address": a, "position": i} for i, a in enumerate(addresses)])
    bump_version(connection)
    # Kept last: the rows above refuse what the database cannot store, before any of it is kept.
    return _keep_version(connection, "directory", old, spec, author, summary, restored_from)


def replace_calendar(connection: Connection, spec: dict, *, author: str | None = None, summary: str | None = None,
                     restored_from: int | None = None) -> list[str]:
    """Store a season calendar in place of the current one, and keep it as a version; nothing changes
    if it is invalid. What changed, in words."""
    validate_calendar(spec)
    old = calendar_spec(connection)
    for table in (calendar, calendar_dates, calendar_stages):
        connection.execute(delete(table))
    _insert(connection, calendar, [{"id": 1, "season": _text(spec.get("season")),
                                    "timezone": _text(spec.get("timezone"))}])
    _insert(connection, calendar_dates, [{"name": str(name), "value": _iso(value), "position": n}
                                         for n, (name, value) in enumerate(spec["dates"].items())])
    _insert(connection, calendar_stages, [{"id": str(s["id"]), "starts": str(s["starts"]), "position": n}
                                          for n, s in enumerate(spec.get("stages") or [])])
    bump_version(connection)
    return _keep_version(connection, "calendar", old, spec, author, summary, restored_from)


def load_files(connection: Connection, rules_dir: Path, *, only_if_empty: bool = False) -> list[str]:
    """Load programs.yaml and calendar.yaml (those present) into the database; the files loaded.

    Run it in a write transaction: if either file is invalid, the error undoes both.
    """
    loaded = []
    for name, replace, tables in ((DIRECTORY_FILE, replace_directory, (institutions, directory_tracks)),
                                  (CALENDAR_FILE, replace_calendar, (calendar,))):
        path = rules_dir / name
        if path.exists() and not (only_if_empty and _has_rows(connection, *tables)):
            replace(connection, read_yaml(path), summary=f"loaded from {name}")
            loaded.append(name)
    return loaded


def seed_if_empty(connection: Connection, rules_dir: Path) -> list[str]:
    return load_files(connection, rules_dir, only_if_empty=True)


def directory_spec(connection: Connection) -> dict:
    names = select(institution_names).where(institution_names.c.kind == "name")
    abbreviations = select(institution_names).where(institution_names.c.kind == "abbreviation")
    domains = _grouped(connection, select(institution_domains), "institution_key", "domain")
    names = _grouped(connection, names, "institution_key", "value")
    abbreviations = _grouped(connection, abbreviations, "institution_key", "value")
    addresses = _grouped(connection, select(program_addresses), "program_id", "address")
    spec: dict = {"tracks": [], "institutions": [], "specialty_policies": [], "program_policies": [], "programs": []}
    for row in connection.execute(select(directory_tracks).order_by(directory_tracks.c.position)):
        spec["tracks"].append(_present(id=row.id, label=row.label))
    for row in connection.execute(select(institutions).order_by(institutions.c.position)):
        spec["institutions"].append(_present(
            key=row.key, name=row.name, domains=domains.get(row.key, []), names=names.get(row.key, []),
            abbreviations=abbreviations.get(row.key, []), city=row.city, state=row.state))
    policies = select(directory_policies).order_by(directory_policies.c.scope, directory_policies.c.position)
    for row in connection.execute(policies):
        spec[f"{row.scope}_policies"].append(_present(
            policy=row.policy, institution=row.institution_key, track=row.track, note=row.note, source=row.source))
    for row in connection.execute(select(directory_programs).order_by(directory_programs.c.position)):
        spec["programs"].append({"institution": row.institution_key, "track": row.track,
                                 "addresses": addresses.get(row.id, [])})
    return spec


def all_program_addresses(connection: Connection) -> list[str]:
    """Every program address in the directory, lower-cased, sorted."""
    query = select(program_addresses.c.address).distinct().order_by(program_addresses.c.address)
    return list(connection.execute(query).scalars())


def calendar_spec(connection: Connection) -> dict | None:
    """The calendar in calendar.yaml's shape, or None when the database has none."""
    row = connection.execute(select(calendar)).first()
    if row is None:
        return None
    dates = connection.execute(select(calendar_dates).order_by(calendar_dates.c.position))
    stages = connection.execute(select(calendar_stages).order_by(calendar_stages.c.position))
    return _present(
        season=row.season, timezone=row.timezone,
        dates={d.name: _from_iso(d.value) for d in dates},
        stages=[{"id": s.id, "starts": s.starts} for s in stages],
    )


def timezone(connection: Connection) -> str | None:
    """The season calendar's time zone, the school's."""
    return connection.execute(select(calendar.c.timezone)).scalar()


def version(connection: Connection) -> int:
    return connection.execute(select(data_versions.c.version).where(data_versions.c.name == VERSION)).scalar_one()


def bump_version(connection: Connection) -> None:
    """Call in the transaction of any change to the directory or calendar."""
    connection.execute(update(data_versions).where(data_versions.c.name == VERSION)
                       .values(version=data_versions.c.version + 1))


def _insert(connection: Connection, table, rows: list[dict]) -> None:
    _check_fit(table, rows)
    if rows:
        connection.execute(insert(table), rows)


def _check_fit(table, rows: list[dict]) -> None:
    """InvalidData unless every text fits its column: PostgreSQL refuses one too long, or with a NUL."""
    for row in rows:
        for name, value in row.items():
            if not isinstance(value, str):
                continue
            field, length = name.replace("_", " "), getattr(table.c[name].type, "length", None)
            if "\x00" in value:
                raise InvalidData(f"{field} {value[:40]!r}: a NUL character is not text")
            if length is not None and len(value) > length:
                raise InvalidData(f"{field} {value[:40]!r}...: at most {length} characters")


def _has_rows(connection: Connection, *tables) -> bool:
    return any(connection.execute(select(func.count()).select_from(t)).scalar_one() for t in tables)


def _grouped(connection: Connection, query, key: str, value: str) -> dict:
    """{key: [value, ...]} from the rows of a query, each list in its `position` order."""
    groups: dict = {}
    for row in connection.execute(query.order_by(query.selected_columns.position)):
        groups.setdefault(getattr(row, key), []).append(getattr(row, value))
    return groups


def _present(**values) -> dict:
    """The mapping without the optional keys that have no value, as the YAML file leaves them out."""
    return {k: v for k, v in values.items() if v is not None}


def _text(value) -> str | None:
    return None if value is None else str(value)


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _from_iso(value: str):
    """The value as YAML read it: a date-time, a date, or (if it is neither) the text."""
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(value)
        except ValueError:
            continue
    return value
