"""Refusing a pattern that could stall on a long email (catastrophic backtracking).

The engine already gives each rule a timeout and skips one that runs out, but a rule
that always runs out is a rule that never warns, and it eats the check's time budget.
So before a change is published, each pattern it adds is run over a few long texts that
make ambiguous repetitions backtrack: runs of one letter, words with no sentence end
(the engine matches per sentence, and such a text is one long sentence), the rule's own
examples run together. A pattern slower than LIMIT on any of them is refused. The
shipped patterns take at most about 15 ms on these texts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import regex

from ..engine.matcher import Matcher

LENGTH = 20_000  # characters: a long email, well under the 50,000 a check accepts
LIMIT = 0.15  # seconds one pattern may take on one text
_SENTENCE_END = regex.compile(r"[.?!\n]+")


def _repeat(unit: str, suffix: str = "") -> str:
    return (unit * (LENGTH // max(1, len(unit)) + 1))[:LENGTH] + suffix


def long_texts(samples: list[str]) -> list[tuple[str, str]]:
    """(what it is, text) for each adversarial text; samples: the rule's example texts."""
    texts = [
        ("one letter repeated, then '!'", _repeat("a", "!")),
        ("one-letter words without a sentence end", _repeat("a ")),
        ("spaces, then a letter", _repeat(" ", "x")),
        ("punctuation", _repeat(".,;:-'\"")),
        ("short words and apostrophes", _repeat("I'm sure I'd rank it, ")),
        ("numbers and #", _repeat("#1 2 3 ")),
    ]
    words = " ".join(_SENTENCE_END.sub(" ", s) for s in samples).split()
    if words:
        texts.append(("the rule's examples run together without sentence ends", _repeat(" ".join(words) + " ")))
    return texts


def patterns_of(thing) -> Iterator[regex.Pattern]:
    """Every compiled pattern a rule (or the message classifier) holds, whatever its type."""
    seen: set[int] = set()

    def walk(value, depth: int):
        if depth > 4 or id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, regex.Pattern):
            yield value
        elif isinstance(value, Matcher):
            yield from value.expressions()
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                yield from walk(item, depth + 1)
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item, depth + 1)
        elif hasattr(value, "__dict__") and type(value).__module__.startswith("server.engine"):
            for name, item in vars(value).items():
                if name not in ("spec", "examples"):
                    yield from walk(item, depth + 1)

    yield from walk(thing, 0)


def time_on(pattern: regex.Pattern, text: str) -> float:
    """Seconds to find every match, at most a little over LIMIT."""
    started = time.perf_counter()
    try:
        for _ in pattern.finditer(text, timeout=LIMIT):
            pass
    except TimeoutError:
        pass
    return time.perf_counter() - started


def too_slow(pattern: regex.Pattern, samples: list[str]) -> str | None:
    """Why the pattern is refused, or None when it is quick on every long text."""
    for label, text in long_texts(samples):
        if time_on(pattern, text) >= LIMIT:
            return f"took longer than {LIMIT * 1000:.0f} ms on a long text ({label}, {len(text):,} characters)"
    return None
