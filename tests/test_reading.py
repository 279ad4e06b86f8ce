"""A check reads only the sentences it has not seen, and what it remembers changes no answer."""

from __future__ import annotations

from datetime import UTC, datetime

import yaml

from server.config import ROOT
from server.engine import Budget, Draft, build_ruleset, check, read_sources
from server.engine.examples import Example
from server.engine.ruletypes.pattern import PatternRule
from server.engine.text import Prepared


def _unhurried() -> Budget:
    """Answers compared here must not depend on how busy the machine is."""
    return Budget(10.0, 10.0)


SHIPPED = read_sources(ROOT / "rules")
CORPUS = [email for path in sorted((ROOT / "rules" / "corpus").glob("*.yaml"))
          for email in yaml.safe_load(path.read_text(encoding="utf-8"))]
AT = datetime(2027, 1, 15, 15, tzinfo=UTC)
LETTER = ("Dear Dr. Park,\n\nThank you for the interview. The residents were so welcoming. "
          "Could you tell me where I stand on your rank list?\n\nSincerely,\nAna")


def _forgetting():
    """A rule set whose readers remember nothing: every sentence is read afresh."""
    ruleset = build_ruleset(SHIPPED)
    for reader in ruleset.readers.values():
        reader.size = 0
    return ruleset


def _typed(text: str) -> list[str]:
    """The draft as it grows while typed: after each sentence, and halfway through each."""
    prepared = Prepared(text)
    cuts = [cut for s in prepared.sentences for cut in ((s.start + s.end) // 2, s.end)]
    return [text[:cut] for cut in cuts] + [text]


def _drafts(example_context):
    """The corpus's emails, and every rule's examples, with the context each asks for."""
    for email in CORPUS:
        yield Example.draft_of(email, email.get("direction", "outbound")), example_context(email)
    for rule in build_ruleset(SHIPPED).rules:
        for kind in ("flag", "clean"):
            for raw in rule.examples[kind]:
                example = Example(raw, rule)
                yield example.draft, example_context(example.spec)


def test_what_a_check_remembers_changes_no_answer(example_context):
    remembering, forgetting = build_ruleset(SHIPPED), _forgetting()
    drafts = list(_drafts(example_context))
    for draft, context in drafts:  # every sentence of every draft read once already
        check(remembering, draft, context, _unhurried())
    for draft, context in drafts:
        remembered = check(remembering, draft, context, _unhurried())
        assert remembered.as_json() == check(forgetting, draft, context, _unhurried()).as_json(), draft.text
    assert len(remembering.readers["text", "outbound"]) > 1000
    assert len(forgetting.readers["text", "outbound"]) == 0


def test_a_draft_checked_while_typed_gets_the_answer_of_a_fresh_check(example_context):
    remembering, forgetting = build_ruleset(SHIPPED), _forgetting()
    for email in CORPUS:
        final = Example.draft_of(email, email.get("direction", "outbound"))
        context = example_context(email)
        for text in _typed(final.text):
            draft = Draft(text=text, at=final.at, subject=final.subject, to=final.to, direction=final.direction,
                          sender=final.sender)
            remembered = check(remembering, draft, context, _unhurried())
            assert remembered.as_json() == check(forgetting, draft, context, _unhurried()).as_json(), text


def test_a_new_sentence_is_all_a_check_reads(monkeypatch):
    ruleset = build_ruleset(SHIPPED)
    reader = ruleset.readers["text", "outbound"]
    read = []
    original = reader._read_sentence

    def reading(context, start, end, *rest):
        read.append(context[start:end].strip())
        return original(context, start, end, *rest)

    monkeypatch.setattr(reader, "_read_sentence", reading)

    first = check(ruleset, Draft(text=LETTER, at=AT), budget=_unhurried())
    assert len(read) == len(Prepared(LETTER).sentences) == 6
    read.clear()
    assert check(ruleset, Draft(text=LETTER, at=AT), budget=_unhurried()).as_json() == first.as_json()
    assert read == []
    # The last sentence now has one more sentence after it, whose reading it may change.
    check(ruleset, Draft(text=LETTER + "\nPS: I passed Step 3.", at=AT))
    assert read == ["Ana", "PS: I passed Step 3."]


def test_a_check_calls_only_the_pattern_rules_whose_patterns_its_reading_found(monkeypatch):
    ruleset = build_ruleset(SHIPPED)
    called = []
    original = PatternRule.hits

    def hits(rule, doc, timeout):
        called.append(rule.id)
        return original(rule, doc, timeout)

    monkeypatch.setattr(PatternRule, "hits", hits)
    result = check(ruleset, Draft(text=LETTER, at=AT), budget=_unhurried())
    warned = {w.rule for w in result.warnings if isinstance(ruleset.rule(w.rule), PatternRule)}
    assert warned and sorted(called) == sorted(warned)
    assert len(called) < sum(isinstance(rule, PatternRule) for rule in ruleset.rules) / 10


def test_what_is_remembered_is_bounded_and_holds_no_text():
    ruleset = build_ruleset(SHIPPED)
    reader = ruleset.readers["text", "outbound"]
    reader.size = 4
    check(ruleset, Draft(text=LETTER, at=AT), budget=_unhurried())
    assert len(reader) == 4
    for key, found in reader._cache.items():
        assert isinstance(key, bytes) and len(key) == 16
        assert all(isinstance(offset, int) for spans in found.values() for span in spans for offset in span)
    warned = check(ruleset, Draft(text=LETTER, at=AT), budget=_unhurried()).warnings
    assert "nrmp.ask-rank" in {w.category for w in warned}


def test_a_sentence_that_ran_out_of_time_is_read_again_next_time():
    slow = build_ruleset({**SHIPPED, "packs/zz-slow.yaml": """\
id: tone.casual.slow
category: tone.casual
severity: info
message: Slow.
explanation: e
source: s
pattern: "(\\\\w+\\\\s?)+$"
examples:
  flag: ["<marker>heya</marker>"]
  clean: ["hello!"]
"""})
    text = "Dear Dr. Park, " + "a" * 4000 + "!"
    for _ in range(2):
        result = check(slow, Draft(text=text, at=AT), budget=Budget(1.0, 0.02))
        assert result.skipped == ["tone.casual.slow"]
        assert len(slow.readers["text", "outbound"]) == 0
