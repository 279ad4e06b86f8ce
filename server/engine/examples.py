"""Rules held to their own examples, as LanguageTool holds its rules.

A flag example must give exactly one warning from the rule, at the span between
<marker> and </marker> (no marker: a whole-message warning). A clean example must
give none. Putting the rule's first suggestion in place of the marked span must not
make the rule fire again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import yaml

from .calendar import Calendar
from .check import Budget, check
from .directory import Directory
from .fingerprint import simhash
from .ledger import Ledger
from .markers import unmark
from .model import Context, Draft, LedgerEvent, Recipient
from .text import Prepared

# Examples are read as if written mid-season unless they say when.
DEFAULT_AT = datetime(2027, 1, 15, 15, 0, tzinfo=UTC)


def parse_time(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if value is None:
        return DEFAULT_AT
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Example:
    """One example as a draft, with where (if anywhere) it is marked."""

    def __init__(self, raw, rule):
        spec = raw if isinstance(raw, dict) else {"text": raw}
        self.spec = spec
        self.field = rule.field
        text, text_span = unmark(str(spec.get("text", "")))
        subject, subject_span = unmark(str(spec["subject"])) if "subject" in spec else (None, None)
        self.span = subject_span if rule.field == "subject" else text_span
        marked = Prepared(subject if rule.field == "subject" else text)
        start, end = (marked.utf16(self.span[0]), marked.utf16(self.span[1])) if self.span else (0, 0)
        # (offset, length) in UTF-16 units; None: one warning wherever the rule finds it.
        self.expected = None if self.span is None and rule.UNMARKED == "found" else (start, end - start)
        self.draft = self.draft_of({**spec, "text": text, "subject": subject}, rule.direction)

    @staticmethod
    def draft_of(spec: dict, direction: str) -> Draft:
        return Draft(
            text=str(spec.get("text", "")), subject=str(spec["subject"]) if spec.get("subject") is not None else None,
            at=parse_time(spec.get("at")), to=tuple(Recipient.parse(r) for r in spec.get("to") or ()),
            direction=direction, track=spec.get("track"),
        )

    def with_suggestion(self, suggestion: str, found: tuple[int, int] | None = None) -> Draft:
        """The draft with the suggestion in place of the marked span, or of the span found
        (offset and length in UTF-16 units, as a warning gives it)."""
        source = self.draft.subject if self.field == "subject" else self.draft.text
        if found is None:
            start, end = self.span
        else:
            start, end = _code_point(source, found[0]), _code_point(source, found[0] + found[1])
        fixed = source[:start] + suggestion + source[end:]
        return replace(self.draft, **{self.field: fixed})


def _code_point(text: str, utf16_offset: int) -> int:
    units = 0
    for index, character in enumerate(text):
        if units >= utf16_offset:
            return index
        units += 2 if ord(character) > 0xFFFF else 1
    return len(text)


def context_builder(rules_dir) -> callable:
    """A function from an example to its context: the shipped directory and calendar,
    and the earlier sends the example lists under `ledger` (an empty history if none)."""
    root = Path(rules_dir)
    directory = Directory.from_spec(yaml.safe_load((root / "programs.yaml").read_text(encoding="utf-8")))
    calendar = Calendar.from_spec(yaml.safe_load((root / "calendar.yaml").read_text(encoding="utf-8")))

    def fact(entry: dict) -> LedgerEvent:
        to = tuple(Recipient.parse(r) for r in ([entry["to"]] if isinstance(entry.get("to"), str)
                                                else entry.get("to") or ()))
        program = directory.program_for(to, entry.get("track"))
        return LedgerEvent(
            at=parse_time(entry.get("at")), type=entry.get("type", "sent"),
            program=program.key if program else None, program_name=program.name if program else None,
            track=entry.get("track"), kind=entry.get("kind", "other"), claims=tuple(entry.get("claims") or ()),
            fingerprint=simhash(entry["text"]) if entry.get("text") else None,
        )

    def build(spec) -> Context:
        spec = spec if isinstance(spec, dict) else {}
        return Context(ledger=Ledger(fact(e) for e in spec.get("ledger") or []), directory=directory,
                       calendar=calendar, tracks=tuple(spec.get("tracks") or ()))

    return build


@dataclass(frozen=True)
class Failure:
    """One example a rule does not pass: flag or clean, its number (from 1) and what went wrong."""

    kind: str
    number: int
    reason: str

    def __str__(self) -> str:
        return self.reason


def failures(ruleset, rule, context_for=lambda example: Context()) -> list[Failure]:
    """What is wrong with the rule against its own examples; empty when it passes.

    context_for builds the context of an example (its ledger, the directory...).
    """
    problems = []

    def run(draft, example, kind, number):
        result = check(ruleset, draft, context_for(example), Budget(2.0, 1.0), only={rule.id})
        if result.incomplete:
            problems.append(Failure(kind, number, f"timed out on {draft.text[:60]!r}"))
        return [w for w in result.warnings if w.rule == rule.id]

    for number, raw in enumerate(rule.examples.get("flag", []), 1):
        example = Example(raw, rule)
        text = str(example.spec.get("text", raw))[:80]
        got = [(w.offset, w.length) for w in run(example.draft, example.spec, "flag", number)]
        if example.expected is None:
            if len(got) != 1 or not got[0][1]:
                problems.append(Failure("flag", number, f"flag example {number} should give one warning, at the "
                                        f"sentence or the phrase found, got {got or 'none'}: {text!r}"))
            elif rule.suggestions and run(example.with_suggestion(rule.suggestions[0], got[0]), example.spec,
                                          "flag", number):
                problems.append(Failure("flag", number,
                                        f"flag example {number}: the first suggestion fires the rule again"))
        elif got != [example.expected]:
            problems.append(Failure("flag", number, f"flag example {number} should give one warning at "
                                    f"{example.expected} (offset, length), got {got or 'none'}: {text!r}"))
        elif rule.suggestions and example.span:
            if run(example.with_suggestion(rule.suggestions[0]), example.spec, "flag", number):
                problems.append(Failure("flag", number,
                                        f"flag example {number}: the first suggestion fires the rule again"))
    for number, raw in enumerate(rule.examples.get("clean", []), 1):
        example = Example(raw, rule)
        text = str(example.spec.get("text", raw))[:80]
        spans = [(w.offset, w.length) for w in run(example.draft, example.spec, "clean", number)]
        if spans:
            problems.append(Failure("clean", number, f"clean example {number} gave {spans}: {text!r}"))
    return problems
