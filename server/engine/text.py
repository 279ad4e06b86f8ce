"""What the applicant actually wrote, split into sentences, with offsets clients can use.

The text is normalised first (normalise.py: curly quotes straight, invisible characters
removed, NFKC, look-alike letters read as Latin), which may remove and expand characters;
a span of the prepared text is mapped back to the original the client sent, whose
offsets it underlines by. Everything after that keeps the text's length: quoted replies
and signatures are blanked rather than cut.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

import regex

from .normalise import normalise

# The line that opens a quoted reply: "On Tue, 3 Feb 2027 at 09:12, Dr Smith <x@y.org> wrote:"
# (Gmail may wrap it over two lines), Outlook's "-----Original Message-----" and its
# "From: ... Sent: ..." header block.
_QUOTE_START = regex.compile(
    r"^[ \t]*(?:On\b[^\n]{0,300}?(?:\n[^\n]{0,200}?)?\bwrote:[ \t]*$"
    r"|-{2,}\s*Original Message\s*-{2,}"
    r"|From:[^\n]*\n(?:[^\n]*\n)?\s*(?:Sent|Date):)",
    regex.MULTILINE | regex.IGNORECASE,
)
_QUOTED_LINE = regex.compile(r"^[ \t]*>[^\n]*", regex.MULTILINE)
# "-- " is the standard signature separator; phones add their own sign-off.
_SIGNATURE = regex.compile(
    r"^(?:-- ?|Sent from my [^\n]+|Get Outlook for [^\n]+)[ \t]*$", regex.MULTILINE
)
_ENDINGS = (
    (_QUOTE_START, ("wrote:", "Original Message", "From:")),
    (_SIGNATURE, ("--", "Sent from my ", "Get Outlook for ")),
)
# A run of end marks is taken whole, from its first mark and without backtracking: tried
# at every mark of a long run not followed by a space, the search would be quadratic.
_SENTENCE_END = regex.compile(r"(?<![.?!])[.?!]++[\"')\]]*+(?=\s)|\n")
# A full stop after a title or a common abbreviation ("Dr. Park", "e.g. ICU") ends nothing.
_NOT_AN_END = regex.compile(
    r"(?<![\w.])(?:Dr|Drs|Mr|Mrs|Ms|Prof|St|Jr|Sr|vs|No|Dept|Univ|e\.g|i\.e|U\.S|M\.D|Ph\.D|D\.O)\.$"
)
_ASTRAL = regex.compile(r"[\U00010000-\U0010FFFF]")


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def own_writing(text: str) -> str:
    """The text with quoted replies and signatures blanked out, same length."""
    chars = None
    cut = len(text)
    for pattern, clues in _ENDINGS:
        # Most drafts have neither: a substring test is far cheaper than the search.
        found = pattern.search(text) if any(clue in text for clue in clues) else None
        if found and found.start() < cut:
            cut = found.start()
    if cut < len(text):
        chars = list(text)
        _blank(chars, cut, len(text))
    for quoted in _QUOTED_LINE.finditer(text, 0, cut):
        chars = chars or list(text)
        _blank(chars, quoted.start(), quoted.end())
    return "".join(chars) if chars is not None else text


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class Prepared:
    """A field of a message ready for the rules: normalised, own writing only."""

    def __init__(self, original: str):
        self.original = original
        normalised, self._offsets = normalise(original)
        self.text = own_writing(normalised)

    @cached_property
    def sentences(self) -> list[Span]:
        spans, start, text = [], 0, self.text
        for end_mark in _SENTENCE_END.finditer(text):
            end = end_mark.end()
            if text[end_mark.start()] == "." and end - end_mark.start() == 1 and _NOT_AN_END.search(
                    text, max(start, end - 6), end):
                continue
            if text[start:end].strip():
                spans.append(Span(start, end))
            start = end
        if self.text[start:].strip():
            spans.append(Span(start, len(self.text)))
        return spans

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Span | None:
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def in_context(self, sentence: Span) -> tuple[str, int, int]:
        """The sentence with what patterns may see around it, and where it lies in that.

        Around it is the character on either side, so that \\b and lookarounds work at its
        edges; the first sentence starts at the start of the text and the last runs to its
        end (what lies outside sentences is blank), so that \\A and \\Z keep their meaning.
        """
        sentences = self.sentences
        first, last = sentence is sentences[0], sentence is sentences[-1]
        before = 0 if first else sentence.start - 1
        after = len(self.text) if last else sentence.end + 1
        return self.text[before:after], 0 if first else 1, sentence.end - before

    @cached_property
    def word_count(self) -> int:
        # Counted as word processors count: runs of characters between spaces.
        return len(self.text.split())

    @cached_property
    def _astral_positions(self) -> list[int]:
        # Characters outside the Basic Multilingual Plane (most emoji) take two UTF-16 units.
        return [m.start() for m in _ASTRAL.finditer(self.original)]

    def utf16(self, offset: int) -> int:
        """A code-point offset into the original text as JavaScript counts it (UTF-16 code units)."""
        if not self._astral_positions:
            return offset
        return offset + bisect.bisect_left(self._astral_positions, offset)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text, in code points, that [start, end) of the prepared text came from."""
        return self._offsets.span(start, end)

    def utf16_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text, in UTF-16 code units, that [start, end) of the prepared text came from."""
        start, end = self._offsets.span(start, end)
        return self.utf16(start), self.utf16(end)
