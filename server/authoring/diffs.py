"""What a change does to the rule files and to the rules, for the review and the versions page."""

from __future__ import annotations

import difflib

from ..engine import RuleSet

CONTEXT_LINES = 3


def file_diffs(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    """A unified diff per file that differs: added, removed or changed."""
    found = []
    for path in sorted(before.keys() | after.keys()):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        status = "added" if old is None else "removed" if new is None else "changed"
        lines = difflib.unified_diff((old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
                                     fromfile=f"a/{path}", tofile=f"b/{path}", n=CONTEXT_LINES)
        found.append({"file": path, "status": status, "diff": "".join(line if line.endswith("\n") else line + "\n"
                                                                      for line in lines)})
    return found


def rule_changes(before: RuleSet | None, after: RuleSet) -> dict:
    """Rule ids added, removed, changed, switched on and off."""
    old = {r.id: r for r in before.rules} if before else {}
    new = {r.id: r for r in after.rules}
    changed = sorted(i for i in old.keys() & new.keys() if old[i].spec != new[i].spec)
    return {
        "added": sorted(new.keys() - old.keys()),
        "removed": sorted(old.keys() - new.keys()),
        "changed": changed,
        "turned_off": [i for i in changed if old[i].enabled and not new[i].enabled],
        "turned_on": [i for i in changed if new[i].enabled and not old[i].enabled],
    }
