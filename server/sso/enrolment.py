"""Whom a provider's verified email address signs in, and as what.

- A device (the extension or the add-in): the user with that address, active. Someone not
  enrolled yet is enrolled as an applicant when the provider's COACH_OIDC_<NAME>_ENROL is
  `domain`; with `roster` (the default) only those the office enrolled get in.
- The admin pages: only an active administrator. Nobody becomes an administrator by
  signing in: an administrator adds them.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from .. import accounts, audit
from ..accounts import User
from ..schema import users


class NotAllowed(Exception):
    """This person may not sign in here; the message says why and what to do."""


def _active(connection: Connection, user: User) -> bool:
    return bool(connection.execute(select(users.c.active).where(users.c.id == user.id)).scalar())


def device_user(connection: Connection, provider: dict, email: str) -> User:
    user = accounts.find_user(connection, email)
    if user is None:
        if provider["enrol"] != "domain":
            raise NotAllowed(f"{email} is not enrolled in the coach. Ask your advising office to enrol you.")
        user = accounts.create_user(connection, email, "applicant")
        audit.record(connection, "user.enrol", email, f"enrolled on first sign-in with {provider['label']}",
                     actor=None)
    elif not _active(connection, user):
        raise NotAllowed(f"The coach account of {email} is deactivated. Ask your advising office.")
    return user


def admin_user(connection: Connection, email: str) -> User:
    user = accounts.find_user(connection, email)
    if user is None or user.role != "admin" or not _active(connection, user):
        raise NotAllowed(f"{email} is not an administrator of this coach. Applicants use the coach in Gmail or "
                         "Outlook; an administrator can add you from the Users page.")
    return user
