"""Checking a message as the API and the admin's live panel do: the rule set in force, the
user's context (ledger, tracks, directory, calendar) and the configured time budget.

No HTTP here: the views read the request and hand over a message, a user and the config.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import directory_calendar, engine, rulesets
from .accounts import User
from .engine import Budget, Context, Draft, Result, RuleSet
from .errors import ApiError
from .ledger.facts import ledger_for


def budget(config: Mapping) -> Budget:
    return Budget(config["CHECK_BUDGET_MS"] / 1000, config["RULE_TIMEOUT_MS"] / 1000)


def context_for(user: User | None) -> Context:
    """The context of a signed-in user, or of an anonymous check (no ledger: ledger rules stay silent)."""
    directory, calendar = directory_calendar.current()
    if user is None:
        return Context(ledger=None, directory=directory, calendar=calendar)
    return Context(ledger=ledger_for(user.id, user.ledger_version), directory=directory, calendar=calendar,
                   tracks=user.tracks)


def check(message: Draft, config: Mapping, *, user: User | None = None, ruleset: RuleSet | None = None,
          context: Context | None = None) -> Result:
    """The warnings for the message: by default the rules in force, in the user's context."""
    ruleset = rulesets.active() if ruleset is None else ruleset
    context = context_for(user) if context is None else context
    return engine.check(ruleset, message, context, budget(config))


def known_track(track: str | None, key: str = "track") -> str | None:
    """The track if the directory lists it (or none was given); 400 otherwise."""
    directory = directory_calendar.directory()
    if track is not None and (directory is None or track not in directory.track_ids()):
        raise ApiError(400, "unknown_track", f"'{key}': {track!r} is not a track in the program directory.")
    return track
