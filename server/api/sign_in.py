"""How a device gets its API token without anyone pasting one: by exchanging the one-time code
a sign-in with the school's account handed it (with its PKCE verifier), or by using an
invitation link from the advising office. Either way the token is in this response's body
only, never in a URL."""

from __future__ import annotations

import re

from flask import Blueprint, jsonify

from .. import accounts, db, invitations
from ..errors import ApiError
from ..request_bodies import json_body, optional_str
from ..sso import pending

bp = Blueprint("sign_in", __name__)

_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")  # RFC 7636, 4.1
DEVICE_LABELS = {"extension": "Chrome extension", "addin": "Outlook add-in"}
INVITATION_STATUS = {"unknown": 404, "used": 409, "expired": 410, "inactive": 403}


def _text(body: dict, key: str, limit: int) -> str:
    value = optional_str(body, key)
    if not value or len(value) > limit:
        raise ApiError(400, "bad_field", f"'{key}' is required: a string of at most {limit} characters.")
    return value


def _label(body: dict, default: str) -> str:
    label = (optional_str(body, "label") or "").strip() or default
    if len(label) > 100 or not label.isprintable():
        raise ApiError(400, "bad_field", "'label' must be plain text of at most 100 characters.")
    return label


def _issued(connection, user_id: int, label: str):
    """The device's new token, with whom it signs in as; shown this once."""
    token, secret = accounts.issue_token(connection, user_id, label, accounts.token_lifetime())
    return jsonify({**token, "token": secret, "user": accounts.get_user(connection, user_id).as_json()}), 201


@bp.post("/sign-in/token")
def exchange_code():
    body = json_body()
    code, redirect_uri = _text(body, "code", 100), _text(body, "redirect_uri", 300)
    verifier = optional_str(body, "code_verifier") or ""
    if not _VERIFIER.fullmatch(verifier):
        raise ApiError(400, "bad_field", "'code_verifier' must be the PKCE verifier: 43 to 128 URL-safe characters.")
    label = optional_str(body, "label")
    # Taken in a transaction of its own: a code is spent by any attempt, right or wrong.
    with db.writing() as connection:
        record = pending.take_code(connection, code)
    if not pending.code_matches(record, code_verifier=verifier, redirect_uri=redirect_uri):
        raise ApiError(400, "invalid_grant", "This sign-in code is not valid: it was used already, has expired, or "
                                             "belongs to another sign-in. Sign in again.")
    label = _label({"label": label}, DEVICE_LABELS[record.client])
    with db.writing() as connection:
        return _issued(connection, record.user_id, label)


@bp.post("/invitations/redeem")
def redeem_invitation():
    body = json_body()
    secret = _text(body, "invitation", invitations.MAX_SECRET_CHARS)
    label = _label(body, "invited device")
    try:
        with db.writing() as connection:
            user_id = invitations.use(connection, secret, "device")
            return _issued(connection, user_id, label)
    except invitations.InvitationRefused as refusal:
        raise ApiError(INVITATION_STATUS[refusal.code], f"invitation_{refusal.code}", str(refusal)) from None
