"""A 64-bit SimHash over word shingles: near-identical emails get near-identical numbers.

The ledger keeps this number instead of the text, which is enough to notice the same
letter going to many programs with only the names changed.
"""

from __future__ import annotations

import hashlib

import regex

_WORD = regex.compile(r"[\p{L}\p{N}']+")
BITS = 64


def simhash(text: str, shingle: int = 3) -> int:
    words = [w.lower() for w in _WORD.findall(text)]
    grams = [" ".join(words[i:i + shingle]) for i in range(max(1, len(words) - shingle + 1))]
    weights = [0] * BITS
    for gram in grams:
        value = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if weights[bit] > 0)


def similarity(a: int, b: int) -> float:
    """1.0 for the same fingerprint, about 0.5 for unrelated texts."""
    return 1 - bin(a ^ b).count("1") / BITS
