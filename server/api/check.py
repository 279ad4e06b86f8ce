"""POST /api/v1/check: a draft in, the warnings an advisor would give out."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from .. import checking
from ..accounts import optional_user
from ..errors import ApiError
from ..request_bodies import draft, json_body

bp = Blueprint("check", __name__)


@bp.post("/check")
@optional_user
def check_draft():
    config = current_app.config
    if g.user is None and not config["ALLOW_ANONYMOUS_CHECKS"]:
        raise ApiError(401, "unauthorized", "This server checks drafts only with an API token.")
    message = draft(json_body())
    return jsonify(checking.check(message, config, user=g.user).as_json())
