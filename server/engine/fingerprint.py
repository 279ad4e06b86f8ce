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
Every check with a ledger computes one, so each step takes the fast road; an ASCII text
(the usual case) is split into words by the standard library's re, the same split there.
And while an applicant types, each check of the draft holds the shingles of the last one
but for a few: the hashes of recently seen shingles are kept (_RecentDigests), so that a
check hashes only what is new.
"""

from __future__ import annotations

import hashlib
import re

import regex

_WORD = regex.compile(r"[\p{L}\p{N}']+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9']+")  # the same, for a text without other characters
BITS = 64
_BYTES = BITS // 8
_HASH = hashlib.blake2b(digest_size=_BYTES)  # copied per shingle: cheaper than a new hash with its parameters
RECENT_SHINGLES = 1 << 16  # per generation: a few hundred drafts being typed (both about 15 MB a process)


def _digest(gram: str) -> bytes:
    shingle = _HASH.copy()
    shingle.update(gram.encode())
    return shingle.digest()


class _RecentDigests:
    """The digests of the shingles seen lately, in two generations: when the newer fills up,
    it becomes the older and the oldest are forgotten, an LRU's effect without its bookkeeping.

    What is kept holds no text: the key is the shingle's hash() (salted per process).
    """

    def __init__(self, size: int = RECENT_SHINGLES):
        self.size = size
        self.newer: dict[int, bytes] = {}
        self.older: dict[int, bytes] = {}

    def of(self, grams: list[str]) -> bytes:
        """The digests of the grams, one after another."""
        keys = list(map(hash, grams))
        digests = list(map(self.newer.get, keys))  # both in C: most shingles were seen a moment ago
        if None in digests:
            for i, found in enumerate(digests):
                if found is None:
                    digests[i] = self._remember(keys[i], self.older.get(keys[i]) or _digest(grams[i]))
        return b"".join(digests)

    def _remember(self, key: int, digest: bytes) -> bytes:
        if len(self.newer) >= self.size:
            self.older, self.newer = self.newer, {}
        self.newer[key] = digest
        return digest


_recent = _RecentDigests()


def simhash(text: str, shingle: int = 3) -> int:
    words = (_ASCII_WORD if text.isascii() else _WORD).findall(text)
    capital = [w[0].isupper() for w in words] + [False]  # the False is both capital[-1] and capital[len]
    # Out go capitalised words and the short words inside a name ("University of Washington").
    common = [w for i, w in enumerate(words)
              if not (capital[i] or (len(w) <= 3 and capital[i - 1] and capital[i + 1]))]
    words = common if len(common) >= 2 * shingle else [w.lower() for w in words]
    grams = list(map(" ".join, zip(*(words[i:] for i in range(shingle)), strict=False))) or [" ".join(words)]
    hashes = _recent.of(grams)
    majority = len(grams) // 2
    ones = int.from_bytes(b"\x01" * len(grams))
    masks = [ones << j for j in range(8)]  # bit j of every byte
    fingerprint = 0
    for k in range(_BYTES):  # byte k of a big-endian hash holds bits 8 * (7 - k) to 8 * (7 - k) + 7
        column = int.from_bytes(hashes[k::_BYTES])
        for j, mask in enumerate(masks):
            if (column & mask).bit_count() > majority:
                fingerprint |= 1 << (8 * (_BYTES - 1 - k) + j)
    return fingerprint


def similarity(a: int, b: int) -> float:
    """1.0 for the same fingerprint, about 0.5 for unrelated texts."""
    return 1 - (a ^ b).bit_count() / BITS


def most_differing_bits(similar: float) -> int:
    """The most bits two fingerprints may differ in and still have at least this similarity.

    A ledger rule compares the draft with hundreds of earlier emails: a popcount against this
    number spares it a call per email, with the very same outcome.
    """
    return max(bits for bits in range(BITS + 1) if similarity(0, (1 << bits) - 1) >= similar)
