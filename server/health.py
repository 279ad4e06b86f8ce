"""/healthz for load balancers: 200 when the server has a rule set (and its database)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from . import rulesets

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    ruleset = rulesets.active()
    return jsonify({"status": "ok", "ruleset": ruleset.version, "rules": len(ruleset.rules)})
