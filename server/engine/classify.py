"""What kind of message this is and what it claims about ranking (rules/message.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from .matcher import Matcher, PatternError
from .reading import Reading

CLAIMS = ("first_choice", "top_choices", "rank_highly")
KINDS = (
    "pre_interview", "thank_you", "update", "letter_of_interest", "letter_of_intent",
    "inquiry", "reply", "other",
)


class ClassifierError(ValueError):
    """What is wrong with message.yaml: the reason, its top-level key and the value as written, when known."""

    def __init__(self, reason: str, key: str | None = None, value: str | None = None):
        super().__init__(reason)
        self.key, self.value = key, value


@dataclass
class _KindTest:
    kind: str
    claims: tuple[str, ...]
    text: Matcher | None
    subject: Matcher | None

    def holds(self, claims: tuple[str, ...], text: Reading, subject: Reading) -> bool:
        if self.claims and not set(self.claims) & set(claims):
            return False
        if self.text is None and self.subject is None:
            return bool(self.claims)
        return bool((self.text and text.spans_of(self.text)) or (self.subject and subject.spans_of(self.subject)))


class Classifier:
    def __init__(self, spec: dict, vocabulary):
        if not isinstance(spec, dict):
            raise ClassifierError("message.yaml must be a mapping with 'claims' and 'kinds'")
        self.claims: dict[str, Matcher] = {}
        self.examples: dict[str, dict] = {}
        for name, claim_spec in (spec.get("claims") or {}).items():
            if name not in CLAIMS:
                raise ClassifierError(f"unknown claim {name!r}; claims are {', '.join(CLAIMS)}", "claims")
            examples = claim_spec.get("examples") or {}
            if not examples.get("flag") or not examples.get("clean"):
                raise ClassifierError(f"claim {name!r} needs 'flag' and 'clean' examples", "claims")
            self.claims[name] = self._matcher(claim_spec, vocabulary, f"claim {name!r}", "claims")
            self.examples[name] = examples
        self.kinds: list[_KindTest] = []
        for entry in spec.get("kinds") or []:
            if entry.get("kind") not in KINDS:
                raise ClassifierError(f"unknown kind {entry.get('kind')!r}; kinds are {', '.join(KINDS)}", "kinds")
            where = f"kind {entry['kind']!r}"
            self.kinds.append(_KindTest(
                entry["kind"], tuple(entry.get("claims") or ()),
                self._matcher(entry["text"], vocabulary, where, "kinds") if entry.get("text") else None,
                self._matcher(entry["subject"], vocabulary, where, "kinds") if entry.get("subject") else None,
            ))

    @staticmethod
    def _matcher(spec, vocabulary, where, key):
        if isinstance(spec, (str, list)):
            spec = {"patterns": spec}
        try:
            return Matcher(spec, vocabulary)
        except PatternError as error:
            raise ClassifierError(f"{where}: {error}", key, error.pattern) from None

    def matchers(self, field: str) -> list[Matcher]:
        """The matchers that read a message's field: "text" or "subject"."""
        if field == "subject":
            return [test.subject for test in self.kinds if test.subject]
        return list(self.claims.values()) + [test.text for test in self.kinds if test.text]

    def claims_in(self, text: Reading) -> tuple[str, ...]:
        """The claims whose matchers found something in the text's reading (TimeoutError: one ran out of time)."""
        return tuple(name for name, matcher in self.claims.items() if text.spans_of(matcher))

    def kind_of(self, claims, text: Reading, subject: Reading) -> str:
        for test in self.kinds:
            if test.holds(claims, text, subject):
                return test.kind
        return "other"
