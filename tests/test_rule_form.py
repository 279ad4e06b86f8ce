"""The rule form and the YAML view round-trip exactly: every shipped rule reads into the form and
is written back byte for byte; an edit rewrites only what changed, in YAML that reads back as typed."""

from __future__ import annotations

import copy

import pytest

from server.authoring import packs, rule_form
from server.config import ROOT

DOCUMENTS = [d for path in sorted((ROOT / "rules" / "packs").glob("*.yaml"))
             for d in packs.documents(path.read_text(encoding="utf-8"))]
RULE = next(d.text for d in DOCUMENTS if d.rule_id == "nrmp.ask-rank.where-do-i-stand")


def edited(fields: dict) -> dict:
    changed = copy.deepcopy(fields)
    changed["message"] = "Note: asking where you stand breaks NRMP rules; #1 reason to stop."
    changed["explanation"] += " Also: programs talk to each other, so keep to what you can say honestly and calmly."
    changed["suggestions"] = [*changed["suggestions"], "a suggestion: with a colon"]
    changed["examples"]["flag"][1:2] = ["Inserted: example #1 'quoted' \"twice\""]
    changed["examples"]["clean"] = [*changed["examples"]["clean"][1:], "Dear Dr. Park,\n\n  Thank you.\n"]
    changed["phrases"] = ["where {I} stand on your {rank list}"]
    changed["about"] = ["rank", "match"]
    changed["enabled"] = False
    return changed


def test_every_shipped_rule_goes_through_the_form_unchanged_and_any_edit_reads_back_as_typed():
    for document in DOCUMENTS:
        fields = rule_form.fields_of(document.text)
        assert rule_form.apply(document.text, fields) == document.text, document.rule_id
        changed = edited(fields)
        written = rule_form.apply(document.text, changed)
        expected = {**changed, "examples": {**changed["examples"], "clean": [
            *changed["examples"]["clean"][:-1], "Dear Dr. Park,\n\n  Thank you."]}}
        assert rule_form.fields_of(written) == expected, document.rule_id
        assert rule_form.fields_of(rule_form.apply(written, fields)) == fields, document.rule_id


def test_an_edit_leaves_every_other_line_as_it_was():
    fields = rule_form.fields_of(RULE)
    changed = copy.deepcopy(fields)
    changed["message"] = "Asking where you stand: not allowed."
    changed["examples"]["clean"].insert(2, "I know where I stand on the importance of sleep.")
    written = rule_form.apply(RULE, changed)
    old, new = RULE.splitlines(), written.splitlines()
    assert [line for line in new if line not in old] == [
        "message: 'Asking where you stand: not allowed.'",
        '    - "I know where I stand on the importance of sleep."',
    ]
    assert [line for line in old if line not in new] == [line for line in old if line.startswith("message:")]
    assert "# \"where I stand on your rank list\"" in written  # comments stay


def test_new_keys_go_where_a_reader_expects_them():
    fields = rule_form.fields_of(RULE)
    written = rule_form.apply(RULE, {**fields, "type": "examples", "enabled": False, "about": ["rank"]})
    keys = [line.split(":")[0] for line in written.splitlines() if line[:1].isalpha()]
    assert keys[:5] == ["id", "enabled", "category", "severity", "type"]
    assert keys[-2:] == ["about", "examples"]
    assert "about: [rank]" in written
    assert rule_form.apply(written, fields) == RULE  # and out again, to the byte


@pytest.mark.parametrize("text, says", [
    ("id: x\nmessage: a: b\n", "line 2"),
    ("[1, 2]\n", "keys on lines of their own"),
    ("id: x\nmessage: [not, text]\n", "'message' is not text"),
    ("id: x\nexamples: {flag: [1]}\n", "flag examples are not texts"),
])
def test_a_rule_the_form_cannot_show_says_why(text, says):
    with pytest.raises(rule_form.FormError, match=says.replace("[", r"\[")):
        rule_form.fields_of(text)


@pytest.mark.parametrize("fields, says", [
    ({"colour": "red"}, "no field 'colour'"),
    ({"message": ["a"]}, "'message' must be text"),
    ({"phrases": "where I stand"}, "'phrases' must be a list"),
    ({"examples": {"flag": [{"to": "x"}]}}, "must be a text"),
    ({"enabled": "no"}, "true or false"),
])
def test_fields_of_the_wrong_shape_are_refused(fields, says):
    with pytest.raises(rule_form.FormError, match=says):
        rule_form.apply(RULE, {**rule_form.fields_of(RULE), **fields})
