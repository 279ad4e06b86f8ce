"""Cheap reasons not to run a regular expression at all.

Most rules cannot match most sentences: "guarantee", "withdraw" or "screenshot" is
simply not there. From a pattern's syntax tree we work out sets of literal strings
such that any match contains at least one string of every set (the idea behind RE2's
and code search's prefilters). A sentence lacking one of them is never searched. A
pattern we cannot reason about is searched everywhere, so a prefilter can only save
time, never lose a match.

Which needs a sentence meets is found once for the whole rule set, in one pass of an
Aho-Corasick automaton over all their literals (LiteralIndex), so each pattern's
prefilter costs a few set lookups.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterable
from itertools import product

import ahocorasick

# A set of alternatives larger than this stops being cheap to test.
_MOST = 64
# ...except where a pattern's alternatives each bring their own words (a concept's word
# list as one alternation): the automaton finds any of them in the same one pass, and
# without them the pattern would search every sentence.
_MOST_BRANCHES = 512
# A run of literals is extended by cross products ("where I", "how I", ...) only while
# that stays this small; past it a new run starts, giving smaller sets to test.
_RUN_MOST = 8
# A class like [-–] or [.,] small enough to count as a few literals.
_SMALL_CLASS = 4
# Each set is tested per sentence; a few of the most selective are plenty.
_KEEP = 3
# Shorter strings ("me", "it") are in every email: they rule nothing out and cost time.
_SHORTEST = 3
# ...unless they hold a character prose seldom uses: a placeholder's "[" or "{{".
_RARE = frozenset("[]{}<>%«»_#@&*^~|\\/=+$")

Needs = tuple[frozenset[str], ...]  # every set must be met; () when nothing is known


def _selectivity(strings: frozenset[str]) -> tuple[int, int]:
    # Longer strings are rarer in an email, so they rule out more sentences.
    return (min(map(len, strings)), -len(strings))


def _selective(string: str) -> bool:
    return len(string) >= _SHORTEST or not _RARE.isdisjoint(string)


def _useful(candidates) -> Needs:
    usable = [c for c in candidates if c and all(map(_selective, c))]
    return tuple(sorted(set(usable), key=_selectivity, reverse=True)[:_KEEP])


def _fixed(item) -> frozenset[str] | None:
    """The strings a fixed-width piece can be (a literal, a tiny class, a tiny branch)."""
    op, arg = item
    if op is sre.LITERAL:
        return frozenset({chr(arg).lower()})
    if op is sre.IN and all(o is sre.LITERAL for o, _ in arg) and len(arg) <= _SMALL_CLASS:
        return frozenset(chr(a).lower() for _, a in arg)
    if op is sre.SUBPATTERN:
        return _sequence_exact(arg[-1])
    if op is sre.BRANCH:
        options = [_sequence_exact(branch) for branch in arg[1]]
        if all(o is not None for o in options):
            merged = frozenset().union(*options)
            return merged if len(merged) <= _MOST else None
    return None


def _sequence_exact(items) -> frozenset[str] | None:
    """The strings a whole sequence can be, when every piece of it is fixed."""
    strings = frozenset({""})
    for item in items:
        if item[0] is sre.AT:
            continue
        piece = _fixed(item)
        if piece is None or len(strings) * len(piece) > _MOST:
            return None
        strings = frozenset(a + b for a, b in product(strings, piece))
    return strings


def _required(items) -> list[frozenset[str]]:
    """Sets of strings: every match of this sequence contains one string of each set."""
    needs, run = [], frozenset({""})

    def close_run():
        nonlocal run
        if run != frozenset({""}):
            needs.append(run)
        run = frozenset({""})

    for item in items:
        op, arg = item
        if op is sre.AT:
            continue  # zero-width: \b and ^ do not break a run of literals
        piece = _fixed(item)
        if piece is not None:
            if len(run) * len(piece) > _RUN_MOST:
                close_run()
            if len(piece) <= _MOST:
                run = frozenset(a + b for a, b in product(run, piece))
                continue
        close_run()
        if op is sre.SUBPATTERN:
            needs += _required(arg[-1])
        elif op is sre.ATOMIC_GROUP:
            needs += _required(arg)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            needs += _required(arg[2])
        elif op is sre.BRANCH:
            # Each branch offers its most selective set; the match holds one of their strings.
            options = [_useful(_required(branch)) for branch in arg[1]]
            if all(options):
                merged = frozenset().union(*(o[0] for o in options))
                if len(merged) <= _MOST_BRANCHES:
                    needs.append(merged)
    close_run()
    return needs


def needs_of(strings: frozenset[str] | None) -> Needs:
    """A known set of strings of which every match holds one, as needs: () when it rules nothing out.

    For what the syntax tree cannot tell, as a concept's hundreds of word forms: an
    Aho-Corasick pass finds a large set as cheaply as a small one.
    """
    return (strings,) if strings and all(map(_selective, strings)) else ()


def required_strings(pattern: str) -> Needs:
    """What a text must hold for the pattern to match, in lower case; () when unknown.

    The pattern is read with Python's own parser; syntax only the regex package knows
    (\\p{...}, fuzzy matching, ...) leaves the pattern without a prefilter.
    """
    try:
        return _useful(_required(sre_parse.parse(pattern)))
    except (re.error, ValueError, TypeError, RecursionError, OverflowError):
        return ()


class LiteralIndex:
    """Which of a rule set's prefilter needs a text meets, found in one pass over it."""

    def __init__(self, needs: Iterable[frozenset[str]]):
        holders: dict[str, set[frozenset[str]]] = {}
        for need in set(needs):
            for literal in need:
                holders.setdefault(literal, set()).add(need)
        self.automaton = ahocorasick.Automaton()
        for literal, held_by in holders.items():
            self.automaton.add_word(literal, tuple(held_by))
        self.automaton.make_automaton()

    def needs_met(self, lowered_text: str) -> set[frozenset[str]]:
        met: set[frozenset[str]] = set()
        if len(self.automaton):
            for _, held_by in self.automaton.iter(lowered_text):
                met.update(held_by)
        return met
