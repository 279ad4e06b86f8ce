"""Words for people: counts with their noun in the right number ("1 rule", "2 policies"), and
times as the school's clocks show them ("5 Dec 2026, 2:05 p.m. EST")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 email', '3 emails', '0 policies' (give `many` where adding -s will not do)."""
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def moment(value: datetime, zone: ZoneInfo) -> str:
    """'5 Dec 2026, 2:05 p.m. EST': a time as the school's clocks show it."""
    local = value.astimezone(zone)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%b %Y}, {hour}:{local:%M} {'a.m.' if local.hour < 12 else 'p.m.'} {local:%Z}"

