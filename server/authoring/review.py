"""Reviewing a change (checks, diff, effect on the regression corpus) and publishing it.

A change that costs the corpus something (an example email that no longer gets what it
should, a sentence kept as a good example that is now flagged) is published only when the
admin confirms those very consequences: the publish names them back, and the server checks
them again, so a stale or blanket confirmation does not do.
"""

from __future__ import annotations

from .. import audit, db, rulesets
from ..engine import LoadError, RuleSet
from ..rulesets import Version
from ..wording import plural
from . import diffs, regression, validation
from .changes import Change

ACTIONS = {"edit": "rules.publish", "import": "rules.import", "rollback": "rules.rollback",
           "shipped": "rules.publish-shipped"}


class NeedsConfirmation(Exception):
    def __init__(self, consequences: dict[str, int]):
        super().__init__(describe(consequences))
        self.consequences = consequences


def consequences(report: dict) -> dict[str, int]:
    """What the change costs, by kind, from its regression report: {} when nothing."""
    return {key: report[key] for key in ("corpus_broken", "clean_flagged") if report[key]}


def describe(costs: dict[str, int]) -> str:
    parts = []
    if costs.get("corpus_broken"):
        parts.append(f"{plural(costs['corpus_broken'], 'example email')} would no longer get what they should")
    if costs.get("clean_flagged"):
        parts.append(f"{plural(costs['clean_flagged'], 'sentence')} kept as good examples would now be flagged")
    return " and ".join(parts)


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
    report = regression.compare(base, passed.ruleset, passed.affected, rules_dir)
    return {
        "base": change.base.as_json(),
        "summary": change.summary,
        "origin": change.origin,
        "digest": rulesets.digest(change.sources)[:12],
        "checks": passed.as_json(),
        "rules": diffs.rule_changes(base, passed.ruleset),
        "files": diffs.file_diffs(change.base_sources, change.sources),
        "regression": report,
        "consequences": consequences(report),
    }


def publish(change: Change, note: str, author: str, rules_dir: str, confirmed: dict | None = None) -> Version:
    """Validate the change again and make it the version in force; rulesets.Conflict when the
    rules it was made from are no longer in force, NeedsConfirmation when it costs the corpus
    something other than what `confirmed` names."""
    base = base_ruleset(change)
    passed = validation.validate(change, base, rules_dir)
    costs = consequences(regression.compare(base, passed.ruleset, passed.affected, rules_dir))
    if costs and costs != confirmed:
        raise NeedsConfirmation(costs)
    with db.writing() as connection:
        version = rulesets.publish(connection, change.sources, origin=change.origin, author=author, note=note,
                                   parent_id=change.base.id, restored_from=change.restored_from)
        if change.release:
            rulesets.settle_release(connection, change.release, version_id=version.id)
        confirmed_text = f" Published although {describe(costs)}." if costs else ""
        audit.record(connection, ACTIONS[change.origin], f"rules version {version.id}",
                     f"{change.summary}. {note}{confirmed_text}")
    rulesets.refresh()  # this process switches at once (it built the rules to validate them); others within a second
    return version
