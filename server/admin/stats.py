"""Statistics for the advising office, from the ledger's sent events: aggregates only.

Every figure counts a group of sends, and a group is shown only when at least
MIN_APPLICANTS different applicants are in it, so that no student can be singled out
(a week when two students sent errors shows nothing about those two). The rule is
enforced here, where the groups are formed, for every table alike; user ids never leave
this module.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from ..schema import ledger_events

MIN_APPLICANTS = 5
TOP_PROGRAMS = 15


class _Groups:
    """Sends and distinct applicants per group key."""

    def __init__(self):
        self.sends: dict = defaultdict(int)
        self.applicants: dict = defaultdict(set)

    def add(self, key, user_id: int) -> None:
        self.sends[key] += 1
        self.applicants[key].add(user_id)

    def shown(self, minimum: int) -> dict:
        """{key: (sends, applicants)} for the groups large enough to show; the rest are left out."""
        return {key: (self.sends[key], len(users)) for key, users in self.applicants.items() if len(users) >= minimum}


def week_of(moment: datetime) -> str:
    """The Monday (UTC) of the moment's week, as an ISO date."""
    day = moment.date()
    return (day - timedelta(days=day.weekday())).isoformat()


def statistics(connection: Connection, since: datetime, minimum: int = MIN_APPLICANTS) -> dict:
    c = ledger_events.c
    rows = connection.execute(
        select(c.user_id, c.at, c.program, c.program_name, c.categories, c.errors)
        .where(c.type == "sent", c.at >= since)
    )
    by_category_week, by_category, by_week, with_errors, programs = (_Groups() for _ in range(5))
    names: dict[str, str] = {}
    for row in rows:
        week = week_of(row.at)
        by_week.add(week, row.user_id)
        for category in dict.fromkeys(row.categories or ()):
            by_category_week.add((category, week), row.user_id)
            by_category.add(category, row.user_id)
        if row.errors:  # None: recorded before the coach kept this fact
            with_errors.add(week, row.user_id)
            if row.program:
                programs.add(row.program, row.user_id)
                names[row.program] = row.program_name or row.program
    weekly = by_week.shown(minimum)
    erroneous = with_errors.shown(minimum)
    top = sorted(programs.shown(minimum).items(), key=lambda item: (-item[1][0], item[0]))[:TOP_PROGRAMS]
    return {
        "minimum_applicants": minimum,
        "since": since.date().isoformat(),
        "categories": [{"category": k, "sends": s, "applicants": a}
                       for k, (s, a) in sorted(by_category.shown(minimum).items(), key=lambda i: (-i[1][0], i[0]))],
        "categories_by_week": [{"category": k[0], "week": k[1], "sends": s, "applicants": a}
                               for k, (s, a) in sorted(by_category_week.shown(minimum).items())],
        "weeks": [{"week": week, "sends": sends, "applicants": applicants,
                   # The sends with errors are a group of their own: shown only when it is large enough too.
                   "sent_with_errors": erroneous[week][0] if week in erroneous else None}
                  for week, (sends, applicants) in sorted(weekly.items())],
        "programs_with_errors": [{"program": key, "name": names[key], "sends": s, "applicants": a}
                                 for key, (s, a) in top],
    }
