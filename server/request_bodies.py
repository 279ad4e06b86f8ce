"""Reading and validating JSON request bodies: bad input is a 400 that changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import current_app, request

from .engine import Draft, Recipient
from .errors import ApiError
from .isotime import EARLIEST, LATEST, plausible

# No body the server reads nests deeper than four levels (an admin's change, inside the
# request); anything far deeper is refused before a view walks it.
MAX_DEPTH = 32
# JSON may escape half of a UTF-16 pair ("\ud800") on its own; Python keeps it as a
# character that no encoder, database or hash accepts. A pair decodes to one character.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_body() -> dict:
    try:
        body = request.get_json(silent=True, force=True)
    except RecursionError:  # nested deeper than the JSON parser goes
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", f"The request body must be a JSON object, nested at most {MAX_DEPTH} deep.")
    _check_values(body)
    return body


def _check_values(body: dict) -> None:
    """400 unless every string is Unicode text and nothing nests deeper than MAX_DEPTH.

    The walk keeps its own stack: what the parser accepted may be nested deeper than
    Python's recursion goes.
    """
    pending = [(value, 1, key) for key, value in body.items()] + [(key, 1, key) for key in body]
    while pending:
        value, depth, field = pending.pop()
        if depth > MAX_DEPTH:
            raise ApiError(400, "bad_json", f"'{field}' is nested more than {MAX_DEPTH} deep.")
        if isinstance(value, dict):
            pending.extend((item, depth + 1, field) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            pending.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str) and _LONE_SURROGATE.search(value):
            raise ApiError(400, "bad_text", f"'{str(field)[:40]}' holds half of a UTF-16 surrogate pair "
                                            "(such as \\ud800) without its other half: it is not text.")


def optional_str(body: dict, key: str, default: str | None = None) -> str | None:
    value = body.get(key, default)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, "bad_field", f"'{key}' must be a string.")
    return value


def token_label(body: dict) -> str:
    """A device's name for its token ('label'), trimmed; "" without one."""
    label = (optional_str(body, "label") or "").strip()
    if len(label) > 100 or not label.isprintable():
        raise ApiError(400, "bad_field", "'label' must be plain text of at most 100 characters.")
    return label


def recipients(body: dict, key: str = "to") -> tuple[Recipient, ...]:
    value = body.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(400, "bad_field", f"'{key}' must be a list of addresses.")
    if len(value) > 100:
        raise ApiError(400, "bad_field", f"'{key}' may list at most 100 addresses.")
    return tuple(Recipient.parse(v) for v in value if v.strip())


def timestamp(body: dict, key: str = "at") -> datetime:
    value = optional_str(body, key)
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        parsed.astimezone(UTC)  # stored in UTC: 0001-01-01T00:00+05:00 has no UTC time
    except (ValueError, OverflowError):
        raise ApiError(400, "bad_field", f"'{key}' must be an ISO-8601 time.") from None
    if not plausible(parsed):
        raise ApiError(400, "bad_field", f"'{key}' must be a time from {EARLIEST.year} to {LATEST.year - 1}.")
    return parsed


def draft(body: dict, *, text_required: bool = True) -> Draft:
    text = optional_str(body, "text", None if text_required else "")
    if text is None:
        raise ApiError(400, "missing_field", "'text' is required.")
    subject = optional_str(body, "subject")
    limit = current_app.config["MAX_TEXT_CHARS"]
    if len(text) + len(subject or "") > limit:
        raise ApiError(413, "too_large", f"The message is longer than {limit} characters.")
    direction = optional_str(body, "direction", "outbound")
    if direction not in ("outbound", "inbound"):
        raise ApiError(400, "bad_field", "'direction' must be 'outbound' or 'inbound'.")
    sender = optional_str(body, "from")
    return Draft(
        text=text, subject=subject, to=recipients(body), direction=direction,
        at=timestamp(body), track=optional_str(body, "track"),
        sender=Recipient.parse(sender) if sender and sender.strip() else None,
    )
