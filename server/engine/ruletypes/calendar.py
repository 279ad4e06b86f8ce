"""Calendar rules: right words at the wrong time of the season.

    type: calendar
    when: {claims: [first_choice]}
    stages: [applications, interviews]      # stage ids from calendar.yaml
    mark: claim                             # or message

The message may say {stage}, the stage of the season the message is written in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Hit
from .base import Rule, RuleError, common_fields
from .conditions import When, claim_span

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary


@dataclass(kw_only=True)
class CalendarRule(Rule):
    when: When
    stages: frozenset[str]
    mark: str  # claim | message

    KEYS = frozenset({"when", "stages", "mark"})
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
        return cls(**fields, when=when, stages=frozenset(stages), mark=mark)

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        calendar = doc.context.calendar
        if not self.when.holds(doc.facts.kind, doc.facts.claims):
            return
        stage = calendar.stage_at(doc.draft.at)
        if stage not in self.stages:
            return
        start, end = claim_span(self.when.claims, doc) if self.mark == "claim" else (0, 0)
        yield Hit("text", start, end, {"stage": stage})
