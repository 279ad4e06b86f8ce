"""Signed-in admins: a random token in the (signed, Secure, HttpOnly) session cookie, its
SHA-256 in the database.

A session ends at sign-out, after ADMIN_IDLE_MINUTES without a request, after
ADMIN_SESSION_HOURS in any case, when the admin's password is set again, and when the
account is deactivated or stops being an admin: each request looks it up afresh.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import Connection, delete, insert, or_, select, update

from .. import accounts, db
from ..accounts import User, hash_token
from ..schema import admin_sessions, users
from . import csrf

# seen_at is refreshed at most this often, keeping a write off almost every page view.
SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Admin:
    id: int
    email: str


def _limits() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return timedelta(hours=config["ADMIN_SESSION_HOURS"]), timedelta(minutes=config["ADMIN_IDLE_MINUTES"])


def start(connection: Connection, user: User) -> None:
    """Sign the browser in as this admin, in a fresh session."""
    lifetime, idle = _limits()
    now = accounts.now()
    connection.execute(delete(admin_sessions).where(or_(admin_sessions.c.created_at < now - lifetime,
                                                        admin_sessions.c.seen_at < now - idle)))
    token = secrets.token_urlsafe(32)
    connection.execute(insert(admin_sessions).values(token_hash=hash_token(token), user_id=user.id,
                                                     created_at=now, seen_at=now))
    session.clear()
    session["sid"] = token
    csrf.renew()


def current() -> Admin | None:
    token = session.get("sid")
    if not isinstance(token, str):
        return None
    lifetime, idle = _limits()
    now = accounts.now()
    with db.read_only() as connection:
        row = connection.execute(
            select(users.c.id, users.c.email, admin_sessions.c.seen_at)
            .join(admin_sessions, admin_sessions.c.user_id == users.c.id)
            .where(admin_sessions.c.token_hash == hash_token(token), admin_sessions.c.created_at > now - lifetime,
                   admin_sessions.c.seen_at > now - idle, users.c.active, users.c.role == "admin")
        ).first()
    if row is None:
        return None
    if now - row.seen_at >= SEEN_RESOLUTION:
        with db.writing() as connection:
            connection.execute(update(admin_sessions).where(admin_sessions.c.token_hash == hash_token(token))
                               .values(seen_at=now))
    return Admin(row.id, row.email)


def end() -> None:
    token = session.get("sid")
    if isinstance(token, str):
        with db.writing() as connection:
            connection.execute(delete(admin_sessions).where(admin_sessions.c.token_hash == hash_token(token)))
    session.clear()


def end_all(connection: Connection, user_id: int) -> None:
    connection.execute(delete(admin_sessions).where(admin_sessions.c.user_id == user_id))
