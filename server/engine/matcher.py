"""The pattern language: expressions and plain phrases, conditions on the same sentence, and exceptions.

A Matcher answers one question: where in this text does the idea occur? Pattern
rules, claim detection and message kinds all use it. It reads one sentence at a time:
a match and its conditions lie within one sentence, so what a matcher finds in a
sentence depends on that sentence alone (and the character on either side of it), and
a check caches it for the next check of the same draft (reading.py).

Besides expressions, a matcher may be given plain `phrases` (vocabulary.py turns them
into expressions), an `about` gate (the sentence must name one of these concepts) and
`features` the sentence must or must not have (features.py).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

import regex

from .deadline import Deadline
from .features import FeatureError, Requirement
from .model import MAX_WARNINGS
from .prefilter import Needs, needs_of, required_strings
from .reading import SentenceReader
from .sentence import Sentence
from .text import Prepared
from .vocabulary import Vocabulary, VocabularyError, phrase_expression


class PatternError(ValueError):
    """A pattern that cannot be used: the key it is written under and the pattern as written, when known."""

    def __init__(self, reason: str, key: str | None = None, pattern: str | None = None):
        super().__init__(reason)
        self.key, self.pattern = key, pattern


def as_list(value, key: str) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise PatternError(f"{key} must be a string or a list of strings", key)
    if not all(v.strip() for v in values):
        # An empty expression matches everywhere: every sentence of every draft is searched for nothing.
        raise PatternError(f"{key} holds an empty expression", key)
    return values


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


EVERY_SENTENCE = Pattern(regex.compile(r"(?=[\s\S])"), ())  # the gate of an example rule without `about`


def _phrases(values, vocabulary: Vocabulary, sensitive: bool) -> list[Pattern]:
    built = []
    for text in values:
        try:
            built.append(Pattern.compile(phrase_expression(text), vocabulary, sensitive))
        except VocabularyError as error:
            raise PatternError(f"phrase {text!r}: {error.reason}", "phrases", text) from None
        except PatternError as error:
            raise PatternError(str(error), "phrases", text) from None
    return built


class Concept:
    """The `about` gate: the sentence names one of these concepts (word lists), in any form.

    Most entries of a concept are one word, and a sentence's words are a set (sentence.py):
    looking them up costs far less than searching an alternation of hundreds of forms,
    which only the entries of several words (and expression lists) still need.
    """

    def __init__(self, value, vocabulary: Vocabulary, sensitive: bool):
        try:
            whole, self.words, others = vocabulary.concept(value)
            # Each entry of several words on its own, searched only in a sentence holding its longest
            # word (by_word: each form of that word -> the entries it is the longest word of).
            self.by_word: dict[str, list[regex.Pattern]] = {}
            self.always: list[regex.Pattern] = []
            for needed, source in others:
                compiled_entry = compile_pattern(source, vocabulary, sensitive)
                for form in needed or ():
                    self.by_word.setdefault(form, []).append(compiled_entry)
                if needed is None:
                    self.always.append(compiled_entry)
            self.keys = frozenset(self.by_word)
            compiled = compile_pattern(whole, vocabulary, sensitive)
        except VocabularyError as error:
            raise PatternError(f"about: {error.reason}", "about") from None
        except PatternError as error:
            raise PatternError(f"about: {error}", "about") from None
        # The prefilter: every form of the lists' first words. Too many alternatives for the
        # syntax tree's reading (prefilter.py); without it the gate would read every sentence.
        literals = [vocabulary.literals(name) for name in ([value] if isinstance(value, str) else value)]
        needs = needs_of(frozenset().union(*literals)) if all(f is not None for f in literals) else ()
        self.pattern = Pattern(compiled, needs or required_strings(compiled.pattern))

    def holds(self, sentence: Sentence, deadline: Deadline) -> bool:
        words = sentence.words
        if not self.words.isdisjoint(words):
            return True
        searched = [*self.always, *(p for word in self.keys & words for p in self.by_word[word])]
        return any(p.search(sentence.context, sentence.start, sentence.end, timeout=deadline.left(), concurrent=False)
                   for p in searched)


class Matcher:
    def __init__(self, spec: dict, vocabulary: Vocabulary, require_patterns: bool = True):
        case = spec.get("case", "insensitive")
        if case not in ("insensitive", "sensitive"):
            raise PatternError("case must be 'insensitive' or 'sensitive'", "case")
        sensitive = case == "sensitive"
        sources = as_list(spec.get("pattern"), "pattern") + as_list(spec.get("patterns"), "patterns")
        phrases = as_list(spec.get("phrases"), "phrases")
        if require_patterns and not sources and not phrases:
            raise PatternError("a pattern rule needs 'pattern', 'patterns' or 'phrases'", "patterns")

        def build(values):
            return [Pattern.compile(s, vocabulary, sensitive) for s in values]

        self.patterns = build(sources) + _phrases(phrases, vocabulary, sensitive)
        self.about = Concept(spec["about"], vocabulary, sensitive) if spec.get("about") is not None else None
        self.sentence = build(as_list(spec.get("sentence"), "sentence"))
        self.unless = build(as_list(spec.get("unless"), "unless"))
        try:
            self.features = Requirement(spec.get("features"))
        except FeatureError as error:
            raise PatternError(str(error), "features") from None
        # A pattern is only run on a sentence holding one string of each set it needs, and of
        # each set its conditions need: a match must also have its `sentence` patterns match.
        gates = [*self.sentence, self.about.pattern] if self.about else self.sentence
        self.conditions = frozenset(need for p in gates for need in p.needs)
        self.requires = [frozenset(p.needs) | self.conditions for p in self.patterns]

    def expressions(self) -> list[regex.Pattern]:
        """Every compiled expression it runs: its patterns and its conditions'."""
        about = [self.about.pattern] if self.about else []
        return [p.compiled for p in (*self.patterns, *self.sentence, *about, *self.unless)]

    def spans(self, prepared: Prepared, timeout: float | None) -> Iterator[tuple[int, int]]:
        """Non-overlapping (start, end) spans where the idea occurs, in text order.

        The text is read by a reader of this matcher alone that caches nothing: a check
        instead has its rule set's reader read every matcher at once (check.Document.spans).
        A TimeoutError reaches the caller.
        """
        return iter(self._reader.read(prepared, lambda: timeout).spans_of(self))

    @cached_property
    def _reader(self) -> SentenceReader:
        # Built once: its prefilter automaton costs more than reading a short text.
        return SentenceReader([self], size=0)

    def found_in(self, prepared: Prepared, timeout: float | None = None) -> bool:
        """Whether the idea occurs at all."""
        return next(self.spans(prepared, timeout), None) is not None

    def in_sentence(self, sentence: Sentence, runnable, timeout: float | None) -> list[tuple[int, int]]:
        """Where the idea occurs in the sentence, in order, as spans of its context.

        Matches lie within the sentence; lookarounds see the text around it that context
        holds. runnable: the indexes of the patterns whose prefilters the sentence meets,
        in order (an earlier pattern's match wins over an overlapping later one). timeout:
        for all of the sentence's searches together. Of each pattern, only its first
        MAX_WARNINGS matches, and at most MAX_WARNINGS spans in all, the first ones: a rule
        shows no more, and a pattern like "[a-z]+" finds every word of a sentence that may be
        50,000 characters long.
        """
        context, start, end = sentence.context, sentence.start, sentence.end
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
                    fits = self._fits(sentence, deadline)
                if not fits:
                    return []
                a, b = found.span("mark") if "mark" in pattern.groupindex else found.span()
                # Spans are kept sorted, so the one that could overlap is the last starting before b.
                after = bisect.bisect_left(taken, (b,))
                if a < b and not (after and taken[after - 1][1] > a):
                    taken.insert(after, (a, b))
        return taken[:MAX_WARNINGS]

    def _fits(self, sentence: Sentence, deadline: Deadline) -> bool:
        """Whether the sentence meets the conditions: it names an `about` concept, has the `features`
        asked for (both cheap, and features are shared by every matcher reading the sentence), holds
        each `sentence` pattern and no `unless` one."""
        if self.about and not self.about.holds(sentence, deadline):
            return False
        if not self.features.holds(sentence):
            return False
        context, start, end = sentence.context, sentence.start, sentence.end
        return all(c.compiled.search(context, start, end, timeout=deadline.left(), concurrent=False)
                   for c in self.sentence) and not any(
            u.compiled.search(context, start, end, timeout=deadline.left(), concurrent=False) for u in self.unless
        )
