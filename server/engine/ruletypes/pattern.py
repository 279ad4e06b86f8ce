"""Pattern rules: a phrase that is wrong wherever it appears, unless the sentence says otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..matcher import Matcher, PatternError
from ..model import Hit
from .base import Rule, RuleError, common_fields

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary


@dataclass(kw_only=True)
class PatternRule(Rule):
    matcher: Matcher

    KEYS = frozenset({"pattern", "patterns", "phrases", "sentence", "about", "features", "unless", "case"})

    @classmethod
    def parse(cls, spec: dict, vocabulary: Vocabulary, origin: str = "") -> Rule:
        try:
            matcher = Matcher(spec, vocabulary)
        except PatternError as error:
            raise RuleError(str(error), error.key, error.pattern) from None
        return cls(**common_fields(spec, cls.KEYS, origin), matcher=matcher)

    def matchers(self):
        return [self.matcher]

    def may_hit(self, doc: Document) -> bool:
        # Most of a rule set's patterns are in no sentence of a draft, which its reading already knows.
        return doc.readings[self.field].may_hold(self.matcher)

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        for start, end in doc.spans(self.matcher, self.field):
            yield Hit(self.field, start, end)
