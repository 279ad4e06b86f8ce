"""A request that runs past gunicorn's worker timeout is still answered in JSON.

gunicorn's arbiter sends SIGABRT to a sync worker that has been busy on one request for
longer than its timeout (COACH_WORKER_TIMEOUT). Left to itself the worker then exits
(SystemExit, which Flask does not catch) and gunicorn answers the client with its own
HTML "Internal Server Error" page. gunicorn.conf.py's worker_abort hook, which runs in the
worker inside that request, raises RequestTimeout instead: it unwinds the request past
every `except Exception` (the engine's guard around each rule, Flask's error handlers) to
the middleware here, which answers 503 JSON. The worker has already marked itself as
done, so it exits after that answer and the arbiter starts a fresh one, as it would have.

The hook rather than a deadline of the app's own (an alarm a little before the timeout):
it needs no second clock to keep below gunicorn's, and a request gunicorn lets run is never
cut short. Work stuck inside one C call (a database lock wait, say) is not interrupted by
either; gunicorn kills that worker outright a timeout later and the client's connection closes.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid

from .logs import REQUEST_ID_HEADER

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5


class RequestTimeout(BaseException):
    """The request ran past the worker timeout. A BaseException, so that no `except Exception`
    on the way (a rule that failed is skipped, an error becomes a 500) can stop it."""


class JsonOnTimeout:
    """WSGI middleware: the app's answer, or 503 JSON when the request timed out inside it."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except RequestTimeout:
            log.error("%s %s ran past the worker timeout; answered 503", environ.get("REQUEST_METHOD"),
                      environ.get("PATH_INFO"))
            body = json.dumps({"error": {"code": "timeout", "message": (
                "The server took too long over this request and gave up on it; try again shortly.")}}).encode()
            # exc_info: allowed even if the app had begun its answer, as long as none of it was sent.
            start_response("503 Service Unavailable", [
                ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                ("Retry-After", str(RETRY_AFTER_S)), ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"), (REQUEST_ID_HEADER, uuid.uuid4().hex),
            ], sys.exc_info())
            return [body]
