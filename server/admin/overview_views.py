"""The admin's home page: the rules in force, what waits for review, and where to go."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from .. import accounts, audit, db, directory_calendar, rulesets
from ..schema import users

bp = Blueprint("overview", __name__)


@bp.get("/")
def overview():
    with db.read_only() as connection:
        version = rulesets.active_version(connection)
        waiting = rulesets.candidate(connection)
        people = dict(connection.execute(select(users.c.role, func.count()).where(users.c.active)
                                         .group_by(users.c.role)).all())
        recent = audit.entries(connection, 8)
    directory, calendar = directory_calendar.current()
    return render_template("admin/overview.html", version=version, candidate=waiting, ruleset=rulesets.active(),
                           people=people, recent=recent, directory=directory, calendar=calendar,
                           stage=calendar.stage_at(accounts.now()) if calendar else None)
