"""A 64-bit SimHash over word shingles: near-identical emails get near-identical numbers.

The ledger keeps this number instead of the text, which is enough to notice the same
letter going to many programs with only the names changed. Names are what a mass email
changes ("Dear Dr. Lee", "University of Washington", "Seattle"), so names (capitalised
words, and the short words between them) are left out of the shingles; a short email, or
one written in capitals, keeps every word.

Each bit of the fingerprint is the majority vote of that bit over the hashes of all
three-word shingles. The votes are counted a column at a time: the hashes' bytes side
by side, byte k of every hash sliced out and each of its bits tallied with a translation
table, so the counting is 64 passes in C rather than a Python step per shingle.
"""

from __future__ import annotations

import hashlib

import regex

_WORD = regex.compile(r"[\p{L}\p{N}']+")
BITS = 64


# _BIT[j] maps a byte to 1 if its bit j is set, else 0.
_BIT = [bytes((value >> j) & 1 for value in range(256)) for j in range(8)]
_BYTES = BITS // 8


_HASH = hashlib.blake2b(digest_size=_BYTES)  # copied per shingle: cheaper than a new hash with its parameters


def _digest(gram: str) -> bytes:
    shingle = _HASH.copy()
    shingle.update(gram.encode())
    return shingle.digest()


def simhash(text: str, shingle: int = 3) -> int:
    words = _WORD.findall(text)
    capital = [w[0].isupper() for w in words] + [False]  # the False is both capital[-1] and capital[len]
    # Out go capitalised words and the short words inside a name ("University of Washington").
    common = [w for i, w in enumerate(words)
              if not (capital[i] or (len(w) <= 3 and capital[i - 1] and capital[i + 1]))]
    words = common if len(common) >= 2 * shingle else [w.lower() for w in words]
    grams = [" ".join(words[i:i + shingle]) for i in range(max(1, len(words) - shingle + 1))]
    hashes = b"".join(map(_digest, grams))
    majority = len(grams) // 2
    fingerprint = 0
    for k in range(_BYTES):  # byte k of a big-endian hash holds bits 8 * (7 - k) to 8 * (7 - k) + 7
        column = hashes[k::_BYTES]
        for j in range(8):
            if column.translate(_BIT[j]).count(1) > majority:
                fingerprint |= 1 << (8 * (_BYTES - 1 - k) + j)
    return fingerprint


def similarity(a: int, b: int) -> float:
    """1.0 for the same fingerprint, about 0.5 for unrelated texts."""
    return 1 - (a ^ b).bit_count() / BITS
