"""Recording an event in a user's ledger: an interview placed in the directory, or a sent or
received message reduced to its facts (and the warnings it raised) before its text is dropped.

No HTTP here: the view reads the request and hands over what it read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from .. import checking, directory_calendar
from ..accounts import User
from ..engine import Draft, Program, Recipient
from ..errors import ApiError
from . import store
from .events import Event

# A program outside the directory is named by its mail domain, or by an address there.
_DOMAIN_OR_ADDRESS = re.compile(r"^(?:[^@\s]+@)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


def interview(event_id: str, user: User, at: datetime, track: str | None, key: str | None,
              addresses: tuple[Recipient, ...]) -> Event:
    """An interview with a program named by directory key, domain or address (key), or by addresses."""
    directory = directory_calendar.directory()
    tracks = user.tracks
    key = key.strip().lower() if key is not None else None
    program = None
    if directory is not None and key in directory.institutions:
        institution = directory.institutions[key]
        program = Program(institution.key, institution.name, track or (tracks[0] if len(tracks) == 1 else None))
    elif directory is not None and (key is None or (len(key) <= 255 and _DOMAIN_OR_ADDRESS.match(key))):
        program = directory.program_for(addresses or (Recipient.parse(key),), track, tracks)
    if program is None:
        raise ApiError(400, "unknown_program", "'program' must be a directory key, a mail domain or an address.")
    return Event(event_id=event_id, type="interview", at=at, recorded_at=datetime.now(UTC),
                 program=program.key, program_name=program.name, track=program.track)


def message_event(event_id: str, event_type: str, message: Draft, user: User, config: Mapping) -> Event:
    """The facts the ledger keeps of a message; the text goes no further than this function."""
    # What the coach warned about as it went out, judged against the ledger before this message.
    result = checking.check(message, config, user=user)
    facts, warnings = result.ledger_facts(), result.warnings
    program = facts.program
    return Event(
        event_id=event_id, type=event_type, at=message.at, recorded_at=datetime.now(UTC),
        program=program.key if program else None, program_name=program.name if program else None,
        track=program.track if program else message.track, kind=facts.kind, claims=facts.claims,
        word_count=facts.word_count, fingerprint=facts.fingerprint,
        categories=tuple(dict.fromkeys(w.category for w in warnings)),
        errors=sum(w.severity == "error" for w in warnings),
    )


def record(user: User, event_id: str, event: Event | Callable[[], Event], limit: int) -> tuple[Event, bool]:
    """The stored event and whether it is new; 409 when the ledger already holds `limit` events.

    An event still to be made (a message's, which the engine reads) is made only when it is
    new and there is room: a retry is answered, and a full ledger refused, before that.
    """
    existing = store.get(user.id, event_id)
    if existing is not None:
        return existing, False
    count, _ = user.ledger_version
    if count >= limit:  # known full as the request began
        raise _ledger_full(limit)
    try:
        return store.record(user.id, event() if callable(event) else event, limit)
    except store.LedgerFull:
        raise _ledger_full(limit) from None


def _ledger_full(limit: int) -> ApiError:
    return ApiError(409, "ledger_full", f"Your ledger holds {limit} events, as many as it may. Export it and "
                                        "erase it (DELETE /api/v1/ledger) to record more.")
