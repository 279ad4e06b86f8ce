"""The sign-in pages, outside /admin and /api:

- GET /sign-in?client=...: start a sign-in. With one provider it goes straight there, with
  several the person chooses. A cookie ties the sign-in to this browser.
- GET /sign-in/callback: the provider's answer. The extension or the add-in gets a one-time
  code in its redirect URI's fragment (never seen by a server), which it exchanges with its
  PKCE verifier at POST /api/v1/sign-in/token; an administrator gets an admin session.
- GET /invite: what an invitation link opens; its secret stays in the link's fragment.

Anything wrong is a page that says what and what to do; after the client's redirect URI is
known, the extension and the add-in get the error in it instead, to show themselves.
"""

from __future__ import annotations

import logging
import re
import secrets
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from .. import audit, db
from ..addin import deployment_url
from ..admin import sessions
from . import clients, enrolment, pending, providers
from .clients import ClientRequest

log = logging.getLogger(__name__)

bp = Blueprint("sso", __name__, template_folder="templates", static_folder="static",
               static_url_path="/sign-in/static")

BROWSER_COOKIE = "coach_sign_in"
_BROWSER = re.compile(r"[A-Za-z0-9_-]{43}")
_PROVIDER_ERROR = re.compile(r"[a-z_]{1,40}")
START_AGAIN = "Start again from the coach: its settings, or the Outlook add-in's Sign in."


def _page(status: int, title: str, message: str, hint: str = "", back: str | None = None):
    return render_template("sso/problem.html", title=title, message=message, hint=hint, back=back), status


def _callback_url() -> str:
    return deployment_url() + url_for("sso.callback")


@bp.get("/sign-in")
def start():
    try:
        wanted = clients.from_query(request.args)
    except clients.BadRequest as error:
        return _page(400, "This sign-in link is not right", str(error), START_AGAIN)
    available = providers.all_providers()
    if not available:
        return _page(404, "No school sign-in on this server", "Your school has not set up signing in with its "
                     "accounts here.", "Use the invitation link your advising office sent you instead.")
    name = request.args.get("provider")
    if name is None and len(available) > 1:
        links = [(p["label"], url_for("sso.start", **wanted.query(), provider=p["name"])) for p in available]
        return render_template("sso/choose.html", links=links)
    provider = providers.find(name) if name is not None else available[0]
    if provider is None:
        return _page(404, "No such sign-in", f"This server has no sign-in called {name[:40]!r}.", START_AGAIN)
    try:
        # The add-in's answer goes to whichever window opened its dialog (README.md, "Signing in"):
        # the student signs in each time, so that a page posing as Office gets no code unseen.
        authorization = providers.authorization(provider, _callback_url(), ask_again=wanted.client == "addin")
    except providers.ProviderUnavailable as error:
        log.warning("sign-in with %s cannot start: %s", provider["name"], error)
        return _page(503, "Your school's sign-in cannot be reached", f"{provider['label']} does not answer the "
                     "coach right now.", "Try again in a few minutes; if it goes on, tell your advising office.")
    browser = request.cookies.get(BROWSER_COOKIE, "")
    if not _BROWSER.fullmatch(browser):
        browser = secrets.token_urlsafe(32)
    with db.writing() as connection:
        pending.begin(connection, wanted, provider=provider["name"], state=authorization["state"], browser=browser,
                      nonce=authorization["nonce"], code_verifier=authorization["code_verifier"])
    response = redirect(authorization["url"])
    response.set_cookie(BROWSER_COOKIE, browser, max_age=int(pending.REQUEST_LIFETIME.total_seconds()),
                        path="/sign-in", secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                        samesite="Lax")
    return response


@bp.get("/sign-in/callback")
def callback():
    state, browser = request.args.get("state", ""), request.cookies.get(BROWSER_COOKIE, "")
    started = None
    if state and browser:
        with db.writing() as connection:
            started = pending.take(connection, state, browser)
    provider = providers.find(started.provider) if started is not None else None
    if provider is None:
        return _page(400, "This sign-in is not valid any more", "It was finished already, took longer than ten "
                     "minutes, or was started in another browser.", START_AGAIN)
    wanted = ClientRequest(started.client, started.redirect_uri, started.client_state, started.code_challenge,
                           started.next_page)
    try:
        email = _verified_email(provider, started)
        if wanted.client == "admin":
            return _admin_signed_in(provider, email, wanted)
        with db.writing() as connection:
            user = enrolment.device_user(connection, provider, email)
            code = pending.issue_code(connection, user.id, wanted.client, wanted.redirect_uri, wanted.code_challenge)
        return _to_client(wanted, code=code, state=wanted.state)
    except (providers.NotAccepted, enrolment.NotAllowed) as refusal:
        log.info("sign-in with %s refused: %s", provider["name"], type(refusal).__name__)
        return _refused(wanted, 403, "access_denied", str(refusal))
    except providers.ProviderUnavailable as error:
        log.warning("sign-in with %s failed: %s", provider["name"], error)
        return _refused(wanted, 502, "server_error", f"{provider['label']} did not confirm who you are. "
                                                     "Try signing in again.")


def _verified_email(provider: dict, started) -> str:
    error = request.args.get("error")
    if error is not None:
        reason = error if _PROVIDER_ERROR.fullmatch(error) else "error"
        raise providers.NotAccepted(f"{provider['label']} did not sign you in ({reason}).")
    issuer = request.args.get("iss")
    if issuer is not None and issuer != provider["issuer"]:
        # RFC 9207: an answer that names another issuer is not this provider's.
        raise providers.NotAccepted("The answer came from another identity provider than the one asked.")
    code = request.args.get("code", "")
    if not code or len(code) > 2048:
        raise providers.NotAccepted(f"{provider['label']} sent no sign-in code.")
    verified = providers.claims(provider, code=code, code_verifier=started.code_verifier,
                                redirect_uri=_callback_url(), nonce=started.nonce)
    return providers.email_of(provider, verified)


def _admin_signed_in(provider: dict, email: str, wanted: ClientRequest):
    address = (request.remote_addr or "unknown")[:64]
    with db.writing() as connection:
        user = enrolment.admin_user(connection, email)
        sessions.start(connection, user)
        audit.record(connection, "sign-in", user.email, f"with {provider['label']} from {address}", actor=user.email)
    return redirect(wanted.next_page or url_for("admin.overview.overview"))


def _to_client(wanted: ClientRequest, **values):
    # The fragment: the browser hands it to the extension or the add-in's page, and sends it to no server.
    return redirect(f"{wanted.redirect_uri}#{urlencode(values)}")


def _refused(wanted: ClientRequest, status: int, error: str, message: str):
    if wanted.client == "admin":
        return _page(status, "You are not signed in", message, back=url_for("admin.signin.sign_in"))
    return _to_client(wanted, error=error, error_description=message, state=wanted.state)


@bp.get("/invite")
def invite():
    return render_template("sso/invite.html")
