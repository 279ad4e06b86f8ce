"""Example rules: sentences like the rule's examples, so an advisor extends a rule by adding sentences.

    type: examples
    phrases: ["where {I} stand on your {rank list}"]   # optional plain phrases
    about: [rank, match]                  # optional gate: the sentence names one of these concepts
    features: {asks: true}                # optional: what the sentence must (not) do (features.py)
    sentence: ["{rank_writer}"]           # optional expressions the sentence must all hold
    unless: [...]                         # optional expressions that leave a sentence alone
    when: {claims: [first_choice]}        # optional: only in a message that makes one of these claims
    similarity: 0.5                       # optional: how alike a sentence and a flag example must be
    margin: 0.08                          # optional: ...and how much more alike than to any clean one
    examples:
      flag: [Could you tell me where I stand on your rank list?]
      clean: [I know you cannot tell me where I stand.]

A phrase found is underlined; a sentence that reads like a flag example is underlined
whole, and its explanation ends by quoting the example (likeness.py has the measure).
The message and explanation may say {example}.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..likeness import PHRASE, LikeExamples
from ..markers import example_text
from ..matcher import PatternError
from ..model import Hit, Warning
from .base import Rule, RuleError, common_fields, filled
from .conditions import When

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary


@dataclass(kw_only=True)
class ExamplesRule(Rule):
    likeness: LikeExamples
    when: When

    KEYS = frozenset({"phrases", "about", "features", "sentence", "unless", "similarity", "margin", "when"})
    PLACEHOLDERS = frozenset({"example"})
    UNMARKED = "found"

    @classmethod
    def parse(cls, spec: dict, vocabulary: Vocabulary, origin: str = "") -> Rule:
        fields = common_fields(spec, cls.KEYS, origin)
        # A flag example with a marker is the sentence it marks: the rest is the context it needs.
        flag = [example_text(e, marked_only=True) for e in fields["examples"]["flag"]]
        clean = [example_text(e) for e in fields["examples"]["clean"]]
        try:
            likeness = LikeExamples(spec, vocabulary, flag, clean)
        except PatternError as error:
            raise RuleError(str(error), error.key, error.pattern) from None
        return cls(**fields, likeness=likeness, when=When(spec.get("when")))

    def matchers(self):
        return [self.likeness]

    def may_hit(self, doc: Document) -> bool:
        return doc.readings[self.field].may_hold(self.likeness)

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        if not self.when.holds(doc.facts.kind, doc.facts.claims):
            return
        for start, end, example in doc.spans(self.likeness, self.field):
            values = {} if example == PHRASE else {"example": self.likeness.flag_texts[example]}
            yield Hit(self.field, start, end, values)

    def warning(self, hit: Hit, doc: Document) -> Warning:
        warning = super().warning(hit, doc)
        if "example" not in hit.values or "{example}" in self.explanation:
            return warning
        return replace(warning, explanation=filled(f'{self.explanation.strip()} It reads like: "{{example}}"',
                                                    hit.values))
