"""One rule's history: the versions that added it, changed it, turned it on or off or removed it,
each with who, when, why and the diff of that rule alone."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import Connection

from .. import rulesets
from ..rulesets import Version
from . import packs

VERSIONS_READ = 60  # the newest versions looked through: far more than a season's edits of one rule


@dataclass(frozen=True)
class Change:
    version: Version
    what: str  # added | edited | turned off | turned on | removed
    diff: str
    file: str | None  # where the rule is kept after the change (None: removed)


def _document(sources: dict[str, str] | None, rule_id: str) -> tuple[str, str] | None:
    """(file, the rule's YAML) in a version's sources, or None when the version has no such rule."""
    for path in sorted(p for p in sources or {} if p.startswith("packs/")):
        found = packs.find(sources[path], rule_id)
        if found is not None:
            return path, found.text
    return None


def _what(before: str | None, after: str | None) -> str:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    off = [packs.with_enabled(text, True) != text for text in (before, after)]
    if off == [False, True] and packs.with_enabled(after, True) == before:
        return "turned off"
    if off == [True, False] and packs.with_enabled(before, True) == after:
        return "turned on"
    return "edited"


def history(connection: Connection, rule_id: str) -> list[Change]:
    """The rule's changes, newest first, among the newest VERSIONS_READ versions."""
    versions = rulesets.history(connection, VERSIONS_READ)
    known = {v.id: _document(rulesets.sources_of(connection, v.id), rule_id) for v in versions}
    found = []
    for version in versions:
        after = known[version.id]
        if version.parent_id is None:
            before = None
        elif version.parent_id in known:
            before = known[version.parent_id]
        else:
            before = _document(rulesets.sources_of(connection, version.parent_id), rule_id)
        old, new = before[1] if before else None, after[1] if after else None
        if old == new:
            continue
        lines = [(text or "").splitlines(keepends=True) for text in (old, new)]
        diff = "".join(difflib.unified_diff(*lines, fromfile=f"version {version.parent_id}",
                                            tofile=f"version {version.id}"))
        found.append(Change(version, _what(old, new), diff, after[0] if after else None))
    return found
