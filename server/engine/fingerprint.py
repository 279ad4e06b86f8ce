"""A 64-bit SimHash over word shingles: near-identical emails get near-identical numbers.

The ledger keeps this number instead of the text, which is enough to notice the same
letter going to many programs with only the names changed. Names are what a mass email
changes ("Dear Dr. Lee", "University of Washington", "Seattle"), so names (capitalised
words, and the short words between them) are left out of the shingles; a short email, or
one written in capitals, keeps every word.

Each bit of the fingerprint is the majority vote of that bit over the hashes of all
three-word shingles. The votes are counted a column at a time: byte k of every hash,
side by side, read as one big integer, and each of its eight bits tallied with a mask
and a popcount, so the counting is 64 steps in C rather than a Python step per shingle.
An ASCII text (the usual case) is split into words by the standard library's re, the
same split there.

Every check with a ledger computes one, and while an applicant types each check holds
the text of the last one but for a few words. So a text is read a line at a time (a
paragraph, a line of the signature; a very long line in pieces), and the votes of the
shingles inside a line are cached for the next check (_Line): a check counts only the
lines it has not seen and the few shingles that cross from one line into the next. The
digests of shingles are cached too (_DigestCache). Neither cache holds text: a line is
known by its hash() (salted per process) and holds counts and offsets; a shingle's
digest is cached under its hash().
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections.abc import Iterator

import regex

from .deadline import Deadline

_WORD = regex.compile(r"[\p{L}\p{N}']+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9']+")  # the same, for a text without other characters
BITS = 64
SHINGLE = 3
_BYTES = BITS // 8
_HASH = hashlib.blake2b(digest_size=_BYTES)  # copied per shingle: cheaper than a new hash with its parameters
CACHED_SHINGLES = 1 << 16  # per half: a few hundred drafts being typed (both about 15 MB a process)
CACHED_LINES = 1 << 12  # per half: the paragraphs of a class's drafts, with room (both about 10 MB)
LONGEST_LINE = 1000  # characters: longer lines are counted in pieces (_pieces)
_NOT_A_WORD = regex.compile(r"[^\p{L}\p{N}']")


def _digest(gram: str) -> bytes:
    shingle = _HASH.copy()
    shingle.update(gram.encode())
    return shingle.digest()


class _Cache:
    """A bounded cache in two halves: when the newer fills up, it becomes the older and the
    older is dropped, an LRU's effect without its bookkeeping."""

    def __init__(self, size: int):
        self.size = size
        self.newer: dict = {}
        self.older: dict = {}

    def get(self, key):
        found = self.newer.get(key)
        if found is None:
            found = self.older.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key, value):
        if len(self.newer) >= self.size:
            self.older, self.newer = self.newer, {}
        self.newer[key] = value
        return value


class _DigestCache(_Cache):
    """A cache of the digests of shingles, by the shingle's hash()."""

    def __init__(self, size: int = CACHED_SHINGLES):
        super().__init__(size)

    def of(self, grams: list[str]) -> bytes:
        """The digests of the grams, one after another."""
        keys = list(map(hash, grams))
        digests = list(map(self.newer.get, keys))  # both in C: most shingles were seen a moment ago
        if None in digests:
            for i, found in enumerate(digests):
                if found is None:
                    digests[i] = self.get(keys[i]) or self.put(keys[i], _digest(grams[i]))
        return b"".join(digests)


_digest_cache = _DigestCache()
_line_cache = _Cache(CACHED_LINES)


def _votes(grams: list[str]) -> list[int]:
    """For each bit, lowest first, how many of the grams' hashes have it set."""
    hashes = _digest_cache.of(grams)
    ones = int.from_bytes(b"\x01" * len(grams))
    votes = [0] * BITS
    for k in range(_BYTES):  # byte k of a big-endian hash holds bits 8 * (7 - k) to 8 * (7 - k) + 7
        column = int.from_bytes(hashes[k::_BYTES])
        for j in range(8):
            votes[8 * (_BYTES - 1 - k) + j] = (column & (ones << j)).bit_count()
    return votes


# Votes packed side by side in one integer, 32 bits a bit, so that adding the votes of
# many lines is one addition each; a text of the longest allowed is far below 2**32 shingles.
def _pack(votes: list[int]) -> int:
    return int.from_bytes(array("I", votes).tobytes(), sys.byteorder)


def _unpack(packed: int) -> array:
    votes = array("I")
    votes.frombytes(packed.to_bytes(BITS * votes.itemsize, sys.byteorder))
    return votes


def _majority(votes, grams: int) -> int:
    majority = grams // 2
    return sum(1 << bit for bit, count in enumerate(votes) if count > majority)


def _word_pattern(text: str):
    return _ASCII_WORD if text.isascii() else _WORD


def _grams(words: list[str]) -> list[str]:
    return list(map(" ".join, zip(*(words[i:] for i in range(SHINGLE)), strict=False)))


def _whole(text: str) -> int:
    """The fingerprint computed over the whole text at once, as defined above."""
    words = _word_pattern(text).findall(text)
    capital = [w[0].isupper() for w in words] + [False]  # the False is both capital[-1] and capital[len]
    # Out go capitalised words and the short words inside a name ("University of Washington").
    common = [w for i, w in enumerate(words)
              if not (capital[i] or (len(w) <= 3 and capital[i - 1] and capital[i + 1]))]
    words = common if len(common) >= 2 * SHINGLE else [w.lower() for w in words]
    grams = _grams(words) or [" ".join(words)]
    return _majority(_votes(grams), len(grams))


class _Line:
    """What the fingerprint keeps of one line of a text: counts and offsets, no text.

    A short word between two capitalised ones is left out, so whether a line's first or
    last word counts may depend on the word before or after the line: such a word is the
    line's lead or trail, for the check to decide. The words that count whatever is around
    them are its inner words, whose shingles' votes are cached. Shingles that reach beyond
    the inner words are left to the check too, as only it knows the words next to them.
    """

    __slots__ = ("words", "first_capital", "last_capital", "lead", "alone", "trail", "inner", "head", "tail",
                 "votes")

    def __init__(self, text: str):
        found = list(_word_pattern(text).finditer(text))
        capital = [m[0][0].isupper() for m in found]
        last = len(found) - 1
        self.words = len(found)
        self.first_capital, self.last_capital = (capital[0], capital[-1]) if found else (False, False)
        self.lead = self.trail = None  # spans of the words left to the check
        self.alone = last == 0  # a lead with no word after it in the line: the word after the line decides too
        inner = []
        for i, word in enumerate(found):
            if capital[i]:
                continue
            if len(word[0]) > 3 or (i > 0 and not capital[i - 1]) or (i < last and not capital[i + 1]):
                inner.append(word)  # it counts, whatever is around the line
            elif i == 0:
                self.lead = word.span()
            elif i == last:
                self.trail = word.span()
            # else: between two capitalised words of this line, so it is left out
        self.inner = len(inner)
        self.head = [m.span() for m in inner[:SHINGLE - 1]]
        self.tail = [m.span() for m in inner[-(SHINGLE - 1):]]
        grams = _grams([m[0] for m in inner])
        self.votes = _pack(_votes(grams)) if grams else 0


def _line(text: str) -> _Line:
    key = hash(text)
    return _line_cache.get(key) or _line_cache.put(key, _Line(text))


def _pieces(text: str) -> Iterator[str]:
    """The text's lines, a line longer than LONGEST_LINE cut between two words.

    A cut between words is as good as a line break: the fingerprint is of the words alone.
    So a text of one 50,000-character line is counted, and cached, in pieces like any other.
    """
    for line in text.split("\n"):
        while len(line) > LONGEST_LINE and (cut := _NOT_A_WORD.search(line, LONGEST_LINE)):
            yield line[:cut.start()]
            line = line[cut.start():]
        yield line


def simhash(text: str, timeout: float | None = None) -> int:
    """The fingerprint of the text, from the votes its lines had at earlier checks.

    TimeoutError after `timeout` seconds, checked between lines.
    """
    deadline, lines = Deadline(timeout), []
    for text_of in _pieces(text):
        deadline.left()  # TimeoutError once the time is up
        if (line := _line(text_of)).words:
            lines.append((text_of, line))
    carry: list[str] = []  # the last SHINGLE - 1 words that count, before the line at hand
    crossing: list[str] = []  # the shingles not inside one line's inner words
    packed, inside, counted = 0, 0, 0

    def follow(head: list[str], tail: list[str], count: int) -> None:
        """`count` words that count come next, starting with head and ending with tail."""
        nonlocal carry, counted
        joined = carry + head
        crossing.extend(" ".join(joined[i:i + SHINGLE]) for i in range(min(len(carry), len(joined) - SHINGLE + 1)))
        carry = (carry + tail)[-(SHINGLE - 1):]
        counted += count

    for n, (text_of, line) in enumerate(lines):
        before = lines[n - 1][1].last_capital if n else False
        after = lines[n + 1][1].first_capital if n + 1 < len(lines) else False
        if line.lead and not (before and (after or not line.alone)):
            word = text_of[slice(*line.lead)]
            follow([word], [word], 1)
        if line.inner:
            follow([text_of[a:b] for a, b in line.head], [text_of[a:b] for a, b in line.tail], line.inner)
            packed += line.votes
            inside += max(0, line.inner - (SHINGLE - 1))
        if line.trail and not after:
            word = text_of[slice(*line.trail)]
            follow([word], [word], 1)
    if counted < 2 * SHINGLE:
        return _whole(text)  # every word counts, lower-cased: rare enough to count afresh
    if crossing:
        packed += _pack(_votes(crossing))
    return _majority(_unpack(packed), inside + len(crossing))


def similarity(a: int, b: int) -> float:
    """1.0 for the same fingerprint, about 0.5 for unrelated texts."""
    return 1 - (a ^ b).bit_count() / BITS


def most_differing_bits(similar: float) -> int:
    """The most bits two fingerprints may differ in and still have at least this similarity.

    A ledger rule compares the draft with hundreds of earlier emails: a popcount against this
    number spares it a call per email, with the very same outcome.
    """
    return max(bits for bits in range(BITS + 1) if similarity(0, (1 << bits) - 1) >= similar)
