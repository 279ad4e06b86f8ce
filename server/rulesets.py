"""The rule set in force: loaded and validated once, shared by every request."""

from __future__ import annotations

from flask import current_app

from .engine import RuleSet, load_ruleset


def init_app(app) -> None:
    # A pack that does not validate stops the server here, with the file, rule and reason.
    app.extensions["ruleset"] = load_ruleset(app.config["RULES_DIR"])


def active() -> RuleSet:
    return current_app.extensions["ruleset"]
