"""One ledger event as the server keeps it: facts about a message, never its text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..engine import LedgerEvent
from ..isotime import iso

TYPES = ("sent", "interview", "received")
_UNSIGNED = 1 << 64
_SIGNED_MAX = 1 << 63

CSV_COLUMNS = ("event_id", "type", "at", "recorded_at", "program", "program_name", "track", "kind", "claims",
               "word_count", "fingerprint", "categories", "errors")


def _unsigned(fingerprint: int | None) -> int | None:
    return None if fingerprint is None else fingerprint % _UNSIGNED


def _cell(value: str | None) -> str:
    # A program outside the directory is named by whatever domain the user typed; a
    # spreadsheet would run a cell starting like a formula, so it is quoted.
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def fact_from_row(row) -> LedgerEvent:
    """The engine's view of a stored event (the columns store.fact_rows reads)."""
    return LedgerEvent(
        at=row.at, type=row.type, program=row.program, program_name=row.program_name, track=row.track,
        kind=row.kind or "other", claims=tuple(row.claims or ()), word_count=row.word_count or 0,
        fingerprint=_unsigned(row.fingerprint), categories=tuple(row.categories or ()),
    )


@dataclass(frozen=True)
class Event:
    event_id: str
    type: str
    at: datetime
    recorded_at: datetime
    program: str | None = None  # institution key
    program_name: str | None = None
    track: str | None = None
    kind: str | None = None  # what kind of message; None for an interview
    claims: tuple[str, ...] = ()
    word_count: int | None = None
    fingerprint: int | None = None  # 64-bit SimHash, unsigned
    categories: tuple[str, ...] = ()  # what the coach warned about when it was recorded
    errors: int | None = None  # how many of those warnings were errors; None for an interview or an old event

    @classmethod
    def from_row(cls, row) -> Event:
        return cls(
            event_id=row.event_id, type=row.type, at=row.at, recorded_at=row.recorded_at,
            program=row.program, program_name=row.program_name, track=row.track, kind=row.kind,
            claims=tuple(row.claims or ()), word_count=row.word_count, fingerprint=_unsigned(row.fingerprint),
            categories=tuple(row.categories or ()), errors=row.errors,
        )

    def as_row(self, user_id: int) -> dict:
        # Databases hold signed 64-bit integers; the upper half of the SimHash range wraps below zero.
        fingerprint = self.fingerprint
        if fingerprint is not None and fingerprint >= _SIGNED_MAX:
            fingerprint -= _UNSIGNED
        return {
            "user_id": user_id, "event_id": self.event_id, "type": self.type, "at": self.at,
            "recorded_at": self.recorded_at, "program": self.program, "program_name": self.program_name,
            "track": self.track, "kind": self.kind, "claims": list(self.claims), "word_count": self.word_count,
            "fingerprint": fingerprint, "categories": list(self.categories), "errors": self.errors,
        }

    def as_json(self) -> dict:
        return {
            "event_id": self.event_id, "type": self.type, "at": iso(self.at), "recorded_at": iso(self.recorded_at),
            "program": {"key": self.program, "name": self.program_name or self.program} if self.program else None,
            "track": self.track, "kind": self.kind, "claims": list(self.claims), "word_count": self.word_count,
            # As hex text: a JSON number loses precision beyond 2^53 in JavaScript.
            "fingerprint": None if self.fingerprint is None else f"{self.fingerprint:016x}",
            "categories": list(self.categories), "errors": self.errors,
        }

    def as_csv(self) -> list:
        data = self.as_json()
        return [
            self.event_id, self.type, data["at"], data["recorded_at"], _cell(self.program), _cell(self.program_name),
            _cell(self.track), self.kind or "", " ".join(self.claims),
            "" if self.word_count is None else self.word_count, data["fingerprint"] or "", " ".join(self.categories),
            "" if self.errors is None else self.errors,
        ]
