"""The plain data the engine takes in and gives out."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from .calendar import Calendar
    from .directory import Directory
    from .ledger import Ledger

_ADDRESS = regex.compile(r"^\s*(?:\"?(?P<name>[^\"<]*?)\"?\s*)?<(?P<address>[^<>\s]+@[^<>\s]+)>\s*$")


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str

    @classmethod
    def parse(cls, value: str) -> Recipient:
        """'Dr Jane Smith <jsmith@uw.edu>' or a bare address."""
        found = _ADDRESS.match(value)
        if found:
            return cls(found.group("name") or "", found.group("address").lower())
        return cls("", value.strip().lower())

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


@dataclass(frozen=True)
class Draft:
    """One email as the client sees it."""

    text: str
    at: datetime
    subject: str | None = None  # None: the client sent no subject, so subject rules stay quiet
    to: tuple[Recipient, ...] = ()
    direction: str = "outbound"
    track: str | None = None
    sender: Recipient | None = None  # who wrote it: the program, for inbound mail

    @property
    def counterpart(self) -> tuple[Recipient, ...]:
        """The other side of the conversation: recipients of what the applicant writes,
        the sender of what a program writes."""
        if self.direction == "inbound" and self.sender:
            return (self.sender,)
        return self.to


@dataclass(frozen=True)
class Program:
    """The institution a message goes to, and the track it is about."""

    key: str
    name: str
    track: str | None = None
    known: bool = True  # False: not in the directory, told apart by its mail domain only

    def as_json(self) -> dict:
        return {"key": self.key, "name": self.name, "track": self.track, "known": self.known}


@dataclass(frozen=True)
class LedgerEvent:
    """One earlier event of the applicant's with a program (a send, an interview, received mail): never its text."""

    at: datetime
    type: str = "sent"  # sent | interview | received
    program: str | None = None  # institution key
    program_name: str | None = None
    track: str | None = None
    kind: str = "other"
    claims: tuple[str, ...] = ()
    word_count: int = 0
    fingerprint: int | None = None
    categories: tuple[str, ...] = ()


@dataclass
class Context:
    """What the API layer knows beyond the draft: the sender's history and the school's data."""

    ledger: Ledger | None = None  # None: no signed-in user, ledger rules do not apply
    directory: Directory | None = None
    calendar: Calendar | None = None
    tracks: tuple[str, ...] = ()  # the user's tracks


@dataclass(frozen=True)
class Facts:
    kind: str
    claims: tuple[str, ...]
    word_count: int
    fingerprint: int | None  # filled by Result.ledger_facts(), for the ledger
    program: Program | None = None

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "claims": list(self.claims),
            "word_count": self.word_count,
            "program": self.program.as_json() if self.program else None,
        }


@dataclass(frozen=True)
class Hit:
    """Where a rule fired: a span of one field, or the whole message when length is 0."""

    field: str = "text"
    start: int = 0
    end: int = 0
    values: dict = dataclass_field(default_factory=dict)  # fills {placeholders} in the rule's message


# The most warnings one rule gives a check: every underline of a real draft (the extension's
# benchmark shows 50 at once), while a draft that repeats a flagged word 25,000 times costs
# and weighs no more than one that repeats it 50 times.
MAX_WARNINGS = 50


@dataclass(frozen=True)
class Warning:
    rule: str
    category: str
    severity: str
    message: str
    explanation: str
    source: str
    field: str
    offset: int  # UTF-16 code units
    length: int
    suggestions: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "rule": self.rule, "category": self.category, "severity": self.severity,
            "message": self.message, "explanation": self.explanation, "source": self.source,
            "field": self.field, "offset": self.offset, "length": self.length,
            "suggestions": list(self.suggestions),
        }
