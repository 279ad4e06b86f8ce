"""Reviewing a change (checks, diff, effect on the regression corpus) and publishing it."""

from __future__ import annotations

from .. import audit, db, rulesets
from ..engine import LoadError, RuleSet
from ..rulesets import Version
from . import diffs, regression, validation
from .changes import Change

ACTIONS = {"edit": "rules.publish", "import": "rules.import", "rollback": "rules.rollback",
           "shipped": "rules.publish-shipped"}


def base_ruleset(change: Change) -> RuleSet:
    try:
        return rulesets.build(change.base_sources)
    except LoadError:
        # An old version a newer engine refuses: compare with what is served instead.
        return rulesets.active()


def review(change: Change, rules_dir: str) -> dict:
    """Everything the admin sees before publishing; validation.Refused when the change may not be.
    rules_dir: the shipped rules, with the regression corpus and the examples' directory and calendar."""
    base = base_ruleset(change)
    passed = validation.validate(change, base, rules_dir)
    return {
        "base": change.base.as_json(),
        "summary": change.summary,
        "origin": change.origin,
        "digest": rulesets.digest(change.sources)[:12],
        "checks": passed.as_json(),
        "rules": diffs.rule_changes(base, passed.ruleset),
        "files": diffs.file_diffs(change.base_sources, change.sources),
        "regression": regression.compare(base, passed.ruleset, passed.affected, rules_dir),
    }


def publish(change: Change, note: str, author: str, rules_dir: str) -> Version:
    """Validate the change again and make it the version in force; rulesets.Conflict when the
    rules it was made from are no longer in force."""
    validation.validate(change, base_ruleset(change), rules_dir)
    with db.writing() as connection:
        version = rulesets.publish(connection, change.sources, origin=change.origin, author=author, note=note,
                                   parent_id=change.base.id, restored_from=change.restored_from)
        if change.release:
            rulesets.settle_release(connection, change.release, version_id=version.id)
        audit.record(connection, ACTIONS[change.origin], f"rules version {version.id}", f"{change.summary}. {note}")
    rulesets.refresh()  # this process switches at once (it built the rules to validate them); others within a second
    return version
