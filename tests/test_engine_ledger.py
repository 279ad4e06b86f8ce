"""The ledger as the ledger rules read it: indexed once, and only what came before the draft counts."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from server.config import ROOT
from server.engine import Context, Draft, Ledger, LedgerEvent, Recipient, check, load_ruleset
from server.engine.examples import context_builder
from server.engine.ledger import Tally, instant

from .season import season, signed_in

RULES = load_ruleset(ROOT / "rules")
SHIPPED = context_builder(ROOT / "rules")({})
AT = datetime(2027, 2, 20, 15, tzinfo=UTC)
INTENT = Draft(text="Dear Dr. Lee,\n\nAfter careful thought, I intend to rank your program #1.\n\nSincerely,\nAna",
               to=(Recipient.parse("Dr. Karen Lee <klee@vumc.org>"),), at=AT, track="anesthesiology")


def _first_choice_to_uw(at: datetime) -> LedgerEvent:
    return LedgerEvent(at=at, program="uw.edu", program_name="University of Washington", track="anesthesiology",
                    kind="letter_of_intent", claims=("first_choice",))


def _warned(ledger: Ledger) -> set[str]:
    context = Context(ledger=ledger, directory=SHIPPED.directory, calendar=SHIPPED.calendar,
                      tracks=("anesthesiology",))
    return {w.category for w in check(RULES, INTENT, context).warnings}


def test_only_events_before_the_draft_count():
    assert "honesty.multiple-first-choice" in _warned(Ledger([_first_choice_to_uw(AT - timedelta(days=10))]))
    # Dated after the draft (a draft checked as of an earlier day, or a clock that is off): not yet said.
    assert "honesty.multiple-first-choice" not in _warned(Ledger([_first_choice_to_uw(AT + timedelta(days=1))]))


TYPES, KINDS = ("sent", "interview", "received"), ("thank_you", "update", "other")
CLAIMS = ("first_choice", "top_choices")


def _by_reading_every_event(facts, types, kinds, claims, track, which, program, since, until, near=None) -> Tally:
    """What a ledger rule counts, by its definition: every event tested."""
    counted = [
        f for f in facts
        if f.type in types and (not kinds or f.kind in kinds) and (not claims or set(claims) & set(f.claims))
        and (track is None or not f.track or f.track == track) and (since is None or f.at >= since) and f.at <= until
        and (which == "any" or (f.program == program if which == "same" else f.program not in (None, program)))
        and (near is None or (f.fingerprint is not None and (f.fingerprint ^ near[0]).bit_count() <= near[1]))
    ]
    return Tally(len(counted), len({f.program for f in counted}), max(counted, key=lambda f: f.at, default=None))


def test_a_ledger_answers_as_reading_every_event_would():
    rnd = random.Random(11)
    near = 0x0123_4567_89AB_CDEF
    facts = [LedgerEvent(at=AT - timedelta(hours=rnd.randrange(0, 2000)), type=rnd.choice(TYPES),
                      program=rnd.choice(("uw.edu", "ucsf.edu", "jhmi.edu", None)),
                      track=rnd.choice(("anesthesiology", "pediatrics", None)), kind=rnd.choice(KINDS),
                      claims=tuple(rnd.sample(CLAIMS, rnd.randint(0, 2))),
                      # Random, or near the draft's: each bit flipped with a chance of 1 in 8.
                      fingerprint=rnd.choice((None, rnd.getrandbits(64),
                                              near ^ rnd.getrandbits(64) & rnd.getrandbits(64) & rnd.getrandbits(64))))
             for _ in range(500)]
    ledger = Ledger(facts)

    def some(values):
        return frozenset(rnd.sample(values, rnd.randint(0, len(values))))

    for _ in range(400):
        conditions = (some(TYPES) or frozenset({"sent"}), some(KINDS), some(CLAIMS),
                      rnd.choice((None, "anesthesiology", "surgery")))
        which, program = rnd.choice(("same", "other", "any")), rnd.choice(("uw.edu", "ucsf.edu", "stanford.edu"))
        until = AT - timedelta(hours=rnd.randrange(-10, 2100))
        since = rnd.choice((None, until - timedelta(hours=rnd.randrange(0, 500))))
        window = (None if since is None else instant(since), instant(until))
        selection = ledger.select(*conditions)
        assert selection is ledger.select(*conditions)  # made once per ledger and conditions
        expected = _by_reading_every_event(facts, *conditions, which, program, since, until)
        assert selection.tally(which, program, *window) == expected
        differing = rnd.randint(1, 31)
        expected = _by_reading_every_event(facts, *conditions, which, program, since, until, (near, differing))
        assert selection.tally_near(lambda: near, differing, which, program, *window) == expected
    assert list(ledger) == facts


def test_a_track_no_event_names_shares_the_selection_of_events_without_a_track():
    ledger = Ledger([_first_choice_to_uw(AT), replace(_first_choice_to_uw(AT), track=None)])
    sent = frozenset({"sent"})
    assert ledger.select(sent, track="surgery") is ledger.select(sent, track="neurology")
    assert ledger.select(sent, track="surgery").tally("any", None, None, instant(AT)).events == 1
    assert ledger.select(sent, track="anesthesiology").tally("any", None, None, instant(AT)).events == 2


def test_a_seasons_ledger_adds_next_to_nothing_to_a_check():
    # The mark: a full season under 5 ms more than no ledger at all. Thread time, best of five.
    empty, full = signed_in(Ledger()), signed_in(season(100_000))

    def best(context) -> float:
        times = []
        for _ in range(5):
            started = time.thread_time()
            check(RULES, INTENT, context)
            times.append(time.thread_time() - started)
        return min(times)

    check(RULES, INTENT, full)  # the first check after a send makes the ledger's selections
    assert best(full) - best(empty) < 0.005
    assert "honesty.multiple-first-choice" in {w.category for w in check(RULES, INTENT, full).warnings}
