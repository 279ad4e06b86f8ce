"""The ledger as the ledger rules read it: sorted once, and only what came before the draft counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.config import ROOT
from server.engine import Context, Draft, Ledger, Recipient, SentFact, check, load_ruleset
from server.engine.examples import context_builder

RULES = load_ruleset(ROOT / "rules")
SHIPPED = context_builder(ROOT / "rules")({})
AT = datetime(2027, 2, 20, 15, tzinfo=UTC)
INTENT = Draft(text="Dear Dr. Lee,\n\nAfter careful thought, I intend to rank your program #1.\n\nSincerely,\nAna",
               to=(Recipient.parse("Dr. Karen Lee <klee@vumc.org>"),), at=AT, track="anesthesiology")


def _first_choice_to_uw(at: datetime) -> SentFact:
    return SentFact(at=at, program="uw.edu", program_name="University of Washington", track="anesthesiology",
                    kind="letter_of_intent", claims=("first_choice",))


def _warned(ledger: Ledger) -> set[str]:
    context = Context(ledger=ledger, directory=SHIPPED.directory, calendar=SHIPPED.calendar,
                      tracks=("anesthesiology",))
    return {w.category for w in check(RULES, INTENT, context).warnings}


def test_only_events_before_the_draft_count():
    assert "honesty.multiple-first-choice" in _warned(Ledger([_first_choice_to_uw(AT - timedelta(days=10))]))
    # Dated after the draft (a draft checked as of an earlier day, or a clock that is off): not yet said.
    assert "honesty.multiple-first-choice" not in _warned(Ledger([_first_choice_to_uw(AT + timedelta(days=1))]))


def test_a_ledger_is_sorted_once_for_every_check_that_reads_it():
    facts = [_first_choice_to_uw(AT - timedelta(days=n)) if n % 50 == 0 else
             SentFact(at=AT - timedelta(days=n), program="ucsf.edu", program_name="UCSF", kind="thank_you",
                      type="interview" if n % 7 == 0 else "sent")
             for n in range(1, 301)]
    ledger = Ledger(facts)
    assert ledger.until(AT) is ledger  # nothing to leave out: the same lookups serve the check
    first_choices = ledger.claiming(frozenset({"first_choice"}))
    assert [f.at for f in first_choices] == [f.at for f in facts if f.claims]
    assert ledger.claiming(frozenset({"first_choice"})) is first_choices
    sent = ledger.of_types(frozenset({"sent"}))
    assert sent == [f for f in facts if f.type == "sent"] and ledger.of_types(frozenset({"sent"})) is sent
    assert len(ledger.by_program["ucsf.edu"]) == 294 and list(ledger) == facts

    earlier = ledger.until(AT - timedelta(days=100))
    assert list(earlier) == facts[99:] and len(earlier.claiming(frozenset({"first_choice"}))) == 5
    assert "honesty.multiple-first-choice" in _warned(ledger)
