"""Admins' passwords (a slow scrypt hash, never the password) and the limit on failed sign-ins.

Failures are counted in the database per account and client address, so the limit holds
across every gunicorn worker and every server sharing the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import accounts
from ..accounts import User
from ..schema import admin_passwords, sign_in_failures, users
from .sessions import end_all

MIN_LENGTH = 12
MAX_LENGTH = 1024  # scrypt hashes anything, but a megabyte "password" is only a way to spend our CPU
# Compared against when the account does not exist, so the answer takes as long either way.
_NOBODY = generate_password_hash("no account has this password")


class PasswordError(ValueError):
    pass


def check_strength(password: str, email: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"the password may have at most {MAX_LENGTH} characters")
    if password.strip().lower() == email.lower():
        raise PasswordError("the password must not be the email address")


def set_password(connection: Connection, email: str, password: str) -> tuple[User, bool]:
    """Set an admin's password, creating the admin if there is no such user; (the admin, created).

    Every session of theirs ends: whoever knew the old password is signed out.
    """
    email = accounts.normal_email(email)
    check_strength(password, email)
    user = accounts.find_user(connection, email)
    created = user is None
    if created:
        user = accounts.create_user(connection, email, "admin")
    elif user.role != "admin":
        raise PasswordError(f"{email} is an applicant; only administrators sign in to the admin pages")
    connection.execute(delete(admin_passwords).where(admin_passwords.c.user_id == user.id))
    connection.execute(insert(admin_passwords).values(user_id=user.id, password_hash=generate_password_hash(password),
                                                      set_at=accounts.now()))
    end_all(connection, user.id)
    return user, created


def verify(connection: Connection, email: str, password: str) -> User | None:
    """The active admin with this email and password, or None."""
    try:
        email = accounts.normal_email(email)
    except ValueError:
        email = None
    row = None
    if email:
        row = connection.execute(
            select(users.c.id, admin_passwords.c.password_hash)
            .join(admin_passwords, admin_passwords.c.user_id == users.c.id)
            .where(users.c.email == email, users.c.role == "admin", users.c.active)
        ).first()
    if row is None:
        check_password_hash(_NOBODY, password[:MAX_LENGTH])
        return None
    if not check_password_hash(row.password_hash, password[:MAX_LENGTH]):
        return None
    return accounts.find_user(connection, email)


def throttle_key(email: str) -> str:
    """The account as typed, normalised so that "Ana@X.edu " and "ana@x.edu" count together."""
    return email.strip().lower()[:320]


def locked_until(connection: Connection, email: str, address: str, *, failures: int,
                 window: timedelta) -> datetime | None:
    """When this account may next be tried from this address, if it is locked there now.

    `failures` within `window` lock it until `window` has passed since the last of them;
    nothing is tried (or counted) meanwhile.
    """
    since = accounts.now() - window
    c = sign_in_failures.c
    count, latest = connection.execute(
        select(func.count(), func.max(c.at))
        .where(c.email == throttle_key(email), c.address == address[:64], c.at > since)
    ).one()
    return latest + window if count >= failures else None


def record_failure(connection: Connection, email: str, address: str, *, window: timedelta) -> None:
    now = accounts.now()
    # Old failures count for nothing any more; dropping them here keeps the table small.
    connection.execute(delete(sign_in_failures).where(sign_in_failures.c.at <= now - window))
    connection.execute(insert(sign_in_failures).values(email=throttle_key(email), address=address[:64], at=now))


def clear_failures(connection: Connection, email: str, address: str) -> None:
    connection.execute(delete(sign_in_failures).where(sign_in_failures.c.email == throttle_key(email),
                                                      sign_in_failures.c.address == address[:64]))
