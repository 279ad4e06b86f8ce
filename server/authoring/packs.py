"""A pack file as the admin edits it: one YAML document per rule, changed one at a time.

The text around the edited document stays exactly as it was (comments, section headers,
the order of rules), so a version's diff shows only what the admin changed. A document
runs from the line after its `---` to its last line that is not blank or a comment; the
comments after it (usually the next section's header) belong to the gap between rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
import yaml

from ..engine import safe_yaml

_MARKER = regex.compile(r"^---(?:[ \t].*)?$")
_GAP = regex.compile(r"^\s*(?:#.*)?$")
_ENABLED = regex.compile(r"^enabled[ \t]*:.*$")
_ID = regex.compile(r"^id[ \t]*:.*$")


class PackError(ValueError):
    pass


@dataclass(frozen=True)
class Document:
    start: int  # index of its first line in the file's lines
    end: int  # index after its last line
    text: str
    rule_id: str | None

    @property
    def first_line(self) -> int:
        """Its first line, counted from 1 as editors and error messages do."""
        return self.start + 1


def _lines(text: str) -> list[str]:
    return text.splitlines()


def documents(text: str) -> list[Document]:
    """The documents of a YAML stream that hold something other than comments."""
    lines = _lines(text)
    bounds, start = [], 0
    for number, line in enumerate(lines):
        if _MARKER.match(line):
            bounds.append((start, number))
            start = number + 1
    bounds.append((start, len(lines)))
    found = []
    for first, after in bounds:
        last = after
        while last > first and _GAP.match(lines[last - 1]):
            last -= 1
        if last == first:
            continue
        body = "\n".join(lines[first:last]) + "\n"
        found.append(Document(first, last, body, _rule_id(body)))
    return found


def _rule_id(body: str) -> str | None:
    try:
        spec = safe_yaml.load(body)
    except yaml.YAMLError:
        return None
    return spec.get("id") if isinstance(spec, dict) and isinstance(spec.get("id"), str) else None


def title(path: str, text: str) -> str:
    """A pack's name for people: its header comment's opening words ("# NRMP Match rules: ..."),
    or its file's name ("Directory")."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    heading, colon, _ = first.lstrip("# ").partition(":")
    if first.startswith("#") and colon and 0 < len(heading) <= 40:
        return heading
    return path.rpartition("/")[2].removesuffix(".yaml").replace("-", " ").replace("_", " ").capitalize()


def find(text: str, rule_id: str) -> Document | None:
    return next((d for d in documents(text) if d.rule_id == rule_id), None)


def normal_text(text: str) -> str:
    """A whole file as the admin sent it, with Unix line ends and a final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def normal_body(body: str) -> str:
    """The admin's text for one document, checked to be exactly one, ending in a newline."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if any(_MARKER.match(line) for line in lines):
        raise PackError("one rule at a time: the text may not hold a '---' line")
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if not any(not _GAP.match(line) for line in lines):
        raise PackError("the rule is empty")
    return "\n".join(lines) + "\n"


def replace(text: str, rule_id: str, body: str) -> tuple[str, int]:
    """The pack with the rule's document replaced; and the line the new document starts on."""
    document = find(text, rule_id)
    if document is None:
        raise PackError(f"no rule {rule_id!r} in this pack")
    lines = _lines(text)
    new = lines[:document.start] + _lines(normal_body(body)) + lines[document.end:]
    return "\n".join(new) + "\n", document.first_line


def append(text: str, body: str) -> tuple[str, int]:
    """The pack with a new rule at its end; and the line the new document starts on."""
    lines = _lines(text)
    while lines and not lines[-1].strip():
        lines.pop()
    new = lines + ["---"] + _lines(normal_body(body))
    return "\n".join(new) + "\n", len(lines) + 2


def delete(text: str, rule_id: str) -> str:
    """The pack without the rule (and its `---` line)."""
    document = find(text, rule_id)
    if document is None:
        raise PackError(f"no rule {rule_id!r} in this pack")
    lines = _lines(text)
    start = document.start - 1 if document.start and _MARKER.match(lines[document.start - 1]) else document.start
    return "\n".join(lines[:start] + lines[document.end:]) + "\n"


def with_enabled(body: str, enabled: bool) -> str:
    """The document switched on or off. On is the default, so switching on drops `enabled:`."""
    lines = [line for line in _lines(body) if not _ENABLED.match(line)]
    if not enabled:
        at = next((n + 1 for n, line in enumerate(lines) if _ID.match(line)), 0)
        lines.insert(at, "enabled: false")
    return "\n".join(lines) + "\n"
