"""The audit log, newest first: filtered by kind of action, who, words and dates, and exported as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, render_template, request

from .. import audit, db
from .display import local_time, school_zone

bp = Blueprint("audit", __name__)

PAGE = 100
MAX_FILTER_CHARS = 200


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filter() -> tuple[audit.Filter, dict]:
    """The filter the page's form asks for, and its fields as typed (to show them again)."""
    fields = {name: request.args.get(name, "").replace("\x00", "").strip()[:MAX_FILTER_CHARS]
              for name in ("family", "who", "q", "since", "until")}
    since, until = _day("since"), _day("until")
    zone = school_zone()
    return audit.Filter(
        family=fields["family"] if fields["family"] in audit.FAMILIES else None,
        actor=fields["who"] or None, text=fields["q"] or None,
        # Days as the school's clocks count them: "until 5 Dec" takes in all of 5 Dec.
        since=datetime.combine(since, time.min, zone) if since else None,
        until=datetime.combine(until + timedelta(days=1), time.min, zone) if until else None,
    ), fields


@bp.get("/audit")
def audit_page():
    before = request.args.get("before", "")
    where, fields = _filter()
    with db.read_only() as connection:
        entries = audit.entries(connection, PAGE, int(before) if before.isdigit() and len(before) < 19 else None,
                                where)
    older = entries[-1].id if len(entries) == PAGE else None
    return render_template("admin/audit.html", entries=entries, older=older, fields=fields,
                           families=audit.FAMILIES, filtered=any(fields.values()))


def _cell(value: str | None) -> str:
    # A spreadsheet would run a cell starting like a formula (an institution typed as "=..."), so it is quoted.
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.get("/audit.csv")
def audit_csv():
    where, fields = _filter()
    with db.writing() as connection:
        entries = audit.entries(connection, None, None, where)
        audit.record(connection, "audit.export", None,
                     f"exported {len(entries)} entries as CSV"
                     + (f" (filter: {', '.join(f'{k} {v}' for k, v in fields.items() if v)})" if any(fields.values())
                        else ""))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["when (school time)", "when (UTC)", "who", "action", "what", "on", "summary"])
    for entry in entries:
        writer.writerow([local_time(entry.at), entry.at.isoformat(), _cell(entry.actor), entry.action,
                         audit.action_label(entry.action), _cell(entry.target), _cell(entry.summary)])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="coach-audit-{date.today().isoformat()}.csv"'})
