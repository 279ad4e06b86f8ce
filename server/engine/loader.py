"""Reading rule packs: YAML in, validated rules out, or a clear reason why not.

A rule set is built from named sources (path -> YAML text) so that the shipped files
in rules/ and a version stored by the admin page load the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .classify import Classifier, ClassifierError
from .reading import SentenceReader
from .ruletypes import RULE_TYPES, Rule, RuleError
from .safe_yaml import SafeLoader as _Loader
from .vocabulary import Vocabulary, VocabularyError

RULE_SOURCES = ("vocabulary/*.yaml", "packs/*.yaml", "message.yaml")


class LoadError(ValueError):
    """Where a rule set is wrong: file, line, rule id and the reason.

    line: where the YAML is broken, or else the first line of the rule (None: of the file).
    key and value, when known, say what in it the reason is about: a top-level key of the
    rule (or file), and a value as written there (a pattern that does not compile).
    """

    def __init__(self, origin: str, reason: str, rule_id: str | None = None, line: int | None = None,
                 key: str | None = None, value: str | None = None):
        self.origin, self.reason, self.rule_id, self.line = origin, reason, rule_id, line
        self.key, self.value = key, value
        where = f"{origin}:{line}" if line else origin
        super().__init__(f"{where}: rule {rule_id}: {reason}" if rule_id else f"{where}: {reason}")

    def as_json(self) -> dict:
        return {"file": self.origin, "line": self.line, "rule": self.rule_id, "reason": self.reason}


@dataclass
class RuleSet:
    rules: list[Rule]
    vocabulary: Vocabulary
    classifier: Classifier
    sources: dict[str, str] = field(repr=False)
    version: str = ""
    # Per field and direction: what the applicant writes is never read by the rules of received
    # mail, nor the other way round.
    readers: dict[tuple[str, str], SentenceReader] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for name in ("text", "subject"):
            for direction in ("outbound", "inbound"):
                rules = (r for r in self.rules if r.enabled and r.field == name and r.direction == direction)
                matchers = self.classifier.matchers(name) + [m for rule in rules for m in rule.matchers()]
                self.readers[name, direction] = SentenceReader(matchers)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _documents(text: str, origin: str):
    """Each YAML document of a stream with the line it starts on."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise LoadError(origin, f"not valid YAML: {getattr(error, 'problem', error)}",
                        line=mark.line + 1 if mark else None) from None
    constructor = _Loader("")
    for node in nodes:
        if node is not None:
            yield constructor.construct_document(node), node.start_mark.line + 1


def parse_rule(spec, vocabulary: Vocabulary, origin: str = "<rule>", line: int | None = None) -> Rule:
    rule_id = spec.get("id") if isinstance(spec, dict) else None
    if not isinstance(spec, dict):
        raise LoadError(origin, "a rule must be a YAML mapping", line=line)
    kind = spec.get("type", "pattern")
    if kind not in RULE_TYPES:
        raise LoadError(origin, f"unknown rule type {kind!r}; types are {', '.join(RULE_TYPES)}", rule_id, line,
                        key="type")
    try:
        return RULE_TYPES[kind].parse(spec, vocabulary, f"{origin}:{line}" if line else origin)
    except RuleError as error:
        raise LoadError(origin, error.reason, rule_id, line, error.key, error.value) from None


def parse_pack(text: str, origin: str, vocabulary: Vocabulary) -> list[Rule]:
    return [parse_rule(spec, vocabulary, origin, line) for spec, line in _documents(text, origin)]


def build_ruleset(sources: dict[str, str]) -> RuleSet:
    """A validated rule set from {path: YAML text}; raises LoadError on the first problem."""
    vocab_files = sorted(p for p in sources if p.startswith("vocabulary/"))
    try:
        vocabulary = Vocabulary.merge(
            [(p, doc) for p in vocab_files for doc, _ in _documents(sources[p], p)]
        )
    except VocabularyError as error:
        raise LoadError(error.source or "vocabulary", error.reason, key=error.name) from None
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted(p for p in sources if p.startswith("packs/")):
        for rule in parse_pack(sources[path], path, vocabulary):
            if rule.id in seen:
                raise LoadError(path, f"id already used at {seen[rule.id]}", rule.id, key="id")
            seen[rule.id] = rule.origin
            rules.append(rule)
    if "message.yaml" not in sources:
        raise LoadError("message.yaml", "missing: the rule set needs its message classifier")
    try:
        spec = next(iter(_documents(sources["message.yaml"], "message.yaml")), ({}, 1))[0]
        classifier = Classifier(spec, vocabulary)
    except ClassifierError as error:
        raise LoadError("message.yaml", str(error), key=error.key, value=error.value) from None
    return RuleSet(rules, vocabulary, classifier, dict(sources), digest(sources)[:12])


def digest(sources: dict[str, str]) -> str:
    """The SHA-256 of a rule set's sources, as stored with each version; its first 12 hex digits are the
    RuleSet's version, what /api/v1/check calls `ruleset`."""
    hashed = hashlib.sha256()
    for path in sorted(sources):
        # surrogatepass: the same bytes for any text, and a digest even of stored rules that are not text.
        for text in (path, sources[path]):
            hashed.update(text.encode(errors="surrogatepass") + b"\0")
    return hashed.hexdigest()


def read_sources(rules_dir: str | Path) -> dict[str, str]:
    root = Path(rules_dir)
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for pattern in RULE_SOURCES
        for path in sorted(root.glob(pattern))
    }


def load_ruleset(rules_dir: str | Path) -> RuleSet:
    return build_ruleset(read_sources(rules_dir))
