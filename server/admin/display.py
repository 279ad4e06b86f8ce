"""How the admin pages show times and versions: in the school's time zone (the season
calendar's), in words ("version 4, published by advisor@school.edu on 5 Dec 2026, 2:05 p.m. EST")."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, g

from .. import db, directory_store
from ..audit import action_label
from ..rulesets import Version
from ..wording import moment, plural

DEFAULT_ZONE = "America/New_York"  # the calendar's own default (engine.calendar)


def school_zone() -> ZoneInfo:
    """The calendar's time zone, read once per request."""
    if "school_zone" not in g:
        with db.read_only() as connection:
            name = directory_store.timezone(connection)
        try:
            g.school_zone = ZoneInfo(name or DEFAULT_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            g.school_zone = ZoneInfo(DEFAULT_ZONE)
    return g.school_zone


def _aware(value: datetime | str) -> datetime:
    value = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def local_time(value: datetime | str | None) -> str:
    return "—" if value is None else moment(_aware(value), school_zone())



def version_line(version: Version) -> str:
    """'version 4, published by advisor@school.edu on 5 Dec 2026, 2:05 p.m. EST'."""
    who = f"published by {version.author}" if version.author else "the rules shipped with the server, published"
    return f"version {version.id}, {who} on {local_time(version.created_at)}"


def register(bp: Blueprint) -> None:
    for function in (local_time, version_line, plural, action_label):
        bp.add_app_template_global(function)
