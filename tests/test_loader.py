"""A pack that is wrong is refused with its file, line, rule id and a reason people can act on."""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import UTC, datetime

import pytest

from server.config import ROOT
from server.engine import Budget, Draft, LoadError, Recipient, build_ruleset, check, digest, read_sources
from server.engine.examples import failures
from server.engine.ruletypes.base import LONGEST_VALUE

SHIPPED = read_sources(ROOT / "rules")
SHIPPED_RULESET = build_ruleset(SHIPPED)
ASKING = "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?\n\nBest,\nAlex"

GOOD_RULE = """\
---
id: tone.casual.test-rule
category: tone.casual
severity: info
message: Write hello.
explanation: e
source: s
pattern: "\\\\bheya\\\\b"
examples:
  flag: ["<marker>heya</marker> there"]
  clean: ["hello there"]
"""


def _with_pack(text: str):
    return build_ruleset({**SHIPPED, "packs/zz-test.yaml": text})


def _refusal(text: str) -> LoadError:
    with pytest.raises(LoadError) as caught:
        _with_pack(text)
    return caught.value


def test_a_good_pack_loads():
    ruleset = _with_pack(GOOD_RULE)
    assert ruleset.rule("tone.casual.test-rule").origin == "packs/zz-test.yaml:2"


def test_a_rule_sets_version_is_its_stored_digest_even_of_files_that_are_not_text():
    # Stored versions and backups hold this digest: its bytes are path NUL text NUL, path by path.
    assert digest({"b": "2", "a": "1"}) == hashlib.sha256(b"a\0" + b"1\0" + b"b\0" + b"2\0").hexdigest()
    sources = {**SHIPPED, "notes.txt": "a lone \udc80 surrogate"}
    assert build_ruleset(sources).version == digest(sources)[:12]


@pytest.mark.parametrize("change, reason, key, value", [
    (("category: tone.casual", "category: tone.rude"), "unknown category 'tone.rude'", "category", None),
    (("severity: info", "severity: fatal"), "severity must be one of", "severity", None),
    (("message: Write hello.\n", ""), "missing required field(s): message", None, None),
    (("message: Write hello.", "message: Do not call it your #1; say why."), "message must end a sentence",
     "message", None),
    (('pattern: "\\\\bheya\\\\b"', 'pattern: "(unclosed"'), "does not compile", None, "(unclosed"),
    (('pattern: "\\\\bheya\\\\b"', 'patterns: ["\\\\bheya\\\\b", " "]'), "patterns holds an empty expression",
     "patterns", None),
    (('  clean: ["hello there"]\n', ""), "at least one 'flag' and one 'clean'", "examples", None),
    (('pattern: "\\\\bheya\\\\b"', 'pattern: "{no_such_list}"'), "unknown word list {no_such_list}", None,
     "{no_such_list}"),
    (("source: s", "source: s\nunles: [x]"), "unknown field(s): unles", "unles", None),
    (("severity: info", "severity: info\ntype: wizard"), "unknown rule type 'wizard'", "type", None),
])
def test_bad_rules_are_refused_with_file_rule_and_reason(change, reason, key, value):
    error = _refusal(GOOD_RULE.replace(*change))
    assert error.origin == "packs/zz-test.yaml"
    assert error.rule_id == "tone.casual.test-rule"
    assert reason in error.reason
    assert error.line == 2
    # What the reason is about, for an editor to point at: a key of the rule, a pattern as written.
    assert (error.key, error.value) == (key, value)


def test_a_bad_word_list_is_refused_with_its_file_and_name():
    with pytest.raises(LoadError) as caught:
        build_ruleset({**SHIPPED, "vocabulary/zz-test.yaml": "empty_list: []\n"})
    error = caught.value
    assert (error.origin, error.key) == ("vocabulary/zz-test.yaml", "empty_list")
    assert error.reason == "list 'empty_list' must be a non-empty list of strings"


def test_an_example_a_rule_fails_is_named_by_its_kind_and_number():
    pack = GOOD_RULE.replace('there"]', 'there", "hey there"]', 1).replace('["hello there"]', '["hello there", "heya"]')
    ruleset = _with_pack(pack)
    failed = failures(ruleset, ruleset.rule("tone.casual.test-rule"))
    assert [(f.kind, f.number) for f in failed] == [("flag", 2), ("clean", 2)]
    assert str(failed[1]) == "clean example 2 gave [(0, 4)]: 'heya'"


COUNTING_RULE = """\
---
id: tone.casual.test-count
category: tone.casual
severity: info
type: limit
measure: exclamations
max: 1
message: "{count} exclamation marks."
explanation: "At most {limit}."
source: s
examples:
  flag: ["Hi! Hello!"]
  clean: ["Hello."]
"""


@pytest.mark.parametrize("written", ["{count:>5000000}", "{count!r}", "{count.__class__}", "{limit[0]}"])
def test_a_placeholder_written_as_a_format_string_is_refused(written):
    error = _refusal(COUNTING_RULE.replace("{count} exclamation", f"{written} exclamation"))
    assert error.rule_id == "tone.casual.test-count" and error.line == 2
    assert f"not {written}" in error.reason and "no format, conversion or lookup" in error.reason


def test_only_a_rule_types_plain_placeholders_are_filled_in():
    explanation = "At most {limit}; {x:>5000000}, {{first_name}}, {program} and {other.real} stay as written."
    ruleset = _with_pack(COUNTING_RULE.replace('"At most {limit}."', f'"{explanation}"'))
    result = check(ruleset, Draft(text="Hi! Hello! Yes!", at=datetime.now(UTC)), only={"tone.casual.test-count"})
    [warning] = result.warnings
    assert warning.message == "3 exclamation marks."
    assert warning.explanation == "At most 1; {x:>5000000}, {{first_name}}, {program} and {other.real} stay as written."
    # The shipped explanation of mail-merge fields quotes them as written.
    merge = check(SHIPPED_RULESET, Draft(text="Dear {{first_name}},", at=datetime.now(UTC))).warnings
    assert '"{program}", "{{first_name}}"' in next(w.explanation for w in merge if w.category == "hygiene.placeholder")


def test_a_value_from_the_draft_is_cut_short_in_a_message():
    name = "Brown" + "e" * 10_000
    to = (Recipient.parse("Dr. Jane Smith <jsmith@uw.edu>"),)
    draft = Draft(text=f"Dear Dr. {name},\n\nThank you.", at=datetime.now(UTC), to=to)
    [greeting] = [w for w in check(SHIPPED_RULESET, draft).warnings if w.rule == "hygiene.wrong-name.salutation"]
    assert greeting.length == len(name) and len(greeting.message) < 2 * LONGEST_VALUE + 100


def test_duplicate_ids_are_refused():
    error = _refusal(GOOD_RULE + GOOD_RULE)
    assert "id already used" in error.reason


def test_invalid_yaml_names_the_line():
    error = _refusal(GOOD_RULE + "---\nid: [unclosed\n")
    assert error.line is not None and "not valid YAML" in error.reason


CATASTROPHIC = GOOD_RULE.replace('pattern: "\\\\bheya\\\\b"', 'pattern: "(\\\\w+\\\\s?)+$"').replace(
    '["<marker>heya</marker> there"]', '["<marker>heya</marker>"]').replace('["hello there"]', '["hello!"]')


def test_a_rule_that_times_out_is_skipped_and_reported_by_id(caplog):
    ruleset = _with_pack(CATASTROPHIC)
    secret = "Dear Dr. Park, " + "a" * 4000 + "!"
    with caplog.at_level(logging.WARNING):
        result = check(ruleset, Draft(text=secret, at=datetime.now(UTC)), budget=Budget(1.0, 0.02))
    assert result.incomplete and result.as_json()["incomplete"] is True
    assert "tone.casual.test-rule" in result.skipped
    assert "tone.casual.test-rule" in caplog.text and "aaaa" not in caplog.text
    # Every other rule still ran.
    assert len(result.skipped) == 1


def test_a_whole_check_stops_at_its_budget():
    ruleset = _with_pack(CATASTROPHIC)
    result = check(ruleset, Draft(text="x" * 20000 + "!", at=datetime.now(UTC)), budget=Budget(0.0, 0.0))
    assert result.incomplete
    assert set(result.skipped) >= {r.id for r in ruleset.rules
                                   if r.direction == "outbound" and r.NEEDS == "" and r.field == "text"}


def test_a_check_beside_a_busy_thread_keeps_every_rule():
    # As in a server process whose watcher thread builds a newly published rule set.
    busy = threading.Event()

    def build_again_and_again():
        while not busy.is_set():
            build_ruleset(SHIPPED)

    builder = threading.Thread(target=build_again_and_again)
    builder.start()
    try:
        results = [check(SHIPPED_RULESET, Draft(text=ASKING, at=datetime.now(UTC)), budget=Budget(0.05, 0.05))
                   for _ in range(40)]
    finally:
        busy.set()
        builder.join()
    assert not any(result.incomplete for result in results)
    assert all("nrmp.ask-rank.where-do-i-stand" in {w.rule for w in result.warnings} for result in results)


def test_a_rule_that_raises_never_breaks_the_check(monkeypatch):
    ruleset = _with_pack(GOOD_RULE)
    broken = ruleset.rule("tone.casual.test-rule")

    def explode(doc, timeout):
        raise RuntimeError("boom")

    monkeypatch.setattr(broken, "hits", explode)
    result = check(ruleset, Draft(text="heya, where do I stand on your rank list?", at=datetime.now(UTC)))
    assert result.incomplete and "tone.casual.test-rule" in result.skipped
    assert any(w.category == "nrmp.ask-rank" for w in result.warnings)
