"""Keeping what is built from the database current in every process, the same way for all of it.

The rule set in force (rulesets.py), the directory and the calendar (directory_calendar.py)
are each built from stored data, and building them compiles patterns: never per request.
Each is a Follower: it is loaded on first use, and from then on a thread of its process
calls its refresh() every interval, which reads a version number (a tiny query) and rebuilds
only when it moved. Requests go on with what is built while a rebuild runs; an edit on the
admin page reaches every gunicorn worker, busy or idle, and every server sharing the
database, within about an interval. The process that made an edit calls refresh() at once.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

CHECK_INTERVAL = 1.0  # seconds between two looks at the database


class Follower:
    """Something built from stored data that follows the database; subclasses say how (_refresh)."""

    name = "data"

    def __init__(self, interval: float = CHECK_INTERVAL):
        self.interval = interval
        self.lock = threading.Lock()
        self.loaded = False
        self.watched_in: int | None = None  # the process whose thread watches (gunicorn forks after loading)

    def _refresh(self) -> None:
        """Look at the stored version and rebuild when it moved; called under the lock."""
        raise NotImplementedError

    def follow(self) -> None:
        """Load on first use, and make sure this process has a thread that keeps it current."""
        if not self.loaded:
            with self.lock:
                if not self.loaded:
                    self._refresh()
                    self.loaded = True
        if self.watched_in != os.getpid():
            self._watch()

    def refresh(self) -> None:
        """Follow the database now; a database that cannot be read leaves what is built in place."""
        with self.lock:
            try:
                self._refresh()
            except SQLAlchemyError as error:
                log.error("cannot read the stored %s (%s); still serving what was built", self.name,
                          type(error).__name__)

    def _watch(self) -> None:
        with self.lock:
            if self.watched_in == os.getpid():
                return
            self.watched_in = os.getpid()
        # The thread holds the follower only weakly: an app that is gone stops its watch.
        threading.Thread(target=_watch, args=(weakref.ref(self), self.interval), name=f"{self.name}-watch",
                         daemon=True).start()


def _watch(followed: weakref.ref, interval: float) -> None:
    while True:
        time.sleep(interval)
        follower = followed()
        if follower is None:
            return
        try:
            follower.refresh()
        except Exception:  # the watch must outlive any one failure; the next look tries again
            log.exception("looking for a new version of the %s failed", follower.name)
        del follower
