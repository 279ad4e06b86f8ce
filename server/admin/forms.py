"""Reading the admin pages' HTML forms: textareas of lines and repeated rows."""

from __future__ import annotations

from flask import request

MAX_ROWS = 1000


class FormError(ValueError):
    """What is wrong with what the admin typed; the form is shown again with it."""


def lines(name: str, commas: bool = False) -> list[str]:
    """A textarea's entries, one per line (also split at commas when `commas`, e.g. for domains)."""
    text = request.form.get(name, "")
    return [line.strip() for line in (text.replace(",", "\n") if commas else text).splitlines() if line.strip()]


def text(name: str) -> str | None:
    value = request.form.get(name, "").strip()
    return value or None


def rows(prefix: str, fields: tuple[str, ...]) -> list[dict]:
    """Repeated rows named prefix-N-field (prefix-count says how many), in order, blank ones left out."""
    count = request.form.get(f"{prefix}-count", "")
    found = []
    for number in range(min(int(count), MAX_ROWS) if count.isdigit() else 0):
        row = {f: request.form.get(f"{prefix}-{number}-{f}", "").strip() for f in fields}
        if any(row.values()):
            found.append(row)
    return found
