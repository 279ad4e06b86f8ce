"""The live panel: an email the admin pastes, checked against the draft rules exactly as
/api/v1/check would answer the extension (same request shape, same directory and
calendar, same time budget), with earlier sends the admin types in for ledger rules.
Each warning says whether the rules in force give it too; those they give and the draft
does not are listed as gone. Nothing of the email is stored or logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

import yaml

from .. import checking, directory_calendar
from ..engine import Context, Ledger, LedgerEvent, RuleSet, safe_yaml
from ..engine.classify import CLAIMS, KINDS
from ..engine.fingerprint import simhash
from ..engine.model import Draft, Recipient
from ..errors import ApiError
from ..isotime import EARLIEST, LATEST, plausible

MAX_EARLIER = 200
MAX_RECIPIENTS = 100  # as /api/v1/check allows
_ENTRY_KEYS = {"to", "at", "claims", "kind", "track", "text", "type"}
_TYPES = ("sent", "interview", "received")


def _bad(message: str):
    return ApiError(400, "bad_ledger", f"Earlier sends: {message}")


def _moment(value, default: datetime, number: int) -> datetime:
    if value is None:
        return default
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(12))
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise _bad(f"entry {number}: 'at' must be an ISO date or time, not {str(value)[:40]!r}") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if not plausible(moment):
        raise _bad(f"entry {number}: 'at' must be from {EARLIEST.year} to {LATEST.year - 1}")
    return moment


def _names(value, allowed, key: str, number: int) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v in allowed for v in values):
        raise _bad(f"entry {number}: '{key}' must be some of {', '.join(allowed)}")
    return tuple(values)


def earlier_sends(text: str, written_at: datetime, directory, max_chars: int) -> list[LedgerEvent]:
    """The ledger the admin typed: a YAML (or JSON) list in the shape of a rule example's `ledger`,
    e.g. [{to: pd@vumc.org, at: 2027-02-01, claims: [first_choice], kind: letter_of_intent}]."""
    if not text.strip():
        return []
    try:
        entries = safe_yaml.load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _bad(f"not valid YAML{f' (line {mark.line + 1})' if mark else ''}") from None
    if entries is None:
        return []
    if not isinstance(entries, list) or len(entries) > MAX_EARLIER:
        raise _bad(f"a list of at most {MAX_EARLIER} sends, each a mapping with to, at, kind, claims...")
    facts = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or set(entry) - _ENTRY_KEYS:
            raise _bad(f"entry {number} may only have {', '.join(sorted(_ENTRY_KEYS))}")
        to = entry.get("to") or []
        to = [to] if isinstance(to, str) else to
        if not isinstance(to, list) or not all(isinstance(a, str) for a in to) or len(to) > MAX_RECIPIENTS:
            raise _bad(f"entry {number}: 'to' must be an address or a list of at most {MAX_RECIPIENTS} addresses")
        recipients = tuple(Recipient.parse(a) for a in to)
        track = entry.get("track")
        if track is not None and not isinstance(track, str):
            raise _bad(f"entry {number}: 'track' must be a track id")
        program = directory.program_for(recipients, track) if directory and recipients else None
        kind = entry.get("kind", "other")
        if not isinstance(kind, str) or kind not in KINDS:
            raise _bad(f"entry {number}: 'kind' must be one of {', '.join(KINDS)}")
        kind_type = entry.get("type", "sent")
        if not isinstance(kind_type, str) or kind_type not in _TYPES:
            raise _bad(f"entry {number}: 'type' must be one of {', '.join(_TYPES)}")
        body = entry.get("text")
        if body is not None and (not isinstance(body, str) or len(body) > max_chars):
            raise _bad(f"entry {number}: 'text' must be text of at most {max_chars} characters")
        facts.append(LedgerEvent(
            at=_moment(entry.get("at"), written_at, number), type=kind_type,
            program=program.key if program else None, program_name=program.name if program else None,
            track=track or (program.track if program else None), kind=kind,
            claims=_names(entry.get("claims"), CLAIMS, "claims", number),
            fingerprint=simhash(body) if body else None,
        ))
    return sorted(facts, key=lambda f: f.at, reverse=True)


def _key(warning: dict) -> tuple:
    return (warning["rule"], warning["field"], warning["offset"], warning["length"], warning["severity"])


def check_live(draft_rules: RuleSet, rules_in_force: RuleSet, message: Draft, earlier: str, config: Mapping) -> dict:
    """The draft's answer for the email, each warning marked new or same against the rules in force."""
    directory, calendar = directory_calendar.current()
    earlier_facts = earlier_sends(earlier, message.at, directory, config["MAX_TEXT_CHARS"])
    context = Context(ledger=Ledger(earlier_facts), directory=directory, calendar=calendar)

    def run(ruleset: RuleSet) -> dict:
        return checking.check(message, config, ruleset=ruleset, context=context).as_json()

    answer = run(draft_rules)
    in_force = run(rules_in_force) if rules_in_force is not draft_rules else answer
    before = {_key(w) for w in in_force["warnings"]}
    after = {_key(w) for w in answer["warnings"]}
    for warning in answer["warnings"]:
        warning["status"] = "same" if _key(warning) in before else "new"
    answer["gone"] = [w for w in in_force["warnings"] if _key(w) not in after]
    return answer
