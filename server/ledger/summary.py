"""What the clients' badge shows while the applicant writes to one program:
what they already did with this program, and where their #1 went in each track."""

from __future__ import annotations

from ..engine import Ledger, Program
from ..isotime import iso


def summary(ledger: Ledger, program: Program | None) -> dict:
    """ledger: the user's, newest first; program: the one the draft goes to, if known."""
    history = [
        # An interview is not a message, so it has no kind (the engine reads it as "other").
        {"type": f.type, "kind": None if f.type == "interview" else f.kind, "at": iso(f.at),
         "claims": list(f.claims), "track": f.track}
        for f in ledger if program is not None and f.program == program.key
    ]
    first_choice: dict = {}
    for f in ledger:
        if f.type == "sent" and "first_choice" in f.claims and f.track not in first_choice:
            first_choice[f.track] = {"track": f.track, "program": {"key": f.program, "name": f.program_name},
                                     "at": iso(f.at)}
    return {
        "program": program.as_json() if program else None,
        "history": history,
        "first_choice": list(first_choice.values()),
    }
