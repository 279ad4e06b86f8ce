"""A CSRF token per browser session, required on every state-changing request under /admin.

Forms carry it in a hidden field, the pages' scripts in the X-CSRF-Token header. The token
lives in the signed session cookie, which a page on another site can neither read nor set.
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def renew() -> None:
    """A new token, e.g. at sign-in, so that one planted before it is worth nothing after."""
    session["csrf"] = secrets.token_urlsafe(32)


def valid() -> bool:
    expected = session.get("csrf")
    sent = request.headers.get(HEADER) or (request.form.get(FIELD) if request.mimetype in _FORMS else None)
    return bool(expected and sent) and hmac.compare_digest(sent.encode(), expected.encode())
