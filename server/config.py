"""Settings, all from the environment, with defaults that start a working server."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key"
ENVIRONMENTS = ("development", "production")
MIN_SECRET_KEY_CHARS = 32
LOG_LEVELS = ("debug", "info", "warning", "error")


class ConfigError(RuntimeError):
    """A setting the server cannot run with; the message names the variable and what to do.

    A RuntimeError, so that gunicorn prints it as "Error: ..." and exits.
    """


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise ConfigError(f"{name} must be a whole number of at least {minimum}, not {value!r}.")
    return int(value)


def _choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def _rate_limit(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} must be a rate limit such as '120/minute' or '10/second;1000/day', "
                          f"not {value!r}.") from None
    return value


def _origins(name: str) -> tuple[str, ...]:
    """Exact origins (scheme://host[:port]), as browsers send them in the Origin header."""
    origins = []
    for entry in os.environ.get(name, "").split(","):
        entry = entry.strip().rstrip("/")
        if not entry:
            continue
        parts = urlsplit(entry)
        if not parts.scheme or not parts.netloc or parts.path or parts.query or parts.fragment:
            raise ConfigError(f"{name}: {entry!r} is not an origin such as https://coach.example.edu or "
                              "chrome-extension://<extension id>.")
        origins.append(f"{parts.scheme.lower()}://{parts.netloc.lower()}")
    return tuple(dict.fromkeys(origins))


def from_environment(instance_path: str) -> dict:
    env = os.environ
    production = _choice("COACH_ENV", ENVIRONMENTS, "development") == "production"
    return {
        "ENV": "production" if production else "development",
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "DATABASE_URL": env.get("DATABASE_URL", f"sqlite:///{Path(instance_path) / 'coach.db'}"),
        # Off in production, where migrations run once in a release step (flask --app server migrate).
        "AUTO_MIGRATE": _flag(env.get("COACH_AUTO_MIGRATE"), not production),
        "RULES_DIR": env.get("COACH_RULES_DIR", str(ROOT / "rules")),
        "ALLOW_ANONYMOUS_CHECKS": _flag(env.get("COACH_ALLOW_ANONYMOUS_CHECKS"), True),
        "MAX_TEXT_CHARS": int(env.get("COACH_MAX_TEXT_CHARS", "50000")),
        "CHECK_BUDGET_MS": int(env.get("COACH_CHECK_BUDGET_MS", "250")),
        "RULE_TIMEOUT_MS": int(env.get("COACH_RULE_TIMEOUT_MS", "50")),
        # Raw request size, well above MAX_TEXT_CHARS of 4-byte characters plus JSON.
        "MAX_CONTENT_LENGTH": int(env.get("COACH_MAX_REQUEST_BYTES", str(1024 * 1024))),
        "CORS_ORIGINS": _origins("COACH_CORS_ORIGINS"),
        # How many proxies (TLS terminator, load balancer) set X-Forwarded-*; 0 trusts none.
        "TRUST_PROXY": _int("COACH_TRUST_PROXY", 0),
        # Extra hosts allowed to frame the Outlook add-in, e.g. an Exchange Server's Outlook on the web.
        "ADDIN_FRAME_ANCESTORS": _origins("COACH_ADDIN_FRAME_ANCESTORS"),
        # Per token (per address without one) and endpoint: far above what a person typing, or a
        # client sending its queued events at once, asks for; a runaway client or a leaked token is held back.
        "RATE_LIMIT_CHECK": _rate_limit("COACH_RATE_LIMIT_CHECK", "600/minute"),
        "RATE_LIMIT_EVENTS": _rate_limit("COACH_RATE_LIMIT_EVENTS", "600/minute"),
        "RATE_LIMIT_API": _rate_limit("COACH_RATE_LIMIT_API", "600/minute"),
        "RATELIMIT_STORAGE_URL": env.get("COACH_RATELIMIT_STORAGE_URL", "").strip() or "memory://",
        "LOG_LEVEL": _choice("COACH_LOG_LEVEL", LOG_LEVELS, "info"),
        # The session cookie is the admin pages' sign-in. Secure even in development: browsers
        # accept it from http://localhost and http://127.0.0.1; COACH_SECURE_COOKIES=0 for plain http elsewhere.
        "SESSION_COOKIE_SECURE": _flag(env.get("COACH_SECURE_COOKIES"), True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "coach_admin",
        "SESSION_COOKIE_PATH": "/admin",
        # An admin's sign-in lasts this long at most, and ends sooner after this long idle.
        "ADMIN_SESSION_HOURS": _int("COACH_ADMIN_SESSION_HOURS", 8, minimum=1),
        "ADMIN_IDLE_MINUTES": _int("COACH_ADMIN_IDLE_MINUTES", 60, minimum=5),
        # Failed sign-ins an account may have from one address before it is locked there for a while.
        "ADMIN_SIGN_IN_FAILURES": _int("COACH_ADMIN_SIGN_IN_FAILURES", 5, minimum=1),
        "ADMIN_LOCK_MINUTES": _int("COACH_ADMIN_LOCK_MINUTES", 15, minimum=1),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }


def check(config: dict) -> None:
    """Refuse to run in production with what is only safe on a developer's machine."""
    if config["ENV"] != "production":
        return
    problems = []
    key = config["SECRET_KEY"] or ""
    if key == DEV_SECRET_KEY:
        problems.append("SECRET_KEY is the development key. Set it to a long random value, e.g. the output of "
                        "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")
    elif len(key) < MIN_SECRET_KEY_CHARS:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_CHARS} characters.")
    if config["AUTO_MIGRATE"]:
        problems.append("COACH_AUTO_MIGRATE is on. In production the release step migrates "
                        "(flask --app server migrate, the Procfile's release:); unset it.")
    if not config["SESSION_COOKIE_SECURE"]:
        problems.append("COACH_SECURE_COOKIES is off: the admin's sign-in cookie must only travel over https.")
    if config.get("DEBUG"):
        problems.append("Flask's debug mode is on (FLASK_DEBUG): it lets anyone who reaches the server run code.")
    if problems:
        raise ConfigError("Refusing to start with COACH_ENV=production:\n  - " + "\n  - ".join(problems))
