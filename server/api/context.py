"""What the engine needs beyond a draft: the user's ledger and tracks, the directory, the calendar."""

from __future__ import annotations

from .. import reference
from ..accounts import User
from ..engine import Context
from ..errors import ApiError
from ..ledger.facts import ledger_for


def context_for(user: User | None) -> Context:
    """The context of a signed-in user, or of an anonymous check (no ledger: ledger rules stay silent)."""
    directory, calendar = reference.current()
    if user is None:
        return Context(ledger=None, directory=directory, calendar=calendar)
    return Context(ledger=ledger_for(user.id, user.ledger_version), directory=directory, calendar=calendar,
                   tracks=user.tracks)


def known_track(track: str | None, key: str = "track") -> str | None:
    """The track if the directory lists it (or none was given); 400 otherwise."""
    directory = reference.directory()
    if track is not None and (directory is None or track not in directory.track_ids()):
        raise ApiError(400, "unknown_track", f"'{key}': {track!r} is not a track in the program directory.")
    return track
