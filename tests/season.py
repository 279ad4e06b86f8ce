"""A signed-in applicant's context with a season's ledger, for engine tests that need every rule type to run."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from server.config import ROOT
from server.engine import Context, Ledger, LedgerEvent, Recipient
from server.engine.examples import context_builder

AT = datetime(2027, 2, 20, 15, tzinfo=UTC)
TRACK = "anesthesiology"
TO_UW = (Recipient.parse("Dr. Helen Park <hpark@uw.edu>"),)
SHIPPED = context_builder(ROOT / "rules")({})
KINDS = ("pre_interview", "thank_you", "update", "letter_of_interest", "letter_of_intent", "other")
CLAIMS = ((), (), ("first_choice",), ("top_choices",), ("rank_highly",))


def season(events: int, seed: int = 1) -> Ledger:
    """A ledger of this many events, newest first (as the server gives it), to the directory's
    programs and a few it does not know, over the five months before AT."""
    rnd = random.Random(seed)
    programs = [(i.key, i.name) for i in SHIPPED.directory.institutions.values()] + [
        (f"college{n}.edu", f"college{n}.edu") for n in range(20)] + [(None, None)]
    facts = []
    for _ in range(events):
        program, name = rnd.choice(programs)
        facts.append(LedgerEvent(
            at=AT - timedelta(minutes=rnd.randrange(1, 150 * 24 * 60)),
            type=rnd.choice(("sent", "sent", "sent", "received", "interview")), program=program, program_name=name,
            track=rnd.choice((TRACK, TRACK, "pediatrics", None)), kind=rnd.choice(KINDS), claims=rnd.choice(CLAIMS),
            word_count=rnd.randrange(50, 500), fingerprint=rnd.getrandbits(64),
        ))
    return Ledger(sorted(facts, key=lambda f: f.at, reverse=True))


def signed_in(ledger: Ledger) -> Context:
    return Context(ledger=ledger, directory=SHIPPED.directory, calendar=SHIPPED.calendar, tracks=(TRACK,))
