"""The pattern language: expressions, conditions on the same sentence, and exceptions.

A Matcher answers one question: where in this text does the idea occur? Pattern
rules, claim detection and message kinds all use it.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .prefilter import required_strings
from .text import Prepared
from .vocabulary import Vocabulary, VocabularyError


class PatternError(ValueError):
    pass


def as_list(value, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise PatternError(f"{key} must be a string or a list of strings")


def compile_pattern(source: str, vocabulary: Vocabulary, case_sensitive: bool = False) -> regex.Pattern:
    try:
        expanded = vocabulary.expand(source)
    except VocabularyError as error:
        raise PatternError(f"pattern {source!r}: {error}") from None
    flags = regex.MULTILINE if case_sensitive else regex.MULTILINE | regex.IGNORECASE
    try:
        return regex.compile(expanded, flags)
    except regex.error as error:
        raise PatternError(f"pattern {source!r} does not compile: {error}") from None


class Matcher:
    def __init__(self, spec: dict, vocabulary: Vocabulary):
        case = spec.get("case", "insensitive")
        if case not in ("insensitive", "sensitive"):
            raise PatternError("case must be 'insensitive' or 'sensitive'")
        sensitive = case == "sensitive"
        sources = as_list(spec.get("pattern"), "pattern") + as_list(spec.get("patterns"), "patterns")
        if not sources:
            raise PatternError("a pattern rule needs 'pattern' or 'patterns'")

        def build(values):
            return [compile_pattern(s, vocabulary, sensitive) for s in values]

        self.patterns = build(sources)
        self.sentence = build(as_list(spec.get("sentence"), "sentence"))
        self.unless = build(as_list(spec.get("unless"), "unless"))
        # Literal strings the text must hold for a match to be possible (prefilter.py): a
        # pattern is only run on the sentences holding one of its own.
        self.needs = [required_strings(p.pattern) for p in self.patterns]
        self.sentence_needs = [required_strings(p.pattern) for p in self.sentence]

    def literals(self) -> set[str]:
        """Every literal this matcher's prefilters look for."""
        return {literal for needs in self.needs + self.sentence_needs for need in needs for literal in need}

    def spans(self, prepared: Prepared, timeout: float | None) -> Iterator[tuple[int, int]]:
        """Non-overlapping (start, end) spans where the idea occurs, in text order.

        The regex timeout applies to each search; a TimeoutError reaches the caller.
        """
        taken: list[tuple[int, int]] = []
        for found, pattern in self._matches(prepared, timeout):
            start, end = found.span("mark") if "mark" in pattern.groupindex else found.span()
            if start < end and not any(start < t_end and t_start < end for t_start, t_end in taken):
                taken.append((start, end))
        return iter(sorted(taken))

    def found_in(self, prepared: Prepared, timeout: float | None = None) -> bool:
        """Whether the idea occurs at all: stops at the first place it does."""
        return next(self._matches(prepared, timeout), None) is not None

    def _matches(self, prepared: Prepared, timeout: float | None):
        """Every match inside one sentence whose sentence meets the conditions."""
        text = prepared.text
        if not all(prepared.present(need) for needs in self.sentence_needs for need in needs):
            return
        for pattern, needs in zip(self.patterns, self.needs, strict=True):
            for start, end in self._windows(prepared, needs):
                # regex counts a timeout in wall-clock time, from the first match to the last, and by
                # default lets go of the interpreter lock while it matches: a thread busy beside this
                # one (building a newly published rule set) would use the time up. So: all matches
                # in one go, holding the lock.
                for found in list(pattern.finditer(text, start, end, timeout=timeout, concurrent=False)):
                    sentence = prepared.sentence_at(found.start())
                    if sentence and found.end() <= sentence.end and self._fits(text, sentence, timeout):
                        yield found, pattern

    @staticmethod
    def _windows(prepared: Prepared, needs) -> list[tuple[int, int]]:
        """The stretches of text worth searching: the sentences holding what the pattern needs."""
        if not needs:
            return [(0, len(prepared.text))]
        chosen = None
        for need in needs:
            present = prepared.present(need)
            if not present:
                return []
            holding = frozenset().union(*(prepared.sentences_with(s) for s in present))
            chosen = holding if chosen is None else chosen & holding
            if not chosen:
                return []
        sentences = prepared.sentences
        return [(sentences[i].start, sentences[i].end) for i in sorted(chosen)]

    def _fits(self, text: str, sentence, timeout: float | None) -> bool:
        bounds = (sentence.start, sentence.end)
        return all(c.search(text, *bounds, timeout=timeout, concurrent=False) for c in self.sentence) and not any(
            u.search(text, *bounds, timeout=timeout, concurrent=False) for u in self.unless
        )
