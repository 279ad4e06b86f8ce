"""Rate limits on the API, per token (else per client address), with Flask-Limiter.

Counters live in memory by default: each gunicorn worker then counts on its own, so a
client gets up to workers × the limit. Give COACH_RATELIMIT_STORAGE_URL a redis:// URL
and every worker of every server counts together. If that storage fails, requests go
through (and the failure is logged): a rate limit must never stop applicants from working.
"""

from __future__ import annotations

import hashlib

from flask import Flask, request
from flask_limiter import Limiter

# The views with limits of their own; every other API view shares COACH_RATE_LIMIT_API.
ROUTE_LIMITS = {"api.check_draft": "RATE_LIMIT_CHECK", "api.record_event": "RATE_LIMIT_EVENTS"}


def client_key() -> str:
    """Whom a request is counted against: its token's hash, or without a token its address.

    The key is stored (in Redis, possibly on another machine), so it is never the token
    itself, nor the hash the database keeps of it.
    """
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(b"coach-rate-limit:" + token.strip().encode()).hexdigest()[:32]
    return f"address:{request.remote_addr}"


def init_app(app: Flask) -> None:
    """Call after the API blueprint is registered: the limits attach to its views."""
    config = app.config
    limiter = Limiter(
        key_func=client_key, storage_uri=config["RATELIMIT_STORAGE_URL"], key_prefix="coach",
        headers_enabled=True, swallow_errors=True, strategy="fixed-window",
    )
    limiter.init_app(app)
    limits = {endpoint: config[setting] for endpoint, setting in ROUTE_LIMITS.items()}
    default = config["RATE_LIMIT_API"]
    # One limit on the blueprint, chosen per endpoint: each endpoint still counts on its own,
    # and a request is looked at once (a decorated view would be looked at twice).
    limiter.limit(lambda: limits.get(request.endpoint, default))(app.blueprints["api"])
