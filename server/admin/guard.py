"""Who may enter /admin, and on what terms.

- A signed-in admin's browser session: every page and /admin/api. State-changing requests
  must carry the session's CSRF token (form field or X-CSRF-Token header).
- An API token (Authorization: Bearer): an admin's works for scripts under /admin/api and
  needs no CSRF token, since a browser never sends one on its own; anyone else's gets 403
  everywhere under /admin, the sign-in page included.
- Nobody: pages redirect to the sign-in page, /admin/api answers 401.
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from .. import accounts, rulesets
from ..errors import ApiError, error_response
from . import csrf, sessions

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FILES = {"admin.static", "admin.rules.client_core"}  # scripts and styles: the same for everyone
PUBLIC = {"admin.signin.sign_in", "admin.signin.set_password", *FILES}


def is_api() -> bool:
    return request.path.startswith("/admin/api/")


def refuse(status: int, code: str, message: str):
    """JSON under /admin/api, a page elsewhere."""
    if is_api():
        raise ApiError(status, code, message)
    return render_template("admin/error.html", status=status, message=message), status


def guard():
    # Only a Bearer token is ours: a proxy's own (Basic) authentication in front of /admin passes by.
    if request.headers.get("Authorization", "").lstrip()[:7].lower() == "bearer ":
        return _by_token()
    if request.endpoint in FILES and request.method in SAFE_METHODS:
        return None
    admin = sessions.current()
    if admin is not None:
        g.admin = admin
    if request.method not in SAFE_METHODS and not csrf.valid():
        return refuse(403, "csrf_failed", "This request did not carry the page's security token (CSRF). "
                                          "Reload the page and try again.")
    if admin is None and request.endpoint not in PUBLIC:
        if is_api():
            raise ApiError(401, "unauthorized", "Sign in at /admin/sign-in, or send an admin's API token.")
        following = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("admin.signin.sign_in", next=following))
    # The first request of a process records the shipped rules as a version; pages read versions.
    rulesets.active()
    return None


def _by_token():
    user = accounts.authenticate()  # a token that is not valid is a 401 here
    if user.role != "admin":
        raise ApiError(403, "forbidden", "The admin pages are for the advising office's administrators.")
    if not is_api():
        raise ApiError(403, "forbidden", "Sign in to use the admin pages; an admin's API token works under /admin/api.")
    g.admin = sessions.Admin(user.id, user.email)
    rulesets.active()


def no_store(response):
    # Pages show tokens once, drafts and statistics: nothing here belongs in a cache.
    if request.endpoint not in FILES:
        response.headers["Cache-Control"] = "no-store"
    return response


def template_globals():
    return {"csrf_token": csrf.token, "signed_in": g.get("admin")}


def http_error(error: HTTPException):
    # A page's 404 (an unknown rule, say) is a page, as the admin is reading pages.
    if is_api():
        return error_response(error.code or 500, (error.name or "error").lower().replace(" ", "_"),
                              error.description or "")
    return render_template("admin/error.html", status=error.code, message=error.description), error.code


def protect(bp: Blueprint) -> None:
    """Put every view of bp, and of the blueprints nested in it, behind the guard."""
    bp.before_request(guard)
    bp.after_request(no_store)
    bp.context_processor(template_globals)
    bp.errorhandler(HTTPException)(http_error)
