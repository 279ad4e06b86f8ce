"""Every table the server keeps, in one place: the migrations in migrations/ build exactly this."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out; SQLite keeps them as naive UTC text, which sorts by time."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
BigId = BigInteger().with_variant(Integer(), "sqlite")

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # How many events the user's ledger holds, changed with it (ledger/store.py). The ledger cap
    # needs it: growing it only while below COACH_MAX_LEDGER_EVENTS is the one statement that
    # lets exactly one of two racing sends take the last place (a count would see neither).
    # It is also part of the ledger's version, read with every check without counting events.
    Column("ledger_size", Integer, nullable=False, server_default="0"),
    CheckConstraint("role IN ('applicant', 'admin')", name="role"),
)

user_tracks = Table(
    "user_tracks", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("track", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 hex; the token itself is never kept
    Column("label", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
    Column("expires_at", UTCDateTime),  # None: issued before tokens expired, in force until revoked
)

ledger_events = Table(
    "ledger_events", metadata,
    Column("id", BigId, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(36), nullable=False),  # the client's UUID: posting twice stores once
    Column("type", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("program", String(255)),  # institution key (or the recipient's domain outside the directory)
    Column("program_name", String(255)),
    Column("track", String(64)),
    Column("kind", String(32)),
    Column("claims", JSON, nullable=False),
    Column("word_count", Integer),
    Column("fingerprint", BigInteger),  # the 64-bit SimHash as a signed 64-bit number
    Column("categories", JSON, nullable=False),
    # How many error-severity warnings the message still had when it was sent: a count, never text.
    Column("errors", Integer),
    UniqueConstraint("user_id", "event_id"),
    CheckConstraint("type IN ('sent', 'interview', 'received')", name="type"),
    # Row ids are never reused, so a user's highest id tells whether their ledger changed.
    sqlite_autoincrement=True,
)
Index("ix_ledger_events_user_id_id", ledger_events.c.user_id, ledger_events.c.id)
Index("ix_ledger_events_user_id_at", ledger_events.c.user_id, ledger_events.c.at, ledger_events.c.id)

# The program directory (rules/programs.yaml) and the season calendar (rules/calendar.yaml),
# kept in tables so the advising office can edit them. `position` keeps the files' order.

directory_tracks = Table(
    "directory_tracks", metadata,
    Column("id", String(64), primary_key=True),
    Column("label", String(200)),
    Column("position", Integer, nullable=False),
)

institutions = Table(
    "institutions", metadata,
    Column("key", String(255), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("city", String(200)),
    Column("state", String(100)),
    Column("position", Integer, nullable=False),
)

institution_domains = Table(
    "institution_domains", metadata,
    Column("institution_key", String(255), ForeignKey("institutions.key", ondelete="CASCADE"), primary_key=True),
    Column("domain", String(255), primary_key=True),
    Column("position", Integer, nullable=False),
)

institution_names = Table(
    "institution_names", metadata,
    Column("institution_key", String(255), ForeignKey("institutions.key", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(16), primary_key=True),  # name | abbreviation
    Column("value", String(300), primary_key=True),
    Column("position", Integer, nullable=False),
    CheckConstraint("kind IN ('name', 'abbreviation')", name="kind"),
)

directory_policies = Table(
    "directory_policies", metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(16), nullable=False),  # specialty | program
    Column("policy", String(64), nullable=False),
    Column("institution_key", String(255), ForeignKey("institutions.key", ondelete="CASCADE")),
    Column("track", String(64)),
    Column("note", Text),
    Column("source", Text),
    Column("position", Integer, nullable=False),
    CheckConstraint("scope IN ('specialty', 'program')", name="scope"),
)

directory_programs = Table(
    "directory_programs", metadata,
    Column("id", Integer, primary_key=True),
    Column("institution_key", String(255), ForeignKey("institutions.key", ondelete="CASCADE"), nullable=False),
    Column("track", String(64), nullable=False),
    Column("position", Integer, nullable=False),
)

program_addresses = Table(
    "program_addresses", metadata,
    Column("program_id", Integer, ForeignKey("directory_programs.id", ondelete="CASCADE"), primary_key=True),
    Column("address", String(320), primary_key=True),
    Column("position", Integer, nullable=False),
)

calendar = Table(
    "calendar", metadata,
    Column("id", Integer, primary_key=True),  # one row: the season in force
    Column("season", String(32)),
    Column("timezone", String(64)),
)

calendar_dates = Table(
    "calendar_dates", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(40), nullable=False),  # ISO date or date-time, as written in calendar.yaml
    Column("position", Integer, nullable=False),
)

calendar_stages = Table(
    "calendar_stages", metadata,
    Column("id", String(64), primary_key=True),
    Column("starts", String(64), nullable=False),  # the name of a calendar date
    Column("position", Integer, nullable=False),
)

# Every version of the directory and of the calendar, whole, as the admin pages saved them:
# their history, diffs and rollback. The newest of a kind is what the tables above hold.
data_history = Table(
    "data_history", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # directory | calendar
    Column("spec", JSON, nullable=False),  # in the shape of rules/programs.yaml or rules/calendar.yaml
    Column("author", String(320)),  # the admin's email; None: the files the server shipped or loaded
    Column("summary", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("restored_from", Integer, ForeignKey("data_history.id")),
    CheckConstraint("kind IN ('directory', 'calendar')", name="kind"),
    Index("ix_data_history_kind_id", "kind", "id"),
    sqlite_autoincrement=True,
)

# Bumped on every change to the directory or calendar, so each worker notices within a second.
data_versions = Table(
    "data_versions", metadata,
    Column("name", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)

# The rule sets the admin page publishes. Every publish is a row holding the full sources
# ({path: YAML text}, as engine.loader.read_sources gives them); the newest row is the
# version in force. parent_id is unique: two publishes made from the same version cannot
# both succeed, so history is a single line and no edit silently overwrites another.
rule_versions = Table(
    "rule_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", Integer, ForeignKey("rule_versions.id"), unique=True),  # the version it replaced
    Column("restored_from", Integer, ForeignKey("rule_versions.id")),  # a rollback's target
    Column("origin", String(16), nullable=False),
    Column("author", String(320)),  # the admin's email; None when the server published shipped rules
    Column("note", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("digest", String(64), nullable=False),  # SHA-256 of the sources
    Column("sources", JSON, nullable=False),
    CheckConstraint("origin IN ('shipped', 'edit', 'rollback', 'import')", name="origin"),
    sqlite_autoincrement=True,
)

# Each different rules/ folder a release brought, by digest. One the server did not
# publish itself (the office had edited the rules) waits here for the admin to review.
shipped_rules = Table(
    "shipped_rules", metadata,
    Column("digest", String(64), primary_key=True),
    Column("seen_at", UTCDateTime, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("version_id", Integer, ForeignKey("rule_versions.id")),  # the version that published it
    Column("dismissed_at", UTCDateTime),  # the admin chose to keep their own rules
)

admin_passwords = Table(
    "admin_passwords", metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("password_hash", String(255), nullable=False),  # werkzeug's scrypt hash
    Column("set_at", UTCDateTime, nullable=False),
)

# A signed-in admin's session: the browser holds a random token, the database its SHA-256,
# so signing out ends it for good and a leaked SECRET_KEY alone opens nothing.
admin_sessions = Table(
    "admin_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
)

# Sign-in attempts not (yet) followed by a success, per account and client address, across every
# worker and server: one row each, its count moved in one statement (admin/passwords.py).
sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("email", String(320), primary_key=True),
    Column("address", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_at", UTCDateTime, nullable=False),  # of the last one counted towards the lock
)

# A sign-in on its way through a school's identity provider (sso/): what the provider's answer
# must match and where the result goes. Only the state's hash is kept, and the row is taken
# (deleted) when the answer comes, so an answer counts once; unanswered ones expire.
sign_in_requests = Table(
    "sign_in_requests", metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("browser_hash", String(64), nullable=False),  # the cookie of the browser that started it
    Column("provider", String(32), nullable=False),
    Column("client", String(16), nullable=False),
    Column("redirect_uri", String(300)),  # the extension's or the add-in's, to hand a code to
    Column("client_state", String(200)),
    Column("code_challenge", String(64)),  # the client's PKCE challenge for that code
    Column("next_page", String(2000)),  # an admin's page to go to after signing in
    Column("nonce", String(64), nullable=False),
    Column("code_verifier", String(128), nullable=False),  # PKCE towards the provider
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("client IN ('extension', 'addin', 'admin')", name="client"),
    info={"transient": True},  # minutes long: not in backups
)

# A one-time code that a client exchanges, with its PKCE verifier, for an API token: only its
# hash is kept, and exchanging it deletes it.
sign_in_codes = Table(
    "sign_in_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("client", String(16), nullable=False),
    Column("redirect_uri", String(300), nullable=False),
    Column("code_challenge", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("client IN ('extension', 'addin')", name="client"),
    info={"transient": True},
)

# One-time links the office sends: one enrols a device (an API token), the other lets an
# administrator set their password. Only the link's secret's hash is kept.
invitations = Table(
    "invitations", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),
    Column("created_by", String(320)),  # the admin's email; None for the command line
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
    CheckConstraint("purpose IN ('device', 'password')", name="purpose"),
)

# What admins did: who, when, what, to what, in a line. Never an email body or a token.
audit_log = Table(
    "audit_log", metadata,
    Column("id", BigId, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(320)),  # the admin's email; None for the command line
    Column("action", String(64), nullable=False),
    Column("target", String(255)),
    Column("summary", Text, nullable=False),
    sqlite_autoincrement=True,
)
