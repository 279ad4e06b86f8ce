"""Every error is JSON: {"error": {"code": ..., "message": ...}}, never an HTML page."""

from __future__ import annotations

import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="coach"'  # RFC 6750: how to authenticate
    return response


def register(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = (error.name or "error").lower().replace(" ", "_")
        message = error.description or error.name
        if error.code == 413:
            code = "too_large"
        elif error.code == 429:  # Flask-Limiter's description is the limit, e.g. "120 per 1 minute"
            code, message = "rate_limited", f"Too many requests (at most {error.description}); try again shortly."
        response = error_response(error.code or 500, code, message)
        # What the error says beyond its page, e.g. Allow on a 405.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        # The exception text may quote request data, so only its type is logged.
        log.error("unhandled %s", type(error).__name__, exc_info=False)
        return error_response(500, "internal_error", "The server could not complete this request.")
