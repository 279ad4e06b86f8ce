"""Signing in (with the school's account, or with email and password), setting a password from
a one-time link, and signing out."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from .. import accounts, audit, db, invitations
from ..sso.clients import admin_page
from . import passwords, sessions

bp = Blueprint("signin", __name__)


def _next_page() -> str:
    """Where to go after signing in: a page of ours, never another site."""
    return admin_page(request.values.get("next")) or url_for("admin.overview.overview")


def _sign_in_page(status: int = 200, **values):
    following = admin_page(request.values.get("next"))
    providers = [(p["label"], url_for("sso.start", client="admin", provider=p["name"],
                                      **({"next": following} if following else {})))
                 for p in current_app.config["SIGN_IN_PROVIDERS"]]
    return render_template("admin/sign_in.html", next=request.values.get("next", ""), providers=providers,
                           **values), status


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method == "GET":
        if g.get("admin"):
            return redirect(_next_page())
        return _sign_in_page()
    config = current_app.config
    window = timedelta(minutes=config["ADMIN_LOCK_MINUTES"])
    email = request.form.get("email", "")[:320]
    password = request.form.get("password", "")
    address = (request.remote_addr or "unknown")[:64]

    def again(message: str, status: int):
        return _sign_in_page(status, email=email, error=message)

    with db.writing() as connection:
        until = passwords.count_attempt(connection, email, address, failures=config["ADMIN_SIGN_IN_FAILURES"],
                                        window=window)
    if until:
        # A locked account is not even tried, so guessing on meanwhile learns nothing.
        minutes = max(1, math.ceil((until - accounts.now()).total_seconds() / 60))
        return again(f"Too many failed sign-ins for this account from your address. "
                     f"Try again in {minutes} minute{'s' if minutes > 1 else ''}.", 429)
    with db.read_only() as connection:
        user = passwords.verify(connection, email, password)
    with db.writing() as connection:
        if user is None:
            audit.record(connection, "sign-in.failed", passwords.throttle_key(email), f"from {address}", actor=None)
        else:
            passwords.clear_attempts(connection, email, address)
            sessions.start(connection, user)
            audit.record(connection, "sign-in", user.email, f"from {address}", actor=user.email)
    if user is None:
        return again("That email and password do not match an administrator's.", 401)
    return redirect(_next_page())


@bp.post("/sign-out")
def sign_out():
    admin = g.admin
    sessions.end()
    with db.writing() as connection:
        audit.record(connection, "sign-out", admin.email, "signed out", actor=admin.email)
    return redirect(url_for("admin.signin.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
def set_password():
    """An administrator sets their password from a one-time link (/admin/password#SECRET), which
    another administrator made for them. The page's script puts the link's secret in the form."""
    if request.method == "GET":
        return render_template("admin/password.html")
    secret = request.form.get("invitation", "")
    password, again = request.form.get("password", ""), request.form.get("again", "")

    def refused(message: str, status: int):
        return render_template("admin/password.html", error=message), status

    if password != again:
        return refused("The two passwords are not the same.", 400)
    try:
        with db.writing() as connection:
            user_id = invitations.use(connection, secret, "password")
            user, _ = passwords.set_password(connection, accounts.get_user(connection, user_id).email, password)
            audit.record(connection, "password.set", user.email, "set from a one-time link", actor=user.email)
    except invitations.InvitationRefused as refusal:
        return refused(str(refusal), 410 if refusal.code in ("used", "expired") else 400)
    except passwords.PasswordError as error:
        return refused(f"Not set: {error}.", 400)
    return redirect(url_for("admin.signin.sign_in", set="1"))
