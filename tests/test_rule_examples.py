"""Every shipped rule against its own examples, and the claims of message.yaml against theirs."""

from __future__ import annotations

import pytest

from server.config import ROOT
from server.engine import build_ruleset, load_ruleset, read_sources
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
        assert list(matcher.spans(Prepared(text), None))[:1] == [span], marked
    for text in examples["clean"]:
        assert not matcher.found_in(Prepared(text)), text


def test_an_example_a_rule_fails_is_named_by_its_kind_and_number():
    sources = read_sources(ROOT / "rules")
    pack = """\
id: tone.casual.test-rule
category: tone.casual
severity: info
message: Write hello.
explanation: e
source: s
pattern: "\\\\bheya\\\\b"
examples:
  flag: ["<marker>heya</marker> there", "hey there"]
  clean: ["hello there", "heya"]
"""
    ruleset = build_ruleset({**sources, "packs/zz-test.yaml": pack})
    failed = failures(ruleset, ruleset.rule("tone.casual.test-rule"))
    assert [(f.kind, f.number) for f in failed] == [("flag", 2), ("clean", 2)]
    assert str(failed[1]) == "clean example 2 gave [(0, 4)]: 'heya'"
