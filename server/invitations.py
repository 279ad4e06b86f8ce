"""One-time invitation links: the office sends one instead of a token to paste.

A `device` invitation enrols one device of an applicant (it becomes that device's API
token); a `password` invitation lets an administrator set their password. Each works once,
until it expires (COACH_INVITATION_DAYS). The secret travels in the link's fragment
(https://coach.school.edu/invite#SECRET), which browsers never send to a server, so no
proxy or access log ever sees it; the database keeps only its SHA-256.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from .accounts import hash_token, now
from .isotime import iso
from .schema import invitations, users

PURPOSES = ("device", "password")
PAGES = {"device": "/invite", "password": "/admin/password"}  # where each kind of link opens
MAX_SECRET_CHARS = 100


class InvitationRefused(Exception):
    """Why an invitation cannot be used: `code` is one of unknown, used, expired, inactive."""

    MESSAGES = {
        "unknown": "This invitation link is not one this server made. Check that the whole link was copied.",
        "used": "This invitation link has been used already: each works once. Ask your advising office for a new one.",
        "expired": "This invitation link has expired. Ask your advising office for a new one.",
        "inactive": "The account this invitation is for is deactivated. Ask your advising office.",
    }

    def __init__(self, code: str):
        super().__init__(self.MESSAGES[code])
        self.code = code


@dataclass(frozen=True)
class Invitation:
    id: int
    email: str
    purpose: str
    expires_at: datetime
    secret: str

    def link(self, public_url: str) -> str:
        return f"{public_url}{PAGES[self.purpose]}#{self.secret}"


def create(connection: Connection, user_id: int, purpose: str, lifetime: timedelta,
           created_by: str | None) -> Invitation:
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}")
    secret = secrets.token_urlsafe(32)
    created = now()
    invitation_id = connection.execute(
        insert(invitations).values(token_hash=hash_token(secret), user_id=user_id, purpose=purpose,
                                   created_by=created_by, created_at=created, expires_at=created + lifetime)
        .returning(invitations.c.id)
    ).scalar_one()
    email = connection.execute(select(users.c.email).where(users.c.id == user_id)).scalar_one()
    return Invitation(invitation_id, email, purpose, created + lifetime, secret)


def use(connection: Connection, secret: str, purpose: str) -> int:
    """Mark the invitation used and return its user's id; InvitationRefused when it cannot be.

    One statement marks it, only while it is unused and unexpired, so of two uses at once
    exactly one succeeds.
    """
    token_hash = hash_token(secret[:MAX_SECRET_CHARS])
    at = now()
    taken = connection.execute(
        update(invitations)
        .where(invitations.c.token_hash == token_hash, invitations.c.purpose == purpose,
               invitations.c.used_at.is_(None), invitations.c.expires_at > at)
        .values(used_at=at).returning(invitations.c.user_id)
    ).first()
    row = connection.execute(
        select(invitations.c.used_at, invitations.c.expires_at, users.c.active)
        .join(users, users.c.id == invitations.c.user_id)
        .where(invitations.c.token_hash == token_hash, invitations.c.purpose == purpose)
    ).first()
    if taken is None:
        raise InvitationRefused("unknown" if row is None else "used" if row.used_at is not None else "expired")
    if not row.active:
        raise InvitationRefused("inactive")
    return taken.user_id


def for_user(connection: Connection, user_id: int) -> list[dict]:
    """The user's invitations, newest first, without their secrets."""
    rows = connection.execute(select(invitations).where(invitations.c.user_id == user_id)
                              .order_by(invitations.c.id.desc()))
    at = now()
    return [{"id": r.id, "purpose": r.purpose, "created_by": r.created_by, "created_at": iso(r.created_at),
             "expires_at": iso(r.expires_at), "used_at": iso(r.used_at),
             "state": "used" if r.used_at else "expired" if r.expires_at <= at else "open"} for r in rows]
