"""Statistics: warnings by category and week, sends that went out with errors, the programs
most often written to with errors; aggregates of at least stats.MIN_APPLICANTS applicants."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, jsonify, render_template, request

from .. import accounts, db
from . import stats

bp = Blueprint("stats", __name__)

DEFAULT_WEEKS, MAX_WEEKS = 12, 104


def _figures() -> dict:
    weeks = request.args.get("weeks", str(DEFAULT_WEEKS))
    weeks = min(int(weeks), MAX_WEEKS) if weeks.isdigit() and int(weeks) > 0 else DEFAULT_WEEKS
    since = accounts.now() - timedelta(weeks=weeks)
    with db.read_only() as connection:
        return {**stats.statistics(connection, since), "weeks_shown": weeks}


@bp.get("/statistics")
def statistics_page():
    return render_template("admin/statistics.html", figures=_figures())


@bp.get("/api/statistics")
def api_statistics():
    return jsonify(_figures())
