"""The season calendar: which stage of the Match season a moment falls in (rules/calendar.yaml)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BEFORE_SEASON = "before-season"


class CalendarError(ValueError):
    pass


class Calendar:
    def __init__(self, season: str, dates: dict[str, datetime], stages: list[tuple[str, datetime]]):
        self.season = season
        self.dates = dates
        self.stages = sorted(stages, key=lambda s: s[1])

    @classmethod
    def from_spec(cls, spec: dict) -> Calendar:
        if not isinstance(spec, dict) or not isinstance(spec.get("dates"), dict):
            raise CalendarError("the calendar needs 'dates'")
        try:
            zone = ZoneInfo(str(spec.get("timezone") or "America/New_York"))
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(f"unknown timezone {spec.get('timezone')!r}") from None
        dates = {name: cls._moment(value, zone, name) for name, value in spec["dates"].items()}
        stages = []
        for entry in spec.get("stages") or []:
            if not isinstance(entry, dict) or entry.get("starts") not in dates or not entry.get("id"):
                raise CalendarError(f"stage {entry!r:.60} needs an 'id' and 'starts' naming one of the dates")
            stages.append((str(entry["id"]), dates[entry["starts"]]))
        if not stages:
            raise CalendarError("the calendar needs at least one stage")
        return cls(str(spec.get("season") or ""), dates, stages)

    @staticmethod
    def _moment(value, zone, name) -> datetime:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time.min)
        else:
            try:
                moment = datetime.fromisoformat(str(value))
            except ValueError:
                raise CalendarError(f"date {name}: {value!r} is not an ISO date") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)

    def stage_at(self, moment: datetime) -> str:
        current = BEFORE_SEASON
        for stage, starts in self.stages:
            if moment >= starts:
                current = stage
        return current
