"""What the calendar page checks beyond what the engine needs: the season's dates in the order the
Match keeps (ranking opens before certification, certification before Match Day...), and which
rules read each date, so a date no rule uses is pointed out."""

from __future__ import annotations

from datetime import datetime

from ..engine import Calendar, RuleSet
from ..engine.calendar import BEFORE_SEASON

LABELS = {
    "applications_open": "Applications open",
    "interviews_start": "Interviews start",
    "letters_open": "Letters open",
    "interviews_end": "Interviews end",
    "ranking_opens": "Ranking opens",
    "certification_deadline": "Certification deadline",
    "match_day": "Match Day",
}
# (earlier, later): the Match's own order of its dates.
ORDER = (
    ("applications_open", "interviews_start"),
    ("interviews_start", "interviews_end"),
    ("interviews_start", "ranking_opens"),
    ("letters_open", "certification_deadline"),
    ("interviews_end", "certification_deadline"),
    ("ranking_opens", "certification_deadline"),
    ("certification_deadline", "match_day"),
)


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}" + (f", {moment:%H:%M}" if (moment.hour, moment.minute) != (0, 0) else "")


def order_problems(calendar: Calendar, spec: dict) -> list[str]:
    """Dates out of the season's order, and stages listed out of the order of their dates."""
    dates = calendar.dates
    problems = [f"{label(later)} ({_day(dates[later])}) must come after {label(earlier)} ({_day(dates[earlier])})"
                for earlier, later in ORDER if earlier in dates and later in dates and dates[earlier] >= dates[later]]
    listed = [(entry["id"], entry["starts"]) for entry in spec.get("stages") or []]
    for (before, before_date), (stage, stage_date) in zip(listed, listed[1:], strict=False):
        if dates[stage_date] <= dates[before_date]:
            problems.append(f"the stage {stage} starts on {_day(dates[stage_date])}, not after the stage {before} "
                            f"({_day(dates[before_date])}): stages follow one another in the order they are listed")
    return problems


def readers(spec: dict, ruleset: RuleSet) -> dict[str, list[str]]:
    """{date name: the rules that read it}: a rule naming a stage reads the date the stage starts
    at and the date the next stage starts at (where it ends)."""
    by_stage: dict[str, list[str]] = {}
    for rule in ruleset.rules:
        for stage in rule.spec.get("stages") or []:
            by_stage.setdefault(stage, []).append(rule.id)
    stages = [(entry["id"], entry["starts"]) for entry in spec.get("stages") or []]
    found: dict[str, list[str]] = {name: [] for name in spec.get("dates") or {}}
    previous = BEFORE_SEASON
    for stage, starts in stages:
        for rule in by_stage.get(stage, []) + by_stage.get(previous, []):
            if starts in found and rule not in found[starts]:
                found[starts].append(rule)
        previous = stage
    return found
