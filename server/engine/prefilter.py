"""Cheap reasons not to run a regular expression at all.

Most rules cannot match most sentences: "guarantee", "withdraw" or "screenshot" is
simply not there. From a pattern's syntax tree we work out sets of literal strings
such that any match contains at least one string of every set (the idea behind RE2's
and code search's prefilters). A sentence lacking one of them is never searched. A
pattern we cannot reason about is searched everywhere, so a prefilter can only save
time, never lose a match.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from itertools import product

# A set of alternatives larger than this stops being cheap to test.
_MOST = 64
# A run of literals is extended by cross products ("where I", "how I", ...) only while
# that stays this small; past it a new run starts, giving smaller sets to test.
_RUN_MOST = 8
# A class like [-–] or [.,] small enough to count as a few literals.
_SMALL_CLASS = 4
# Each set is tested per sentence; a few of the most selective are plenty.
_KEEP = 3

_TOKEN = re.compile(r"\w+")
# Zero-width assertions after or before which a literal's edge is a word's edge.
_EDGES = {sre.AT_BOUNDARY, sre.AT_BEGINNING, sre.AT_BEGINNING_STRING, sre.AT_END, sre.AT_END_STRING}


class Literal(str):
    """A required string, with the whole words it must appear with in the text.

    "\\bguarantee\\b" needs the word "guarantee"; "rank(?:ed)?" only the letters, which
    may sit inside "ranked". Looking a word up in the text's set of words is far cheaper
    than searching the text, so the words are checked first."""

    words: frozenset[str]

    def __new__(cls, text: str, left_edge: bool, right_edge: bool):
        literal = super().__new__(cls, text)
        literal.words = frozenset(
            t.group() for t in _TOKEN.finditer(text)
            if (t.start() > 0 or left_edge) and (t.end() < len(text) or right_edge)
        )
        return literal


class Need(frozenset):
    """Literals of which a match holds at least one. When each needs a whole word, a text
    whose words include none of them is ruled out by a single set operation."""

    def __new__(cls, literals):
        need = super().__new__(cls, literals)
        need.any_words = frozenset().union(*(lit.words for lit in need)) if all(
            lit.words for lit in need) else None
        return need


Needs = tuple[Need, ...]  # every one must be met; () when nothing is known


def _selectivity(strings: frozenset[str]) -> tuple[bool, int, int]:
    # Each string is a scan of the text, so a few distinctive strings beat many; strings
    # of four or more letters are rare enough in an email to be worth testing first.
    shortest = min(map(len, strings))
    return (shortest >= 4, -len(strings), shortest)


def _useful(candidates) -> Needs:
    usable = [c for c in candidates if c and min(map(len, c)) >= 2]
    kept = [Need(c) for c in sorted(set(usable), key=_selectivity, reverse=True)[:_KEEP]]
    # Needs that whole words can rule out cost one set operation: test those first.
    return tuple(sorted(kept, key=lambda need: need.any_words is None))


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


def _required(items) -> list[frozenset[Literal]]:
    """Sets of strings: every match of this sequence contains one string of each set."""
    needs, run = [], frozenset({""})
    edge_before = edge_after = at_edge = False

    def close_run():
        nonlocal run
        if run != frozenset({""}):
            needs.append(frozenset(Literal(s, edge_before, edge_after) for s in run))
        run = frozenset({""})

    for item in items:
        op, arg = item
        if op is sre.AT:
            # Zero-width: \b and ^ do not break a run of literals, but mark a word's edge.
            at_edge = at_edge or arg in _EDGES
            edge_after = edge_after or (arg in _EDGES and run != frozenset({""}))
            continue
        piece = _fixed(item)
        if piece is not None:
            if len(run) * len(piece) > _RUN_MOST:
                close_run()
            if len(piece) <= _MOST:
                if run == frozenset({""}):
                    edge_before = at_edge
                run = frozenset(a + b for a, b in product(run, piece))
                edge_after = at_edge = False
                continue
        at_edge = False
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
                if len(merged) <= _MOST:
                    needs.append(merged)
    close_run()
    return needs


def required_strings(pattern: str) -> Needs:
    """What a text must hold for the pattern to match, in lower case; () when unknown.

    The pattern is read with Python's own parser; syntax only the regex package knows
    (\\p{...}, fuzzy matching, ...) leaves the pattern without a prefilter.
    """
    try:
        return _useful(_required(sre_parse.parse(pattern)))
    except (re.error, ValueError, TypeError, RecursionError, OverflowError):
        return ()
