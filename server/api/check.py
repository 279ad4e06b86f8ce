"""POST /api/v1/check: a draft in, the warnings an advisor would give out."""

from __future__ import annotations

from flask import current_app, jsonify

from .. import rulesets
from ..engine import Budget, Context, check
from . import bp
from .requests import draft, json_body


@bp.post("/check")
def check_draft():
    message = draft(json_body())
    config = current_app.config
    budget = Budget(config["CHECK_BUDGET_MS"] / 1000, config["RULE_TIMEOUT_MS"] / 1000)
    result = check(rulesets.active(), message, Context(), budget)
    return jsonify(result.as_json())
