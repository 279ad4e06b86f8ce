"""Pattern rules: a phrase that is wrong wherever it appears, unless the sentence says otherwise."""

from __future__ import annotations

from ..matcher import Matcher, PatternError
from ..model import Hit
from .base import Rule, RuleError, common_fields


class PatternRule(Rule):
    KEYS = frozenset({"pattern", "patterns", "sentence", "unless", "case"})

    @classmethod
    def parse(cls, spec, vocabulary):
        rule = cls(**common_fields(spec, cls.KEYS))
        try:
            rule.matcher = Matcher(spec, vocabulary)
        except PatternError as error:
            raise RuleError(str(error)) from None
        return rule

    def matchers(self):
        return [self.matcher]

    def may_hit(self, doc):
        # Most of a rule set's patterns are in no sentence of a draft, which its reading already knows.
        return doc.readings[self.field].may_hold(self.matcher)

    def hits(self, doc, timeout):
        for start, end in doc.spans(self.matcher, self.field):
            yield Hit(self.field, start, end)
