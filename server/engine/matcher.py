"""The pattern language: expressions, conditions on the same sentence, and exceptions.

A Matcher answers one question: where in this text does the idea occur? Pattern
rules, claim detection and message kinds all use it. It reads one sentence at a time:
a match and its conditions lie within one sentence, so what a matcher finds in a
sentence depends on that sentence alone (and the character on either side of it), and
a check caches it for the next check of the same draft (reading.py).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

import regex

from .deadline import Deadline
from .model import MAX_WARNINGS
from .prefilter import Needs, required_strings
from .reading import SentenceReader
from .text import Prepared
from .vocabulary import Vocabulary, VocabularyError


class PatternError(ValueError):
    """A pattern that cannot be used: the key it is written under and the pattern as written, when known."""

    def __init__(self, reason: str, key: str | None = None, pattern: str | None = None):
        super().__init__(reason)
        self.key, self.pattern = key, pattern


def as_list(value, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise PatternError(f"{key} must be a string or a list of strings", key)


def compile_pattern(source: str, vocabulary: Vocabulary, case_sensitive: bool = False) -> regex.Pattern:
    try:
        expanded = vocabulary.expand(source)
    except VocabularyError as error:
        raise PatternError(f"pattern {source!r}: {error}", pattern=source) from None
    flags = regex.MULTILINE if case_sensitive else regex.MULTILINE | regex.IGNORECASE
    try:
        return regex.compile(expanded, flags)
    except regex.error as error:
        raise PatternError(f"pattern {source!r} does not compile: {error}", pattern=source) from None


@dataclass(frozen=True, eq=False)
class Pattern:
    """A compiled expression that knows what a text must hold for it to match, as Vale's MightMatch.

    needs: sets of lower-case literal strings such that every match holds one string of each
    set (prefilter.py); () when nothing is known. A sentence that lacks one is never searched.
    """

    compiled: regex.Pattern
    needs: Needs

    @classmethod
    def compile(cls, source: str, vocabulary: Vocabulary, case_sensitive: bool = False) -> Pattern:
        compiled = compile_pattern(source, vocabulary, case_sensitive)
        return cls(compiled, required_strings(compiled.pattern))


class Matcher:
    def __init__(self, spec: dict, vocabulary: Vocabulary):
        case = spec.get("case", "insensitive")
        if case not in ("insensitive", "sensitive"):
            raise PatternError("case must be 'insensitive' or 'sensitive'", "case")
        sensitive = case == "sensitive"
        sources = as_list(spec.get("pattern"), "pattern") + as_list(spec.get("patterns"), "patterns")
        if not sources:
            raise PatternError("a pattern rule needs 'pattern' or 'patterns'", "patterns")

        def build(values):
            return [Pattern.compile(s, vocabulary, sensitive) for s in values]

        self.patterns = build(sources)
        self.sentence = build(as_list(spec.get("sentence"), "sentence"))
        self.unless = build(as_list(spec.get("unless"), "unless"))
        # A pattern is only run on a sentence holding one string of each set it needs, and of
        # each set its conditions need: a match must also have its `sentence` patterns match.
        conditions = frozenset(need for p in self.sentence for need in p.needs)
        self.requires = [frozenset(p.needs) | conditions for p in self.patterns]

    def expressions(self) -> list[regex.Pattern]:
        """Every compiled expression it runs: its patterns and its conditions'."""
        return [p.compiled for p in (*self.patterns, *self.sentence, *self.unless)]

    def spans(self, prepared: Prepared, timeout: float | None) -> Iterator[tuple[int, int]]:
        """Non-overlapping (start, end) spans where the idea occurs, in text order.

        The text is read by a reader of this matcher alone that caches nothing: a check
        instead has its rule set's reader read every matcher at once (check.Document.spans).
        A TimeoutError reaches the caller.
        """
        return iter(self._reader.read(prepared, lambda: timeout).spans_of(self))

    @cached_property
    def _reader(self) -> SentenceReader:
        # Built once: its prefilter automaton and joined screen cost more than reading a short text.
        return SentenceReader([self], size=0)

    def found_in(self, prepared: Prepared, timeout: float | None = None) -> bool:
        """Whether the idea occurs at all."""
        return next(self.spans(prepared, timeout), None) is not None

    def in_sentence(self, context: str, start: int, end: int, runnable, timeout: float | None) -> list[tuple[int, int]]:
        """Where the idea occurs in the sentence context[start:end], in order, as spans of context.

        Matches lie within the sentence; lookarounds see the text around it that context
        holds. runnable: the indexes of the patterns whose prefilters the sentence meets,
        in order (an earlier pattern's match wins over an overlapping later one). timeout:
        for all of the sentence's searches together. Of each pattern, only its first
        MAX_WARNINGS matches, and at most MAX_WARNINGS spans in all, the first ones: a rule
        shows no more, and a pattern like "[a-z]+" finds every word of a sentence that may be
        50,000 characters long.
        """
        deadline = Deadline(timeout)
        taken: list[tuple[int, int]] = []  # sorted, none overlapping another
        fits = None
        for i in runnable:
            pattern = self.patterns[i].compiled
            # regex counts a timeout in wall-clock time, from the first match to the last, and by
            # default lets go of the interpreter lock while it matches: a thread busy beside this
            # one (building a newly published rule set) would use the time up. So: all matches
            # in one go, holding the lock.
            matches = pattern.finditer(context, start, timeout=deadline.left(), concurrent=False)
            for found in list(islice(matches, MAX_WARNINGS)):
                if found.end() > end:
                    break  # the next sentence's
                if fits is None:
                    fits = self._fits(context, start, end, deadline)
                if not fits:
                    return []
                a, b = found.span("mark") if "mark" in pattern.groupindex else found.span()
                # Spans are kept sorted, so the one that could overlap is the last starting before b.
                after = bisect.bisect_left(taken, (b,))
                if a < b and not (after and taken[after - 1][1] > a):
                    taken.insert(after, (a, b))
        return taken[:MAX_WARNINGS]

    def _fits(self, context: str, start: int, end: int, deadline: Deadline) -> bool:
        """Whether the sentence meets the conditions: each `sentence` pattern is in it, no `unless` one."""
        return all(c.compiled.search(context, start, end, timeout=deadline.left(), concurrent=False)
                   for c in self.sentence) and not any(
            u.compiled.search(context, start, end, timeout=deadline.left(), concurrent=False) for u in self.unless
        )
