"""No draft costs a check more than its budget, no rule says more than MAX_WARNINGS, and odd
input (lone surrogates, dates of year 1 or 9999) is text and time like any other.

Times are the check's own thread's processor time, against the budget with a generous margin,
so that a loaded machine does not fail them; before the fixes these inputs took seconds to minutes.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
import regex

from server.config import ROOT
from server.engine import Budget, Draft, Ledger, LedgerEvent, Recipient, build_ruleset, check, read_sources
from server.engine.fingerprint import simhash
from server.engine.matcher import Matcher
from server.engine.model import MAX_WARNINGS
from server.engine.sentence import Sentence
from server.engine.vocabulary import Vocabulary

from .season import AT, TO_UW, TRACK, season, signed_in

SHIPPED = read_sources(ROOT / "rules")
RULES = build_ruleset(SHIPPED)
BUDGET = 0.25  # the default
MARGIN = 0.25
CONTEXT = signed_in(season(5_000))
LONGEST = 50_000  # the server's default limit on a draft's characters

PATHOLOGICAL = {
    "exclamation marks": "!" * LONGEST,
    "full stops": "." * LONGEST,
    "question marks": "?" * LONGEST,
    "mixed end marks": "!.?" * (LONGEST // 3),
    "end marks in quotes": '"!?"' * (LONGEST // 4),
    "end marks in brackets": "(!.)]" * (LONGEST // 5),
    "end marks and spaces": "! . ? " * (LONGEST // 6),
    "a short word": "u " * (LONGEST // 2),
    "lol": "lol " * (LONGEST // 4),
    "XXX": "XXX " * (LONGEST // 4),
    "one long sentence": ("I will rank you first and " * 2_000)[:LONGEST],
    "a line each": "\n".join(f"Line {n} of my letter" for n in range(3_000))[:LONGEST],
    # Disguises the text is normalised out of (normalise.py): each character removed, changed or expanded.
    "zero-width spaces": "\u200b" * LONGEST,
    "look-alike letters": ("Where will you r\u0430nk m\u0435? " * 2_000)[:LONGEST],
    "fullwidth letters": ("\uff52\uff41\uff4e\uff4b " * 10_000)[:LONGEST],
    "ellipses, three characters each": "\u2026" * LONGEST,
    "accents stacked on one letter": "a" + "\u0301" * (LONGEST - 1),
}
WHERE = [("text", "outbound"), ("subject", "outbound"), ("text", "inbound")]


def timed_check(ruleset, draft, context=CONTEXT):
    started = time.thread_time()
    result = check(ruleset, draft, context, Budget(BUDGET))
    answer = json.dumps(result.as_json())
    return time.thread_time() - started, result, answer


@pytest.mark.parametrize("field, direction", WHERE)
@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_draft_is_checked_within_the_budget(name, field, direction):
    text = PATHOLOGICAL[name]
    draft = Draft(text=text if field == "text" else "Dear Dr. Park, thank you.", at=AT, track=TRACK,
                  subject=text if field == "subject" else "Thank you", direction=direction, to=TO_UW,
                  sender=TO_UW[0] if direction == "inbound" else None)
    elapsed, result, answer = timed_check(RULES, draft)
    assert elapsed <= BUDGET + MARGIN, f"{elapsed:.2f} s"
    assert max(Counter(w.rule for w in result.warnings).values(), default=0) <= MAX_WARNINGS
    assert json.loads(answer)["message"]["word_count"] == result.facts.word_count


BROAD = """\
id: tone.casual.every-word
category: tone.casual
severity: info
message: A word.
explanation: e
source: s
pattern: "[a-z]+"
examples:
  flag: ["<marker>word</marker>"]
  clean: ["1 2 3"]
"""


@pytest.mark.parametrize("text", [PATHOLOGICAL["a short word"], PATHOLOGICAL["lol"], "x. " * (LONGEST // 3)],
                         ids=["u", "lol", "many sentences"])
def test_a_rule_matching_every_word_gives_its_first_warnings_within_the_budget(text):
    broad = build_ruleset({**SHIPPED, "packs/zz-broad.yaml": BROAD})
    elapsed, result, _ = timed_check(broad, Draft(text=text, at=AT, to=TO_UW, track=TRACK))
    assert elapsed <= BUDGET + MARGIN, f"{elapsed:.2f} s"
    words = [w.offset for w in result.warnings if w.rule == "tone.casual.every-word"]
    if "tone.casual.every-word" in result.skipped:
        # Reading 16,000 sentences can take the budget on a busy machine: then the rule is skipped
        # and the answer says it is incomplete, never a partial list passed off as whole.
        assert result.incomplete and not words
    else:
        assert words == [m.start() for m in regex.finditer("[a-z]+", text)][:MAX_WARNINGS]


def _plainly(patterns: list[str], text: str) -> list[tuple[int, int]]:
    """What a matcher finds in one sentence, by its definition: each pattern's first MAX_WARNINGS
    matches, in order, an earlier pattern's match winning over an overlapping later one; the first
    MAX_WARNINGS of them."""
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for found in list(regex.finditer(pattern, text, regex.IGNORECASE | regex.MULTILINE))[:MAX_WARNINGS]:
            a, b = found.span()
            if a < b and not any(a < end and start < b for start, end in taken):
                taken.append((a, b))
    return sorted(taken)[:MAX_WARNINGS]


def test_a_matcher_finds_what_its_definition_says():
    rnd = random.Random(5)
    for _ in range(300):
        patterns = [rnd.choice(["ab", "a+", "b[ab]", "ba?b", "[ab]{3}", "aa|bb"]) for _ in range(rnd.randint(1, 3))]
        text = "".join(rnd.choice("ab ") for _ in range(rnd.randint(0, 400)))
        matcher = Matcher({"patterns": patterns}, Vocabulary({}))
        found = matcher.in_sentence(Sentence(text, 0, len(text)), range(len(patterns)), None)
        assert found == _plainly(patterns, text), (patterns, text)


def test_lone_surrogates_are_text_like_any_other():
    text = "Dear Dr. Smith \ud800,\n\nAfter careful thought, I will rank you #1 \udfff. It is my first choice.\n" * 3

    def checked(text, subject):
        to = (Recipient.parse(f"Dr. {subject} <s@uw.edu>"),)
        return check(RULES, Draft(text=text, subject=subject, at=AT, track=TRACK, to=to), CONTEXT, Budget(2.0, 1.0))

    odd = checked(text, "Smith \udbff")
    plain = checked(text.replace("\ud800", "x").replace("\udfff", "y"), "Smith z")
    assert not odd.incomplete and odd.warnings
    assert [(w.rule, w.offset, w.length) for w in odd.warnings] == [
        (w.rule, w.offset, w.length) for w in plain.warnings]
    assert isinstance(odd.ledger_facts().fingerprint, int)
    json.dumps(odd.as_json())


@pytest.mark.parametrize("moment", [
    datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
])
def test_events_and_drafts_of_any_year_leave_every_rule_running(moment):
    extreme = [LedgerEvent(at=datetime(1, 1, 1, 5, tzinfo=UTC), program="uw.edu", program_name="UW", track=TRACK,
                        kind="update"),
               LedgerEvent(at=datetime(9999, 12, 31, tzinfo=UTC), program="uw.edu", program_name="UW", track=TRACK,
                        kind="letter_of_intent", claims=("first_choice",))]
    ledger = Ledger(extreme + list(season(200)))
    draft = Draft(text="Dear Dr. Park,\n\nAn update on my research: our paper was accepted.\n\nBest,\nAna",
                  to=TO_UW, track=TRACK, at=moment)
    for when in (moment, AT):
        result = check(RULES, replace(draft, at=when), signed_in(ledger), Budget(2.0, 1.0))
        assert result.skipped == []
    # Only what came before the draft counts: in year 1, the update written 5 hours into it is not yet sent.
    early = check(RULES, replace(draft, at=datetime(1, 1, 1, 4, tzinfo=UTC)), signed_in(ledger), Budget(2.0, 1.0))
    later = check(RULES, replace(draft, at=datetime(1, 1, 1, 9, tzinfo=UTC)), signed_in(ledger), Budget(2.0, 1.0))
    follow_up = "cadence.too-many.follow-up-within-days"
    assert follow_up not in {w.rule for w in early.warnings} and follow_up in {w.rule for w in later.warnings}


def test_a_fingerprint_stops_at_its_time():
    text = "\n".join(f"line {n} of a letter never seen before {random.random()}" for n in range(3_000))
    with pytest.raises(TimeoutError):
        simhash(text, timeout=0.001)
    assert simhash(text) == simhash(text, timeout=10)


def test_a_draft_dated_at_any_offset_is_a_moment_like_any_other():
    ledger = Ledger([LedgerEvent(at=datetime(2027, 2, 20, 12, tzinfo=UTC), program="uw.edu", program_name="UW",
                              track=TRACK, kind="update")])
    east = datetime(2027, 2, 20, 14, tzinfo=timezone(timedelta(hours=3)))  # 11:00 UTC: before the event
    west = datetime(2027, 2, 20, 9, tzinfo=timezone(timedelta(hours=-5)))  # 14:00 UTC: after it
    draft = Draft(text="Dear Dr. Park, an update: my paper was accepted. Best, Ana", to=TO_UW, track=TRACK, at=east)
    rules = {w.rule for w in check(RULES, draft, signed_in(ledger)).warnings}
    assert "cadence.too-many.follow-up-within-days" not in rules
    rules = {w.rule for w in check(RULES, replace(draft, at=west), signed_in(ledger)).warnings}
    assert "cadence.too-many.follow-up-within-days" in rules
