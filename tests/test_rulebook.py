"""docs/rulebook.md is the advising office's list of categories: it must say what the engine does,
and the admin pages read it (its tables become the rule form's category picker)."""

from __future__ import annotations

from server.admin.rulebook import parse, rulebook
from server.engine.categories import CATEGORIES, SEVERITIES


def test_every_category_is_documented_once_with_its_default_severity():
    rows = rulebook().categories
    assert set(rows) == set(CATEGORIES)
    assert {c: rows[c].severity for c in rows} == {c.id: c.severity for c in CATEGORIES.values()}
    assert all(row.catches and row.authority for row in rows.values())


def test_what_a_category_reads_matches_the_context_its_rules_need():
    for category, row in rulebook().categories.items():
        needs = CATEGORIES[category].needs
        if CATEGORIES[category].direction == "inbound":
            assert row.reads == "a program's email"
        else:
            assert row.reads == (f"draft + {needs}" if needs else "the draft"), category


def test_every_severity_says_when_it_is_chosen():
    assert [s.severity for s in rulebook().severities] == list(SEVERITIES)


def test_the_page_links_each_category_and_shows_no_markup_of_the_document_as_markup():
    book = parse("| category | reads | severity | what it catches | authority |\n|---|---|---|---|---|\n"
                 "| `tone.casual` | the draft | info | <script>x()</script> **emoji** | guides |\n")
    assert '<tr id="category-tone.casual">' in book.html
    assert "<script>" not in book.html and "&lt;script&gt;" in book.html
    assert book.categories["tone.casual"].catches == "<script>x()</script> emoji"
