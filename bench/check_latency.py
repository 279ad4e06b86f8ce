"""In-process check latency against the full shipped rule set.

    .venv/bin/python bench/check_latency.py [--checks 2000]

Pins itself to one core and checks a realistic 300-word letter many times, as it is
checked while typed: each check's last sentence holds a word no check had before, the
sentences before it were read by earlier checks (reading.py). Reports p50/p99 with an
empty ledger and with a 300-event one, in one run so that machine noise hits both; the
same check read from scratch (the first check of a pasted letter); and the slowest rules
(mean time per check).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.engine import Budget, Context, Draft, Ledger, LedgerEvent, Recipient, build_ruleset, check, load_ruleset  # noqa: E402
from server.engine.examples import context_builder  # noqa: E402
from server.engine.fingerprint import simhash  # noqa: E402

PARAGRAPHS = [
    "I hope you are doing well. I wanted to express my continued strong interest in the Preliminary "
    "Medicine program at the University of Washington. Since our interview on January 12, I have "
    "reflected further on the depth of inpatient training, ICU exposure, and the supportive teaching "
    "culture you and your residents described.",
    "I also wanted to share a brief update: I recently passed Step 3 and completed a sub-internship in "
    "Internal Medicine at Harborview. This experience has further strengthened my clinical skills and "
    "confirmed my commitment to pursuing anesthesiology after a rigorous Preliminary Medicine year.",
    "During my interview day, I was particularly impressed by the high volume of inpatient exposure, the "
    "structured teaching on morning rounds, and the supportive environment for international medical "
    "graduates planning to pursue advanced specialties. The residents spoke warmly about mentorship, and "
    "the chief residents described a culture where questions are welcome at any hour.",
    "I believe your program would provide the ideal foundation for my long-term career, and I would be "
    "grateful for the opportunity to contribute to your resident team. I will be ranking your program "
    "very highly. Could you tell me where I stand on your rank list?",
]


def letter(words: int = 300) -> str:
    body = " ".join(PARAGRAPHS).split()
    while len(body) < words:
        body += body
    text = " ".join(body[:words])
    return f"Dear Dr. Park,\n\n{text}\n\nSincerely,\nAna Ruiz, MD\nAAMC ID: 12345678"


def ledger(size: int, now: datetime) -> list[LedgerEvent]:
    programs = [("uw.edu", "University of Washington"), ("vumc.org", "Vanderbilt"), ("ucsf.edu", "UCSF"),
                ("jhmi.edu", "Johns Hopkins"), ("stanford.edu", "Stanford"), ("upenn.edu", "Penn")]
    kinds = ["pre_interview", "thank_you", "update", "letter_of_interest"]
    return [
        LedgerEvent(at=now - timedelta(hours=6 * i), program=programs[i % 6][0], program_name=programs[i % 6][1],
                 track="anesthesiology", kind=kinds[i % 4], claims=("top_choices",) if i % 5 == 0 else (),
                 word_count=200, fingerprint=simhash(PARAGRAPHS[i % 4] + str(i)))
        for i in range(size)
    ]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def typing(draft: Draft, n: int) -> Draft:
    """The draft with a word in its last sentence that no check before had."""
    return replace(draft, text=f"{draft.text} {n:x}")


def time_checks(ruleset, drafts, context) -> list[float]:
    samples = []
    for draft in drafts:
        started = time.perf_counter()
        check(ruleset, draft, context, Budget(1.0, 0.5))
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checks", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    ruleset = load_ruleset(ROOT / "rules")
    now = datetime(2027, 1, 20, 15, tzinfo=UTC)
    draft = Draft(text=letter(), subject="Continued interest - Preliminary Medicine applicant Ana Ruiz",
                  to=(Recipient.parse("Dr. Helen Park <hpark@uw.edu>"),), at=now, track="anesthesiology")
    base = context_builder(ROOT / "rules")({})
    empty = Context(ledger=Ledger(), directory=base.directory, calendar=base.calendar, tracks=("anesthesiology",))
    full = Context(ledger=Ledger(ledger(300, now)), directory=base.directory, calendar=base.calendar,
                   tracks=("anesthesiology",))
    words = len(draft.text.split())

    typed = (typing(draft, n) for n in itertools.count())
    time_checks(ruleset, itertools.islice(typed, 200), empty)  # warm-up: caches, branch predictors, allocator
    # Interleaved, so both halves see the same machine.
    empty_ms, full_ms = [], []
    for _ in range(args.checks // 100):
        empty_ms += time_checks(ruleset, itertools.islice(typed, 100), empty)
        full_ms += time_checks(ruleset, itertools.islice(typed, 100), full)
    forgetting = build_ruleset(ruleset.sources)
    for reader in forgetting.readers.values():
        reader.size = 0
    fresh_ms = time_checks(forgetting, [draft] * (args.checks // 4), empty)

    per_rule = {}
    for rule in ruleset.rules:
        started = time.perf_counter()
        for n in range(200):
            check(ruleset, typing(draft, n), full, Budget(1.0, 0.5), only={rule.id})
        per_rule[rule.id] = (time.perf_counter() - started) / 200 * 1000
    floor = statistics.median(per_rule.values())  # what a check of one trivial rule costs
    slowest = sorted(per_rule.items(), key=lambda kv: kv[1], reverse=True)[:5]

    warnings = len(check(ruleset, draft, full).warnings)
    print(f"rule set {ruleset.version}: {len(ruleset.rules)} rules; email of {words} words; "
          f"{warnings} warnings; one core; {len(empty_ms)} checks each")
    for label, samples in (("empty ledger", empty_ms), ("300-event ledger", full_ms),
                           ("read from scratch", fresh_ms)):
        print(f"  {label:17} p50 {percentile(samples, 50):.3f} ms   p99 {percentile(samples, 99):.3f} ms")
    ratio = statistics.median(full_ms) / statistics.median(empty_ms)
    print(f"  300-event / empty ledger, median ratio: {ratio:.2f}")
    print(f"  slowest rules (mean ms per check of that rule alone; a one-rule check costs {floor:.3f} ms):")
    for rule_id, ms in slowest:
        print(f"    {ms:.3f}  {rule_id}")


if __name__ == "__main__":
    main()
