"""Salutation rules: "Dear Dr. Brown" in an email to Dr. Smith."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from ..matcher import PatternError, compile_pattern
from ..model import Hit
from .base import Rule, RuleError, common_fields

if TYPE_CHECKING:
    from ..check import Document
    from ..vocabulary import Vocabulary


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


@dataclass(kw_only=True)
class SalutationNameRule(Rule):
    """`pattern` captures the greeted surname as `name`; `roles` (optional) recognises
    display names of shared mailboxes ("Program Coordinator"), behind which the person
    greeted may well be reading, so the rule stays quiet when one is among the recipients."""

    pattern: regex.Pattern
    roles: regex.Pattern | None

    KEYS = frozenset({"pattern", "roles"})
    PLACEHOLDERS = frozenset({"name"})

    @classmethod
    def parse(cls, spec: dict, vocabulary: Vocabulary, origin: str = "") -> Rule:
        fields = common_fields(spec, cls.KEYS, origin)
        if not isinstance(spec.get("pattern"), str):
            raise RuleError("a salutation-name rule needs one 'pattern'", "pattern")
        try:
            pattern = compile_pattern(spec["pattern"], vocabulary)
            roles = compile_pattern(spec["roles"], vocabulary) if spec.get("roles") else None
        except PatternError as error:
            raise RuleError(str(error), error.key, error.pattern) from None
        if "name" not in pattern.groupindex:
            raise RuleError("the pattern must capture the surname in a group named 'name'", "pattern")
        return cls(**fields, pattern=pattern, roles=roles)

    def hits(self, doc: Document, timeout: float | None) -> Iterator[Hit]:
        # Without display names there is nothing to compare: stay quiet rather than guess.
        named = [r for r in doc.recipients if r.name]
        if not named or (self.roles and any(self.roles.search(r.name) for r in named)):
            return
        found = self.pattern.search(doc.text.text, timeout=timeout, concurrent=False)  # as in matcher.py
        if not found:
            return
        surname = _fold(found.group("name"))
        known = " ".join(_fold(part) for r in doc.recipients for part in r.name.split())
        addresses = " ".join(_fold(r.address.partition("@")[0]) for r in doc.recipients)
        if surname and surname not in known.split() and surname not in addresses:
            yield Hit("text", *found.span("name"), values={"name": found.group("name")})
