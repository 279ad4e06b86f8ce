"""What counts as the applicant's own writing, and offsets a browser can use."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import regex

from server.engine import Draft, check
from server.engine.text import _SENTENCE_END, Prepared, own_writing

ASK = "Could you tell me where I stand on your rank list?"


def _rules_hit(ruleset, text):
    return [w.rule for w in check(ruleset, Draft(text=text, at=datetime.now(UTC))).warnings]


def test_quoted_reply_is_not_checked(ruleset):
    text = (
        "Dear Dr. Park,\n\nThank you for your message.\n\nSincerely,\nAna\n\n"
        "On Tue, Feb 3, 2027 at 9:12 AM Helen Park <hpark@uw.edu> wrote:\n"
        "> " + ASK + "\n"
    )
    assert "nrmp.ask-rank.where-do-i-stand" not in _rules_hit(ruleset, text)
    assert "nrmp.ask-rank.where-do-i-stand" in _rules_hit(ruleset, ASK)


def test_gmail_wraps_the_attribution_line_and_the_quote_is_still_dropped():
    text = "Thanks!\n\nOn Tue, Feb 3, 2027 at 9:12 AM Dr. Helen Park <\nhpark@uw.edu> wrote:\n" + ASK
    assert ASK not in own_writing(text)


def test_quote_lines_anywhere_and_outlook_headers_are_dropped():
    inline = "My answer below.\n> " + ASK + "\nI disagree."
    assert own_writing(inline) == "My answer below.\n" + " " * (len(ASK) + 2) + "\nI disagree."
    outlook = "Thanks.\n\nFrom: Helen Park <hpark@uw.edu>\nSent: Tuesday, February 3, 2027 9:12 AM\n" + ASK
    assert ASK not in own_writing(outlook)
    original = "Thanks.\n-----Original Message-----\n" + ASK
    assert ASK not in own_writing(original)


def test_signature_after_the_separator_is_not_checked():
    text = "Dear Dr. Park,\n\nThank you.\n-- \nAna Ruiz\nWhere I stand on your rank list? (old signature quote)"
    assert "rank list" not in own_writing(text)


def test_own_writing_keeps_every_offset():
    text = "Hi 😀\n> quoted\nOn Mon, Jan 4 2027, X <x@y.org> wrote:\n> more"
    assert len(own_writing(text)) == len(text)


def test_offsets_are_utf16_code_units(ruleset):
    prefix = "Dear Dr. Park 😀🎉,\n\n"
    result = check(ruleset, Draft(text=prefix + ASK, at=datetime.now(UTC)))
    warning = next(w for w in result.warnings if w.rule == "nrmp.ask-rank.where-do-i-stand")
    as_js = (prefix + ASK).encode("utf-16-le")
    underlined = as_js[2 * warning.offset: 2 * (warning.offset + warning.length)].decode("utf-16-le")
    assert underlined.startswith("where I stand")


def test_curly_quotes_match_straight_patterns():
    assert Prepared("I\u2019m sure").text == "I'm sure"


def test_sentences_end_at_punctuation_and_line_breaks_not_titles():
    prepared = Prepared("Dear Dr. Park,\nI liked it. Will I match? Yes!")
    pieces = [prepared.text[s.start:s.end].strip() for s in prepared.sentences]
    assert pieces == ["Dear Dr. Park,", "I liked it.", "Will I match?", "Yes!"]


def test_a_run_of_end_marks_ends_a_sentence_as_the_plain_pattern_says():
    # The plain pattern backtracked over a run of end marks with no space after it: minutes for 50,000 "!".
    plain = regex.compile(r"[.?!]+[\"')\]]*(?=\s)|\n")
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(".?!\"')] \n\tx") for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in _SENTENCE_END.finditer(text)] == [m.span() for m in plain.finditer(text)], text
    for run in ("!" * 50_000, "!.?" * 16_666, '!")' * 16_666):
        assert [(s.start, s.end) for s in Prepared(run).sentences] == [(0, len(run))]
