"""Logs as JSON lines, each request under an id that the response echoes in X-Request-Id.

A line carries time, level, logger and message, and inside a request its id, method and
path (never the query string, which a client could fill with anything, and which holds
email addresses: /api/v1/ledger/summary?to=...). The development server's own request
lines (werkzeug's) lose their query strings too. Nothing here ever reads a request body
or the Authorization header: email text and tokens cannot reach a log through this module.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
# An id a proxy or client sent is kept if it looks like one (a UUID, nginx's $request_id,
# an AWS trace id), so one id follows the request through every log; anything else is replaced.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{7,127}")
# What every LogRecord has; anything else on a record came in through `extra=` and is logged.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# A query string in a request line: from "?" to the space (or quote, or colour code) after it.
_QUERY = re.compile(r"\?[^\s'\"\x1b]*")


def _without_query_strings(record: logging.LogRecord) -> bool:
    """werkzeug's request lines ("GET /path?query HTTP/1.1", in its arguments) without the query."""
    if isinstance(record.args, tuple):
        record.args = tuple(_QUERY.sub("", arg) if isinstance(arg, str) else arg for arg in record.args)
    return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            line.update(request_id=g.get("request_id"), method=request.method, path=request.path)
        line.update((key, value) for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure(level: str) -> None:
    """JSON lines on stderr for the whole process, unless whoever runs the app set up logging already."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())


def init_app(app: Flask) -> None:
    configure(app.config["LOG_LEVEL"])
    werkzeug = logging.getLogger("werkzeug")
    if _without_query_strings not in werkzeug.filters:
        werkzeug.addFilter(_without_query_strings)

    @app.before_request
    def assign_request_id():
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = sent if _SANE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex

    @app.after_request
    def echo_request_id(response):
        # before_request may not have run (a request refused earlier still gets an id).
        response.headers[REQUEST_ID_HEADER] = g.get("request_id") or uuid.uuid4().hex
        return response
