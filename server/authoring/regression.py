"""What a change does to the warnings, before it is published (as LanguageTool's rule editor shows
a rule's hits on a corpus).

Every rule's examples and the whole emails of rules/corpus/*.yaml are checked with the
rules in force and with the change; the report lists, per text, the warnings the change
adds and those it loses (rule, field, span and the words underlined), the corpus emails
whose expectation ("clean", or the categories it must raise) now fails or holds, and the
clean examples that now get an error or a warning. Examples only the change has (a rule's
new examples) are counted, not compared: there is nothing before them.
Rules are independent once a message is classified, so when neither the word lists nor
the classifier changed, only the affected rules are run.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ..engine import Budget, RuleSet, check
from ..engine.examples import Example
from ..engine.model import Context, Draft
from .validation import example_context

# Generous: a review is not a keystroke, and a rule that times out here would look like a lost warning.
BUDGET_SECONDS, RULE_SECONDS = 5.0, 1.0
SHOWN = 200  # texts listed at most; the counts cover them all


@dataclass(frozen=True)
class Sample:
    label: str
    kind: str  # corpus | example
    draft: Draft
    context: Context
    expect: object = None  # a corpus email's expectation: "clean" or a list of categories
    rule: str | None = None  # the rule an example belongs to...
    example: str | None = None  # ...and which kind of example it is: flag | clean
    new: bool = False  # an example only the changed rules have: nothing to compare it with


@dataclass(frozen=True)
class Difference:
    """A text whose warnings the change alters: those of the rules it runs, before and after."""

    sample: Sample
    before: list
    after: list
    gained: frozenset
    dropped: frozenset


@cache
def corpus(rules_dir: str) -> tuple[dict, ...]:
    return tuple(email for path in sorted(Path(rules_dir, "corpus").glob("*.yaml"))
                 for email in yaml.safe_load(path.read_text(encoding="utf-8")) or [])


def samples(base: RuleSet, draft: RuleSet, rules_dir: str) -> list[Sample]:
    """The corpus emails of rules_dir and every example of either rule set, each text once."""
    context_for = example_context(rules_dir)
    found = [Sample(f"corpus: {email['name']}", "corpus", Example.draft_of(email, email.get("direction", "outbound")),
                    context_for(email), email.get("expect")) for email in corpus(rules_dir)]
    seen = set()
    for ruleset in (base, draft):
        for rule in ruleset.rules:
            for kind in ("flag", "clean"):
                for number, raw in enumerate(rule.examples.get(kind, []), 1):
                    example = Example(raw, rule)
                    identity = json.dumps([rule.direction, example.draft.text, example.draft.subject,
                                           example.spec], sort_keys=True, default=str)
                    if identity not in seen:
                        seen.add(identity)
                        found.append(Sample(f"{rule.id}: {kind} example {number}", "example", example.draft,
                                            context_for(example.spec), rule=rule.id, example=kind,
                                            new=ruleset is not base))
    return found


def differences(base: RuleSet, draft: RuleSet, affected: frozenset[str] | None, checked: list[Sample],
                until: float | None = None):
    """Each of the texts whose warnings from the affected rules (None: any rule) the change alters;
    `until`: a time.monotonic() after which no further text is read."""
    # A change that touches no rule (a comment, say) cannot change a warning.
    for sample in checked if affected is None or affected else ():
        if until is not None and time.monotonic() >= until:
            return
        before, after = _warnings(base, sample, affected), _warnings(draft, sample, affected)
        before_keys, after_keys = {key(w) for w in before}, {key(w) for w in after}
        if before_keys != after_keys:
            yield Difference(sample, before, after, frozenset(after_keys - before_keys),
                             frozenset(before_keys - after_keys))


def _warnings(ruleset: RuleSet, sample: Sample, only: frozenset[str] | None):
    result = check(ruleset, sample.draft, sample.context, Budget(BUDGET_SECONDS, RULE_SECONDS),
                   only=None if only is None else set(only))
    return result.warnings


def key(warning) -> tuple:
    """What tells two warnings apart in a comparison."""
    return (warning.rule, warning.field, warning.offset, warning.length, warning.severity)


def _serious(warnings) -> list[str]:
    return sorted({w.category for w in warnings if w.severity in ("error", "warning")})


def _meets(expect, warnings) -> bool:
    return _serious(warnings) == ([] if expect == "clean" else sorted(expect or []))


def _words(draft: Draft, field: str, offset: int, length: int) -> str:
    """The text a warning underlines (offsets in UTF-16 code units)."""
    if not length:
        return ""
    encoded = (draft.subject if field == "subject" else draft.text or "").encode("utf-16-le")
    return encoded[offset * 2:(offset + length) * 2].decode("utf-16-le", errors="replace")


def _described(warnings, keys, draft: Draft) -> list[dict]:
    return [{"rule": w.rule, "category": w.category, "severity": w.severity, "field": w.field, "offset": w.offset,
             "length": w.length, "words": _words(draft, w.field, w.offset, w.length)}
            for w in warnings if key(w) in keys]


def compare(base: RuleSet, draft: RuleSet, affected: frozenset[str] | None, rules_dir: str) -> dict:
    """The change's effect on every sample text (see the module's docstring)."""
    changes, added, lost, broken, mended, clean_flagged = [], 0, 0, 0, 0, 0
    checked = samples(base, draft, rules_dir)
    for difference in differences(base, draft, affected, checked):
        sample, gained, dropped = difference.sample, difference.gained, difference.dropped
        if sample.new:
            continue  # a new example's warnings are what its rule was written to give, not news
        expectation = None
        if sample.kind == "corpus" and sample.expect is not None:
            full_before = difference.before if affected is None else _warnings(base, sample, None)
            full_after = difference.after if affected is None else _warnings(draft, sample, None)
            expectation = {"expect": sample.expect, "met_before": _meets(sample.expect, full_before),
                           "met_after": _meets(sample.expect, full_after)}
            broken += expectation["met_before"] and not expectation["met_after"]
            mended += expectation["met_after"] and not expectation["met_before"]
        # A sentence kept as a good example (of any rule) that now gets a warning is a precision loss.
        flags_good = sample.example == "clean" and any(key(w) in gained and w.severity in ("error", "warning")
                                                        for w in difference.after)
        clean_flagged += flags_good
        added, lost = added + len(gained), lost + len(dropped)
        changes.append({"sample": sample.label, "kind": sample.kind, "expectation": expectation,
                        "clean_flagged": flags_good,
                        "added": _described(difference.after, gained, sample.draft),
                        "lost": _described(difference.before, dropped, sample.draft)})
    # Broken expectations first: they are what the admin must look at.
    changes.sort(key=lambda c: (not (c["expectation"] and not c["expectation"]["met_after"]),
                                not c["clean_flagged"], c["kind"] != "corpus"))
    return {
        "texts": {"corpus": sum(s.kind == "corpus" for s in checked),
                  "examples": sum(s.kind == "example" and not s.new for s in checked),
                  "new_examples": sum(s.new for s in checked)},
        "added": added, "lost": lost, "corpus_broken": broken, "corpus_mended": mended, "clean_flagged": clean_flagged,
        "changed_texts": len(changes), "changes": changes[:SHOWN],
    }
