"""Signing in with email and password, and out again."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app, g, redirect, render_template, request, url_for

from .. import accounts, db
from . import audit, bp, passwords, sessions


def _next_page() -> str:
    """Where to go after signing in: a page of ours, never another site."""
    target = request.values.get("next") or ""
    if target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.overview")


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

    with db.reading() as connection:
        until = passwords.locked_until(connection, email, address, failures=config["ADMIN_SIGN_IN_FAILURES"],
                                       window=window)
        # A locked account is not even tried, so guessing on meanwhile learns nothing.
        user = None if until else passwords.verify(connection, email, password)
    if until:
        minutes = max(1, math.ceil((until - accounts.now()).total_seconds() / 60))
        return again(f"Too many failed sign-ins for this account from your address. "
                     f"Try again in {minutes} minute{'s' if minutes > 1 else ''}.", 429)
    with db.writing() as connection:
        if user is None:
            passwords.record_failure(connection, email, address, window=window)
            audit.record(connection, "sign-in.failed", passwords.throttle_key(email), f"from {address}", actor=None)
        else:
            passwords.clear_failures(connection, email, address)
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
    return redirect(url_for("admin.sign_in"))
