"""The near-duplicate fingerprint the ledger keeps instead of an email's text."""

from __future__ import annotations

import hashlib
import random

import regex
import yaml

from server.config import ROOT
from server.engine import fingerprint
from server.engine.fingerprint import BITS, most_differing_bits, simhash, similarity

GENERIC = ("Dear Dr. Lee,\n\nI am writing to express my strong interest in your residency program. I believe my "
           "clinical experience and dedication would make me a strong addition to your team. During my rotations I "
           "learned to care for complex patients, to work closely with nurses and pharmacists, and to stay calm "
           "when things change quickly. I am looking for a program with strong teaching, a supportive culture and "
           "broad clinical exposure, and I would be honored to train with you. Thank you for considering my "
           "application.\n\nSincerely,\nAna Ruiz")
SPECIFIC = ("Dear Dr. Lee,\n\nYour program's regional anesthesia curriculum and the mentorship I saw on interview "
            "day stand out to me. My research on perioperative outcomes in Nashville ties me to the region.")


def test_a_fingerprint_never_changes_between_releases():
    # Ledgers keep fingerprints for a whole season: a new release must compute the same number.
    assert simhash(GENERIC) == 0x1DBCA72737672A93


def test_the_same_letter_with_other_names_is_the_same_and_a_different_one_is_not():
    renamed = GENERIC.replace("Dr. Lee", "Dr. Karen Park").replace("your residency program",
                                                                   "your residency program at Duke University")
    assert similarity(simhash(GENERIC), simhash(renamed)) >= 0.85
    assert similarity(simhash(GENERIC), simhash(SPECIFIC)) < 0.7


def test_a_short_email_or_one_in_capitals_keeps_every_word():
    assert simhash("Thank You Dr. Lee") != simhash("Thank You Dr. Park")
    assert simhash("THANK YOU FOR THE INTERVIEW TODAY") != simhash("THANK YOU FOR THE TOUR TODAY")


def test_short_and_empty_texts_have_a_fingerprint():
    assert simhash("") == simhash("") and isinstance(simhash("Thanks"), int)
    assert 0 <= simhash("Thank you so much") < 1 << 64


def _by_definition(text: str) -> int:
    """The fingerprint as its docstring defines it, computed the plain way: a shingle and a bit at a time."""
    words = regex.findall(r"[\p{L}\p{N}']+", text)
    capital = [w[0].isupper() for w in words] + [False]
    common = [w for i, w in enumerate(words)
              if not (capital[i] or (len(w) <= 3 and capital[i - 1] and capital[i + 1]))]
    words = common if len(common) >= 6 else [w.lower() for w in words]
    grams = [" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))]
    hashes = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams]
    return sum(1 << bit for bit in range(64) if sum(h >> bit & 1 for h in hashes) > len(grams) // 2)


def test_the_fast_fingerprint_is_the_defined_one():
    corpus = [email["text"] for path in sorted((ROOT / "rules" / "corpus").glob("*.yaml"))
              for email in yaml.safe_load(path.read_text(encoding="utf-8"))]
    rng = random.Random(5)
    # Not ASCII (another split of words), underscores and digits, and the shortest texts.
    texts = corpus + [t.replace("a", "á").replace("e", "ē") for t in corpus[::3]] + [
        "", "Thanks", "Thank you", "Dr. Lee", "snake_case and 3rd-year résumé", "Ⅻ ٣ ½ naïve",
        GENERIC, SPECIFIC, GENERIC.upper(),
        *(" ".join(rng.choice(GENERIC.split()) for _ in range(rng.randint(1, 40))) for _ in range(200)),
    ]
    defined = [_by_definition(t) for t in texts]
    assert [simhash(t) for t in texts] == defined
    assert [simhash(t) for t in texts] == defined  # the shingles' digests now remembered


def test_the_fingerprint_of_a_draft_being_typed_is_the_defined_one():
    # Counted line by line, a line's votes kept from one check to the next: what crosses from
    # one line into another is where that could go wrong. So drafts of short words, names and
    # capitals, with every kind of break between them.
    rng = random.Random(11)
    words = ["of", "the", "Dr", "Lee", "UW", "at", "I", "a", "and", "San", "in", "program", "interview", "Thank",
             "you", "so", "much", "naïve", "ÉCOLE", "3rd", "it's", "x"]
    breaks = [" ", " ", " ", ". ", ".\n", "\n", "\n\n", "? ", "! ", ", ", ".  "]
    for _ in range(400):
        text = "".join(rng.choice(words) + rng.choice(breaks) for _ in range(rng.randint(1, 30)))
        typed = [text[:cut] for cut in range(0, len(text) + 1, max(1, len(text) // 8))] + [text]
        assert [simhash(t) for t in typed] == [_by_definition(t) for t in typed], text


def test_what_is_remembered_is_bounded_holds_no_text_and_changes_no_fingerprint(monkeypatch):
    recent, lines = fingerprint._DigestCache(size=50), fingerprint._Cache(size=4)
    monkeypatch.setattr(fingerprint, "_digest_cache", recent)
    monkeypatch.setattr(fingerprint, "_line_cache", lines)
    texts = [GENERIC, SPECIFIC, GENERIC.replace("Lee", "Park"), SPECIFIC + " Thank you for your time."] * 3
    assert [simhash(t) for t in texts] == [_by_definition(t) for t in texts]
    assert len(recent.newer) <= 50 and len(recent.older) == 50
    assert len(lines.newer) <= 4 and len(lines.older) == 4
    for cache in (recent, lines):  # hashes, and digests or counts and offsets: never text
        assert all(isinstance(key, int) for key in [*cache.newer, *cache.older])
    kept = [value for line in [*lines.newer.values(), *lines.older.values()]
            for value in (getattr(line, name) for name in line.__slots__)]
    assert not any(isinstance(value, str) or (isinstance(value, list) and any(isinstance(v, str) for v in value))
                   for value in kept)


def test_a_count_of_differing_bits_says_what_similarity_says():
    pairs = [(a, a ^ ((1 << bits) - 1)) for a in (0, 0x1DBCA72737672A93) for bits in range(BITS + 1)]
    for similar in (0.51, 0.75, 0.8, 0.85, 0.859375, 0.86, 0.9, 0.99, 1.0):
        differing = most_differing_bits(similar)
        assert [(a ^ b).bit_count() <= differing for a, b in pairs] == [similarity(a, b) >= similar for a, b in pairs]


def test_a_long_line_is_counted_in_pieces_as_the_definition_says(monkeypatch):
    monkeypatch.setattr(fingerprint, "LONGEST_LINE", 40)  # so that short texts have long lines too
    rng = random.Random(13)
    words = ["of", "the", "Dr", "Lee", "UW", "at", "I", "program", "interview", "naïve", "ÉCOLE", "it's", "x" * 60]
    breaks = [" ", " ", "  ", ", ", "—", "\n", "-"]
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(breaks) for _ in range(rng.randint(1, 60)))
        assert simhash(text) == _by_definition(text), text
