"""A prefilter only ever skips sentences a pattern cannot match."""

from __future__ import annotations

import pytest

from server.config import ROOT
from server.engine import build_ruleset, read_sources
from server.engine.examples import Example
from server.engine.prefilter import required_strings
from server.engine.text import Prepared

RULESET = build_ruleset(read_sources(ROOT / "rules"))


def _sentences():
    """Every sentence of every rule's examples, with the text around it that patterns see."""
    for rule in RULESET.rules:
        for kind in ("flag", "clean"):
            for raw in rule.examples[kind]:
                draft = Example(raw, rule).draft
                for text in (draft.text, draft.subject or ""):
                    prepared = Prepared(text)
                    yield from (prepared.in_context(sentence) for sentence in prepared.sentences)


SENTENCES = list(_sentences())


@pytest.mark.parametrize("reader, matches", [("text", 500), ("subject", 100)])
def test_every_sentence_a_pattern_matches_meets_its_prefilter(reader, matches):
    patterns = [p for direction in ("outbound", "inbound")
                for matcher in RULESET.readers[reader, direction].matchers for p in matcher.patterns + matcher.sentence]
    checked = 0
    for context, start, end in SENTENCES:
        folded = context[start:end].lower()
        for pattern in patterns:
            found = pattern.compiled.search(context, start, end)
            if found:
                checked += 1
                for need in pattern.needs:
                    assert any(literal in folded for literal in need), (pattern.compiled.pattern, context[start:end],
                                                                         need)
    assert checked > matches


@pytest.mark.parametrize("pattern, need", [
    (r"\[[^\]]{1,40}\]", "["),  # a placeholder's bracket: short, but rare in prose
    (r"\{\{?\s*\w+\}\}?", "{"),
    (r"\bthx\b", "thx"),
])
def test_short_literals_of_characters_prose_seldom_uses_are_prefilters(pattern, need):
    assert frozenset({need}) in required_strings(pattern)


def test_short_words_are_not_prefilters():
    assert required_strings(r"\b(?:me|it)\b") == ()


def test_a_long_list_of_alternative_words_is_still_a_prefilter():
    # A concept's word list as one alternation: any of its words, found in the same one pass.
    words = [f"{first}{second}ing" for first in "bcdfghjklm" for second in "aeiouy"]
    words += [f"{first}{second}ed" for first in "bcdfghjklmnp" for second in "aeiou"]  # 120 words in all
    (need,) = required_strings(r"\b(?:" + "|".join(words) + r")\b")
    assert need == frozenset(words)
