"""Rate limits on the API, per token (else per client address), and on admin sign-in
attempts, per address and from everyone together, with Flask-Limiter.

Counters live in memory by default: each gunicorn worker then counts on its own, so a
client gets up to workers × the limit. Give COACH_RATELIMIT_STORAGE_URL a redis:// URL
and every worker of every server counts together. If that storage fails, requests go
through (and the failure is logged): a rate limit must never stop applicants from working.
"""

from __future__ import annotations

import hashlib
import threading
import time

from flask import Flask, request
from flask_limiter import Limiter
from limits.storage import Storage

# The views with limits of their own; every other API view shares COACH_RATE_LIMIT_API.
ROUTE_LIMITS = {"api.check.check_draft": "RATE_LIMIT_CHECK", "api.ledger.record_event": "RATE_LIMIT_EVENTS"}
SIGN_IN = "admin.signin.sign_in"
SIGN_IN_REFUSED = "Too many sign-in attempts from here; wait a little and try again."


def client_key() -> str:
    """Whom a request is counted against: its token's hash, or without a token its address.

    The key is stored (in Redis, possibly on another machine), so it is never the token
    itself, nor the hash the database keeps of it.
    """
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(b"coach-rate-limit:" + token.strip().encode()).hexdigest()[:32]
    return _address()


def _address() -> str:
    return f"address:{request.remote_addr}"


def _everyone() -> str:
    return "everyone"


class LocalCounters(Storage):
    """Fixed-window counters in this process's memory: what `memory://` means here.

    The limits package's own memory storage (still in limits 5.8) expires counters from a
    timer thread that it starts anew 10 ms after the last one ended. Under load that is a
    new thread about a hundred times a second in every worker, each sweeping all counters
    and taking the interpreter lock from the requests in flight. Here a counter whose window has passed
    starts over when it is next counted, and the counters of clients gone quiet are swept
    out inline, at most once every SWEEP_EVERY seconds.
    """

    STORAGE_SCHEME = ["coach-memory"]
    SWEEP_EVERY = 60.0
    clock = staticmethod(time.time)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions, **options)
        self._windows: dict[str, list] = {}  # key -> [count, when its window ends]
        self._lock = threading.Lock()
        self._swept = self.clock()

    @property
    def base_exceptions(self):
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = self.clock()
        with self._lock:
            if now - self._swept >= self.SWEEP_EVERY:
                self._windows = {k: w for k, w in self._windows.items() if w[1] > now}
                self._swept = now
            window = self._windows.get(key)
            if window is None or window[1] <= now:
                window = self._windows[key] = [0, now + expiry]
            window[0] += amount
            return window[0]

    def get(self, key: str) -> int:
        window = self._windows.get(key)
        return window[0] if window is not None and window[1] > self.clock() else 0

    def get_expiry(self, key: str) -> float:
        window = self._windows.get(key)
        return window[1] if window is not None else self.clock()

    def check(self) -> bool:
        return True

    def reset(self) -> int:
        with self._lock:
            cleared, self._windows = len(self._windows), {}
        return cleared

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)


def init_app(app: Flask) -> None:
    """Call after the blueprints are registered: the limits attach to their views."""
    config = app.config
    storage = config["RATELIMIT_STORAGE_URL"]
    limiter = Limiter(
        key_func=client_key, key_prefix="coach",
        storage_uri="coach-memory://" if storage == "memory://" else storage,
        headers_enabled=True, swallow_errors=True, strategy="fixed-window",
    )
    limiter.init_app(app)
    limits = {endpoint: config[setting] for endpoint, setting in ROUTE_LIMITS.items()}
    default = config["RATE_LIMIT_API"]
    # One limit on the blueprint, chosen per endpoint: each endpoint still counts on its own,
    # and a request is looked at once (a decorated view would be looked at twice).
    limiter.limit(lambda: limits.get(request.endpoint, default))(app.blueprints["api"])
    # Each sign-in started is a row until its answer comes: one address cannot start them without end.
    limiter.limit(default, key_func=_address)(app.blueprints["sso"])
    # Sign-in attempts (not the form) are counted before their password is hashed. Per account and
    # address the database locks after a few failures (admin/passwords.py); these limits hold back
    # one address trying many accounts, and many addresses together.
    sign_in = app.view_functions[SIGN_IN]
    sign_in = limiter.limit(config["RATE_LIMIT_SIGN_IN"], key_func=_address, methods=["POST"],
                            error_message=SIGN_IN_REFUSED)(sign_in)
    sign_in = limiter.shared_limit(config["RATE_LIMIT_SIGN_IN_ALL"], "sign-in", key_func=_everyone, methods=["POST"],
                                   error_message=SIGN_IN_REFUSED)(sign_in)
    app.view_functions[SIGN_IN] = sign_in
