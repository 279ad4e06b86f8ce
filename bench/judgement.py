"""How well the coach's judgement generalizes: recall and clean rate on emails written blind.

    .venv/bin/python bench/judgement.py [SET.yaml ...] [--misses]

The sets under bench/judgement/ were written from the category definitions in
docs/rulebook.md and the program directory alone, by writers who never saw a rule, a rule's
examples or the corpus, and they are kept out of all three (tests/test_judgement_sets.py):
they measure what the rules' authors did not anticipate. `dev.yaml` is the set the rules
were improved against; `fresh.yaml` was written afterwards and only measured, so its figure
is the one that counts. The format is described in bench/judgement/README.md.

Recall: of the (email, category) pairs a set expects, the share the coach raises at any
severity. Clean rate: the share of `expect: clean` emails given no error or warning (a tip
is allowed, as in rules/corpus/). A benchmark, not a test gate.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.engine import Budget, Draft, Recipient, check, load_ruleset  # noqa: E402
from server.engine.examples import context_builder, parse_time  # noqa: E402

SETS = ROOT / "bench" / "judgement"


def draft_of(email: dict) -> Draft:
    """The email as a client sends it. A set omits `subject` for an email written without one,
    which a client sends as an empty subject (None would mean the client could not read it)."""
    inbound = email.get("direction") == "inbound"
    return Draft(
        text=email["text"], subject=email.get("subject") or "", at=parse_time(email.get("at")),
        to=tuple(Recipient.parse(r) for r in email.get("to") or ()),
        direction="inbound" if inbound else "outbound", track=email.get("track"),
        sender=Recipient.parse(email["from"]) if inbound and email.get("from") else None,
    )


def evaluate(emails: list[dict], ruleset, context_for) -> dict:
    """Per-category hits and misses, clean emails kept clean, and every miss and false flag."""
    expected, caught, flagged_clean = Counter(), Counter(), Counter()
    clean_total = clean_kept = 0
    misses, false_flags = [], []
    for email in emails:
        result = check(ruleset, draft_of(email), context_for(email), Budget(2.0, 1.0))
        raised = {w.category for w in result.warnings}
        if email["expect"] == "clean":
            clean_total += 1
            serious = sorted({w.category for w in result.warnings if w.severity in ("error", "warning")})
            clean_kept += not serious
            for category in serious:
                flagged_clean[category] += 1
                false_flags.append((email["name"], category))
            continue
        for category in email["expect"]:
            expected[category] += 1
            if category in raised:
                caught[category] += 1
            else:
                misses.append((email["name"], category))
    return {"expected": expected, "caught": caught, "flagged_clean": flagged_clean,
            "clean": (clean_kept, clean_total), "misses": misses, "false_flags": false_flags}


def report(name: str, figures: dict, show_misses: bool) -> None:
    expected, caught = figures["expected"], figures["caught"]
    kept, total = figures["clean"]
    recall = sum(caught.values()) / max(1, sum(expected.values()))
    print(f"\n## {name}: recall {recall:.2f} ({sum(caught.values())}/{sum(expected.values())}), "
          f"clean {kept / max(1, total):.2f} ({kept}/{total})\n")
    print("| category | expected | caught | recall | clean emails flagged |")
    print("|---|---:|---:|---:|---:|")
    for category in sorted(set(expected) | set(figures["flagged_clean"])):
        n, hit = expected[category], caught[category]
        share = f"{hit / n:.2f}" if n else "-"
        print(f"| `{category}` | {n} | {hit} | {share} | {figures['flagged_clean'][category]} |")
    if show_misses:
        for email, category in figures["misses"]:
            print(f"missed   {category:34} {email}")
        for email, category in figures["false_flags"]:
            print(f"flagged  {category:34} {email}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, help="evaluation sets (default: all of bench/judgement/)")
    parser.add_argument("--misses", action="store_true", help="list every missed category and false flag")
    args = parser.parse_args()
    ruleset = load_ruleset(ROOT / "rules")
    context_for = context_builder(ROOT / "rules")
    for path in args.sets or sorted(SETS.glob("*.yaml")):
        emails = yaml.safe_load(path.read_text(encoding="utf-8"))
        report(path.name, evaluate(emails, ruleset, context_for), args.misses)


if __name__ == "__main__":
    main()
