"""Users: enrol applicants one by one or from a class list (enrolment_csv), each with a one-time
invitation link (to send, or print as a QR code) in place of a token to paste; their devices and
invitations, revoking a device; add administrators and send them a link to set their
password; set tracks, deactivate and reactivate."""

from __future__ import annotations

from datetime import timedelta

import segno
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from sqlalchemy import func, select, update

from .. import accounts, audit, db, directory_calendar, invitations
from ..addin import deployment_url
from ..schema import api_tokens, user_tracks, users
from ..wording import plural
from . import enrolment_csv, sessions
from .forms import FormError

bp = Blueprint("users", __name__)

MAX_CSV_BYTES = 512 * 1024
TOKEN_LABEL = "issued on the admin page"


def _known_tracks() -> list[tuple[str, str]]:
    directory = directory_calendar.directory()
    return sorted(directory.tracks.items()) if directory else []


def _tracks(values: list[str]) -> list[str]:
    known = {t for t, _ in _known_tracks()}
    unknown = [t for t in values if t not in known]
    if unknown:
        raise FormError(f"not a track in the program directory: {', '.join(unknown)}")
    return list(dict.fromkeys(values))


def _user_rows(query: str) -> list[dict]:
    in_force = (select(api_tokens.c.user_id, func.count().label("tokens"), func.max(api_tokens.c.last_used_at)
                       .label("last_used")).where(accounts.in_force())
                .group_by(api_tokens.c.user_id).subquery())
    statement = (select(users, in_force.c.tokens, in_force.c.last_used)
                 .outerjoin(in_force, in_force.c.user_id == users.c.id).order_by(users.c.email))
    if query:
        statement = statement.where(users.c.email.contains(query.lower(), autoescape=True))
    with db.read_only() as connection:
        found = connection.execute(statement).all()
        tracks: dict[int, list[str]] = {}
        for row in connection.execute(select(user_tracks).order_by(user_tracks.c.position)):
            tracks.setdefault(row.user_id, []).append(row.track)
    return [{"id": r.id, "email": r.email, "role": r.role, "active": r.active, "created_at": r.created_at,
             "tokens": r.tokens or 0, "last_used": r.last_used, "tracks": tracks.get(r.id, [])} for r in found]


def _users_page(error: str | None = None, status: int = 200, **form):
    query = request.args.get("q", "").replace("\x00", "").strip()[:320]  # PostgreSQL compares no NUL
    return render_template("admin/users.html", users=_user_rows(query), q=query, tracks=_known_tracks(),
                           error=error, form=form), status


def _invite(connection, user_id: int, purpose: str = "device") -> invitations.Invitation:
    lifetime = timedelta(days=current_app.config["INVITATION_DAYS"])
    return invitations.create(connection, user_id, purpose, lifetime, g.admin.email)


def _invitations_page(made: list[invitations.Invitation], skipped: list[str] = ()):
    """The links just made, each shown here once (the server keeps only their hashes), with a QR code to print."""
    public = deployment_url()
    rows = [{"email": i.email, "purpose": i.purpose, "link": i.link(public), "expires_at": i.expires_at,
             "qr": segno.make(i.link(public), error="m").svg_data_uri(scale=3, border=2)} for i in made]
    return render_template("admin/invitations.html", invitations=rows, skipped=skipped)


@bp.get("/users")
def users_page():
    return _users_page()


@bp.post("/users")
def enrol_one():
    email = request.form.get("email", "")
    try:
        email = enrolment_csv.checked_email(email)
        tracks = _tracks(request.form.getlist("tracks"))
    except (ValueError, FormError) as error:
        return _users_page(str(error), 400, email=email)
    with db.writing() as connection:
        if accounts.find_user(connection, email) is not None:
            return _users_page(f"{email} is already enrolled: send a new invitation from their page.", 409,
                               email=email)
        user = accounts.create_user(connection, email, "applicant", tracks)
        made = _invite(connection, user.id)
        audit.record(connection, "user.enrol", email, f"enrolled (tracks: {', '.join(tracks) or 'none'}); "
                                                      "made an invitation link")
    return _invitations_page([made])


@bp.post("/users/import")
def enrol_csv():
    upload = request.files.get("file")
    raw = upload.read(MAX_CSV_BYTES + 1) if upload and upload.filename else request.form.get("emails", "").encode()
    try:
        if len(raw) > MAX_CSV_BYTES:
            raise FormError(f"the CSV is larger than {MAX_CSV_BYTES // 1024} KB")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormError("the CSV must be UTF-8 text") from None
        rows = enrolment_csv.parse(text, _known_tracks())
    except FormError as error:
        return _users_page(str(error), 400)
    made, skipped, enrolled = [], [], []
    with db.writing() as connection:
        for email, tracks in dict(rows).items():
            if accounts.find_user(connection, email) is not None:
                skipped.append(email)
                continue
            made.append(_invite(connection, accounts.create_user(connection, email, "applicant", tracks).id))
            enrolled.append(f"{email} ({', '.join(tracks) or 'no track'})")
        # Who was enrolled, by name, so that the log answers "was Ana enrolled, and when?".
        lines = [f"enrolled {plural(len(made), 'applicant')} with an invitation link each", *enrolled]
        if skipped:
            lines.append(f"already enrolled, left as they were: {', '.join(skipped)}")
        audit.record(connection, "user.enrol-csv", None, "\n".join(lines))
    return _invitations_page(made, skipped)


@bp.post("/users/admins")
def add_admin():
    """Another administrator: they sign in with the school's account, or set a password from the link made here."""
    email = request.form.get("admin_email", "")
    try:
        email = accounts.normal_email(email)
    except ValueError as error:
        return _users_page(str(error), 400, admin_email=email)
    with db.writing() as connection:
        if accounts.find_user(connection, email) is not None:
            return _users_page(f"{email} already has an account: an applicant's cannot become an administrator's.",
                               409, admin_email=email)
        user = accounts.create_user(connection, email, "admin")
        made = _invite(connection, user.id, "password")
        audit.record(connection, "user.add-admin", email, "added an administrator; made a link to set a password")
    return _invitations_page([made])


def _user_or_404(connection, user_id: int):
    row = connection.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        abort(404)
    return row


@bp.get("/users/<int(max=2147483647):user_id>")
def user_page(user_id: int):
    with db.read_only() as connection:
        row = _user_or_404(connection, user_id)
        tokens = accounts.list_tokens(connection, user_id)
        sent = invitations.for_user(connection, user_id)
        tracks = list(connection.execute(select(user_tracks.c.track).where(user_tracks.c.user_id == user_id)
                                         .order_by(user_tracks.c.position)).scalars())
    return render_template("admin/user.html", user=row, tokens=tokens, invitations=sent, user_tracks=tracks,
                           tracks=_known_tracks(), me=g.admin.id == user_id, may_issue=may_issue_token(row))


def may_issue_token(row) -> bool:
    """An admin's token acts as that admin under /admin/api: only they may take one for themselves.
    An applicant's devices get theirs from an invitation link or by signing in."""
    return row.role == "admin" and row.id == g.admin.id


@bp.post("/users/<int(max=2147483647):user_id>/tokens")
def issue_token(user_id: int):
    with db.writing() as connection:
        row = _user_or_404(connection, user_id)
        if not may_issue_token(row):
            return render_template("admin/error.html", status=403, message=(
                f"Only an administrator issues a token, for themselves; send {row.email} an invitation link "
                "instead.")), 403
        _, secret = accounts.issue_token(connection, user_id, TOKEN_LABEL, accounts.token_lifetime())
        audit.record(connection, "user.token-issue", row.email, "issued a new token")
    return render_template("admin/issued.html", email=row.email, token=secret)


@bp.post("/users/<int(max=2147483647):user_id>/invitations")
def send_invitation(user_id: int):
    """A new one-time link: an applicant's enrols a device, an administrator's sets their password."""
    with db.writing() as connection:
        row = _user_or_404(connection, user_id)
        if not row.active:
            return render_template("admin/error.html", status=400, message=(
                f"{row.email} is deactivated: reactivate them first.")), 400
        purpose = "password" if row.role == "admin" else "device"
        made = _invite(connection, user_id, purpose)
        audit.record(connection, "user.invite", row.email, f"made a {purpose} link")
    return _invitations_page([made])


@bp.post("/users/<int(max=2147483647):user_id>/tokens/<int(max=2147483647):token_id>/revoke")
def revoke_token(user_id: int, token_id: int):
    with db.writing() as connection:
        row = _user_or_404(connection, user_id)
        if not accounts.revoke_token(connection, user_id=user_id, token_id=token_id):
            abort(404)
        audit.record(connection, "user.token-revoke", row.email, f"revoked token {token_id}")
    return redirect(url_for("admin.users.user_page", user_id=user_id))


@bp.post("/users/<int(max=2147483647):user_id>/tokens/revoke-all")
def revoke_all_tokens(user_id: int):
    with db.writing() as connection:
        row = _user_or_404(connection, user_id)
        count = accounts.revoke_token(connection, user_id=user_id)
        audit.record(connection, "user.token-revoke", row.email, f"revoked all {count} token(s)")
    return redirect(url_for("admin.users.user_page", user_id=user_id))


@bp.post("/users/<int(max=2147483647):user_id>/tracks")
def set_tracks(user_id: int):
    try:
        tracks = _tracks(request.form.getlist("tracks"))
    except FormError as error:
        return render_template("admin/error.html", status=400, message=str(error)), 400
    with db.writing() as connection:
        row = _user_or_404(connection, user_id)
        accounts.set_tracks(connection, user_id, tracks)
        audit.record(connection, "user.tracks", row.email, f"tracks: {', '.join(tracks) or 'none'}")
    return redirect(url_for("admin.users.user_page", user_id=user_id))


@bp.post("/users/<int(max=2147483647):user_id>/<any(deactivate, activate):action>")
def set_active(user_id: int, action: str):
    active = action == "activate"
    if user_id == g.admin.id and not active:
        return render_template("admin/error.html", status=400,
                               message="You cannot deactivate yourself; ask another administrator."), 400
    with db.writing() as connection:
        row = _user_or_404(connection, user_id)
        connection.execute(update(users).where(users.c.id == user_id).values(active=active))
        if not active:
            sessions.end_all(connection, user_id)
        audit.record(connection, f"user.{action}", row.email,
                     "reactivated: their tokens work again" if active else "deactivated: their tokens stop working")
    return redirect(url_for("admin.users.user_page", user_id=user_id))
