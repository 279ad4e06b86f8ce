"""The season calendar: dates (picked as a day and an optional time) and the stages they start.
Each save is validated whole (engine Calendar.from_spec), checked for the season's order,
kept as a version, and reaches every worker through the data version."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import available_timezones

import regex
from flask import Blueprint, g, redirect, render_template, request, url_for

from .. import audit, db, directory_store, rulesets
from .forms import FormError, rows
from .season_checks import label, order_problems, readers

bp = Blueprint("calendar", __name__)

EXTRA_ROWS = 2  # blank rows offered for a new date or stage
_NAME = regex.compile(r"[a-z][a-z0-9_]{0,63}")
_TIME = regex.compile(r"([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?")
ZONES = sorted(z for z in available_timezones() if z.startswith(("America/", "Pacific/Honolulu", "US/")))


def _split(value) -> tuple[str, str]:
    """A calendar value as the page's day and time fields show it."""
    if isinstance(value, datetime):
        return value.date().isoformat(), value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat(), ""
    day, _, time = str(value).partition("T")
    return day, time[:5]


def _calendar_page(spec: dict, error: str | None = None, status: int = 200, typed: list[dict] | None = None):
    """The page; after a refused save, with the dates as the admin typed them (`typed`)."""
    dates = typed if typed is not None else [{"name": name, "day": _split(value)[0], "time": _split(value)[1]}
                                             for name, value in (spec.get("dates") or {}).items()]
    try:
        read_by = readers(spec, rulesets.active())
    except (KeyError, TypeError):
        read_by = {}
    return render_template("admin/calendar.html", spec=spec, dates=dates, stages=spec.get("stages") or [],
                           extra=EXTRA_ROWS, error=error, read_by=read_by, label=label, zones=ZONES), status


@bp.get("/calendar")
def calendar_page():
    with db.read_only() as connection:
        spec = directory_store.calendar_spec(connection) or {"dates": {}, "stages": []}
    return _calendar_page(spec)


def _dates_from_form() -> dict[str, str]:
    found = {}
    for number, row in enumerate(rows("date", ("name", "day", "time")), 1):
        name, day, time = row["name"], row["day"], row["time"]
        if not _NAME.fullmatch(name):
            raise FormError(f"date {number}: name it with lower-case letters, digits and _, e.g. match_day")
        if name in found:
            raise FormError(f"the date {name} is listed twice")
        try:
            date.fromisoformat(day)
        except ValueError:
            raise FormError(f"{label(name)}: pick a day, e.g. 2027-03-19") from None
        if time and not _TIME.fullmatch(time):
            raise FormError(f"{label(name)}: a time is like 21:00, or nothing")
        found[name] = f"{day}T{time}:00"[:19] if time else day
    return found


@bp.post("/calendar")
def save_calendar():
    spec = {"season": request.form.get("season", "").strip() or None,
            "timezone": request.form.get("timezone", "").strip() or None,
            "dates": {}, "stages": rows("stage", ("id", "starts"))}
    try:
        spec["dates"] = _dates_from_form()
        spec = {k: v for k, v in spec.items() if v is not None}
        calendar = directory_store.validate_calendar(spec)
        problems = order_problems(calendar, spec)
        if problems:
            raise FormError("; ".join(problems))
        with db.writing() as connection:
            changes = directory_store.replace_calendar(connection, spec, author=g.admin.email)
            if changes:
                audit.record(connection, "calendar.edit", spec.get("season"), "\n".join(changes))
    except (FormError, directory_store.InvalidData) as error:
        return _calendar_page(spec, str(error), 422, typed=rows("date", ("name", "day", "time")))
    return redirect(url_for("admin.calendar.calendar_page", saved=1))
