"""What every rule has, whatever its type, and how a hit becomes a warning."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, ClassVar

import regex

from ..categories import CATEGORIES, SEVERITIES
from ..model import Hit, Warning

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary

COMMON_KEYS = {
    "id", "category", "severity", "type", "direction", "field", "message", "explanation",
    "source", "suggestions", "examples", "enabled",
}
MESSAGE_ENDINGS = (".", "?", "!", "}", '"', ")")
REQUIRED = ("id", "category", "severity", "message", "explanation", "source")


class RuleError(ValueError):
    """A rule that cannot be used, and why: the reason, the rule's field it is about (a top-level
    key, when one is) and the value as written (a pattern that does not compile), for an editor
    to point at."""

    def __init__(self, reason: str, key: str | None = None, value: str | None = None):
        super().__init__(reason)
        self.reason, self.key, self.value = reason, key, value


# A message or explanation may say {name} for a value its rule's type fills in (PLACEHOLDERS).
# Only that is replaced: any other text in braces is kept as written ("{{first_name}}", in an
# explanation of mail-merge fields). They are not Python format strings, whose "{count:>5000000}"
# made a 200 MB answer and whose "{name.__class__}" looked up attributes.
_PLACEHOLDER = regex.compile(r"\{(\w+)\}")
# A placeholder written as a format string would have it: refused, so the author knows.
_FORMATTED = regex.compile(r"\{(\w+)[:!.\[][^{}]*\}")
# A value may come from the draft (the name a greeting uses), which may be 50,000 characters long.
LONGEST_VALUE = 500


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    direction: str
    field: str
    message: str
    explanation: str
    source: str
    suggestions: tuple[str, ...]
    examples: dict
    enabled: bool = True
    origin: str = ""  # file and line, for error messages
    spec: dict = dataclass_field(default_factory=dict, repr=False)  # the YAML document as written

    # Extra keys a rule type accepts, beyond COMMON_KEYS.
    KEYS: ClassVar[frozenset[str]] = frozenset()
    # Context the type reads: "ledger", "calendar", "directory" or "".
    NEEDS: ClassVar[str] = ""
    # The {names} its message and explanation may use, filled in from each hit.
    PLACEHOLDERS: ClassVar[frozenset[str]] = frozenset()
    # What a flag example without a <marker> expects: "message", one whole-message warning
    # (offset 0, length 0); "found", one warning wherever the rule finds it (a sentence, a phrase).
    UNMARKED: ClassVar[str] = "message"

    def __post_init__(self):
        for key in ("message", "explanation"):
            for found in _FORMATTED.finditer(getattr(self, key)):
                if found[1] in self.PLACEHOLDERS:
                    raise RuleError(f"{key}: write {{{found[1]}}}, not {found[0]}: a placeholder takes no format, "
                                    "conversion or lookup", key)

    @classmethod
    def parse(cls, spec: dict, vocabulary: Vocabulary, origin: str = "") -> Rule:
        raise NotImplementedError

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        raise NotImplementedError

    def may_hit(self, doc: Document) -> bool:
        """False when the rule surely has nothing to say about the draft: the check then spares it the call."""
        return True

    def matchers(self) -> list:
        """The pattern matchers this rule runs on its field, which the rule set's readers read ahead."""
        return []

    def warning(self, hit: Hit, doc: Document) -> Warning:
        prepared = doc.field(hit.field)
        start, end = prepared.utf16_span(hit.start, hit.end)
        return Warning(
            rule=self.id, category=self.category, severity=self.severity,
            message=filled(self.message, hit.values), explanation=filled(self.explanation, hit.values),
            source=self.source, field=hit.field, offset=start, length=end - start,
            suggestions=self.suggestions,
        )


def filled(text: str, values: dict) -> str:
    """The text with each {name} the hit has a value for replaced by that value."""

    def value(found: regex.Match) -> str:
        if found[1] not in values:
            return found[0]
        filled = str(values[found[1]])
        return filled if len(filled) <= LONGEST_VALUE else filled[:LONGEST_VALUE - 1] + "…"

    return _PLACEHOLDER.sub(value, text).strip()


def common_fields(spec: dict, allowed_extra: frozenset, origin: str = "") -> dict:
    """The validated fields every rule shares, with where it was written; raises RuleError with the reason."""
    missing = [key for key in REQUIRED if not spec.get(key)]
    if missing:
        raise RuleError(f"missing required field(s): {', '.join(missing)}")
    unknown = sorted(set(spec) - COMMON_KEYS - allowed_extra)
    if unknown:
        raise RuleError(f"unknown field(s): {', '.join(unknown)}", unknown[0])
    for key in ("id", "message", "explanation", "source"):
        if not isinstance(spec[key], str):
            raise RuleError(f"{key} must be text", key)
    if not spec["message"].rstrip().endswith(MESSAGE_ENDINGS):
        # Plain YAML text ends at " #": "your #1; most ..." silently loses its second half.
        raise RuleError("message must end a sentence (quote it if it contains ' #')", "message")
    category = CATEGORIES.get(spec["category"])
    if category is None:
        raise RuleError(f"unknown category {spec['category']!r}: choose one of the categories of docs/rulebook.md "
                        "(the admin pages list them under Categories)", "category")
    if spec["severity"] not in SEVERITIES:
        raise RuleError(f"severity must be one of {', '.join(SEVERITIES)}, not {spec['severity']!r}", "severity")
    direction = spec.get("direction", category.direction)
    if direction not in ("outbound", "inbound"):
        raise RuleError("direction must be 'outbound' or 'inbound'", "direction")
    field_name = spec.get("field", "text")
    if field_name not in ("text", "subject"):
        raise RuleError("field must be 'text' or 'subject'", "field")
    suggestions = spec.get("suggestions") or []
    if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
        raise RuleError("suggestions must be a list of texts", "suggestions")
    examples = spec.get("examples")
    if not isinstance(examples, dict) or not examples.get("flag") or not examples.get("clean"):
        raise RuleError("a rule needs examples with at least one 'flag' and one 'clean' text", "examples")
    for kind in ("flag", "clean"):
        if not isinstance(examples[kind], list):
            raise RuleError(f"examples.{kind} must be a list", "examples")
        for example in examples[kind]:
            if not isinstance(example, (str, dict)) or (isinstance(example, dict) and "text" not in example):
                raise RuleError(f"each {kind} example must be a text or a mapping with 'text'", "examples")
    return {
        "id": spec["id"], "category": category.id, "severity": spec["severity"],
        "direction": direction, "field": field_name, "message": spec["message"],
        "explanation": spec["explanation"], "source": spec["source"],
        "suggestions": tuple(suggestions), "examples": examples,
        "enabled": bool(spec.get("enabled", True)), "origin": origin, "spec": spec,
    }
