"""Ledger rules: this message against what the applicant already sent.

    type: history
    when: {claims: [first_choice]}          # this message
    earlier:                                # which earlier events count
      program: other                        # same | other | any (institution)
      track: same                           # same | any
      claims: [first_choice]
      kinds: [...]
      types: [sent]                         # sent | interview | received
      within_days: 7
      similar: 0.85                         # near-duplicate text (SimHash similarity)
    count: programs                         # events (default) | programs
    at_least: 1                             # fires when the count is at least this...
    at_most: 0                              # ...and, if given, at most this
    mark: claim                             # claim: underline the claim; message (default): whole message

The message may say {program}, {date}, {count} and {track} of the latest event that counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..fingerprint import most_differing_bits
from ..ledger import DAY, instant
from ..model import Hit
from .base import Rule, RuleError, common_fields
from .conditions import When, choices, claim_span, day

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary

_EARLIER_KEYS = {"program", "track", "claims", "kinds", "types", "within_days", "similar"}


@dataclass(kw_only=True)
class HistoryRule(Rule):
    when: When  # this message
    program: str  # earlier events' institution: same | other | any
    track: str  # same | any
    earlier: When  # earlier events' kinds and claims
    types: frozenset[str]
    within: int | None  # days
    similar: float | None
    differing: int | None  # the most fingerprint bits that may differ, from `similar`
    count: str  # events | programs
    at_least: int
    at_most: int | None
    mark: str  # claim | message

    KEYS = frozenset({"when", "earlier", "count", "at_least", "at_most", "mark"})
    PLACEHOLDERS = frozenset({"program", "date", "count", "track"})
    NEEDS = "ledger"

    @classmethod
    def parse(cls, spec: dict, vocabulary: Vocabulary, origin: str = "") -> Rule:
        fields = common_fields(spec, cls.KEYS, origin)
        when = When(spec.get("when"))
        earlier = spec.get("earlier") or {}
        if not isinstance(earlier, dict) or set(earlier) - _EARLIER_KEYS:
            raise RuleError(f"earlier may hold {', '.join(sorted(_EARLIER_KEYS))}", "earlier")
        program = earlier.get("program", "any")
        track = earlier.get("track", "any")
        if program not in ("same", "other", "any") or track not in ("same", "any"):
            raise RuleError("earlier.program is same, other or any; earlier.track is same or any", "earlier")
        earlier_when = When({k: earlier[k] for k in ("claims", "kinds") if k in earlier}, "earlier")
        types = choices(earlier.get("types", ["sent"]), ("sent", "interview", "received"), "earlier.types")
        within = earlier.get("within_days")
        similar = earlier.get("similar")
        if within is not None and not (isinstance(within, int) and within > 0):
            raise RuleError("earlier.within_days must be a positive whole number", "earlier")
        if similar is not None and not (isinstance(similar, float) and 0.5 < similar <= 1):
            raise RuleError("earlier.similar must be a number between 0.5 and 1", "earlier")
        count = spec.get("count", "events")
        at_least, at_most = spec.get("at_least", 1), spec.get("at_most")
        mark = spec.get("mark", "message")
        if count not in ("events", "programs") or mark not in ("claim", "message"):
            raise RuleError("count is events or programs; mark is claim or message",
                            "count" if count not in ("events", "programs") else "mark")
        if not isinstance(at_least, int) or (at_most is not None and not isinstance(at_most, int)):
            raise RuleError("at_least and at_most must be whole numbers",
                            "at_least" if not isinstance(at_least, int) else "at_most")
        return cls(**fields, when=when, program=program, track=track, earlier=earlier_when, types=types,
                   within=within, similar=similar,
                   differing=most_differing_bits(similar) if similar is not None else None,
                   count=count, at_least=at_least, at_most=at_most, mark=mark)

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        facts = doc.facts
        if not self.when.holds(facts.kind, facts.claims):
            return
        program = facts.program.key if facts.program else None
        if program is None and self.program != "any":
            return  # without knowing the recipient, "same" and "other" mean nothing
        track = facts.program.track if facts.program else doc.draft.track
        selection = doc.context.ledger.select(self.types, self.earlier.kinds, self.earlier.claims,
                                              track if self.track == "same" and track else None)
        until = instant(doc.draft.at)
        since = None if self.within is None else until - self.within * DAY
        if self.similar is None:
            tally = selection.tally(self.program, program, since, until)
        else:
            tally = selection.tally_near(lambda: doc.fingerprint(timeout), self.differing, self.program, program,
                                         since, until)
        total = tally.programs if self.count == "programs" else tally.events
        if total < self.at_least or (self.at_most is not None and total > self.at_most):
            return
        values = {"count": total}
        latest = tally.latest
        if latest:
            values.update(program=latest.program_name or latest.program, date=day(latest.at),
                          track=latest.track or "")
        start, end = claim_span(self.when.claims, doc) if self.mark == "claim" else (0, 0)
        yield Hit("text", start, end, values)
