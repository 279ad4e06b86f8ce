"""docs/rulebook.md as the admin pages show it: the whole document as HTML, and its tables of
categories and severities as data for the rule form's category picker.

The document is the one reference: the page renders it, the picker reads its table, and a
test holds the table to the engine's categories (server/engine/categories.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from ..config import ROOT

RULEBOOK = ROOT / "docs" / "rulebook.md"


@dataclass(frozen=True)
class CategoryEntry:
    id: str
    reads: str
    severity: str  # the category's default
    catches: str  # what it catches, in the rulebook's words
    authority: str

    @property
    def family(self) -> str:
        """The part before the dot ("nrmp", "tone"), by which the picker groups categories."""
        return self.id.partition(".")[0]


@dataclass(frozen=True)
class SeverityEntry:
    severity: str
    when: str
    clients: str


@dataclass(frozen=True)
class Rulebook:
    html: str
    categories: dict[str, CategoryEntry]
    severities: list[SeverityEntry]


def _markdown() -> MarkdownIt:
    # Raw HTML in the document is shown as text, never run: the page's markup is the renderer's alone.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _tables(tokens) -> list[tuple[list, list[list[str]]]]:
    """Each table as (its row-opening tokens, its rows of cell texts), the header row first."""
    tables, rows, openers, cells, inside = [], [], [], None, False
    for token in tokens:
        if token.type == "table_open":
            rows, openers, inside = [], [], True
        elif token.type == "table_close":
            tables.append((openers, rows))
            inside = False
        elif inside and token.type == "tr_open":
            openers.append(token)
            cells = []
        elif inside and token.type == "tr_close":
            rows.append(cells)
        elif inside and token.type == "inline":
            cells.append(token.content.strip())
    return tables


def _code(cell: str) -> str:
    return cell.strip().strip("`")


def _plain(cell: str) -> str:
    """A cell's text without its Markdown marks, for a form's hint."""
    return cell.replace("`", "").replace("**", "")


def parse(text: str) -> Rulebook:
    markdown = _markdown()
    tokens = markdown.parse(text)
    categories: dict[str, CategoryEntry] = {}
    severities: list[SeverityEntry] = []
    for openers, rows in _tables(tokens):
        header = [cell.lower() for cell in rows[0]] if rows else []
        if header[:1] == ["category"]:
            for opener, cells in zip(openers[1:], rows[1:], strict=True):
                entry = CategoryEntry(_code(cells[0]), cells[1], _code(cells[2]), _plain(cells[3]), _plain(cells[4]))
                categories[entry.id] = entry
                # Each row can be linked to: /admin/rulebook#category-nrmp.ask-rank
                opener.attrSet("id", f"category-{entry.id}")
        elif header[:1] == ["severity"]:
            severities = [SeverityEntry(_code(cells[0]), _plain(cells[1]), _plain(cells[2])) for cells in rows[1:]]
    html = markdown.renderer.render(tokens, markdown.options, {})
    return Rulebook(html, categories, severities)


@lru_cache(maxsize=2)
def _read(path: Path, modified: float) -> Rulebook:
    return parse(path.read_text(encoding="utf-8"))


def rulebook(path: Path = RULEBOOK) -> Rulebook:
    """The rulebook, read again when the file changes."""
    return _read(path, path.stat().st_mtime)
