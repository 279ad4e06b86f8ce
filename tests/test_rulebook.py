"""docs/rulebook.md is the advising office's list of categories: it must say what the engine does."""

from __future__ import annotations

import re

from server.config import ROOT
from server.engine.categories import CATEGORIES

ROW = re.compile(r"^\| `([a-z]+\.[a-z-]+)` \| ([^|]+) \| (error|warning|info) \|", re.MULTILINE)


def documented() -> dict[str, tuple[str, str]]:
    return {category: (reads.strip(), severity)
            for category, reads, severity in ROW.findall((ROOT / "docs" / "rulebook.md").read_text(encoding="utf-8"))}


def test_every_category_is_documented_once_with_its_default_severity():
    rows = documented()
    assert set(rows) == set(CATEGORIES)
    assert {c: rows[c][1] for c in rows} == {c.id: c.severity for c in CATEGORIES.values()}


def test_what_a_category_reads_matches_the_context_its_rules_need():
    for category, (reads, _) in documented().items():
        needs = CATEGORIES[category].needs
        if CATEGORIES[category].direction == "inbound":
            assert reads == "a program's email"
        else:
            assert reads == (f"draft + {needs}" if needs else "the draft"), category
