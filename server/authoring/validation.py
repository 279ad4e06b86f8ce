"""What a change must pass before it can be published, LanguageTool-style.

0. Nothing is too large: the files, each rule (and so each of its examples), the number
   of a rule's examples. What is checked and served stays quick.
1. The rules load: YAML, the rule schema, every pattern compiles (engine.loader).
2. Every pattern the change adds is quick on long adversarial texts (regex_safety).
3. Every rule it can affect passes its own examples (engine.examples), and so do the
   message classifier's claims when message.yaml changed.

The first problem refuses the change with its file, line, rule and reason; the line is
also given within the text the admin edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .. import rulesets
from ..engine import LoadError, RuleSet, safe_yaml
from ..engine.examples import Failure, context_builder, failures, unmark
from ..engine.text import Prepared
from ..engine.vocabulary import VocabularyError
from . import packs, regex_safety
from .changes import Change

_PATTERN_KEYS = ("pattern", "patterns", "sentence", "unless", "text", "subject")
# Far above what the shipped rules need (their largest rule is 8,000 characters, with 14 examples
# of a kind at most). Each example is a check to run, so their number is bounded too.
MAX_FILES = 64
MAX_TOTAL_CHARS = 2_000_000
MAX_RULE_CHARS = 20_000
MAX_EXAMPLES = 50  # of each kind, flag and clean


# What to do about the YAML mistakes made most often, for someone who does not write YAML.
_YAML_ADVICE = {
    "mapping values are not allowed": "a colon followed by a space inside a text starts a new key: put the whole "
                                      "text in double quotes, or edit the rule in the form, which quotes for you",
    "tab character": "indent with spaces, not tabs",
    "could not find expected ':'": "each line must be 'key: value' or a '- ' item of a list; a text over several "
                                   "lines needs '>' after its key, then its lines indented",
    "found unexpected end of stream": "a quote is opened and never closed",
    "did not find expected key": "this line is indented differently from the lines around it",
}


def _advised(reason: str) -> str:
    """The loader's reason, with what to do when it is one of the usual YAML mistakes."""
    advice = next((text for found, text in _YAML_ADVICE.items() if found in reason), None)
    return f"{reason}. What to do: {advice}" if advice and reason.startswith("not valid YAML") else reason


@dataclass(frozen=True)
class Problem:
    file: str | None
    line: int | None
    rule: str | None
    reason: str
    document_line: int | None = None  # the line within the text the admin edited, when it is there

    def as_json(self) -> dict:
        return {"file": self.file, "line": self.line, "rule": self.rule, "reason": self.reason,
                "document_line": self.document_line}

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "the rules")
        return f"{where}: {f'rule {self.rule}: ' if self.rule else ''}{self.reason}"


class Refused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Passed:
    """What a change passed, for the review to show."""

    ruleset: RuleSet
    affected: frozenset[str] | None  # rule ids whose warnings can differ; None: any rule's
    patterns_tested: int
    examples_checked: int

    def as_json(self) -> dict:
        return {"loads": True, "patterns_tested": self.patterns_tested, "examples_checked": self.examples_checked,
                "rules_affected": None if self.affected is None else sorted(self.affected)}


@cache
def example_context(rules_dir: str):
    # Examples are written against the shipped directory and calendar, as in the test suite.
    return context_builder(Path(rules_dir))


def validate(change: Change, base: RuleSet, rules_dir: str) -> Passed:
    """The change's rule set, built and checked; Refused with the first problem. rules_dir: the
    shipped rules, whose directory and calendar the examples are written against."""
    _check_sizes(change)
    try:
        ruleset = rulesets.build(change.sources)
    except LoadError as error:
        raise Refused(load_problem(error, change)) from None
    affected = affected_rules(change, base, ruleset)
    _check_example_counts(change, ruleset, affected)
    tested = _check_patterns(change, base, ruleset)
    checked = _check_examples(change, ruleset, affected, rules_dir)
    return Passed(ruleset, affected, tested, checked)


def shared_files_changed(change: Change) -> bool:
    """Whether word lists or the classifier changed, which any rule may read."""
    return any(change.sources.get(p) != change.base_sources.get(p)
               for p in set(change.sources) | set(change.base_sources) if not p.startswith("packs/"))


def affected_rules(change: Change, base: RuleSet, draft: RuleSet) -> frozenset[str] | None:
    """Rules added, removed or changed; None when a shared file changed, so any rule may behave anew."""
    if shared_files_changed(change):
        return None
    before = {r.id: r.spec for r in base.rules}
    after = {r.id: r.spec for r in draft.rules}
    return frozenset(i for i in before.keys() | after.keys() if before.get(i) != after.get(i))


# 0. Sizes

def _check_sizes(change: Change) -> None:
    sources = change.sources
    total = sum(len(text) for text in sources.values())
    if len(sources) > MAX_FILES or total > MAX_TOTAL_CHARS:
        raise Refused(Problem(None, None, None, f"the rules may have at most {MAX_FILES} files of "
                                                f"{MAX_TOTAL_CHARS:,} characters in all; these have {len(sources)} "
                                                f"of {total:,}"))
    for path in sorted(p for p in sources if p.startswith("packs/")):
        for document in packs.documents(sources[path]):
            if len(document.text) > MAX_RULE_CHARS:
                raise Refused(_problem(change, path, document.first_line, document.rule_id,
                                       f"the rule is {len(document.text):,} characters long; a rule may have at "
                                       f"most {MAX_RULE_CHARS:,}"))


def _check_example_counts(change: Change, draft: RuleSet, affected: frozenset[str] | None) -> None:
    for rule in draft.rules:
        if affected is not None and rule.id not in affected:
            continue
        for kind in ("flag", "clean"):
            examples = rule.examples.get(kind, [])
            if len(examples) > MAX_EXAMPLES:
                raise Refused(_example_located(change, draft, rule.id, kind, None,
                                               f"it has {len(examples)} {kind} examples; a rule may have at most "
                                               f"{MAX_EXAMPLES} of each kind"))


# 1. Loading

def load_problem(error: LoadError, change: Change | None) -> Problem:
    """The loader's error, on the line the problem is on, and within the text the admin edited."""
    file, line, reason = error.origin, error.line, _advised(error.reason)
    if change is None:
        return Problem(file, line, error.rule_id, reason)
    scope = _scope(change.sources.get(file), file, line, error.rule_id)
    if scope is not None and (error.key or error.value) and line in (None, _content_line(scope)):
        # The loader names the line a rule starts on (or none): find the line of what its reason is about.
        line = scope.first_line - 1 + _line_in(scope.text, error)
    return _problem(change, file, line, error.rule_id, reason)


def _scope(text: str | None, path: str, line: int | None, rule_id: str | None) -> packs.Document | None:
    """The part of a file an error is about: a pack's rule document, or a whole other file."""
    if text is None:
        return None
    if path.startswith("packs/"):
        return next((d for d in packs.documents(text)
                     if (rule_id is not None and d.rule_id == rule_id) or _content_line(d) == line), None)
    return packs.Document(0, len(text.splitlines()), text, None)


def _problem(change: Change, file: str | None, line: int | None, rule: str | None, reason: str) -> Problem:
    document = _edited_document(change)
    relative = None
    if document is not None and file == change.file and line and document.start < line <= document.end:
        relative = line - document.first_line + 1
    return Problem(file, line, rule, reason, relative)


def _edited_document(change: Change) -> packs.Document | None:
    if change.file is None or change.document_line is None:
        return None
    text = change.sources.get(change.file, "")
    if change.whole_file:
        return packs.Document(0, len(text.splitlines()), text, None)
    return next((d for d in packs.documents(text) if d.first_line == change.document_line), None)


def _content_line(document: packs.Document) -> int:
    """The line the loader reports for a rule: its first line that is not blank or a comment."""
    for number, line in enumerate(document.text.splitlines()):
        if line.strip() and not line.lstrip().startswith("#"):
            return document.first_line + number
    return document.first_line


def _nodes(text: str):
    """(key path, node, line) for every node of a YAML document, depth first; the line (from 1)
    is its key's for a mapping's value, its own otherwise."""
    try:
        root = yaml.compose(text, Loader=safe_yaml.SafeLoader)
    except yaml.YAMLError:
        return

    def walk(node, path, line):
        yield path, node, line
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                yield from walk(value, (*path, key.value), key.start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                yield from walk(value, (*path, index), value.start_mark.line + 1)

    if root is not None:
        yield from walk(root, (), root.start_mark.line + 1)


def _line_in(text: str, error: LoadError) -> int:
    """The line of a document (from 1) holding the value or top-level key the error is about; 1 when unknown."""
    nodes = list(_nodes(text))
    for path, node, line in nodes:
        if error.value is not None and isinstance(node, yaml.ScalarNode) and node.value == error.value \
                and set(path) & set(_PATTERN_KEYS):
            return line
    for path, _, line in nodes:
        if len(path) == 1 and str(path[0]) == error.key:
            return line
    return 1


def _line_of(text: str, wanted) -> int | None:
    """The line (from 1) of the first node for which wanted(path, node) holds."""
    return next((line for path, node, line in _nodes(text) if wanted(path, node)), None)


def _rule_document(ruleset: RuleSet, rule_id: str, sources: dict[str, str]) -> tuple[str, packs.Document] | None:
    rule = ruleset.rule(rule_id)
    if rule is None:
        return None
    path = rule.origin.rpartition(":")[0]
    document = packs.find(sources.get(path, ""), rule_id)
    return (path, document) if document else None


# 2. Patterns

def _check_patterns(change: Change, base: RuleSet, draft: RuleSet) -> int:
    known = {p.pattern for thing in [*base.rules, base.classifier] for p in regex_safety.patterns_of(thing)}
    tested = 0
    for thing in [*draft.rules, draft.classifier]:
        fresh = [p for p in regex_safety.patterns_of(thing) if p.pattern not in known]
        if not fresh:
            continue
        rule_id = getattr(thing, "id", None)
        samples = [unmark(e if isinstance(e, str) else str(e.get("text", "")))[0]
                   for e in (thing.examples.get("flag", []) if rule_id else [])]
        for pattern in fresh:
            tested += 1
            known.add(pattern.pattern)
            slow = regex_safety.too_slow(pattern, samples)
            if slow:
                raise Refused(_slow_problem(change, draft, rule_id, pattern, slow))
    return tested


def _slow_problem(change: Change, draft: RuleSet, rule_id: str | None, pattern, why: str) -> Problem:
    """Where the slow pattern is written: its own line in its rule (or in message.yaml)."""
    vocabulary = draft.vocabulary

    def written(path, node):
        if not (isinstance(node, yaml.ScalarNode) and isinstance(node.value, str)):
            return False
        try:
            return vocabulary.expand(node.value) == pattern.pattern
        except VocabularyError:
            return False

    located = _rule_document(draft, rule_id, change.sources) if rule_id else None
    if located:
        path, document = located
        line = _line_of(document.text, written)
        source = next((n.value for p, n, _ in _nodes(document.text) if written(p, n)), pattern.pattern)
        absolute = document.first_line - 1 + line if line else document.first_line
    else:
        path = "message.yaml"
        absolute = _line_of(change.sources.get(path, ""), written)
        source = pattern.pattern
    shown = source if len(source) <= 120 else source[:117] + "..."
    return _problem(change, path, absolute, rule_id, f"pattern '{shown}' {why}")


# 3. Examples

def _check_examples(change: Change, draft: RuleSet, affected: frozenset[str] | None, rules_dir: str) -> int:
    context_for = example_context(rules_dir)
    checked = 0
    for rule in draft.rules:
        # A rule turned off warns about nothing, so it has no examples to live up to until it is back on.
        if not rule.enabled or (affected is not None and rule.id not in affected):
            continue
        checked += sum(len(rule.examples.get(kind, [])) for kind in ("flag", "clean"))
        failed = failures(draft, rule, context_for)
        if failed:
            raise Refused(_example_problem(change, draft, rule.id, failed))
    if change.sources.get("message.yaml") != change.base_sources.get("message.yaml"):
        checked += _check_claims(change, draft)
    return checked


def _example_problem(change: Change, draft: RuleSet, rule_id: str, failed: list[Failure]) -> Problem:
    kind, number = failed[0].kind, failed[0].number - 1
    more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
    return _example_located(change, draft, rule_id, kind, number, f"its examples do not pass: {failed[0]}{more}")


def _example_located(change: Change, draft: RuleSet, rule_id: str, kind: str | None, number: int | None,
                     reason: str) -> Problem:
    """A problem with a rule's example, on the example's line (or its `examples:` line)."""
    located = _rule_document(draft, rule_id, change.sources)
    path, line = (located[0], located[1].first_line) if located else (None, None)
    if located:
        within = _line_of(located[1].text, lambda p, n: p == ("examples", kind, number)) or \
            _line_of(located[1].text, lambda p, n: p == ("examples", kind)) or \
            _line_of(located[1].text, lambda p, n: p == ("examples",))
        if within:
            line = located[1].first_line - 1 + within
    return _problem(change, path, line, rule_id, reason)


def _check_claims(change: Change, draft: RuleSet) -> int:
    checked = 0
    text = change.sources["message.yaml"]
    for claim, matcher in draft.classifier.claims.items():
        examples = draft.classifier.examples[claim]
        for number, marked in enumerate(examples.get("flag", [])):
            plain, span = unmark(marked)
            prepared = Prepared(plain)
            if [prepared.original_span(*found) for found in matcher.spans(prepared, 1.0)][:1] != [span]:
                line = _line_of(text, lambda p, n, c=claim, i=number: p == ("claims", c, "examples", "flag", i))
                raise Refused(_problem(change, "message.yaml", line, None,
                                       f"claim {claim}: flag example {number + 1} is not found where it is marked: "
                                       f"{marked[:80]!r}"))
        for number, plain in enumerate(examples.get("clean", [])):
            if matcher.found_in(Prepared(plain), 1.0):
                line = _line_of(text, lambda p, n, c=claim, i=number: p == ("claims", c, "examples", "clean", i))
                raise Refused(_problem(change, "message.yaml", line, None,
                                       f"claim {claim}: clean example {number + 1} is found as a claim: "
                                       f"{plain[:80]!r}"))
        checked += len(examples.get("flag", [])) + len(examples.get("clean", []))
    return checked
