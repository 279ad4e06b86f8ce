"""Every shipped rule against its own examples, and the claims of message.yaml against theirs."""

from __future__ import annotations

import pytest

from server.config import ROOT
from server.engine import load_ruleset
from server.engine.examples import failures, unmark
from server.engine.text import Prepared

RULESET = load_ruleset(ROOT / "rules")


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_rule_passes_its_examples(rule, example_context):
    assert failures(RULESET, rule, example_context) == []


@pytest.mark.parametrize("claim", sorted(RULESET.classifier.claims))
def test_claim_examples(claim):
    matcher = RULESET.classifier.claims[claim]
    examples = RULESET.classifier.examples[claim]
    for marked in examples["flag"]:
        text, span = unmark(marked)
        prepared = Prepared(text)
        assert [prepared.original_span(*found) for found in matcher.spans(prepared, None)][:1] == [span], marked
    for text in examples["clean"]:
        assert not matcher.found_in(Prepared(text)), text

