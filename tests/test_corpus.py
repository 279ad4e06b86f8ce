"""Whole emails drawn from the seeds: the good ones stay clean, the bad ones flag what they should.

rules/corpus/*.yaml is also the regression corpus the admin page runs a changed rule over.
"""

from __future__ import annotations

import pytest
import yaml

from server.config import ROOT
from server.engine import Budget, check
from server.engine.examples import Example

CORPUS = [
    email
    for path in sorted((ROOT / "rules" / "corpus").glob("*.yaml"))
    for email in yaml.safe_load(path.read_text(encoding="utf-8"))
]


def _serious(result):
    return sorted({w.category for w in result.warnings if w.severity in ("error", "warning")})


@pytest.mark.parametrize("email", CORPUS, ids=lambda e: e["name"])
def test_corpus_email(email, ruleset, example_context):
    direction = email.get("direction", "outbound")
    draft = Example.draft_of(email, direction)
    result = check(ruleset, draft, example_context(email), Budget(10.0, 10.0))  # never cut short by a busy machine
    expected = [] if email["expect"] == "clean" else sorted(email["expect"])
    assert _serious(result) == expected, [(w.rule, w.offset, w.length) for w in result.warnings]
    assert not result.incomplete
