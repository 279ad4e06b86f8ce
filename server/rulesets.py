"""The rule set in force: versions kept in the database, the newest one built once per process.

Every publish on the admin page stores a version holding the full sources of the rule
files ({path: YAML text}, the shape of engine.loader.read_sources). The newest version
is the one in force. rules/ is the seed: on the first start it becomes version 1. A
release that ships different rules publishes them by itself while the rules in force
are shipped ones; once the office has edited, rolled back or imported, the new shipped
rules wait for an admin to review them instead.

Each process follows the newest version as version_watch.py describes: a thread of its
own builds a new version's RuleSet while requests go on with the rule set they have
(building compiles hundreds of patterns: never per request, never in one's way). A
publish therefore reaches every gunicorn worker, busy or idle, and every server sharing
the database, within about two seconds.
A version that does not build (it was validated before it was stored, so only an engine
upgrade, or a database changed behind the server's back, can make one fail) never takes
the server down: the process keeps what it serves, and a fresh one serves the newest
version that builds, logging each one that does not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from .engine import LoadError, RuleSet, build_ruleset, digest, load_ruleset
from .engine.bounded_cache import BoundedCache
from .isotime import iso
from .schema import rule_versions, shipped_rules
from .version_watch import CHECK_INTERVAL, Follower

log = logging.getLogger(__name__)

ORIGINS = ("shipped", "edit", "rollback", "import")
BUILT_KEPT = 6  # rule sets kept built per process: the one in force, drafts, a rollback's target
FALLBACK_DEPTH = 10  # older versions a fresh process tries when the newest does not build


class Conflict(Exception):
    """Another version was published since the one a change was made from."""


@dataclass(frozen=True)
class Version:
    id: int
    parent_id: int | None
    restored_from: int | None
    origin: str
    author: str | None
    note: str
    created_at: datetime
    digest: str

    def as_json(self) -> dict:
        return {
            "id": self.id, "parent": self.parent_id, "restored_from": self.restored_from, "origin": self.origin,
            "author": self.author, "note": self.note, "digest": self.digest[:12],
            "created_at": iso(self.created_at),
        }


# Storage, each in the caller's transaction.

_COLUMNS = [c for c in rule_versions.c if c.name != "sources"]


def _version(row) -> Version:
    return Version(row.id, row.parent_id, row.restored_from, row.origin, row.author, row.note, row.created_at,
                   row.digest)


def active_version(connection: Connection) -> Version | None:
    row = connection.execute(select(*_COLUMNS).order_by(rule_versions.c.id.desc()).limit(1)).first()
    return _version(row) if row else None


def get_version(connection: Connection, version_id: int) -> Version | None:
    row = connection.execute(select(*_COLUMNS).where(rule_versions.c.id == version_id)).first()
    return _version(row) if row else None


def is_sources(value) -> bool:
    """Whether a stored value is a rule set's files, {path: YAML text}."""
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def sources_of(connection: Connection, version_id: int) -> dict[str, str] | None:
    """The version's files; None when there is no such version. A version whose stored value
    is not files at all reads as having none, which does not build."""
    sources = connection.execute(select(rule_versions.c.sources).where(rule_versions.c.id == version_id)).scalar()
    if sources is not None and not is_sources(sources):
        log.error("rule version %s holds no rule files (a %s); it is read as empty", version_id,
                  type(sources).__name__)
        return {}
    return sources


def history(connection: Connection, limit: int = 50, before: int | None = None) -> list[Version]:
    """Versions newest first; `before`: only those older than this id."""
    query = select(*_COLUMNS).order_by(rule_versions.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(rule_versions.c.id < before)
    return [_version(row) for row in connection.execute(query)]


def publish(connection: Connection, sources: dict[str, str], *, origin: str, author: str | None, note: str,
            parent_id: int | None, restored_from: int | None = None) -> Version:
    """Store a version that is in force from now on. Run it in a write transaction.

    Raises Conflict unless parent_id is the version in force: a change is published only
    on top of the rules it was made from and reviewed against.
    """
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {', '.join(ORIGINS)}")
    current = active_version(connection)
    if (current.id if current else None) != parent_id:
        raise Conflict(f"version {current.id if current else None} is in force, not {parent_id}")
    try:
        row = connection.execute(
            insert(rule_versions).values(
                parent_id=parent_id, restored_from=restored_from, origin=origin, author=author, note=note,
                created_at=datetime.now(UTC), digest=digest(sources), sources=dict(sources),
            ).returning(*_COLUMNS)
        ).one()
    except IntegrityError:
        # PostgreSQL: a concurrent publish from the same parent committed first (parent_id is unique).
        raise Conflict(f"another version was published on top of {parent_id}") from None
    return _version(row)


@dataclass(frozen=True)
class Release:
    """Rules a release shipped that are not in force: the admin reviews and publishes or dismisses them."""

    digest: str
    seen_at: datetime

    def as_json(self) -> dict:
        return {"digest": self.digest[:12], "seen_at": iso(self.seen_at)}


def candidate(connection: Connection) -> Release | None:
    """The newest shipped rules still waiting for review, if any."""
    c = shipped_rules.c
    row = connection.execute(
        select(c.digest, c.seen_at).where(c.version_id.is_(None), c.dismissed_at.is_(None))
        .order_by(c.seen_at.desc()).limit(1)
    ).first()
    return Release(row.digest, row.seen_at) if row else None


def shipped_sources(connection: Connection, release_digest: str) -> dict[str, str] | None:
    return connection.execute(select(shipped_rules.c.sources).where(shipped_rules.c.digest == release_digest)).scalar()


def settle_release(connection: Connection, release_digest: str, *, version_id: int | None = None) -> None:
    """The release is published as version_id, or (None) dismissed: it stops waiting for review."""
    values = {"version_id": version_id} if version_id is not None else {"dismissed_at": datetime.now(UTC)}
    connection.execute(update(shipped_rules).where(shipped_rules.c.digest == release_digest).values(**values))


def sync_shipped(engine: Engine, sources: dict[str, str]) -> str | None:
    """Record the rules this release ships; publish them unless the office edited the rules in force.

    Answers "published", "candidate" or None (nothing new). Every process runs this once;
    the lock makes the first one do the work and the others find it done.
    """
    from .migrate import locked

    shipped_digest = digest(sources)
    seen = select(shipped_rules.c.digest).where(shipped_rules.c.digest == shipped_digest)
    with engine.connect() as connection:
        if connection.execute(seen).first() is not None:
            return None
    with locked(engine) as connection:
        if connection.execute(seen).first() is not None:
            return None
        active = active_version(connection)
        outcome, version_id = None, None
        if active is not None and active.digest == shipped_digest:
            version_id = active.id
        elif active is None or active.origin == "shipped":
            version = publish(connection, sources, origin="shipped", author=None,
                              parent_id=active.id if active else None,
                              note="The rules shipped with this release of the server.")
            outcome, version_id = "published", version.id
        else:
            outcome = "candidate"
        connection.execute(insert(shipped_rules).values(digest=shipped_digest, seen_at=datetime.now(UTC),
                                                        sources=dict(sources), version_id=version_id))
    if outcome == "candidate":
        log.warning("this release ships new rules (%s); the rules in force were edited, so an admin reviews them",
                    shipped_digest[:12])
    elif outcome == "published":
        log.info("published the shipped rules %s", shipped_digest[:12])
    return outcome


# Built rule sets, by digest, shared by every app in the process.

_built: BoundedCache[str, RuleSet] = BoundedCache(BUILT_KEPT)


def built(sources_digest: str) -> RuleSet | None:
    return _built.get(sources_digest)


def build(sources: dict[str, str]) -> RuleSet:
    """The RuleSet of these sources, built once per process; LoadError when they do not load,
    for whatever reason."""
    if not is_sources(sources):
        raise LoadError("rules", "the rule files must be {path: YAML text}")
    key = digest(sources)
    ruleset = built(key)
    if ruleset is None:
        try:
            ruleset = build_ruleset(sources)
        except LoadError:
            raise
        except Exception as error:  # e.g. YAML nested past Python's recursion: these rules do not load either
            raise LoadError("rules", f"cannot be loaded ({type(error).__name__})") from error
        _keep(key, ruleset)
    return ruleset


def _keep(key: str, ruleset: RuleSet) -> None:
    _built.put(key, ruleset)


class ActiveRuleSet(Follower):
    """The rule set this process serves, following the newest version in the database.

    The first check of a process loads it; from then on the process's watch
    (version_watch.py) looks at the database every CHECK_INTERVAL and builds a new version
    there, so requests never wait for a build (nor run out of their time budget on one).
    """

    name = "rule versions"

    def __init__(self, engine: Engine, shipped: RuleSet, interval: float = CHECK_INTERVAL):
        super().__init__(interval)
        self.engine = engine
        self.shipped = shipped
        self.synced = False
        self.ruleset: RuleSet | None = None
        self.version_id: int | None = None  # the version served
        # What was last looked at: (id, digest) of the newest version, so that a restored
        # backup whose newest id is the same but whose rules are not is noticed too.
        self.seen: tuple[int, str] | None = None
        _keep(digest(shipped.sources), shipped)

    def current(self) -> RuleSet:
        self.follow()
        return self.ruleset

    def _refresh(self) -> None:
        if not self.synced:
            sync_shipped(self.engine, self.shipped.sources)
            self.synced = True
        with self.engine.connect() as connection:
            newest = active_version(connection)
        if newest is None or (newest.id, newest.digest) == self.seen:
            return
        # A process serving something tries only the newest; a fresh one goes back until a version builds.
        depth = 1 if self.ruleset is not None else FALLBACK_DEPTH
        with self.engine.connect() as connection:
            tried = [newest] + history(connection, depth - 1, before=newest.id)
        for version in tried:
            ruleset = self._build(version)
            if ruleset is not None:
                self.ruleset, self.version_id = ruleset, version.id
                break
        self.seen = (newest.id, newest.digest)  # a version that does not build is not tried again
        if self.ruleset is None:
            log.error("no stored rule version loads; serving the rules shipped with the server")
            self.ruleset = self.shipped

    def _build(self, version: Version) -> RuleSet | None:
        ruleset = built(version.digest)
        if ruleset is not None:
            return ruleset
        with self.engine.connect() as connection:
            sources = sources_of(connection, version.id)
        try:
            return build(sources)
        except LoadError as error:
            log.error("rule version %s does not load (%s); still serving version %s",
                      version.id, error, self.version_id)
            return None


def init_app(app) -> None:
    # The shipped rules must load: a release whose rules/ does not validate stops here,
    # with the file, line, rule and reason. The database is not read until the first check,
    # so `flask migrate` can build the schema first.
    shipped = load_ruleset(app.config["RULES_DIR"])
    app.extensions["rulesets"] = ActiveRuleSet(app.extensions["db"], shipped)


def active() -> RuleSet:
    return current_app.extensions["rulesets"].current()


def refresh() -> None:
    current_app.extensions["rulesets"].refresh()
