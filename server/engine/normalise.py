"""The text the rules read, with what disguises a phrase undone, and the way back to the original.

A zero-width space, a soft hyphen or a bidi control inside "rank" hides it from every
pattern and not from a reader; so do fullwidth and mathematical letters and letters of
other scripts that look Latin. The rules read instead:

- the text with curly quotes straight and non-breaking spaces and hyphens plain, so that
  patterns are written with ASCII quotes;
- without invisible characters: format characters (Unicode category Cf: zero-width spaces
  and joiners, soft hyphens, bidi embeddings, isolates and marks, the word joiner, the
  byte order mark) and the other default-ignorable ones (variation selectors, the
  combining grapheme joiner, Hangul fillers);
- in NFKC: fullwidth, mathematical, circled and ligature forms become the letters they
  are made of, and a letter with combining accents the accented letter;
- with look-alikes of Latin letters read as Latin, in words that are not all of one other
  script (lookalikes.py).

Emoji are kept as written, joiners and variation selectors included ("👩‍⚕️"), since
rules look for them. Text that is all ASCII has nothing to undo and is returned as it
is; in other text only the runs of non-ASCII characters are looked into, since all
there is to undo is in them.

Removing and expanding characters moves offsets; clients underline by offsets into what
they sent. Offsets maps a span of the normalised text back to the original: a span
covers the whole of each original character (or grapheme cluster) any of it came from,
and characters removed inside it, but not those removed at its edges.
"""

from __future__ import annotations

import bisect
import unicodedata
from functools import lru_cache

import regex

from .lookalikes import read_as_latin

# One character for one, so they need no place in Offsets.
_PLAIN = {
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2011": "-",
}
_TO_PLAIN = regex.compile(f"[{''.join(_PLAIN)}]")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")  # not possessive: that would cost regex its quick search
_INVISIBLE = regex.compile(r"[\p{Cf}\p{Default_Ignorable_Code_Point}]")
# What there is to change in a run of non-ASCII characters, each taken whole; the rest is
# copied as it is. An emoji's grapheme cluster is skipped whole, so its joiners stay. A run
# of invisible characters is removed. A run of clusters each starting with a character
# NFKC may change (or a Hangul leading consonant, which joins the vowel after it) is put in
# NFKC cluster by cluster, and so are marks with the character before them. Each of these
# starts with a character of one class, which the lookahead tests first.
_WORK = regex.compile(
    r"(?=[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Cf}\p{Default_Ignorable_Code_Point}"
    r"\p{NFKC_Quick_Check=No}\p{NFKC_Quick_Check=Maybe}\p{Hangul_Syllable_Type=L}\p{M}])"
    r"(?:(?P<emoji>(?=[\p{Extended_Pictographic}\p{Regional_Indicator}])\X)"
    r"|(?P<invisible>[\p{Cf}\p{Default_Ignorable_Code_Point}]++)"
    r"|(?P<marks>\p{M}++)"
    r"|(?:(?=[\p{NFKC_Quick_Check=No}\p{NFKC_Quick_Check=Maybe}\p{Hangul_Syllable_Type=L}])\X)++)"
)
_CLUSTER = regex.compile(r"\X")
# One character may stand for up to 18 in NFKC (U+FDFA): a form longer than this many
# characters per character is not used, so that no draft grows more than threefold. The
# longer ones are symbols and words of other scripts, none a disguise of English ("Ⅷ", "㎉").
_MOST_PER_CHARACTER = 3


class Offsets:
    """Where each character of a normalised text came from in the original.

    Kept as the stretches that do not map one character to one (removed, expanded or
    joined), as (normalised start, normalised end, original start, original end), in
    order; between them characters map one to one.
    """

    def __init__(self, stretches: list[tuple[int, int, int, int]] = ()):
        self._stretches = stretches
        self._starts = [s[0] for s in stretches]

    def _start(self, position: int) -> int:
        """Where the character at this position of the normalised text starts in the original."""
        i = bisect.bisect_right(self._starts, position) - 1
        if i < 0:
            return position
        start, end, original_start, original_end = self._stretches[i]
        return original_start if position < end else original_end + position - end

    def _end(self, position: int) -> int:
        """Where the character before this position of the normalised text ends in the original."""
        last = position - 1
        i = bisect.bisect_right(self._starts, last) - 1
        if i < 0:
            return position
        start, end, original_start, original_end = self._stretches[i]
        return original_end if last < end else original_end + position - end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that [start, end) of the normalised text came from.

        An empty span is the place before what was removed there (offset 0 stays 0).
        """
        if not self._stretches:
            return start, end
        if start >= end:
            return (at := self._end(start)), at
        return self._start(start), self._end(end)


_ASIS = Offsets()


def normalise(text: str) -> tuple[str, Offsets]:
    """The text as the rules read it (see above), and where its characters came from."""
    if text.isascii():
        return text, _ASIS
    plain = _TO_PLAIN.sub(lambda found: _PLAIN[found[0]], text)
    settled, offsets = _settle(plain)
    return read_as_latin(settled), offsets


def _settle(text: str) -> tuple[str, Offsets]:
    """The text without invisible characters and in NFKC, emoji kept as written."""
    if unicodedata.is_normalized("NFKC", text) and not _INVISIBLE.search(text):
        return text, _ASIS
    parts, stretches = [], []
    done = shift = 0  # how far the original has been copied; how much longer the result is so far
    previous = 0  # where the last thing found ends
    for run in _NON_ASCII.finditer(text):
        for found in _WORK.finditer(text, run.start(), run.end()):
            start, end = found.span()
            if found.lastgroup == "marks" and start > previous:
                start -= 1  # the character the marks are on, which nothing found before
            previous = end
            if found.lastgroup == "emoji":
                continue
            if found.lastgroup == "invisible":
                clusters, settled = [found[0]], [""]
            else:
                clusters = _CLUSTER.findall(text, start, end)
                settled = [_settled_short(c) if len(c) <= _SHORT else _settled(c) for c in clusters]
                if settled == clusters:
                    continue
            parts.append(text[done:start])
            parts += settled
            for written, read in zip(clusters, settled, strict=True):
                if len(read) != len(written) or (len(written) > 1 and read != written):
                    stretches.append((start + shift, start + shift + len(read), start, start + len(written)))
                    shift += len(read) - len(written)
                start += len(written)
            done = end
    parts.append(text[done:])
    return "".join(parts), Offsets(stretches)


def _settled(cluster: str) -> str:
    """One grapheme cluster without invisible characters, in NFKC."""
    # Removed before NFKC too, so that a hidden joiner does not keep an accent from its letter.
    visible = _INVISIBLE.sub("", cluster)
    settled = _INVISIBLE.sub("", unicodedata.normalize("NFKC", visible))
    return settled if len(settled) <= _MOST_PER_CHARACTER * len(visible) else visible


# Most clusters are one or two characters, and come again.
_SHORT = 8
_settled_short = lru_cache(maxsize=4096)(_settled)
