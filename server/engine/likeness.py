"""Sentences like a rule's examples: nearest-example similarity of sentence embeddings.

A rule of `type: examples` flags a sentence when one of its `phrases` is in it, or when
the sentence reads like one of its `flag` examples: the cosine similarity of their
embeddings (embedding.py) is at least `similarity`, and higher by at least `margin` than
its similarity to the nearest `clean` example. The margin is what lets an advisor
correct a rule by adding the sentence it should have left alone: "I know you cannot
tell me where I stand" shares most of its words with "Could you tell me where I
stand?", and only a clean example near it keeps it clean. Either way the sentence must
pass the rule's cheap gates first: `about` (it names one of these concepts), `unless`
and `features` (features.py). Only a sentence that passes them is embedded, once
(sentence.py), and the reader caches what was found in it (reading.py).

The examples are embedded once, when the rule set is built.
"""

from __future__ import annotations

import numpy as np

from .deadline import Deadline
from .embedding import embed_all
from .matcher import EVERY_SENTENCE, Matcher, PatternError
from .sentence import Sentence
from .vocabulary import Vocabulary

DEFAULT_SIMILARITY = 0.5
DEFAULT_MARGIN = 0.08
PHRASE = -1  # what a span found by a phrase carries instead of an example's number


def _fraction(spec: dict, key: str, default: float, low: float, high: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise PatternError(f"{key} must be a number from {low} to {high}", key)
    return float(value)


class LikeExamples(Matcher):
    """A matcher whose last probe is the gate of similarity; the probes before it are its phrases."""

    def __init__(self, spec: dict, vocabulary: Vocabulary, flag: list[str], clean: list[str]):
        super().__init__(spec, vocabulary, require_patterns=False)
        self.similarity = _fraction(spec, "similarity", DEFAULT_SIMILARITY, 0.3, 1.0)
        self.margin = _fraction(spec, "margin", DEFAULT_MARGIN, 0.0, 0.5)
        self.phrase_count = len(self.patterns)
        # The gate probe: the reader runs it on the sentences where the `about` concepts may be
        # (on every sentence when there is no `about`), and in_sentence then weighs the likeness.
        self.patterns = [*self.patterns, self.about.pattern if self.about else EVERY_SENTENCE]
        self.requires = [*self.requires, self.conditions]
        self.flag_texts, self.clean_texts = tuple(flag), tuple(clean)
        self.flag = embed_all(list(flag))
        self.clean = embed_all(list(clean))

    def in_sentence(self, sentence: Sentence, runnable, timeout: float | None) -> list[tuple]:
        """The phrases found in the sentence, as (start, end, PHRASE); else the whole sentence as
        (start, end, number of the flag example it reads like), when it does; else nothing."""
        runnable = list(runnable)
        phrases = [i for i in runnable if i < self.phrase_count]
        if phrases:
            found = super().in_sentence(sentence, phrases, timeout)
            if found:
                return [(a, b, PHRASE) for a, b in found]
        if self.phrase_count not in runnable or not self._fits(sentence, Deadline(timeout)):
            return []
        example = self.resembled(sentence.embedding)
        if example is None:
            return []
        return [(*sentence.bounds, example)]

    def resembled(self, vector: np.ndarray) -> int | None:
        """The number of the flag example the vector reads like, by the rule's similarity and margin."""
        if not len(self.flag):
            return None
        likeness = self.flag @ vector
        nearest = int(np.argmax(likeness))
        best = float(likeness[nearest])
        if best < self.similarity:
            return None
        if len(self.clean) and best - float(np.max(self.clean @ vector)) < self.margin:
            return None
        return nearest
