"""One sentence as the rules read it: what it does, and what it means, each worked out once.

The sentence reader (reading.py) hands one of these to every matcher that reads a
sentence it has not seen. Its features (features.py) and its embedding (embedding.py)
are computed the first time a matcher asks, and shared by the others, so a sentence
costs one embedding however many example rules it reaches; a sentence no rule's gate
lets through costs none. What the matchers then find is cached per sentence by the reader.
"""

from __future__ import annotations

import re
from functools import cached_property

from . import embedding, features

# The standard library's engine: for this simplest of expressions, a third quicker than regex's.
_WORD = re.compile(r"\w+")


class Sentence:
    """context[start:end] is the sentence; context holds the character either side of it."""

    def __init__(self, context: str, start: int, end: int):
        self.context, self.start, self.end = context, start, end
        self._features: dict[str, bool] = {}

    @cached_property
    def text(self) -> str:
        return self.context[self.start:self.end]

    @cached_property
    def bounds(self) -> tuple[int, int]:
        """Where the sentence's own words begin and end in context: without the spaces around them."""
        text = self.text
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        return self.start + left, self.start + max(left, right)

    @cached_property
    def words(self) -> frozenset[str]:
        """Its words in lower case: runs of word characters, as \\b sees them."""
        return frozenset(_WORD.findall(self.text.lower()))

    def has(self, feature: str) -> bool:
        if feature not in self._features:
            self._features[feature] = features.has(feature, self.text)
        return self._features[feature]

    @cached_property
    def embedding(self):
        """The sentence's unit vector (embedding.py)."""
        return embedding.embed(self.text.strip())
