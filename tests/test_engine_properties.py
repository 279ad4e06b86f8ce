"""A standing guard: whatever the text, a check ends within its budget and never raises.

Hypothesis builds drafts up to the size the server accepts from the shapes that once took
a check minutes or made it fail: runs of end punctuation, a short word repeated, one huge
line, mixed scripts, format characters, lone surrogates, emoji. Each is checked by the
shipped rule set for a signed-in applicant with a season's ledger, so every rule type runs.
Time is the check's own thread's processor time, with a margin a loaded machine stays within.
"""

from __future__ import annotations

import json
import time
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.config import ROOT
from server.engine import Budget, Draft, check, load_ruleset
from server.engine.model import MAX_WARNINGS

from .season import AT, TO_UW, TRACK, season, signed_in

RULES = load_ruleset(ROOT / "rules")
CONTEXT = signed_in(season(5_000))
LONGEST = 50_000  # characters: the server's default limit on a draft
BUDGET, MARGIN = 0.25, 0.25

PIECES = [
    "!", ".", "?", "!?", "...", '"', "'", ")", "]", "(", " ", "  ", "\n", "\t", "\r\n",  # punctuation, spacing
    "u", "lol", "XXX", "I", "a", "rank", "you", "first", "#1", "Dr.", "e.g.", "UW", "University of Washington",
    "where I stand", "{program}", "[Program Name]", "%NAME%", "> ", "On Tue, Dr. Park wrote:", "-- ",  # words, quotes
    "é", "ß", "İ", "日本語", "مرحبا", "Привет", "ﬁ", "Ⅻ", "٣",  # other scripts, and letters that change length in case
    "\u200b", "\u200d", "\u202e", "\ufeff", "\u00ad", "\u2028",  # format characters
    "\ud800", "\udfff", "\udbff\udbff",  # lone surrogates
    "😀", "👍🏽", "🇺🇸", "👩‍⚕️",  # emoji: two UTF-16 units, joiners, modifiers
]


@st.composite
def texts(draw) -> str:
    """A few stretches, each a short motif repeated to some length, or free text of any characters."""
    stretches = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 4)) == 0:
            stretches.append(draw(st.text(st.characters(exclude_categories=()), max_size=300)))
            continue
        motif = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6)))
        length = draw(st.integers(0, LONGEST))
        stretches.append((motif * (length // len(motif) + 1))[:length])
    return "".join(stretches)[:LONGEST]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=texts(), subject=st.one_of(st.none(), texts()), inbound=st.booleans())
def test_any_draft_is_checked_within_the_budget_and_never_raises(text, subject, inbound):
    subject = subject[:LONGEST - len(text)] if subject is not None else None
    draft = Draft(text=text, subject=subject, at=AT, to=TO_UW, track=TRACK,
                  direction="inbound" if inbound else "outbound", sender=TO_UW[0] if inbound else None)
    started = time.thread_time()
    result = check(RULES, draft, CONTEXT, Budget(BUDGET))
    answer = json.dumps(result.as_json())
    elapsed = time.thread_time() - started
    assert elapsed <= BUDGET + MARGIN, f"{elapsed:.2f} s"
    assert max(Counter(w.rule for w in result.warnings).values(), default=0) <= MAX_WARNINGS
    assert len(answer) < 5_000_000
    for warning in result.warnings:
        field = draft.subject if warning.field == "subject" else draft.text
        units = len(field.encode("utf-16-le", "surrogatepass")) // 2
        assert 0 <= warning.offset <= warning.offset + warning.length <= units
    assert isinstance(result.ledger_facts().fingerprint, int)  # what a send records of it
