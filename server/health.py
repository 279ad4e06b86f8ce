"""/healthz for load balancers: 200 when the server has a rule set and its database answers."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from . import db, rulesets
from .errors import error_response

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    try:
        db.ping()
    except SQLAlchemyError as error:
        log.error("health check: the database does not answer (%s)", type(error).__name__)
        return error_response(503, "database_unavailable", "The database does not answer.")
    ruleset = rulesets.active()
    return jsonify({"status": "ok", "ruleset": ruleset.version, "rules": len(ruleset.rules)})
