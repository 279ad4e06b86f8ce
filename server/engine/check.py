"""Text in, warnings out: one email read against a rule set.

A check has a time budget, in processor time. Preparing the text (blanking quotes, finding
sentences) takes a few milliseconds even for the longest; every step after it takes its time
from what is left: reading each sentence with each matcher, classifying the message, each
rule (its fingerprint and ledger lookups included), each warning. Each rule gets what is left,
capped per rule; a rule that runs out of time or fails is skipped, logged by its id (never
the text), and the answer says it is incomplete. One bad rule never costs the applicant the
others. A rule gives at most MAX_WARNINGS warnings, its first ones.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from itertools import islice

from .fingerprint import simhash
from .loader import RuleSet
from .model import MAX_WARNINGS, Context, Draft, Facts, Warning
from .reading import Reading
from .text import Prepared

log = logging.getLogger(__name__)

DEFAULT_BUDGET = 0.25  # seconds of processor time for a whole check
DEFAULT_RULE_TIMEOUT = 0.05  # seconds for one rule


class Budget:
    """The processor time a check may spend, counted on its own thread.

    Not wall-clock time: while another thread of the process builds a newly published rule
    set, a check waits for the interpreter lock for far longer than it works, and a
    wall-clock budget would then skip rules of a perfectly ordinary email.
    """

    def __init__(self, seconds: float = DEFAULT_BUDGET, per_rule: float = DEFAULT_RULE_TIMEOUT):
        self.per_rule = per_rule
        self.deadline = time.thread_time() + seconds

    def timeout(self) -> float:
        """The time the next step may take: 0 once the budget is spent."""
        return max(0.0, min(self.per_rule, self.deadline - time.thread_time()))


class Document:
    """A draft as the rules read it: prepared fields, facts and context."""

    def __init__(self, draft: Draft, ruleset: RuleSet, context: Context, budget: Budget):
        self.draft = draft
        self.context = context
        self._fingerprint: int | None = None
        self.recipients = draft.to
        self.text = Prepared(draft.text)
        self.subject = Prepared(draft.subject or "")
        # Every matcher of the rule set reads each field here, once (reading.py); rules and
        # the classifier then look up what their matchers found.
        self.readings: dict[str, Reading] = {
            name: ruleset.readers[name, draft.direction].read(self.field(name), budget.timeout)
            for name in ("text", "subject")
        }
        classifier = self.classifier = ruleset.classifier
        self.classified = True
        try:
            claims = classifier.claims_in(self.readings["text"])
            kind = classifier.kind_of(claims, self.readings["text"], self.readings["subject"])
        except TimeoutError:
            log.warning("message classification timed out; checking without claims")
            claims, kind, self.classified = (), "other", False
        directory = context.directory
        program = directory.program_for(draft.counterpart, draft.track, context.tracks) if directory else None
        self.facts = Facts(kind, claims, self.text.word_count, None, program)

    def fingerprint(self, timeout: float | None = None) -> int:
        """The text's fingerprint (fingerprint.py), computed once; TimeoutError after `timeout` seconds.

        Only near-duplicate rules and the ledger need it, so it is not paid for on every keystroke.
        """
        if self._fingerprint is None:
            self._fingerprint = simhash(self.text.text, timeout)
        return self._fingerprint

    def field(self, name: str) -> Prepared:
        return self.subject if name == "subject" else self.text

    def spans(self, matcher, field: str = "text") -> list[tuple[int, int]]:
        """Where the matcher found its idea in the field; TimeoutError if it ran out of time there."""
        return self.readings[field].spans_of(matcher)


@dataclass
class Result:
    warnings: list[Warning]
    facts: Facts
    incomplete: bool
    ruleset: str
    skipped: list[str]  # ids of rules that timed out or failed
    document: Document = field(repr=False, compare=False)

    def ledger_facts(self) -> Facts:
        """What the ledger keeps of the message: its kind, claims, size, fingerprint and program.

        The fingerprint, when no rule needed it, is computed here whatever time the check had
        left: a send is recorded with it (at most 0.1-0.2 s, for a draft of the longest).
        """
        return replace(self.facts, fingerprint=self.document.fingerprint())

    def as_json(self) -> dict:
        answer = {
            "warnings": [w.as_json() for w in self.warnings],
            "message": self.facts.as_json(),
            "ruleset": self.ruleset,
        }
        if self.incomplete:
            answer["incomplete"] = True
        return answer


def _applies(rule, draft: Draft, context: Context) -> bool:
    if not rule.enabled or rule.direction != draft.direction:
        return False
    if rule.field == "subject" and draft.subject is None:
        return False
    return rule.NEEDS == "" or getattr(context, rule.NEEDS) is not None


def check(ruleset: RuleSet, draft: Draft, context: Context | None = None,
          budget: Budget | None = None, only: set[str] | None = None) -> Result:
    """Every warning the rule set gives for the draft (only: restrict to these rule ids)."""
    context = context or Context()
    budget = budget or Budget()
    warnings: list[Warning] = []
    skipped: list[str] = []
    doc = Document(draft, ruleset, context, budget)
    if not doc.classified:
        skipped.append("message.yaml")
    for rule in ruleset.rules:
        if (only is not None and rule.id not in only) or not _applies(rule, draft, context) or not rule.may_hit(doc):
            continue
        timeout = budget.timeout()
        if not timeout:  # the budget is spent
            skipped.append(rule.id)
            continue
        try:
            warnings.extend(rule.warning(hit, doc) for hit in islice(rule.hits(doc, timeout), MAX_WARNINGS))
        except TimeoutError:
            log.warning("rule %s timed out and was skipped", rule.id)
            skipped.append(rule.id)
        except Exception as error:  # a broken rule must never break the check
            log.error("rule %s failed (%s) and was skipped", rule.id, type(error).__name__)
            skipped.append(rule.id)
    warnings.sort(key=lambda w: (w.field != "subject", w.offset, w.rule))
    return Result(warnings, doc.facts, bool(skipped), ruleset.version, skipped, doc)

