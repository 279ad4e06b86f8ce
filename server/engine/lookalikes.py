"""Letters of other scripts that look like Latin ones, read as the Latin letters they imitate.

"Where will you rаnk me?" with a Cyrillic "а" reads as English to a program director and
as nothing to a pattern. Which characters look like which comes from Unicode's own
confusables data (UTS #39, confusables.txt), with each character's script from
Scripts.txt, both as the confusable_homoglyphs package ships them: pure Python with
Unicode's own files in it, read here rather than copied into a table of our own to keep up
to date (ICU's spoof checker has the same data but needs a compiled ICU binding).
confusables.txt puts characters that look alike in one class; a class holding an ASCII
letter is what its other members read as ("а", "ɑ" and "⍺" as "a"). "I" and "l" share a
class, so a capital look-alike reads as "I" and a small one as "l". Only characters that
NFKC leaves alone are kept: fullwidth and mathematical letters are NFKC's to undo, before
this (normalise.py).

A look-alike is read as Latin only in a word that is not all of one other script: a word
that mixes scripts ("rаnk": Latin and Cyrillic; "уоυ": Cyrillic and Greek) or is otherwise
Latin ("ɑpply"). A word all in Cyrillic ("сор", "Иван") or all in Greek is that language,
not disguised English. Japanese mixes Han, Hiragana and Katakana within a word and Korean
Hangul and Han, so those count as one script here, as in UTS #39's restriction levels.
Reading a look-alike as its letter keeps the text's length: one character for one.
"""

from __future__ import annotations

import string
import unicodedata
from functools import lru_cache

import regex
from confusable_homoglyphs import categories, confusables

_CJK = ("Han", "Hiragana", "Katakana", "Hangul", "Bopomofo")
# Characters of no script of their own: digits, punctuation, combining marks.
_NEUTRAL = r"\p{sc=Common}\p{sc=Inherited}"
_LATIN = regex.compile(r"\p{sc=Latin}")
# Letters, digits and symbols can stand in for a letter within a word; marks belong to the
# letter before them, and punctuation, spaces and controls end a word.
_WORD_CATEGORIES = ("L", "N", "S")


def _classes(data: dict) -> dict[str, str]:
    """Each character or string of the confusables data -> a representative of its class."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for item, alike in data.items():
        for entry in alike:
            # Right-to-left characters are written between left-to-right marks in the data.
            parent[root(entry["c"].strip("\u200e"))] = root(item)
    return {item: root(item) for item in parent}


def _table() -> tuple[dict[str, str], dict[str, str]]:
    """Look-alike -> the ASCII letter it reads as, and look-alike -> its script."""
    classes = _classes(confusables.confusables_data)
    letters: dict[str, list[str]] = {}
    for letter in string.ascii_letters:
        if letter in classes:
            letters.setdefault(classes[letter], []).append(letter)
    reads, scripts = {}, {}
    for item, group in classes.items():
        if len(item) != 1 or item.isascii() or group not in letters:
            continue
        if unicodedata.category(item)[0] not in _WORD_CATEGORIES or unicodedata.normalize("NFKC", item) != item:
            continue
        candidates = letters[group]
        same_case = [c for c in candidates if c.isupper() == item.isupper()] or candidates
        reads[item] = min(same_case, key=str.swapcase)  # lower case first where the case does not tell
        script = categories.alias(item).title()
        scripts[item] = "Han" if script in _CJK else script
    return reads, scripts


_READS, _SCRIPT = _table()
_FOLD = str.maketrans(_READS)
_LOOKALIKES = frozenset(_READS)
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")  # not possessive: that would cost regex its quick search
_ANY_LOOKALIKE = regex.compile(f"[{''.join(sorted(_READS))}]")  # none of them ASCII, so none needs escaping
_WORD_AFTER = regex.compile(r"[\p{L}\p{M}\p{N}\p{S}]*+")
_WORD_BEFORE = regex.compile(r"[\p{L}\p{M}\p{N}\p{S}]*+", regex.REVERSE)


@lru_cache(maxsize=64)
def _foreign_to(script: str) -> regex.Pattern:
    """A character of some script other than this one (Han standing for all of _CJK)."""
    own = "".join(rf"\p{{sc={s}}}" for s in _CJK) if script == "Han" else rf"\p{{sc={script}}}"
    return regex.compile(rf"[^{own}{_NEUTRAL}]")


def _read(word: str) -> str:
    """The word with its look-alikes read as Latin letters, unless it is all of one other script."""
    script = next((_SCRIPT[c] for c in word if c in _SCRIPT and _SCRIPT[c] != "Common"), None)
    if script is None:  # the only look-alikes are symbols ("⍺"): letters only beside Latin ones
        script = "Latin" if _LATIN.search(word) else None
    if script is None or (script != "Latin" and not _foreign_to(script).search(word)):
        return word
    return word.translate(_FOLD)


# Most words are short and come again, in the next check of the same draft too.
_SHORT = 40
_read_short = lru_cache(maxsize=4096)(_read)


def read_as_latin(text: str) -> str:
    """The text with the look-alikes of words that are not all of one other script read as Latin letters."""
    if _LOOKALIKES.isdisjoint(text):  # most texts, far quicker than a search
        return text
    parts, done, end = [], 0, 0
    # Searched for in runs of non-ASCII characters only: a class of hundreds of characters is a slow search.
    for run in _NON_ASCII.finditer(text):
        found = _ANY_LOOKALIKE.search(text, max(run.start(), end), run.end())
        while found:
            # The word around it, which may go on past the run; no word read before is part of it.
            start = _WORD_BEFORE.match(text, done, found.start()).start()
            end = _WORD_AFTER.match(text, found.end()).end()
            word = text[start:end]
            read = _read_short(word) if len(word) <= _SHORT else _read(word)
            if read != word:
                parts += (text[done:start], read)
                done = end
            found = _ANY_LOOKALIKE.search(text, end, run.end()) if end < run.end() else None
    return "".join(parts) + text[done:] if parts else text
