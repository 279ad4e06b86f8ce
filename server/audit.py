"""The audit log: every admin action in a line (who, when, what, to what).

Summaries name rules, versions, users and settings; never an email body, a password or
a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import g
from sqlalchemy import Connection, insert, or_, select

from . import accounts
from .schema import audit_log

MAX_SUMMARY = 2000
# What each action is called on the pages; an action not listed is shown by its code, in words.
ACTIONS = {
    "sign-in": "Signed in", "sign-in.failed": "Failed to sign in", "sign-out": "Signed out",
    "password.set": "Set a password",
    "rules.publish": "Published rules", "rules.import": "Imported rules", "rules.rollback": "Rolled back the rules",
    "rules.publish-shipped": "Published the rules a release shipped", "rules.export": "Exported rules",
    "rules.dismiss-shipped": "Kept the office's rules over a release's",
    "directory.add": "Added an institution", "directory.edit": "Edited an institution",
    "directory.delete": "Deleted an institution", "directory.tracks": "Edited tracks and specialty policies",
    "directory.rollback": "Rolled back the directory",
    "calendar.edit": "Edited the calendar", "calendar.rollback": "Rolled back the calendar",
    "user.enrol": "Enrolled an applicant", "user.enrol-csv": "Enrolled applicants from a list",
    "user.add-admin": "Added an administrator", "user.invite": "Made an invitation link",
    "user.token-issue": "Issued a token", "user.token-revoke": "Revoked tokens", "user.tracks": "Set tracks",
    "user.activate": "Reactivated a user", "user.deactivate": "Deactivated a user",
    "audit.export": "Exported the audit log",
}
# The kinds of action the log can be filtered by: the part of the code before its dot.
FAMILIES = {"sign-in": "Signing in and out", "rules": "Rules", "directory": "Directory", "calendar": "Calendar",
            "user": "Users and tokens", "password": "Passwords", "audit": "The audit log"}


def action_label(action: str) -> str:
    return ACTIONS.get(action, action.replace(".", ": ").replace("-", " ").capitalize())


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


@dataclass(frozen=True)
class Filter:
    """Which entries to show; every part is optional."""

    family: str | None = None  # "rules", "user"...: actions whose code starts so
    actor: str | None = None  # part of the admin's email
    text: str | None = None  # part of what the action was on, or of its summary
    since: datetime | None = None
    until: datetime | None = None  # not included

    def clauses(self) -> list:
        c, found = audit_log.c, []
        if self.family:
            found.append(or_(c.action == self.family, c.action.startswith(self.family + ".", autoescape=True)))
        if self.actor:
            found.append(c.actor.contains(self.actor.lower(), autoescape=True))
        if self.text:
            found.append(or_(c.target.icontains(self.text, autoescape=True),
                             c.summary.icontains(self.text, autoescape=True)))
        if self.since:
            found.append(c.at >= self.since)
        if self.until:
            found.append(c.at < self.until)
        return found


def entries(connection: Connection, limit: int | None = 100, before: int | None = None,
            where: Filter = Filter()) -> list[Entry]:
    """Entries newest first: at most `limit` (None: all), older than `before`, that `where` lets through."""
    query = select(audit_log).where(*where.clauses()).order_by(audit_log.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(audit_log.c.id < before)
    return [Entry(r.id, r.at, r.actor, r.action, r.target, r.summary) for r in connection.execute(query)]
