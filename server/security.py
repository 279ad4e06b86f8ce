"""What browsers are told: which origins may call the API (CORS), and the security headers.

- CORS only for the origins in COACH_CORS_ORIGINS, on the API and on /healthz, which
  clients ask first. The Chrome extension calls from its service worker: with the host
  permission a student grants on its options page it needs no CORS, but an extension
  installed and configured by school policy has no such grant, and works from the first
  page when the school lists chrome-extension://<its id>. The Outlook send handler in
  classic Outlook on Windows runs at the server's own origin and needs it listed.
- nosniff and no referrer everywhere; HSTS only on https, which behind a proxy is known
  only when COACH_TRUST_PROXY says how many proxies set X-Forwarded-*.
- The admin pages and the sign-in pages get a strict policy: their own scripts and styles,
  no inline script, no framing. The Outlook add-in's pages load Office.js from Microsoft and are framed by
  Outlook on the web, so theirs allows exactly that.
- JSON is never framed or rendered as a document, and never cached: it holds ledgers and tokens.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .errors import error_response

API_PREFIX = "/api/"
HEALTH_PATH = "/healthz"
CORS_METHODS = "GET, POST, PUT, DELETE"
CORS_HEADERS = "Authorization, Content-Type, X-Request-Id"
CORS_EXPOSED = "X-Request-Id, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
CORS_MAX_AGE = "600"
HSTS = "max-age=31536000"

ADMIN_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
             "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Office.js comes from appsforoffice.microsoft.com and may fetch Microsoft Ajax from its CDN,
# frame its error page, add stylesheets and style its own elements. The pane talks to the
# coach server the user configured, normally this one.
OFFICE_SCRIPTS = "https://appsforoffice.microsoft.com https://ajax.aspnetcdn.com"
OFFICE_HOSTS = ("https://*.office.com", "https://*.office365.com", "https://*.outlook.com", "https://*.live.com",
                "https://*.microsoft.com", "https://*.cloud.microsoft", "https://*.microsoft365.com")
ADDIN_CSP = (f"default-src 'self'; script-src 'self' {OFFICE_SCRIPTS}; "
             "style-src 'self' 'unsafe-inline' https://appsforoffice.microsoft.com; img-src 'self' data: https:; "
             "connect-src 'self' https:; frame-src 'self' https://appsforoffice.microsoft.com; object-src 'none'; "
             "base-uri 'self'; form-action 'self'; frame-ancestors 'self' {ancestors}")
DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
SIGN_IN_PAGES = ("/sign-in", "/invite")


def _cors_path(path: str) -> bool:
    return path.startswith(API_PREFIX) or path == HEALTH_PATH


def _preflight():
    """Answer a CORS preflight for the API before anything else (auth, rate limits) looks at it."""
    if not (request.method == "OPTIONS" and _cors_path(request.path)
            and "Access-Control-Request-Method" in request.headers):
        return None
    origin = request.headers.get("Origin", "")
    if origin not in current_app.config["CORS_ORIGINS"]:
        return error_response(403, "origin_not_allowed",
                              f"Requests from {origin or 'this page'} are not allowed: the server's "
                              "COACH_CORS_ORIGINS does not list it.")
    response = current_app.response_class(status=204)
    response.headers.update({
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": CORS_METHODS,
        "Access-Control-Allow-Headers": CORS_HEADERS,
        "Access-Control-Max-Age": CORS_MAX_AGE,
    })
    return response


def _headers(response):
    config, headers, path = current_app.config, response.headers, request.path
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if _cors_path(path):
        headers.add("Vary", "Origin")
        origin = request.headers.get("Origin")
        if origin in config["CORS_ORIGINS"]:
            headers["Access-Control-Allow-Origin"] = origin
            headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
        headers.setdefault("Cache-Control", "no-store")
    if path == "/admin" or path.startswith("/admin/") or path.startswith(SIGN_IN_PAGES):
        headers.setdefault("Content-Security-Policy", ADMIN_CSP)
        headers.setdefault("X-Frame-Options", "DENY")
    elif path.startswith("/addin/"):
        ancestors = " ".join((*OFFICE_HOSTS, *config["ADDIN_FRAME_ANCESTORS"]))
        headers.setdefault("Content-Security-Policy", ADDIN_CSP.format(ancestors=ancestors))
    else:
        headers.setdefault("Content-Security-Policy", DATA_CSP)
        headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask) -> None:
    proxies = app.config["TRUST_PROXY"]
    if proxies:
        # Only then are X-Forwarded-For/-Proto/-Host/-Port believed: the client's address (rate
        # limits, logs), https (HSTS, secure cookies) and the public host name (the add-in's URLs).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
    app.before_request(_preflight)
    app.after_request(_headers)
