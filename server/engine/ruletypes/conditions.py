"""Conditions on what this message is and claims, shared by the ledger, calendar and directory rules."""

from __future__ import annotations

from ..classify import CLAIMS, KINDS
from .base import RuleError


def choices(value, allowed, key) -> frozenset:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not set(value) <= set(allowed):
        raise RuleError(f"{key} must list some of: {', '.join(allowed)}", key.partition(".")[0])
    return frozenset(value)


class When:
    """`when: {claims: [...], kinds: [...], not_kinds: [...]}`: all given parts must hold."""

    def __init__(self, spec, key: str = "when"):
        spec = spec or {}
        if not isinstance(spec, dict) or set(spec) - {"claims", "kinds", "not_kinds"}:
            raise RuleError(f"{key} may hold claims, kinds and not_kinds", key)
        self.claims = choices(spec.get("claims"), CLAIMS, f"{key}.claims")
        self.kinds = choices(spec.get("kinds"), KINDS, f"{key}.kinds")
        self.not_kinds = choices(spec.get("not_kinds"), KINDS, f"{key}.not_kinds")

    def holds(self, kind: str, claims) -> bool:
        return (
            (not self.claims or bool(self.claims & set(claims)))
            and (not self.kinds or kind in self.kinds)
            and kind not in self.not_kinds
        )


def claim_span(rule_claims: frozenset, doc) -> tuple[int, int]:
    """Where the message makes one of these claims, to underline it; (0, 0) when nowhere."""
    classifier = doc.classifier
    for name in sorted(rule_claims):
        matcher = classifier.claims.get(name)
        if matcher:
            spans = doc.spans(matcher)
            if spans:
                return spans[0]
    return (0, 0)


def day(moment) -> str:
    """'10 Feb', as an applicant would say it."""
    return f"{moment.day} {moment:%b}"
