"""The audit log: every admin action in a line (who, when, what, to what).

Summaries name rules, versions, users and settings; never an email body, a password or
a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import g
from sqlalchemy import Connection, insert, select

from . import accounts
from .schema import audit_log

MAX_SUMMARY = 2000


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str | None
    action: str
    target: str | None
    summary: str


_SIGNED_IN = object()


def record(connection: Connection, action: str, target: str | None, summary: str, *, actor=_SIGNED_IN) -> None:
    """Log an action in the caller's transaction, by the signed-in admin unless `actor` says
    who (an email, or None for nobody signed in: the command line, a failed sign-in)."""
    if actor is _SIGNED_IN:
        actor = g.admin.email if "admin" in g else None
    connection.execute(insert(audit_log).values(
        at=accounts.now(), actor=actor, action=action, target=None if target is None else str(target)[:255],
        summary=summary[:MAX_SUMMARY],
    ))


def entries(connection: Connection, limit: int = 100, before: int | None = None) -> list[Entry]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(audit_log.c.id < before)
    return [Entry(r.id, r.at, r.actor, r.action, r.target, r.summary) for r in connection.execute(query)]
