"""Calendar rules: right words at the wrong time of the season.

    type: calendar
    when: {claims: [first_choice]}
    stages: [applications, interviews]      # stage ids from calendar.yaml
    mark: claim                             # or message

    type: calendar                          # words that are wrong only at this time:
    stages: [certified, matched]            # each match is a warning, in these stages
    patterns: [...]                         # as in a pattern rule, with sentence and unless

The message may say {stage}, the stage of the season the message is written in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..matcher import Matcher, PatternError
from ..model import Hit
from .base import Rule, RuleError, common_fields
from .conditions import When, claim_span

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary

_PATTERN_KEYS = ("pattern", "patterns", "sentence", "unless", "case")


@dataclass(kw_only=True)
class CalendarRule(Rule):
    when: When
    stages: frozenset[str]
    mark: str  # claim | message
    matcher: Matcher | None = None  # the words, when the rule is about words rather than claims

    KEYS = frozenset({"when", "stages", "mark", *_PATTERN_KEYS})
    PLACEHOLDERS = frozenset({"stage"})
    NEEDS = "calendar"

    @classmethod
    def parse(cls, spec: dict, vocabulary: Vocabulary, origin: str = "") -> Rule:
        fields = common_fields(spec, cls.KEYS, origin)
        when = When(spec.get("when"))
        stages = spec.get("stages")
        if not isinstance(stages, list) or not stages or not all(isinstance(s, str) for s in stages):
            raise RuleError("a calendar rule needs 'stages', a list of stage ids from calendar.yaml", "stages")
        mark = spec.get("mark", "message")
        if mark not in ("claim", "message"):
            raise RuleError("mark is claim or message", "mark")
        matcher = None
        if any(key in spec for key in _PATTERN_KEYS):
            try:
                matcher = Matcher(spec, vocabulary)
            except PatternError as error:
                raise RuleError(str(error), error.key, error.pattern) from None
        return cls(**fields, when=when, stages=frozenset(stages), mark=mark, matcher=matcher)

    def matchers(self):
        return [self.matcher] if self.matcher else []

    def may_hit(self, doc: Document) -> bool:
        return self.matcher is None or doc.readings["text"].may_hold(self.matcher)

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        calendar = doc.context.calendar
        if not self.when.holds(doc.facts.kind, doc.facts.claims):
            return
        stage = calendar.stage_at(doc.draft.at)
        if stage not in self.stages:
            return
        if self.matcher is not None:
            for start, end in doc.spans(self.matcher):
                yield Hit("text", start, end, {"stage": stage})
            return
        start, end = claim_span(self.when.claims, doc) if self.mark == "claim" else (0, 0)
        yield Hit("text", start, end, {"stage": stage})
