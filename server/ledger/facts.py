"""A user's ledger as the engine reads it, cached in the process.

Every check of a signed-in user needs all their earlier events. Reading and converting
hundreds of rows per check would dominate its cost, so each process keeps the engine's
Ledger per user, keyed by the ledger's version (read along with the user's token). When
the version moved because events were added, only the new rows are read; anything else
(an erase, a row that committed late) reads the ledger afresh.
"""

from __future__ import annotations

from flask import current_app

from .. import db
from ..engine import Ledger
from ..engine.bounded_cache import BoundedCache
from . import store
from .events import fact_from_row

MAX_USERS = 2048  # a school's applicants, with room; the least recently checked drop out first


def _cache() -> BoundedCache[int, tuple[tuple, Ledger]]:
    """Each user's (ledger version, Ledger), in this app."""
    extensions = current_app.extensions
    if "ledgers" not in extensions:
        extensions.setdefault("ledgers", BoundedCache(MAX_USERS))
    return extensions["ledgers"]


def _read(connection, user_id: int, version: tuple, cached) -> Ledger:
    count, highest = version
    if highest is None:
        return Ledger()
    if cached is not None and cached[0][1] is not None and cached[0][1] < highest:
        (old_count, old_highest), old_ledger = cached
        added = store.fact_rows(connection, user_id, highest, after=old_highest)
        if old_count + len(added) == count:
            # New rows first, so that among events at the same moment the newer row leads,
            # as in the database's order; the sort is stable.
            merged = [fact_from_row(r) for r in added] + list(old_ledger)
            return Ledger(sorted(merged, key=lambda f: f.at, reverse=True))
    return Ledger(fact_from_row(r) for r in store.fact_rows(connection, user_id, highest))


def ledger_for(user_id: int, version: tuple) -> Ledger:
    """Everything the user's ledger holds, newest first, as the engine's Ledger.

    version: the ledger's version (store.version_columns) as read for this request.
    """
    cache = _cache()
    cached = cache.get(user_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    with db.read_only() as connection:
        ledger = _read(connection, user_id, version, cached)
    cache.put(user_id, (version, ledger))
    return ledger
