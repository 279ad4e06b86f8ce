"""The directory and calendar in force, built once per process and rebuilt after an edit.

Building them compiles the institution-name pattern, so it is not done per request: each
process follows the data version as version_watch.py describes, and an edit on the admin
page reaches every gunicorn worker within about a second.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import Engine

from . import directory_store
from .engine.calendar import Calendar
from .engine.directory import Directory
from .version_watch import CHECK_INTERVAL, Follower

log = logging.getLogger(__name__)


class DirectoryCalendar(Follower):
    name = "directory and calendar"

    def __init__(self, engine: Engine, interval: float = CHECK_INTERVAL):
        super().__init__(interval)
        self.engine = engine
        self.version: int | None = None
        self.directory: Directory | None = None
        self.calendar: Calendar | None = None

    def current(self) -> tuple[Directory | None, Calendar | None]:
        self.follow()
        return self.directory, self.calendar

    def _refresh(self) -> None:
        with self.engine.connect() as connection:
            version = directory_store.version(connection)
            if version == self.version:
                return
            directory_spec = directory_store.directory_spec(connection)
            calendar_spec = directory_store.calendar_spec(connection)
        try:
            directory = directory_store.validate_directory(directory_spec)
            calendar = directory_store.validate_calendar(calendar_spec) if calendar_spec else None
        except directory_store.InvalidData as error:
            # Keep serving what was loaded before; the edit that broke it is the admin's to fix.
            log.error("directory version %s does not load, keeping version %s: %s", version, self.version, error)
        else:
            self.directory, self.calendar = directory, calendar
        self.version = version


def _in_force() -> DirectoryCalendar:
    extensions = current_app.extensions
    if "directory_calendar" not in extensions:
        extensions.setdefault("directory_calendar", DirectoryCalendar(extensions["db"]))
    return extensions["directory_calendar"]


def directory() -> Directory | None:
    return _in_force().current()[0]


def current() -> tuple[Directory | None, Calendar | None]:
    return _in_force().current()
