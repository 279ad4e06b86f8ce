"""The season calendar: dates and the stages they start. Each save is validated whole
(engine Calendar.from_spec) and reaches every worker through the data version."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from .. import audit, db, directory_store
from .forms import rows

bp = Blueprint("calendar", __name__)

EXTRA_ROWS = 2  # blank rows offered for a new date or stage


def _calendar_page(spec: dict, error: str | None = None, status: int = 200):
    dates = [{"name": name, "value": value if isinstance(value, str) else value.isoformat()}
             for name, value in (spec.get("dates") or {}).items()]
    return render_template("admin/calendar.html", spec=spec, dates=dates, stages=spec.get("stages") or [],
                           extra=EXTRA_ROWS, error=error), status


@bp.get("/calendar")
def calendar_page():
    with db.read_only() as connection:
        spec = directory_store.calendar_spec(connection) or {"dates": {}, "stages": []}
    return _calendar_page(spec)


@bp.post("/calendar")
def save_calendar():
    dates = rows("date", ("name", "value"))
    stages = rows("stage", ("id", "starts"))
    spec = {"season": request.form.get("season", "").strip() or None,
            "timezone": request.form.get("timezone", "").strip() or None,
            "dates": {row["name"]: row["value"] for row in dates}, "stages": stages}
    spec = {k: v for k, v in spec.items() if v is not None}
    if len(spec["dates"]) != len(dates) or not all(row["name"] and row["value"] for row in dates):
        return _calendar_page(spec, "each date needs a name (used once) and a value such as 2027-03-19", 422)
    try:
        with db.writing() as connection:
            directory_store.replace_calendar(connection, spec)
            audit.record(connection, "calendar.edit", spec.get("season"),
                         "; ".join(f"{name} {value}" for name, value in spec["dates"].items())[:1000])
    except directory_store.InvalidData as error:
        return _calendar_page(spec, str(error), 422)
    return redirect(url_for("admin.calendar.calendar_page", saved=1))
