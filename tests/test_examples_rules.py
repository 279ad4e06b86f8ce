"""Rules an advisor writes without regular expressions: word lists that inflect, plain phrases,
concept gates, sentence features, and sentences flagged for being like a rule's examples."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from server.config import ROOT
from server.engine import Draft, LoadError, build_ruleset, check, read_sources
from server.engine import embedding as embedding_module
from server.engine.examples import failures
from server.engine.features import FEATURES, has
from server.engine.text import Prepared
from server.engine.vocabulary import Vocabulary, VocabularyError

# The shipped word lists and classifier, and no shipped rule: only the rule under test reads the drafts.
SHIPPED = {path: text for path, text in read_sources(ROOT / "rules").items() if not path.startswith("packs/")}
AT = datetime(2027, 1, 15, 15, tzinfo=UTC)

WORDS = """\
words:
  me words: [I, my application]
  stand list: [rank list, rank order list, list]
  ranking words: [rank, "{stand list}"]
  feeling words: [feeling, mutual, feel the same]
"""

LIKE_RULE = """\
---
id: nrmp.ask-rank.test-like
category: nrmp.ask-rank
severity: error
type: examples
message: Do not ask where you stand.
explanation: Programs may not be asked how they will rank you.
source: s
suggestions: ["Is there anything else I can share to support my application?"]
about: [ranking words]
%(extra)s
examples:
  flag:
    - Could you tell me where I stand on your rank list?
    - Will you be ranking me highly this year?
  clean:
%(clean)s
"""


def _ruleset(extra: str = "", clean: str = "    - I will rank programs in my true order of preference.",
             pack: str | None = None):
    return build_ruleset({**SHIPPED, "vocabulary/zz-test.yaml": WORDS,
                          "packs/zz-test.yaml": pack or LIKE_RULE % {"extra": extra, "clean": clean}})


def _warnings(ruleset, text: str, rule_id: str = "nrmp.ask-rank.test-like"):
    return [w for w in check(ruleset, Draft(text=text, at=AT)).warnings if w.rule == rule_id]


def _found(vocabulary: Vocabulary, phrase: str, text: str) -> bool:
    from server.engine.matcher import Matcher

    return Matcher({"phrases": [phrase]}, vocabulary).found_in(Prepared(text))


def test_a_word_list_reads_every_form_of_its_words():
    vocabulary = Vocabulary.merge([("vocabulary/zz-test.yaml", {"words": {
        "me words": ["I", "my application"], "stand list": ["rank list", "list"]}})])
    phrase = "where {me words} stand on your {stand list}"
    assert _found(vocabulary, phrase, "Could you tell me where I stood on your rank lists?")
    assert _found(vocabulary, phrase, "I wonder where my application stands on your list.")
    assert _found(vocabulary, "where ... {me words} stand", "Where exactly do I stand?")
    assert not _found(vocabulary, phrase, "Where I standardize on your list of drugs.")
    assert not _found(vocabulary, "withdraw from the Match", "I will withdraw my hat from the matchbox.")
    assert _found(vocabulary, "withdraw from the Match", "I withdrew from the Match last year.")


@pytest.mark.parametrize("mapping, reason", [
    ({"words": {"bad!name": ["x"]}}, "may hold only letters, _ and single spaces"),
    ({"words": {"a": ["(?:regex)+"]}}, "is not a plain word"),
    ({"words": {"a": ["{missing}"]}}, None),
    ({"words": ["not", "a", "mapping"]}, "must map word-list names"),
    ({"gap": ["x"], "words": {"gap": ["y"]}}, "already defined"),
])
def test_a_word_list_that_cannot_be_read_is_refused(mapping, reason):
    if reason is None:  # an unknown list is found when a rule uses it
        vocabulary = Vocabulary.merge([("v.yaml", mapping)])
        with pytest.raises(VocabularyError, match="unknown word list"):
            vocabulary.expand("{a}")
        return
    with pytest.raises(VocabularyError, match=reason):
        Vocabulary.merge([("v.yaml", mapping)])


@pytest.mark.parametrize("sentence, features", [
    ("Could you tell me where I stand on your rank list?", {"asks"}),
    ("I was wondering how the committee viewed my candidacy.", {"asks"}),
    ("I'd be grateful for any sense of how I fared.", {"asks"}),
    ("I know you cannot tell me where I stand.", {"negated"}),
    ("Please do not hesitate to reach out.", set()),
    ("If I rank you first, am I high enough to match?", {"asks", "hypothetical"}),
    ("Should you be able to assure me of a spot, I am prepared to rank you first.", {"hypothetical"}),
    ("Please let me know if I can send anything else.", {"asks"}),
    ("My advisor told me never to ask where I stand.", {"negated", "reported"}),
    ("I was told that programs may not ask where else I applied.", {"negated", "reported"}),
    ('She wrote "where will you rank me" in her email.', {"asks", "reported", "quoted"}),
    ("I will be ranking your program very highly.", set()),
])
def test_what_a_sentence_does(sentence, features):
    assert {f for f in FEATURES if has(f, sentence)} == features


def test_the_embedding_is_the_wheels_own_and_reads_alike_what_is_alike():
    folder = embedding_module._package_folder()
    assert (folder / "weights" / "l2_supercat_256.safetensors").is_file()
    asking = embedding_module.embed("Could you tell me where I stand on your rank list?")
    assert asking.shape == (embedding_module.DIMENSIONS,) and abs(float(np.linalg.norm(asking)) - 1) < 1e-5
    near = embedding_module.embed("Can you let me know where I stand on your list?")
    far = embedding_module.embed("The hospital cafeteria serves breakfast until ten.")
    assert float(asking @ near) > float(asking @ far) + 0.3
    assert not embedding_module.embed("").any()


def test_a_sentence_like_a_flag_example_is_flagged_and_named():
    ruleset = _ruleset()
    text = "Dear Dr. Park,\n\nThank you. Could you tell me where I stand on your ranking list?\n\nBest,\nAna"
    [warning] = _warnings(ruleset, text)
    assert text[warning.offset:warning.offset + warning.length] == (
        "Could you tell me where I stand on your ranking list?")
    assert warning.explanation.endswith('It reads like: "Could you tell me where I stand on your rank list?"')


def test_a_clean_example_near_a_sentence_keeps_it_clean():
    negated = "I know you cannot tell me where I stand on your rank list."
    assert _warnings(_ruleset(), negated)  # without features, it reads like the first flag example
    kept = _ruleset(clean="    - I understand that you cannot tell me where I stand on your rank list.")
    assert not _warnings(kept, negated)
    assert _warnings(kept, "Could you tell me where I stand on your rank list?")


def test_features_and_the_concept_gate_hold_back_the_sentences_they_exclude(monkeypatch):
    asking = _ruleset(extra="features: {asks: true, negated: false}")
    assert not _warnings(asking, "I know you cannot tell me where I stand on your rank list.")
    embedded = []
    real = embedding_module.embed
    monkeypatch.setattr(embedding_module, "embed", lambda text: embedded.append(text) or real(text))
    assert not _warnings(asking, "Could you tell me where the residents stand on parking?")
    assert embedded == []  # no concept of ranking in it: never embedded
    assert _warnings(asking, "Could you tell me where I stand on your rank order list?")
    assert embedded == ["Could you tell me where I stand on your rank order list?"]


def test_a_phrase_found_is_underlined_and_the_gate_still_applies():
    ruleset = _ruleset(extra='phrases: ["where {me words} stand on your {stand list}"]')
    text = "Honestly, where my application stands on your list matters to me?"
    [warning] = _warnings(ruleset, text)
    assert text[warning.offset:warning.offset + warning.length] == "where my application stands on your list"
    assert warning.explanation == "Programs may not be asked how they will rank you."


def test_example_rules_are_held_to_their_plain_sentence_examples(example_context):
    ruleset = _ruleset()
    assert failures(ruleset, ruleset.rule("nrmp.ask-rank.test-like"), example_context) == []
    # A clean example that one of the rule's phrases finds is a failure, as in any rule.
    phrased = _ruleset(extra='phrases: ["true order"]')
    [failure] = failures(phrased, phrased.rule("nrmp.ask-rank.test-like"), example_context)
    assert failure.kind == "clean" and "gave" in failure.reason


def test_pattern_rules_take_phrases_about_and_features():
    pack = """\
---
id: tone.casual.test-phrases
category: tone.casual
severity: info
message: Say it plainly.
explanation: e
source: s
phrases: ["stand on your {stand list}"]
about: [me words]
features: {negated: false}
examples:
  flag: ["Where do I <marker>stand on your rank list</marker>?"]
  clean: ["I know you cannot say where I stand on your rank list."]
"""
    ruleset = _ruleset(pack=pack)
    rule = ruleset.rule("tone.casual.test-phrases")
    assert failures(ruleset, rule) == []
    assert [(w.offset, w.length) for w in _warnings(ruleset, "Where did I stand on your lists?", rule.id)] == [
        (12, 19)]
    assert not _warnings(ruleset, "Where do they stand on your rank list?", rule.id)


@pytest.mark.parametrize("extra, key", [
    ('phrases: ["where (I|we) stand"]', "phrases"),
    ("about: [no such list]", "about"),
    ("features: {sarcastic: true}", "features"),
    ("features: {asks: maybe}", "features"),
    ("similarity: 2", "similarity"),
    ("margin: -0.1", "margin"),
])
def test_an_example_rule_that_cannot_work_is_refused_with_its_key(extra, key):
    with pytest.raises(LoadError) as caught:
        _ruleset(extra=extra)
    assert caught.value.rule_id == "nrmp.ask-rank.test-like" and caught.value.key == key


MUTUAL_RULE = """\
---
id: nrmp.bargain.test-mutual
category: nrmp.bargain
severity: error
type: examples
message: Do not ask for a first place in return.
explanation: A first choice with a hope that it is returned asks for a commitment.
source: s
when: {claims: [first_choice]}
about: [feeling words]
examples:
  flag:
    - "You are my first choice. <marker>I hope the feeling is mutual.</marker>"
  clean:
    - "You are my first choice. I felt at home with your residents."
"""


def test_a_rule_may_read_only_messages_that_make_a_claim():
    ruleset = _ruleset(pack=MUTUAL_RULE)
    rule = ruleset.rule("nrmp.bargain.test-mutual")
    assert rule.likeness.flag_texts == ("I hope the feeling is mutual.",)  # the sentence its marker marks
    assert failures(ruleset, rule) == []
    text = "Dear Dr. Lee,\n\nI will rank your program #1. I do hope the feeling is mutual!\n\nBest,\nSam"
    [warning] = _warnings(ruleset, text, rule.id)
    assert text[warning.offset:warning.offset + warning.length] == "I do hope the feeling is mutual!"
    assert warning.explanation.endswith('It reads like: "I hope the feeling is mutual."')
    assert not _warnings(ruleset, "Thank you for the day. I hope the feeling is mutual.", rule.id)


def test_received_mail_is_read_only_by_the_rules_of_received_mail():
    ruleset = _ruleset(pack=LIKE_RULE % {"extra": "", "clean": "    - I will rank programs by fit."}
                       + MUTUAL_RULE.replace("nrmp.bargain.test-mutual", "inbound.program-pressure.test-mutual")
                       .replace("category: nrmp.bargain", "category: inbound.program-pressure"))
    outbound, inbound = ruleset.readers["text", "outbound"].known, ruleset.readers["text", "inbound"].known
    asking = ruleset.rule("nrmp.ask-rank.test-like").likeness
    mutual = ruleset.rule("inbound.program-pressure.test-mutual").likeness
    assert asking in outbound and asking not in inbound
    assert mutual in inbound and mutual not in outbound
