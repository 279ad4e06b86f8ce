"""Settings, all from the environment, with defaults that start a working server."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def from_environment(instance_path: str) -> dict:
    env = os.environ
    return {
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "DATABASE_URL": env.get("DATABASE_URL", f"sqlite:///{Path(instance_path) / 'coach.db'}"),
        # Off in production, where migrations run once in a release step (flask --app server migrate).
        "AUTO_MIGRATE": _flag(env.get("COACH_AUTO_MIGRATE"), True),
        "RULES_DIR": env.get("COACH_RULES_DIR", str(ROOT / "rules")),
        "ALLOW_ANONYMOUS_CHECKS": _flag(env.get("COACH_ALLOW_ANONYMOUS_CHECKS"), True),
        "MAX_TEXT_CHARS": int(env.get("COACH_MAX_TEXT_CHARS", "50000")),
        "CHECK_BUDGET_MS": int(env.get("COACH_CHECK_BUDGET_MS", "250")),
        "RULE_TIMEOUT_MS": int(env.get("COACH_RULE_TIMEOUT_MS", "50")),
        # Raw request size, well above MAX_TEXT_CHARS of 4-byte characters plus JSON.
        "MAX_CONTENT_LENGTH": int(env.get("COACH_MAX_REQUEST_BYTES", str(1024 * 1024))),
    }
