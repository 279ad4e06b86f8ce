"""Signing in with email and password, and out again."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from .. import accounts, audit, db
from . import passwords, sessions

bp = Blueprint("signin", __name__)

# A page of ours, in printable ASCII: no space or line break, which cannot go into a Location header.
_OUR_PAGE = re.compile(r"/admin(?:[/?#][!-\[\]-~]*)?")


def _next_page() -> str:
    """Where to go after signing in: a page of ours, never another site."""
    target = request.values.get("next") or ""
    return target if _OUR_PAGE.fullmatch(target) else url_for("admin.overview.overview")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method == "GET":
        if g.get("admin"):
            return redirect(_next_page())
        return render_template("admin/sign_in.html", next=request.args.get("next", ""))
    config = current_app.config
    window = timedelta(minutes=config["ADMIN_LOCK_MINUTES"])
    email = request.form.get("email", "")[:320]
    password = request.form.get("password", "")
    address = (request.remote_addr or "unknown")[:64]

    def again(message: str, status: int):
        return render_template("admin/sign_in.html", next=request.form.get("next", ""), email=email,
                               error=message), status

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
