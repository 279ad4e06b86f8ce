"""Settings, all from the environment, with defaults that start a working server."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import click
from limits import parse_many

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key"
ENVIRONMENTS = ("development", "production")
MIN_SECRET_KEY_CHARS = 32
LOG_LEVELS = ("debug", "info", "warning", "error")
ENROLMENT = ("roster", "domain")
# A Chrome extension's id: 32 letters a to p (its key's hash, one letter per hex digit).
_EXTENSION_ID = re.compile(r"[a-p]{32}")
_PROVIDER_NAME = re.compile(r"[a-z][a-z0-9]{0,31}")
_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class ConfigError(RuntimeError, click.ClickException):
    """A setting the server cannot run with; the message names the variable and what to do.

    A RuntimeError, so that gunicorn prints it as "Error: ..." and exits; a ClickException,
    so that `flask --app server ...` does the same instead of printing a traceback.
    """

    def __init__(self, message: str):
        RuntimeError.__init__(self, message)
        click.ClickException.__init__(self, message)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def whole_number(name: str, default: int, minimum: int = 0) -> int:
    """A numeric setting, or a ConfigError that names it (gunicorn.conf.py reads its own with this too)."""
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


def origin(name: str, entry: str) -> str:
    """An exact origin (scheme://host[:port]), as browsers send it in the Origin header."""
    parts = urlsplit(entry.strip().rstrip("/"))
    if not parts.scheme or not parts.netloc or parts.path or parts.query or parts.fragment:
        raise ConfigError(f"{name}: {entry!r} is not an origin such as https://coach.example.edu or "
                          "chrome-extension://<extension id>.")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _optional_origin(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return origin(name, value) if value else None


def _origins(name: str) -> tuple[str, ...]:
    entries = (entry for entry in os.environ.get(name, "").split(",") if entry.strip().rstrip("/"))
    return tuple(dict.fromkeys(origin(name, entry) for entry in entries))


def _words(name: str) -> list[str]:
    return [word.strip() for word in os.environ.get(name, "").replace(",", " ").split() if word.strip()]


def _extension_ids(name: str) -> tuple[str, ...]:
    ids = _words(name)
    wrong = [value for value in ids if not _EXTENSION_ID.fullmatch(value)]
    if wrong:
        raise ConfigError(f"{name}: {', '.join(map(repr, wrong))} is not a Chrome extension id (32 letters a to p, "
                          "as chrome://extensions shows it).")
    return tuple(dict.fromkeys(ids))


def _provider(name: str) -> dict:
    """One OpenID Connect provider, from COACH_OIDC_<NAME>_*."""
    prefix = f"COACH_OIDC_{name.upper()}_"
    env = os.environ

    def required(key: str) -> str:
        value = env.get(prefix + key, "").strip()
        if not value:
            raise ConfigError(f"{prefix}{key} must be set: COACH_OIDC_PROVIDERS names {name!r}.")
        return value

    issuer = required("ISSUER").rstrip("/")
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"{prefix}ISSUER must be the provider's issuer URL, such as https://accounts.google.com, "
                          f"not {issuer!r}.")
    domains = [domain.lower().lstrip("@") for domain in _words(prefix + "DOMAINS")]
    if not domains:
        raise ConfigError(f"{prefix}DOMAINS must list the email domains this provider signs in, e.g. school.edu: "
                          "a provider may vouch for addresses anywhere, so the school says which it takes from it.")
    wrong = [domain for domain in domains if not _DOMAIN.fullmatch(domain)]
    if wrong:
        raise ConfigError(f"{prefix}DOMAINS: {', '.join(map(repr, wrong))} is not an email domain such as school.edu.")
    enrol = env.get(prefix + "ENROL", "").strip().lower() or "roster"
    if enrol not in ENROLMENT:
        raise ConfigError(f"{prefix}ENROL must be one of {', '.join(ENROLMENT)}, not {enrol!r}.")
    return {
        "name": name,
        "issuer": issuer,
        "client_id": required("CLIENT_ID"),
        "client_secret": required("CLIENT_SECRET"),
        "domains": tuple(dict.fromkeys(domains)),
        "enrol": enrol,
        "label": env.get(prefix + "LABEL", "").strip() or "your school account",
        "email_claim": env.get(prefix + "EMAIL_CLAIM", "").strip() or "email",
    }


def _providers() -> tuple[dict, ...]:
    names = [name.lower() for name in _words("COACH_OIDC_PROVIDERS")]
    wrong = [name for name in names if not _PROVIDER_NAME.fullmatch(name)]
    if wrong:
        raise ConfigError(f"COACH_OIDC_PROVIDERS: {', '.join(map(repr, wrong))} is not a provider name (letters and "
                          "digits, starting with a letter, such as google or entra).")
    return tuple(_provider(name) for name in dict.fromkeys(names))


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
        # Events one applicant's ledger may hold: a busy season is a few hundred sends, interviews and
        # replies. Beyond it a send is refused (409) instead of every later check slowing down.
        "MAX_LEDGER_EVENTS": whole_number("COACH_MAX_LEDGER_EVENTS", 2000, minimum=1),
        "MAX_TEXT_CHARS": whole_number("COACH_MAX_TEXT_CHARS", 50000, minimum=1),
        "CHECK_BUDGET_MS": whole_number("COACH_CHECK_BUDGET_MS", 250, minimum=1),
        "RULE_TIMEOUT_MS": whole_number("COACH_RULE_TIMEOUT_MS", 50, minimum=1),
        # Raw request size, well above MAX_TEXT_CHARS of 4-byte characters plus JSON.
        "MAX_CONTENT_LENGTH": whole_number("COACH_MAX_REQUEST_BYTES", 1024 * 1024, minimum=1024),
        "CORS_ORIGINS": _origins("COACH_CORS_ORIGINS"),
        # Where clients reach this server, written into what it serves the Outlook add-in. Never taken
        # from the request's Host or X-Forwarded-Host, which whoever sends the request chooses;
        # only a development server without it falls back to them.
        "PUBLIC_URL": _optional_origin("COACH_PUBLIC_URL"),
        # How many proxies (TLS terminator, load balancer) set X-Forwarded-*; 0 trusts none.
        "TRUST_PROXY": whole_number("COACH_TRUST_PROXY", 0),
        # Extra hosts allowed to frame the Outlook add-in, e.g. an Exchange Server's Outlook on the web.
        "ADDIN_FRAME_ANCESTORS": _origins("COACH_ADDIN_FRAME_ANCESTORS"),
        # Per token (per address without one) and endpoint: far above what a person typing, or a
        # client sending its queued events at once, asks for; a runaway client or a leaked token is held back.
        "RATE_LIMIT_CHECK": _rate_limit("COACH_RATE_LIMIT_CHECK", "600/minute"),
        "RATE_LIMIT_EVENTS": _rate_limit("COACH_RATE_LIMIT_EVENTS", "600/minute"),
        "RATE_LIMIT_API": _rate_limit("COACH_RATE_LIMIT_API", "600/minute"),
        # Sign-in attempts (POST /admin/sign-in) per client address, and from everyone together: rotating
        # the email typed gets round the per-account lock, and each try costs a slow password hash.
        "RATE_LIMIT_SIGN_IN": _rate_limit("COACH_RATE_LIMIT_SIGN_IN", "10/minute"),
        "RATE_LIMIT_SIGN_IN_ALL": _rate_limit("COACH_RATE_LIMIT_SIGN_IN_ALL", "60/minute"),
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
        "ADMIN_SESSION_HOURS": whole_number("COACH_ADMIN_SESSION_HOURS", 8, minimum=1),
        "ADMIN_IDLE_MINUTES": whole_number("COACH_ADMIN_IDLE_MINUTES", 60, minimum=5),
        # Failed sign-ins an account may have from one address before it is locked there for a while.
        "ADMIN_SIGN_IN_FAILURES": whole_number("COACH_ADMIN_SIGN_IN_FAILURES", 5, minimum=1),
        "ADMIN_LOCK_MINUTES": whole_number("COACH_ADMIN_LOCK_MINUTES", 15, minimum=1),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Single sign-on with the school's OpenID Connect providers (Google Workspace, Microsoft Entra ID, ...).
        "SIGN_IN_PROVIDERS": _providers(),
        # The Chrome extensions that may sign in (their launchWebAuthFlow redirect); without any, every extension may.
        "EXTENSION_IDS": _extension_ids("COACH_EXTENSION_IDS"),
        # How long a device's API token lasts before the applicant signs in again, and an invitation link stays valid.
        "TOKEN_DAYS": whole_number("COACH_TOKEN_DAYS", 365, minimum=1),
        "INVITATION_DAYS": whole_number("COACH_INVITATION_DAYS", 14, minimum=1),
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
    public_url = config["PUBLIC_URL"]
    if public_url is None:
        problems.append("COACH_PUBLIC_URL is not set: give the https origin clients reach the server at, "
                        "e.g. https://coach.example.edu.")
    elif not public_url.startswith("https://"):
        problems.append(f"COACH_PUBLIC_URL is {public_url}: Outlook loads add-ins only over https.")
    for provider in config["SIGN_IN_PROVIDERS"]:
        if not provider["issuer"].startswith("https://"):
            problems.append(f"COACH_OIDC_{provider['name'].upper()}_ISSUER is {provider['issuer']}: an identity "
                            "provider is only trusted over https.")
    if config["SIGN_IN_PROVIDERS"] and not config["EXTENSION_IDS"]:
        problems.append("COACH_EXTENSION_IDS is not set: with single sign-on on, name the Chrome extension ids "
                        "that may sign students in, or any extension a student installs could.")
    if config.get("DEBUG"):
        problems.append("Flask's debug mode is on (FLASK_DEBUG): it lets anyone who reaches the server run code.")
    if problems:
        raise ConfigError("Refusing to start with COACH_ENV=production:\n  - " + "\n  - ".join(problems))
