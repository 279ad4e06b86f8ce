"""The evaluation sets of bench/judgement.py stay blind: none of their sentences is a rule's
example, a claim's example or a corpus email's, so the figures measure wording the rules'
authors did not write down."""

from __future__ import annotations

import regex
import yaml

from server.config import ROOT
from server.engine.examples import unmark

SETS = sorted((ROOT / "bench" / "judgement").glob("*.yaml"))
CATEGORIES_FILE = ROOT / "docs" / "rulebook.md"
_SENTENCE = regex.compile(r"[^.?!\n]+[.?!]?")
# Characters: shorter courtesies ("Thank you again for your time and consideration.") belong to any email.
SHORTEST = 60


def _sentences(text: str) -> set[str]:
    return {" ".join(s.split()).lower() for s in _SENTENCE.findall(text) if len(s.strip()) >= SHORTEST}


def _texts(value):
    """Every string in a rule or corpus file, wherever it sits."""
    if isinstance(value, str):
        yield unmark(value)[0]
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _written_by_the_rules_authors() -> set[str]:
    sentences = set()
    for path in [*(ROOT / "rules").glob("packs/*.yaml"), ROOT / "rules" / "message.yaml",
                 *(ROOT / "rules").glob("corpus/*.yaml")]:
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            for text in _texts(document):
                sentences |= _sentences(text)
    return sentences


def test_the_sets_are_well_formed():
    categories = set(regex.findall(r"^\| `([a-z-]+\.[a-z-]+)` \|", CATEGORIES_FILE.read_text(encoding="utf-8"),
                                   flags=regex.MULTILINE))
    assert SETS, "bench/judgement/ holds no evaluation set"
    for path in SETS:
        emails = yaml.safe_load(path.read_text(encoding="utf-8"))
        names = [email["name"] for email in emails]
        assert len(names) == len(set(names)), f"{path.name}: names repeat"
        for email in emails:
            assert email["expect"] == "clean" or set(email["expect"]) <= categories, (path.name, email["name"])
            assert email.get("direction", "outbound") in ("outbound", "inbound"), (path.name, email["name"])


def test_no_evaluation_sentence_is_written_into_the_rules():
    known = _written_by_the_rules_authors()
    for path in SETS:
        for email in yaml.safe_load(path.read_text(encoding="utf-8")):
            shared = _sentences(email["text"]) & known
            assert not shared, f"{path.name} {email['name']}: {sorted(shared)[:3]}"
