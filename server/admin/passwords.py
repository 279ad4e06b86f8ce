"""Admins' passwords (a slow scrypt hash, never the password) and the limit on failed sign-ins.

Attempts are counted in the database per account and client address, so the limit holds
across every gunicorn worker and every server sharing the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, case, delete, insert, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import accounts, db
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

    Every session of theirs ends and every API token of theirs is revoked: whoever knew the
    old password, or took a token while they could sign in with it, is shut out.
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
    accounts.revoke_token(connection, user_id=user.id)
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
    """The account as typed, normalised so that "Ana@X.edu " and "ana@x.edu" count together
    (and without NUL characters, which PostgreSQL does not store)."""
    return email.replace("\x00", "").strip().lower()[:320]


def count_attempt(connection: Connection, email: str, address: str, *, failures: int,
                  window: timedelta) -> datetime | None:
    """Count an attempt on this account from this address as a failure before its password is
    checked (a success clears the count); when the account is locked there: until when.

    The count moves and is read in one statement, so of any number of attempts sent at once
    only `failures` find room and are tried. Then the account stays locked until `window`
    has passed since the last attempt counted towards the lock, however often it is tried
    meanwhile; nothing is tried until then. Run it in its own write transaction, committed
    before the password is checked.
    """
    now = accounts.now()
    c = sign_in_failures.c
    # Failures older than the window count for nothing any more; dropping them keeps the table small.
    connection.execute(delete(sign_in_failures).where(c.last_at <= now - window))
    counted = db.insert(connection, sign_in_failures).values(
        email=throttle_key(email), address=address[:64], failures=1, last_at=now)
    counted = counted.on_conflict_do_update(
        index_elements=[c.email, c.address],
        set_={"failures": c.failures + 1, "last_at": case((c.failures < failures, now), else_=c.last_at)},
    ).returning(c.failures, c.last_at)
    count, last = connection.execute(counted).one()
    return last + window if count > failures else None


def clear_attempts(connection: Connection, email: str, address: str) -> None:
    connection.execute(delete(sign_in_failures).where(sign_in_failures.c.email == throttle_key(email),
                                                      sign_in_failures.c.address == address[:64]))
