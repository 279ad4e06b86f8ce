"""The signed-in user: who they are, their tracks, and their API tokens (one per device)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from .. import accounts, db, directory_calendar
from ..accounts import require_user
from ..checking import known_track
from ..errors import ApiError
from ..request_bodies import json_body, optional_str

bp = Blueprint("me", __name__)

MAX_TRACKS = 20


@bp.get("/me")
@require_user
def me():
    return jsonify(g.user.as_json())


@bp.put("/me/tracks")
@require_user
def set_tracks():
    tracks = json_body().get("tracks")
    if not isinstance(tracks, list) or not all(isinstance(t, str) for t in tracks) or len(tracks) > MAX_TRACKS:
        raise ApiError(400, "bad_field", f"'tracks' must be a list of at most {MAX_TRACKS} track ids.")
    for track in tracks:
        known_track(track, "tracks")
    with db.writing() as connection:
        accounts.set_tracks(connection, g.user.id, tracks)
    return jsonify({**g.user.as_json(), "tracks": list(dict.fromkeys(tracks))})


@bp.get("/tracks")
def tracks():
    """Every track the directory knows, for a client's settings page; needs no token."""
    directory = directory_calendar.directory()
    known = directory.tracks.items() if directory else ()
    return jsonify({"tracks": [{"id": track, "label": label} for track, label in known]})


@bp.post("/tokens")
@require_user
def new_token():
    body = json_body() if request.get_data() else {}
    label = optional_str(body, "label", "") or ""
    if len(label) > 100 or not label.isprintable():
        raise ApiError(400, "bad_field", "'label' must be plain text of at most 100 characters.")
    with db.writing() as connection:
        token, secret = accounts.issue_token(connection, g.user.id, label.strip(), accounts.token_lifetime())
    # The only time the token is ever shown: the database keeps its hash.
    return jsonify({**token, "token": secret}), 201


@bp.get("/tokens")
@require_user
def list_tokens():
    with db.read_only() as connection:
        tokens = accounts.list_tokens(connection, g.user.id)
    return jsonify({"tokens": [{**t, "current": t["id"] == g.user.token_id} for t in tokens]})


@bp.delete("/tokens/<int(max=2147483647):token_id>")
@require_user
def revoke_token(token_id: int):
    with db.writing() as connection:
        revoked = accounts.revoke_token(connection, user_id=g.user.id, token_id=token_id)
    if not revoked:
        raise ApiError(404, "not_found", "You have no token in force with this id.")
    return jsonify({"revoked": token_id})
