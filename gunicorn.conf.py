"""gunicorn's settings for the coach (the Procfile's `web:` process), each changeable from the environment.

    gunicorn --config gunicorn.conf.py "server:create_app()"

A check is CPU work (the rule engine) and a few short database queries: one single-threaded
process per core does it fastest. (On two cores with PostgreSQL on the same machine, two
workers answered 15-20% more checks than three; bench/README.md.) With the database on
another machine, a worker waits longer on it and WEB_CONCURRENCY may go higher. Put a
TLS-terminating proxy in front (it also buffers slow clients, which a sync worker must not
wait on) and set COACH_TRUST_PROXY.
"""

from __future__ import annotations

import gc
import os

from gunicorn.glogging import Logger

from server.config import whole_number
from server.logs import REQUEST_ID_HEADER, JsonFormatter
from server.timeouts import RequestTimeout


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


wsgi_app = "server:create_app()"
# A platform that sets PORT (Heroku and the like) routes to it; otherwise stay on loopback behind the proxy.
bind = os.environ.get("COACH_BIND") or (f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000")
# At least two, so that one slow request or a restarting worker never leaves nobody to answer.
workers = whole_number("WEB_CONCURRENCY", max(2, _cores()), minimum=1)
worker_class = "sync"
# A worker silent this long (a check is milliseconds) is stuck: the arbiter kills and replaces it.
timeout = whole_number("COACH_WORKER_TIMEOUT", 30, minimum=1)
graceful_timeout = whole_number("COACH_GRACEFUL_TIMEOUT", 20, minimum=1)
# Load the app (and validate the settings and rules) once, in the arbiter: a bad setting stops the
# start with its message instead of every worker failing to boot, and a replaced worker is ready at once.
preload_app = True
# The longest request line gunicorn reads (its maximum); a longer one gets 414 before the app sees it.
limit_request_line = 8190
# X-Forwarded-* are the app's to judge (COACH_TRUST_PROXY), not gunicorn's.
forwarded_allow_ips = ""
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("COACH_LOG_LEVEL", "info")


class JsonLogger(Logger):
    """gunicorn's own lines and its access log as the app's JSON lines; the access line has the
    request id, the path without its query string, and neither body nor headers beyond the user agent."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        headers = dict((name.lower(), value) for name, value in resp.headers)
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        self.access_log.info(f"{method} {path} {status}", extra={
            "request_id": headers.get(REQUEST_ID_HEADER.lower()), "method": method, "path": path,
            "status": int(status), "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "bytes": getattr(resp, "sent", None), "remote_addr": environ.get("REMOTE_ADDR"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        })


logger_class = JsonLogger


def pre_fork(server, worker):
    # What the arbiter loaded (the app, its rule sets and their compiled patterns) lives as long
    # as a worker does. Frozen, a worker's full garbage collections never walk it: under load
    # they took 40-50 ms each (5 ms frozen), stalling every request in line; and the pages stay
    # shared with the arbiter instead of being copied when a collection touches them.
    gc.freeze()


def worker_abort(worker):
    # The arbiter found this worker busy on one request past `timeout`. gunicorn would exit here and
    # answer with its HTML error page; raised in the request instead, this unwinds it to
    # server/timeouts.py, which answers 503 JSON (the worker still exits after it; see there).
    raise RequestTimeout


def post_fork(server, worker):
    # The arbiter loaded the app (preload_app): a worker must not share its pooled database connections.
    worker.app.wsgi().extensions["db"].dispose(close=False)
