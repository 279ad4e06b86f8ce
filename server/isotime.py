"""Times as the API, exports and backups write them: ISO 8601 in UTC, ending in Z."""

from __future__ import annotations

from datetime import UTC, datetime

# The times a message can be dated: rules count days and weeks from them, which near the
# years 1 and 9999 run off the calendar. The API refuses anything outside with a 400.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def plausible(moment: datetime) -> bool:
    """Whether an aware time is one a message can be dated (from EARLIEST, before LATEST)."""
    return EARLIEST <= moment < LATEST
