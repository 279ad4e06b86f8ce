"""A user's ledger as the engine reads it, cached in the process.

Every check of a signed-in user needs all their earlier events. Reading and converting
hundreds of rows per keystroke-debounced check would dominate its cost, so each process
keeps the facts per user and re-reads them only when the ledger's version (one indexed
query) has moved: after a send, an erase, or a change made through another worker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app

from .. import db
from ..engine import SentFact
from . import store

MAX_USERS = 2048  # a school's applicants, with room; least recently checked users drop out first


class FactsCache:
    def __init__(self, size: int = MAX_USERS):
        self.size = size
        self.lock = threading.Lock()
        self.entries: OrderedDict[int, tuple[tuple, tuple[SentFact, ...]]] = OrderedDict()

    def get(self, user_id: int, version: tuple) -> tuple[SentFact, ...] | None:
        with self.lock:
            entry = self.entries.get(user_id)
            if entry is None or entry[0] != version:
                return None
            self.entries.move_to_end(user_id)
            return entry[1]

    def put(self, user_id: int, version: tuple, facts: tuple[SentFact, ...]) -> None:
        with self.lock:
            self.entries[user_id] = (version, facts)
            self.entries.move_to_end(user_id)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def _cache() -> FactsCache:
    extensions = current_app.extensions
    if "ledger_facts" not in extensions:
        extensions.setdefault("ledger_facts", FactsCache())
    return extensions["ledger_facts"]


def facts_for(user_id: int) -> list[SentFact]:
    """Everything the user's ledger holds, newest first, as the engine's SentFacts."""
    cache = _cache()
    with db.reading() as connection:
        version = store.version(connection, user_id)
        facts = cache.get(user_id, version)
        if facts is None:
            facts = tuple(event.as_fact() for event in store.all_events_in(connection, user_id))
            cache.put(user_id, version, facts)
    return list(facts)
