"""The audit log, newest first."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from .. import audit, db

bp = Blueprint("audit", __name__)

PAGE = 100


@bp.get("/audit")
def audit_page():
    before = request.args.get("before", "")
    with db.read_only() as connection:
        entries = audit.entries(connection, PAGE, int(before) if before.isdigit() and len(before) < 19 else None)
    older = entries[-1].id if len(entries) == PAGE else None
    return render_template("admin/audit.html", entries=entries, older=older)
