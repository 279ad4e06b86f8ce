"""Each sentence read once: what a rule set's matchers find in it, cached for the next check.

While an applicant types, the client checks the draft again every few seconds, and
almost all of it is what the last check read: only the sentence being typed is new.
A matcher reads one sentence at a time (matcher.py), so what it finds there depends on
that sentence and the character on either side. A rule set's reader caches, per sentence,
where each matcher matched, and a check reads only the sentences it has not seen. The
LanguageTool server caches its results per sentence for the same reason.

The cache holds no text: the key is a keyed digest of the sentence (the key is the
process's own, made at start), the value the matchers that matched it and where. It holds
at most MAX_SENTENCES; the least recently seen go first. A sentence whose reading ran
out of time is not cached, so the next check tries it afresh.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from .bounded_cache import BoundedCache
from .prefilter import LiteralIndex
from .sentence import Sentence
from .text import Prepared

MAX_SENTENCES = 50_000  # per rule set and process: a class's drafts, with room (about 10 MB)
_KEY = os.urandom(16)


class Reading:
    """What the matchers found in one text, in text order: (start, end) spans, or (start, end, what) of
    matchers that say what they found there."""

    def __init__(self, matchers: frozenset, found: dict, unfinished: frozenset):
        self.matchers = matchers  # the matchers that read it
        self.found = found  # matcher -> its (start, end) spans; only matchers that matched
        self.unfinished = unfinished  # matchers that ran out of time

    def may_hold(self, matcher) -> bool:
        """False when the matcher read the whole text and found nothing in it."""
        return matcher not in self.matchers or matcher in self.found or matcher in self.unfinished

    def spans_of(self, matcher) -> list[tuple[int, int]]:
        """Where the matcher matched; TimeoutError when it ran out of time, LookupError when it did not read."""
        if matcher in self.unfinished:
            raise TimeoutError("the matcher ran out of time")
        if matcher not in self.matchers:
            raise LookupError("the matcher did not read this text")
        return self.found.get(matcher, [])


class SentenceReader:
    """Reads texts a sentence at a time for one field's matchers, caching what each sentence held."""

    def __init__(self, matchers, size: int = MAX_SENTENCES):
        self.matchers = tuple(dict.fromkeys(matchers))
        self.known = frozenset(self.matchers)
        # A probe is one pattern of one matcher, numbered in matcher and pattern order. A
        # sentence is searched only with the probes whose prefilter needs it meets all of.
        self.probes = [(m, i) for m in self.matchers for i in range(len(m.patterns))]
        self.required = [len(m.requires[i]) for m, i in self.probes]
        # Probes that need nothing search every sentence, each on its own: joined into one
        # expression that would tell whether any can match, they took longer than all of their
        # own searches together, each of which can look for its first word (bench/README.md).
        self.always = [p for p, count in enumerate(self.required) if count == 0]
        self.needing: dict[frozenset[str], list[int]] = {}
        for p, (m, i) in enumerate(self.probes):
            for need in m.requires[i]:
                self.needing.setdefault(need, []).append(p)
        self.literals = LiteralIndex(self.needing)
        self._cache: BoundedCache[bytes, dict] = BoundedCache(size)

    @property
    def size(self) -> int:
        """How many sentences its cache may hold; 0 for none."""
        return self._cache.size

    @size.setter
    def size(self, value: int) -> None:
        self._cache.size = value

    def __len__(self) -> int:
        """How many sentences its cache holds."""
        return len(self._cache)

    def read(self, prepared: Prepared, timeout: Callable[[], float | None]) -> Reading:
        """What the matchers find in the text, each sentence from the cache or read afresh.

        timeout() gives the time the next matcher's searches of a sentence may take: 0 when
        there is none left, None for no limit. It is asked again for each, so a sentence no
        end mark breaks up (50,000 characters of it) takes no more than the time there is.
        """
        found: dict = {}
        unfinished: set = set()
        for sentence in prepared.sentences:
            context, start, end = prepared.in_context(sentence)
            # surrogatepass: a lone surrogate ("\ud800") is text a client may send, not an error.
            key = hashlib.blake2b(f"{start}:{end}:{context}".encode("utf-8", "surrogatepass"),
                                  digest_size=16, key=_KEY).digest()
            spans = self._cache.get(key)
            if spans is None:
                left = timeout()
                if left is not None and left <= 0:  # the check's time is spent: rules needing a matcher are skipped
                    unfinished.update(self.matchers)
                    break
                spans, complete = self._read_sentence(context, start, end, timeout, unfinished)
                if complete:
                    self._store(key, spans)
            offset = sentence.end - end
            for matcher, where in spans.items():
                # A span may carry what the matcher found there after its bounds (the example a sentence is like).
                found.setdefault(matcher, []).extend((offset + a, offset + b, *more) for a, b, *more in where)
        return Reading(self.known, found, frozenset(unfinished))

    def _runnable(self, context: str, start: int, end: int) -> dict:
        """Matcher -> the indexes of its patterns worth searching the sentence with."""
        counts: dict[int, int] = {}
        for need in self.literals.needs_met(context[start:end].lower()):
            for p in self.needing[need]:
                counts[p] = counts.get(p, 0) + 1
        probes = [p for p, count in counts.items() if count == self.required[p]] + self.always
        runnable: dict = {}
        for p in sorted(probes):
            matcher, i = self.probes[p]
            runnable.setdefault(matcher, []).append(i)
        return runnable

    def _read_sentence(self, context: str, start: int, end: int, timeout: Callable[[], float | None],
                       unfinished: set):
        spans, complete = {}, True
        sentence = Sentence(context, start, end)  # its features and embedding, worked out once for all matchers
        for matcher, patterns in self._runnable(context, start, end).items():
            left = timeout()
            if matcher in unfinished or (left is not None and left <= 0):
                unfinished.add(matcher)
                complete = False
                continue
            try:
                where = matcher.in_sentence(sentence, patterns, left)
            except TimeoutError:
                unfinished.add(matcher)
                complete = False
                continue
            if where:
                spans[matcher] = tuple(where)
        return spans, complete

    def _store(self, key: bytes, spans: dict) -> None:
        self._cache.put(key, spans)

