"""The <marker>...</marker> of a rule's flag example: where the warning is expected."""

from __future__ import annotations

import regex

_MARKER = regex.compile(r"<marker>(.*?)</marker>", regex.DOTALL)


def unmark(text: str) -> tuple[str, tuple[int, int] | None]:
    """The text without markers, and the marked span in code points."""
    found = _MARKER.search(text)
    if not found:
        return text, None
    plain = text[: found.start()] + found.group(1) + text[found.end():]
    return _MARKER.sub(r"\1", plain), (found.start(), found.start() + len(found.group(1)))


def example_text(example, marked_only: bool = False) -> str:
    """An example as plain text: its `text` when it is a mapping, markers removed; with marked_only,
    only what its marker marks, when it has one (the sentence a rule is to find in the example)."""
    text, span = unmark(str(example.get("text", "")) if isinstance(example, dict) else str(example))
    return text[span[0]:span[1]] if marked_only and span else text
