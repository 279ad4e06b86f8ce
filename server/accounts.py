"""Users and their API tokens.

A token is shown once, when it is issued; the database keeps only its SHA-256, so a
copy of the database lets nobody sign in. A user has a token per device, each
revocable on its own, and each lasting COACH_TOKEN_DAYS. A revoked or expired token,
or a deactivated user, gets 401.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, g, request
from sqlalchemy import ColumnElement, Connection, bindparam, delete, insert, or_, select, update

from . import db
from .errors import ApiError
from .isotime import iso
from .schema import api_tokens, user_tracks, users

ROLES = ("applicant", "admin")
# last_used_at is a hint for the user's token list, not an audit log: refreshing it at
# most once a minute keeps a write off almost every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class User:
    id: int
    email: str
    role: str
    tracks: tuple[str, ...]
    token_id: int | None = None  # the token this request came with
    ledger_version: tuple | None = None  # as the request began (ledger.store.version_columns)

    def as_json(self) -> dict:
        return {"email": self.email, "role": self.role, "tracks": list(self.tracks)}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_email(email: str) -> str:
    email = email.strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or not email.isprintable() or " " in email or len(email) > 320:
        raise ValueError(f"not an email address: {email!r}")
    return email


def now() -> datetime:
    return datetime.now(UTC)


# Storage, each in the caller's transaction.

def find_user(connection: Connection, email: str) -> User | None:
    row = connection.execute(select(users).where(users.c.email == normal_email(email))).first()
    return _user(connection, row) if row else None


def create_user(connection: Connection, email: str, role: str = "applicant", tracks=()) -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user_id = connection.execute(
        insert(users).values(email=normal_email(email), role=role, active=True, created_at=now()).returning(users.c.id)
    ).scalar_one()
    set_tracks(connection, user_id, tracks)
    return get_user(connection, user_id)


def get_user(connection: Connection, user_id: int) -> User:
    return _user(connection, connection.execute(select(users).where(users.c.id == user_id)).one())


def set_tracks(connection: Connection, user_id: int, tracks) -> None:
    connection.execute(delete(user_tracks).where(user_tracks.c.user_id == user_id))
    rows = [{"user_id": user_id, "track": t, "position": n} for n, t in enumerate(dict.fromkeys(tracks))]
    if rows:
        connection.execute(insert(user_tracks), rows)


def issue_token(connection: Connection, user_id: int, label: str = "",
                lifetime: timedelta | None = None) -> tuple[dict, str]:
    """A new token for the user, in force for `lifetime` (for good without one): its public
    record, and the secret (shown once, never stored)."""
    secret = secrets.token_urlsafe(32)
    created = now()
    expires = created + lifetime if lifetime is not None else None
    token_id = connection.execute(
        insert(api_tokens).values(user_id=user_id, token_hash=hash_token(secret), label=label, created_at=created,
                                  expires_at=expires)
        .returning(api_tokens.c.id)
    ).scalar_one()
    return {"id": token_id, "label": label, "created_at": iso(created), "last_used_at": None,
            "expires_at": iso(expires)}, secret


def token_lifetime() -> timedelta:
    """How long a token issued now lasts (COACH_TOKEN_DAYS)."""
    return timedelta(days=current_app.config["TOKEN_DAYS"])


def in_force(at: datetime | None = None) -> ColumnElement:
    """The condition on api_tokens of a token that works: neither revoked nor expired."""
    return api_tokens.c.revoked_at.is_(None) & or_(api_tokens.c.expires_at.is_(None),
                                                   api_tokens.c.expires_at > (at or now()))


def list_tokens(connection: Connection, user_id: int) -> list[dict]:
    """The user's tokens in force (one per device), newest first, without their secrets."""
    rows = connection.execute(
        select(api_tokens).where(api_tokens.c.user_id == user_id, in_force()).order_by(api_tokens.c.id.desc())
    )
    return [{"id": r.id, "label": r.label, "created_at": iso(r.created_at), "last_used_at": iso(r.last_used_at),
             "expires_at": iso(r.expires_at)} for r in rows]


def revoke_token(connection: Connection, *, user_id: int | None = None, token_id: int | None = None,
                 secret: str | None = None) -> int:
    """Revoke one token (by id or by its secret), or all of a user's; how many were revoked.

    Given a user_id, only that user's tokens can match: nobody revokes another's token.
    """
    condition = api_tokens.c.revoked_at.is_(None)
    if user_id is not None:
        condition &= api_tokens.c.user_id == user_id
    if token_id is not None:
        condition &= api_tokens.c.id == token_id
    if secret is not None:
        condition &= api_tokens.c.token_hash == hash_token(secret)
    if user_id is None and token_id is None and secret is None:
        raise ValueError("say which token to revoke")
    return connection.execute(update(api_tokens).where(condition).values(revoked_at=now())).rowcount


def _user(connection: Connection, row) -> User:
    tracks = connection.execute(
        select(user_tracks.c.track).where(user_tracks.c.user_id == row.id).order_by(user_tracks.c.position)
    ).scalars()
    return User(row.id, row.email, row.role, tuple(tracks))


# Requests.

def _bearer() -> str | None:
    """The token the request came with; None when it has no Authorization header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "Send the API token as 'Authorization: Bearer TOKEN'.")
    return token.strip()


def init_app(app: Flask, ledger_version: Callable[[ColumnElement], tuple[ColumnElement, ...]]) -> None:
    """ledger_version(user id) is the labelled columns of the user's ledger version (ledger/store.py).

    Every API request begins with authenticate(), so it is one statement (the user, the
    token, the ledger's version and a row per track), built once per app.
    """
    version = ledger_version(users.c.id)
    query = (
        select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at, api_tokens.c.expires_at,
               user_tracks.c.track, *version)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .outerjoin(user_tracks, user_tracks.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == bindparam("token_hash"), api_tokens.c.revoked_at.is_(None), users.c.active)
        .order_by(user_tracks.c.position)
    )
    app.extensions["accounts"] = (query, tuple(column.name for column in version))


def authenticate() -> User | None:
    """The user behind the request's token; None without one; 401 when the token is not valid."""
    if "user" in g:
        return g.user
    secret = _bearer()
    user = None
    if secret is not None:
        query, version = current_app.extensions["accounts"]
        with db.read_only() as connection:
            rows = connection.execute(query, {"token_hash": hash_token(secret)}).all()
        if not rows:
            raise ApiError(401, "unauthorized", "This API token is not valid: it may have been revoked.")
        row = rows[0]
        if row.expires_at is not None and row.expires_at <= now():
            raise ApiError(401, "unauthorized", f"This API token expired on {row.expires_at:%Y-%m-%d}: sign in again.")
        user = User(row.id, row.email, row.role, tuple(r.track for r in rows if r.track is not None), row.token_id,
                    tuple(getattr(row, name) for name in version))
        if row.last_used_at is None or now() - row.last_used_at >= LAST_USED_RESOLUTION:
            with db.writing() as connection:
                connection.execute(update(api_tokens).where(api_tokens.c.id == row.token_id)
                                   .values(last_used_at=now()))
    g.user = user
    return user


def require_user(view):
    """The view needs a signed-in user (401 JSON otherwise), found in g.user."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if authenticate() is None:
            raise ApiError(401, "unauthorized", "This needs an API token: 'Authorization: Bearer TOKEN'.")
        return view(*args, **kwargs)

    return wrapped


def optional_user(view):
    """The view works with or without a user (g.user is None without); a bad token is still 401."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        authenticate()
        return view(*args, **kwargs)

    return wrapped
