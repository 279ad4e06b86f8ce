"""The ledger endpoints: record what the user did, read it back, export it, erase it.

A sent or received message's text is read once, to derive its facts and the warnings
it raised, and then dropped: it is never stored and never logged.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime

from flask import Response, current_app, g, jsonify, request

from .. import reference, rulesets
from ..accounts import require_user
from ..engine import Budget, Draft, Program, Recipient, check
from ..errors import ApiError
from ..isotime import iso
from ..ledger import store
from ..ledger.events import CSV_COLUMNS, TYPES, Event
from ..ledger.facts import ledger_for
from ..ledger.summary import summary
from . import bp
from .context import context_for, known_track
from .requests import draft, json_body, optional_str, recipients, timestamp

DEFAULT_PAGE, MAX_PAGE = 100, 1000
# A program outside the directory is named by its mail domain, or by an address there.
_DOMAIN_OR_ADDRESS = re.compile(r"^(?:[^@\s]+@)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


def _uuid(value, key: str) -> str:
    if not isinstance(value, str) or len(value) > 45:
        raise ApiError(400, "bad_field", f"'{key}' must be a UUID.")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ApiError(400, "bad_field", f"'{key}' must be a UUID.") from None


def _check_addresses(addresses: tuple[Recipient, ...], key: str) -> None:
    # An address becomes the program's key when the directory does not know it, so it must
    # be one that every database can store: no control characters, no spaces, not endless.
    for recipient in addresses:
        address = recipient.address
        if "@" not in address or len(address) > 320 or not address.isprintable() or " " in address:
            raise ApiError(400, "bad_field", f"'{key}' must hold email addresses: {address[:80]!r} is not one.")


def _message(body: dict, event_type: str) -> Draft:
    """The sent or received message, validated; 413 when its text is over the limit."""
    if event_type == "sent":
        message = draft({**body, "direction": "outbound"})
        if not message.to:
            raise ApiError(400, "missing_field", "'to' must list at least one recipient.")
    else:
        sender = optional_str(body, "from")
        if not sender or not sender.strip():
            raise ApiError(400, "missing_field", "'from' (the program's address) is required.")
        # The program is the sender; the engine finds a message's program among its addresses.
        message = draft({**body, "direction": "inbound", "to": [sender]})
    _check_addresses(message.to, "to" if event_type == "sent" else "from")
    known_track(message.track)
    return message


def _interview(event_id: str, body: dict) -> Event:
    """An interview: which program (by directory key, domain or address) and when."""
    track = known_track(optional_str(body, "track"))
    at = timestamp(body)
    key = optional_str(body, "program")
    addresses = recipients(body)
    _check_addresses(addresses, "to")
    if (key is None) == (not addresses):
        raise ApiError(400, "missing_field", "An interview needs either 'program' or 'to'.")
    directory = reference.directory()
    tracks = g.user.tracks
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


def _derive(event_id: str, event_type: str, message: Draft) -> Event:
    """The facts the ledger keeps of a message; the text goes no further than this function."""
    config = current_app.config
    budget = Budget(config["CHECK_BUDGET_MS"] / 1000, config["RULE_TIMEOUT_MS"] / 1000)
    ruleset, context = rulesets.active(), context_for(g.user)
    # What the coach warned about as it went out, judged against the ledger before this message.
    result = check(ruleset, message, context, budget)
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


@bp.post("/ledger/events")
@require_user
def record_event():
    body = json_body()
    event_id = _uuid(body.get("event_id"), "event_id")
    event_type = body.get("type")
    if event_type not in TYPES:
        raise ApiError(400, "bad_field", f"'type' must be one of {', '.join(TYPES)}.")
    if event_type == "interview":
        event, message = _interview(event_id, body), None
    else:
        event, message = None, _message(body, event_type)
    # A retry of an event already stored is answered before the engine reads anything.
    existing = store.get(g.user.id, event_id)
    if existing is not None:
        return jsonify(existing.as_json()), 200
    limit = current_app.config["MAX_LEDGER_EVENTS"]
    count, _ = g.user.ledger_version
    if count >= limit:  # known full as the request began: spare the engine its reading
        raise _ledger_full(limit)
    try:
        stored, created = store.record(g.user.id, event or _derive(event_id, event_type, message), limit)
    except store.LedgerFull:
        raise _ledger_full(limit) from None
    return jsonify(stored.as_json()), 201 if created else 200


def _ledger_full(limit: int) -> ApiError:
    return ApiError(409, "ledger_full", f"Your ledger holds {limit} events, as many as it may. Export it and "
                                        "erase it (DELETE /api/v1/ledger) to record more.")


def _limit() -> int:
    value = request.args.get("limit", str(DEFAULT_PAGE))
    if not re.fullmatch(r"[0-9]{1,4}", value) or not 1 <= int(value) <= MAX_PAGE:
        raise ApiError(400, "bad_parameter", f"'limit' must be a whole number from 1 to {MAX_PAGE}.")
    return int(value)


@bp.get("/ledger")
@require_user
def list_events():
    limit = _limit()
    before = request.args.get("before")
    before = None if before is None else _uuid(before, "before")
    try:
        events, following = store.page(g.user.id, limit, before)
    except store.UnknownEvent:
        raise ApiError(400, "bad_parameter", "'before' names no event in your ledger.") from None
    return jsonify({"events": [e.as_json() for e in events], "next": following})


@bp.get("/ledger/export")
@require_user
def export():
    kind = request.args.get("format", "json")
    if kind not in ("csv", "json"):
        raise ApiError(400, "bad_parameter", "'format' must be csv or json.")
    events = store.all_events(g.user.id)
    stamp = datetime.now(UTC)
    filename = f"coach-ledger-{stamp:%Y%m%d}.{kind}"
    if kind == "json":
        response = jsonify({"email": g.user.email, "exported_at": iso(stamp),
                            "events": [e.as_json() for e in events]})
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(e.as_csv() for e in events)
        response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.delete("/ledger")
@require_user
def erase():
    return jsonify({"deleted": store.erase(g.user.id)})


@bp.get("/ledger/summary")
@require_user
def ledger_summary():
    to = request.args.getlist("to")
    if len(to) > 100:
        raise ApiError(400, "bad_parameter", "'to' may list at most 100 addresses.")
    track = known_track(request.args.get("track") or None)
    directory = reference.directory()
    addresses = tuple(Recipient.parse(a) for a in to if a.strip())
    program = directory.program_for(addresses, track, g.user.tracks) if directory and addresses else None
    return jsonify(summary(ledger_for(g.user.id, g.user.ledger_version), program))
