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

from datetime import timedelta

from ..fingerprint import most_differing_bits
from ..model import Hit
from .base import Rule, RuleError, common_fields
from .conditions import When, choices, claim_span, day

_EARLIER_KEYS = {"program", "track", "claims", "kinds", "types", "within_days", "similar"}


class HistoryRule(Rule):
    PLACEHOLDERS = frozenset({"program", "date", "count", "track"})
    KEYS = frozenset({"when", "earlier", "count", "at_least", "at_most", "mark"})
    NEEDS = "ledger"

    @classmethod
    def parse(cls, spec, vocabulary):
        rule = cls(**common_fields(spec, cls.KEYS))
        rule.when = When(spec.get("when"))
        earlier = spec.get("earlier") or {}
        if not isinstance(earlier, dict) or set(earlier) - _EARLIER_KEYS:
            raise RuleError(f"earlier may hold {', '.join(sorted(_EARLIER_KEYS))}")
        rule.program = earlier.get("program", "any")
        rule.track = earlier.get("track", "any")
        if rule.program not in ("same", "other", "any") or rule.track not in ("same", "any"):
            raise RuleError("earlier.program is same, other or any; earlier.track is same or any")
        rule.earlier = When({k: earlier[k] for k in ("claims", "kinds") if k in earlier}, "earlier")
        rule.types = choices(earlier.get("types", ["sent"]), ("sent", "interview", "received"), "earlier.types")
        rule.within = earlier.get("within_days")
        rule.similar = earlier.get("similar")
        if rule.within is not None and not (isinstance(rule.within, int) and rule.within > 0):
            raise RuleError("earlier.within_days must be a positive whole number")
        if rule.similar is not None and not (isinstance(rule.similar, float) and 0.5 < rule.similar <= 1):
            raise RuleError("earlier.similar must be a number between 0.5 and 1")
        rule.differing = most_differing_bits(rule.similar) if rule.similar is not None else None
        rule.count = spec.get("count", "events")
        rule.at_least, rule.at_most = spec.get("at_least", 1), spec.get("at_most")
        rule.mark = spec.get("mark", "message")
        if rule.count not in ("events", "programs") or rule.mark not in ("claim", "message"):
            raise RuleError("count is events or programs; mark is claim or message")
        if not isinstance(rule.at_least, int) or (rule.at_most is not None and not isinstance(rule.at_most, int)):
            raise RuleError("at_least and at_most must be whole numbers")
        return rule

    def _pool(self, doc, program) -> list:
        """The events of the rule's types that may count, from the ledger's lookups."""
        ledger = doc.memo("ledger", lambda doc: doc.context.ledger.until(doc.draft.at))
        if self.earlier.claims:
            pool = ledger.claiming(self.earlier.claims)
        elif self.program == "same":
            pool = ledger.by_program.get(program, [])
        else:
            return ledger.of_types(self.types)
        return [f for f in pool if f.type in self.types]

    def _counting(self, pool, doc, program, track) -> list:
        """The earlier events that count: each test one pass over what the tests before it left.

        As list comprehensions rather than one test function per event: with a season's ledger
        of hundreds of events, calls per event were most of what a ledger cost a check.
        """
        if self.within is not None:
            since = doc.draft.at - timedelta(days=self.within)
            pool = [f for f in pool if f.at >= since]
        if self.program == "same":
            pool = [f for f in pool if f.program == program]
        elif self.program == "other":
            pool = [f for f in pool if f.program is not None and f.program != program]
        if self.track == "same" and track:
            pool = [f for f in pool if not f.track or f.track == track]
        if self.earlier.claims or self.earlier.kinds:
            holds = self.earlier.holds
            pool = [f for f in pool if holds(f.kind, f.claims)]
        if self.similar is not None and pool:
            fingerprint, differing = doc.fingerprint, self.differing  # computed only now: most checks never need it
            pool = [f for f in pool
                    if f.fingerprint is not None and (f.fingerprint ^ fingerprint).bit_count() <= differing]
        return pool

    def hits(self, doc, timeout):
        facts = doc.facts
        if not self.when.holds(facts.kind, facts.claims):
            return
        program = facts.program.key if facts.program else None
        if program is None and self.program != "any":
            return  # without knowing the recipient, "same" and "other" mean nothing
        track = facts.program.track if facts.program else doc.draft.track
        counted = self._counting(self._pool(doc, program), doc, program, track)
        total = len({f.program for f in counted}) if self.count == "programs" else len(counted)
        if total < self.at_least or (self.at_most is not None and total > self.at_most):
            return
        values = {"count": total}
        if counted:
            latest = max(counted, key=lambda f: f.at)
            values.update(program=latest.program_name or latest.program, date=day(latest.at),
                          track=latest.track or "")
        start, end = claim_span(self.when.claims, doc, timeout) if self.mark == "claim" else (0, 0)
        yield Hit("text", start, end, values)
