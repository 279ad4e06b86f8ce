"""The warning categories of docs/rulebook.md: stable ids that clients and tests rely on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    id: str
    direction: str  # outbound | inbound
    severity: str  # the default for rules that do not say
    needs: str = ""  # "", "ledger", "calendar" or "directory": context the rules of this category read


_TABLE = [
    Category("nrmp.ask-rank", "outbound", "error"),
    Category("nrmp.bargain", "outbound", "error"),
    Category("nrmp.outside-match", "outbound", "error"),
    Category("honesty.multiple-first-choice", "outbound", "error", "ledger"),
    Category("honesty.top-choice-dilution", "outbound", "warning", "ledger"),
    Category("privacy.rank-list-disclosure", "outbound", "warning"),
    Category("tone.desperate", "outbound", "warning"),
    Category("tone.entitled", "outbound", "warning"),
    Category("tone.self-deprecating", "outbound", "warning"),
    Category("tone.negative-about-others", "outbound", "warning"),
    Category("tone.casual", "outbound", "info"),
    Category("hygiene.placeholder", "outbound", "error"),
    Category("hygiene.wrong-program", "outbound", "error", "directory"),
    Category("hygiene.wrong-name", "outbound", "warning"),
    Category("length.too-long", "outbound", "warning"),
    Category("etiquette.salutation", "outbound", "info"),
    Category("etiquette.subject", "outbound", "info"),
    Category("cadence.too-many", "outbound", "warning", "ledger"),
    Category("cadence.mass-email", "outbound", "warning", "ledger"),
    Category("timing.early-commitment", "outbound", "warning", "calendar"),
    Category("timing.after-certification", "outbound", "warning", "calendar"),
    Category("policy.no-post-interview-contact", "outbound", "warning", "directory"),
    Category("inbound.program-pressure", "inbound", "error"),
]

CATEGORIES: dict[str, Category] = {c.id: c for c in _TABLE}
SEVERITIES = ("error", "warning", "info")
