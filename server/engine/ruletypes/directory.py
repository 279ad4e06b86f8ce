"""Directory rules: what the program directory knows about the recipient.

    type: directory
    check: wrong-institution    # the body names another institution than the recipient's
    sentence: [...]             # optional: the sentence naming it must also match these
    unless: [...]               # optional: ...and none of these (a rotation there, a school there)
    near: 60                    # optional: `unless` reads only this many characters either side of the name

    type: directory
    check: policy               # the recipient's program announced a policy this message goes against
    policies: [no-post-interview-contact]
    when: {kinds: [thank_you, update]}

The message may say {named} (the other institution as written), {program} (the
recipient's institution) and {note} (the policy's own words).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from ..deadline import Deadline
from ..directory import POLICIES
from ..matcher import PatternError, as_list, compile_pattern
from ..model import Hit
from .base import Rule, RuleError, common_fields
from .conditions import When, choices

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary


@dataclass(kw_only=True)
class DirectoryRule(Rule):
    check: str  # wrong-institution | policy
    sentence: list[regex.Pattern]
    unless: list[regex.Pattern]
    when: When
    policies: frozenset[str]
    near: int | None  # characters either side of a name that `unless` reads; None: the whole sentence

    KEYS = frozenset({"check", "sentence", "unless", "policies", "when", "near"})
    PLACEHOLDERS = frozenset({"named", "program", "note"})
    NEEDS = "directory"

    @classmethod
    def parse(cls, spec: dict, vocabulary: Vocabulary, origin: str = "") -> Rule:
        fields = common_fields(spec, cls.KEYS, origin)
        check = spec.get("check")
        if check not in ("wrong-institution", "policy"):
            raise RuleError("check must be wrong-institution or policy", "check")
        try:
            sentence = [compile_pattern(p, vocabulary) for p in as_list(spec.get("sentence"), "sentence")]
            unless = [compile_pattern(p, vocabulary) for p in as_list(spec.get("unless"), "unless")]
        except PatternError as error:
            raise RuleError(str(error), error.key, error.pattern) from None
        when = When(spec.get("when"))
        policies = choices(spec.get("policies"), POLICIES, "policies")
        if check == "policy" and not policies:
            raise RuleError("a policy check needs 'policies'", "policies")
        near = spec.get("near")
        if near is not None and (isinstance(near, bool) or not isinstance(near, int) or near < 1):
            raise RuleError("near must be a positive whole number of characters", "near")
        return cls(**fields, check=check, sentence=sentence, unless=unless, when=when, policies=policies, near=near)

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        directory, program = doc.context.directory, doc.facts.program
        if program is None or program.key not in directory.institutions:
            return
        if not self.when.holds(doc.facts.kind, doc.facts.claims):
            return
        if self.check == "policy":
            for policy in directory.policies_for(program.key, program.track):
                if policy.policy in self.policies:
                    yield Hit("text", values={"program": program.name, "note": policy.note})
                    return
            return
        yield from self._wrong_institution(doc, directory, program, timeout)

    def _wrong_institution(self, doc, directory, program, timeout):
        text = doc.text.text
        deadline = Deadline(timeout)  # for all the sentences' searches together
        judged = {}  # sentence -> whether it meets the conditions: searched once, however many names it holds

        def found(patterns, bounds):
            # concurrent=False: the lock held while matching, as in matcher.Matcher.in_sentence.
            return (p.search(text, *bounds, timeout=deadline.left(), concurrent=False) for p in patterns)

        for start, end, institution in directory.mentions(text):
            if institution is None or institution.key == program.key:
                continue
            sentence = doc.text.sentence_at(start)
            if sentence is None:
                continue
            whole = (sentence.start, sentence.end)
            if sentence not in judged:
                judged[sentence] = all(found(self.sentence, whole)) and (
                    self.near is not None or not any(found(self.unless, whole)))
            if not judged[sentence]:
                continue
            # "A rotation at Vanderbilt" excuses Vanderbilt, not a name further on in a long sentence.
            if self.near is not None and any(found(self.unless, (max(sentence.start, start - self.near),
                                                                  min(sentence.end, end + self.near)))):
                continue
            yield Hit("text", start, end, {"named": text[start:end], "program": program.name})
