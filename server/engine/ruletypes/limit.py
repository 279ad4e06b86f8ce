"""Limit rules: too many words, too many exclamation marks, too short a subject."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Hit
from .base import Rule, RuleError, common_fields

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary

MEASURES = {
    "words": ("text", lambda doc: doc.text.word_count),
    "exclamations": ("text", lambda doc: doc.text.text.count("!")),
    "subject_words": ("subject", lambda doc: doc.subject.word_count),
}


def _limit(value, key):
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return {"default": value}
    if isinstance(value, dict) and all(isinstance(v, int) for v in value.values()):
        return value
    raise RuleError(f"{key} must be a number or a mapping from message kind to number", key)


@dataclass(kw_only=True)
class LimitRule(Rule):
    measure: Callable[..., int]  # of a checked document
    max: dict[str, int] | None  # message kind (or "default") -> limit
    min: dict[str, int] | None

    KEYS = frozenset({"measure", "max", "min"})
    PLACEHOLDERS = frozenset({"count", "limit"})

    @classmethod
    def parse(cls, spec: dict, vocabulary: Vocabulary, origin: str = "") -> Rule:
        fields = common_fields(spec, cls.KEYS, origin)
        if spec.get("measure") not in MEASURES:
            raise RuleError(f"measure must be one of {', '.join(MEASURES)}", "measure")
        field, measure = MEASURES[spec["measure"]]
        most, least = _limit(spec.get("max"), "max"), _limit(spec.get("min"), "min")
        if most is None and least is None:
            raise RuleError("a limit rule needs 'max' or 'min'")
        return cls(**{**fields, "field": field}, measure=measure, max=most, min=least)

    @staticmethod
    def _for_kind(limits, kind):
        return None if limits is None else limits.get(kind, limits.get("default"))

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        count = self.measure(doc)
        most, least = self._for_kind(self.max, doc.facts.kind), self._for_kind(self.min, doc.facts.kind)
        if most is not None and count > most:
            yield Hit(self.field, values={"count": count, "limit": most})
        elif least is not None and count < least:
            yield Hit(self.field, values={"count": count, "limit": least})
