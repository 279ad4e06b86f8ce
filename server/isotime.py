"""Times as the API, exports and backups write them: ISO 8601 in UTC, ending in Z."""

from __future__ import annotations

from datetime import datetime


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
