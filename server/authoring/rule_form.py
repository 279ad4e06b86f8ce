"""A rule as the editor's form shows it, and the form's edits written back into the rule's YAML.

fields_of(text) gives the form's fields of one rule document; apply(text, fields) gives the
document with only the fields that changed rewritten. Every other line stays byte for byte:
comments, the order of keys, the keys the form does not show (patterns, ledger conditions,
keys a newer engine reads) and the examples that were not touched. So the form and the
YAML ("advanced") view round-trip exactly, and a version's diff shows only what changed:

    apply(text, fields_of(text)) == text
    fields_of(apply(text, fields)) == fields   (texts without their outer blanks)

Values are written so that YAML reads them back as typed: a message with a colon is quoted,
an explanation is folded, an example email with line breaks is a literal block. Nobody
has to know YAML's quoting rules to write a rule.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

import yaml
from yaml.representer import SafeRepresenter

from ..engine import safe_yaml

TEXT_KEYS = ("id", "message", "explanation", "source")
LIST_KEYS = ("suggestions", "phrases", "about")
EXAMPLE_KINDS = ("flag", "clean")
# The keys the form shows, in the order a new key is put among the others.
ORDER = ("id", "enabled", "category", "severity", "type", "direction", "field", "message", "explanation", "source",
         "suggestions", "phrases", "about", "examples")
FORM_KEYS = frozenset(ORDER) - {"direction", "field"}
MAX_TEXT = 20_000  # a rule may have at most this many characters in all (validation.MAX_RULE_CHARS)
MAX_ITEMS = 200
WRAP = 88  # the width the shipped packs fold explanations at
_STR = "tag:yaml.org,2002:str"


class FormError(ValueError):
    """Why a rule cannot be shown in the form, or why the form's fields cannot be written."""


@dataclass(frozen=True)
class _Edit:
    start: int  # the first line replaced (0-based)
    end: int  # the line after the last one replaced; start == end inserts
    lines: list[str]
    order: int  # among edits at one place, the one written first comes first


# Reading

def _compose(text: str) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=safe_yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 1}" if mark else ""
        raise FormError(f"The YAML has a mistake{where} ({getattr(error, 'problem', None) or error}). Correct it in "
                        "the YAML view; the form shows the rule again once it reads.") from None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise FormError("The form shows a rule written as keys on lines of their own (id: …, message: …); this "
                        "one is not. Edit it in the YAML view.")
    return root


def _value(node):
    return safe_yaml.SafeLoader("").construct_document(node)


def _text(spec: dict, key: str) -> str:
    value = spec.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FormError(f"'{key}' is not text here; edit it in the YAML view.")
    return value.strip()


def _strings(spec: dict, key: str) -> list[str]:
    value = spec.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormError(f"'{key}' is not a list of texts here; edit it in the YAML view.")
    return [v.strip() for v in value]


def _examples(spec: dict) -> dict:
    value = spec.get("examples")
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise FormError("'examples' is not a mapping of flag and clean texts here; edit it in the YAML view.")
    found = {}
    for kind in EXAMPLE_KINDS:
        items = value.get(kind) or []
        if not isinstance(items, list) or not all(
                isinstance(i, str) or (isinstance(i, dict) and isinstance(i.get("text"), str)) for i in items):
            raise FormError(f"the {kind} examples are not texts here; edit them in the YAML view.")
        found[kind] = [{**i, "text": i["text"].strip()} if isinstance(i, dict) else i.strip() for i in items]
    return found


def fields_of(text: str) -> dict:
    """The form's fields of one rule's YAML; FormError when the form cannot show it."""
    spec = _value(_compose(text))
    fields = {key: _text(spec, key) for key in TEXT_KEYS}
    for key in ("category", "severity", "type"):
        value = spec.get(key, "pattern" if key == "type" else "")
        if not isinstance(value, str):
            raise FormError(f"'{key}' is not a name here; edit it in the YAML view.")
        fields[key] = value
    fields.update({key: _strings(spec, key) for key in LIST_KEYS})
    fields["examples"] = _examples(spec)
    enabled = spec.get("enabled", True)
    if not isinstance(enabled, bool):
        raise FormError("'enabled' is neither true nor false here; edit it in the YAML view.")
    fields["enabled"] = enabled
    fields["other_keys"] = sorted(str(key) for key in spec if key not in FORM_KEYS)
    return fields


def _wanted(fields) -> dict:
    """The fields the form sent, checked for shape; FormError says which is wrong."""
    if not isinstance(fields, dict):
        raise FormError("'fields' must be an object of the form's fields.")
    unknown = set(fields) - FORM_KEYS - {"other_keys"}
    if unknown:
        raise FormError(f"the form has no field {sorted(unknown)[0]!r}.")
    wanted = {}
    for key in (*TEXT_KEYS, "category", "severity", "type"):
        value = fields.get(key, "")
        if not isinstance(value, str) or len(value) > MAX_TEXT or "\x00" in value:
            raise FormError(f"'{key}' must be text of at most {MAX_TEXT:,} characters.")
        wanted[key] = value.strip()
    for key in LIST_KEYS:
        wanted[key] = _texts(fields.get(key, []), key)
    examples = fields.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - set(EXAMPLE_KINDS):
        raise FormError("'examples' must be an object with 'flag' and 'clean' lists.")
    wanted["examples"] = {kind: _example_items(examples.get(kind, []), kind) for kind in EXAMPLE_KINDS}
    enabled = fields.get("enabled", True)
    if not isinstance(enabled, bool):
        raise FormError("'enabled' must be true or false.")
    wanted["enabled"] = enabled
    return wanted


def _texts(values, key: str) -> list[str]:
    if not isinstance(values, list) or len(values) > MAX_ITEMS or not all(
            isinstance(v, str) and len(v) <= MAX_TEXT and "\x00" not in v for v in values):
        raise FormError(f"'{key}' must be a list of at most {MAX_ITEMS} texts.")
    return [v.strip() for v in values if v.strip()]


def _example_items(values, kind: str) -> list:
    if not isinstance(values, list) or len(values) > MAX_ITEMS:
        raise FormError(f"the {kind} examples must be a list of at most {MAX_ITEMS}.")
    items = []
    for value in values:
        text = value.get("text") if isinstance(value, dict) else value
        if not isinstance(text, str) or len(text) > MAX_TEXT or "\x00" in text:
            raise FormError(f"each {kind} example must be a text, or an object with a 'text'.")
        # An example's outer blanks are the admin's typing, never part of the email.
        if text.strip():
            items.append({**value, "text": text.strip()} if isinstance(value, dict) else text.strip())
    return items


# Writing

def _line_end(node) -> int:
    """The line after a node's last line (0-based)."""
    mark = node.end_mark
    return mark.line + (1 if mark.column > 0 else 0)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _trim(lines: list[str], start: int, end: int, indent: int) -> int:
    """The end of a region without its trailing blank lines and comments at `indent` or less:
    those introduce what follows, and stay when the region is rewritten."""
    while end > start + 1 and (not lines[end - 1].strip()
                               or (lines[end - 1].lstrip().startswith("#") and _indent(lines[end - 1]) <= indent)):
        end -= 1
    return end


def _regions(pairs, lines: list[str], limit: int) -> dict[str, tuple[int, int]]:
    """{key: (first line, line after its value)} for a block mapping's keys, within `limit`."""
    found = {}
    for number, (key, value) in enumerate(pairs):
        start = key.start_mark.line
        following = pairs[number + 1][0].start_mark.line if number + 1 < len(pairs) else limit
        found[str(key.value)] = (start, _trim(lines, start, min(following, max(_line_end(value), start + 1)),
                                              key.start_mark.column))
    return found


def _gap_start(lines: list[str], start: int, floor: int) -> int:
    """Where the comments and blank lines just above line `start` begin."""
    while start > floor and (not lines[start - 1].strip() or lines[start - 1].lstrip().startswith("#")):
        start -= 1
    return start


def _node(value, key: str | None, item: bool = False):
    """The YAML node for a value, in the style the packs are written in."""
    if isinstance(value, str):
        if "\n" in value:
            style = "|"
        elif key == "explanation" and len(value) > WRAP - 20:
            style = ">"
        elif item and key in ("flag", "clean", "phrases"):
            style = '"'
        else:
            style = None
        return yaml.ScalarNode(_STR, value, style=style)
    if key == "examples" and isinstance(value, dict):
        return yaml.MappingNode("tag:yaml.org,2002:map",
                                [(yaml.ScalarNode(_STR, kind), _node(items, kind)) for kind, items in value.items()])
    if isinstance(value, list):
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(v, key, item=True) for v in value],
                                 flow_style=key == "about")
    return SafeRepresenter(default_flow_style=None, sort_keys=False).represent_data(value)


def _dump(node, width: int) -> list[str]:
    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow=False, indentless=False):
            return super().increase_indent(flow, False)  # "key:\n  - item", as the packs indent lists

    text = yaml.serialize(node, Dumper=Dumper, width=width, allow_unicode=True)
    return text.splitlines()


def _written(node, expected, indent: int) -> list[str]:
    """The node as lines at `indent`, checked to read back as `expected`; written double-quoted
    (which holds any text) if the chosen style would not."""
    lines = _dump(node, WRAP - 8 - indent)  # PyYAML breaks a folded line after the width, not before
    if _value(safe_yaml.SafeLoader("\n".join(lines)).get_single_node()) != expected:
        lines = _dump(node, 10**9)  # no folding
        if _value(safe_yaml.SafeLoader("\n".join(lines)).get_single_node()) != expected:
            yaml_text = yaml.dump(expected, Dumper=yaml.SafeDumper, default_style='"', width=10**9,
                                  allow_unicode=True, sort_keys=False)
            lines = yaml_text.splitlines()
    return [" " * indent + line if line else line for line in lines]


def _key_lines(key: str, value, indent: int) -> list[str]:
    node = yaml.MappingNode("tag:yaml.org,2002:map", [(yaml.ScalarNode(_STR, key), _node(value, key))])
    return _written(node, {key: value}, indent)


def _item_lines(value, key: str, indent: int) -> list[str]:
    node = yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(value, key, item=True)], flow_style=False)
    return _written(node, [value], indent)


def _identity(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class _Writer:
    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.edits: list[_Edit] = []

    def edit(self, start: int, end: int, lines: list[str]) -> None:
        self.edits.append(_Edit(start, end, lines, len(self.edits)))

    def text(self) -> str:
        lines = list(self.lines)
        for edit in sorted(self.edits, key=lambda e: (e.start, e.order), reverse=True):
            lines[edit.start:edit.end] = edit.lines
        return "\n".join(lines) + "\n"

    def put(self, key: str, value, regions: dict, limit: int, indent: int, order=ORDER) -> None:
        """Write `key: value` in place of the key's lines, or among the keys where `order` puts it."""
        lines = _key_lines(key, value, indent)
        if key in regions:
            self.edit(*regions[key], lines)
            return
        later = [regions[k][0] for k in order[order.index(key) + 1:] if k in regions]
        if later:
            start = min(later)
            at = _gap_start(self.lines, start, max([e for s, e in regions.values() if e <= start], default=0))
        else:
            at = max([e for _, e in regions.values()], default=limit)
        self.edit(at, at, lines)

    def drop(self, key: str, regions: dict) -> None:
        if key in regions:
            self.edit(*regions[key], [])

    def items(self, key: str, node, old: list, new: list, limit: int) -> bool:
        """Rewrite only the items of a block list that changed; False when the list is not one."""
        if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
            return False
        starts = [item.start_mark.line for item in node.value]
        if any(self.lines[line][:item.start_mark.column].strip() != "-" for line, item in zip(starts, node.value,
                                                                                                strict=True)):
            return False  # an item whose dash is not on its first line
        dash = _indent(self.lines[starts[0]])
        ends = [_trim(self.lines, start, following, dash)
                for start, following in zip(starts, [*starts[1:], limit], strict=True)]
        gaps = [starts[0], *(_gap_start(self.lines, start, end) for start, end in zip(starts[1:], ends, strict=False))]
        matcher = difflib.SequenceMatcher(None, [_identity(v) for v in old], [_identity(v) for v in new],
                                          autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            written = [line for value in new[j1:j2] for line in _item_lines(value, key, dash)]
            if op == "delete":
                for number in range(i1, i2):
                    self.edit(gaps[number], ends[number], [])
            elif op == "insert":
                at = gaps[i1] if i1 < len(starts) else ends[-1]
                self.edit(at, at, written)
            elif op == "replace":
                self.edit(starts[i1], ends[i2 - 1], written)
        return True


def apply(text: str, fields) -> str:
    """The rule's YAML with the form's fields written in (see the module's docstring)."""
    current = fields_of(text)
    wanted = _wanted(fields)
    root = _compose(text)
    writer = _Writer(text)
    limit = len(writer.lines)
    regions = _regions(root.value, writer.lines, limit)
    nodes = {str(k.value): v for k, v in root.value}
    for key in (*TEXT_KEYS, "category", "severity"):
        if wanted[key] != current[key]:
            writer.put(key, wanted[key], regions, limit, 0)
    if wanted["type"] != current["type"]:
        if wanted["type"] == "pattern" and "type" in regions:
            writer.drop("type", regions)
        else:
            writer.put("type", wanted["type"], regions, limit, 0)
    if wanted["enabled"] != current["enabled"]:
        # On is the default: a rule switched back on loses its `enabled:` line.
        if wanted["enabled"]:
            writer.drop("enabled", regions)
        else:
            writer.put("enabled", False, regions, limit, 0)
    for key in LIST_KEYS:
        if wanted[key] == current[key]:
            continue
        if not wanted[key]:
            writer.drop(key, regions)
        elif key not in regions or not writer.items(key, nodes[key], current[key], wanted[key], regions[key][1]):
            writer.put(key, wanted[key], regions, limit, 0)
    _write_examples(writer, current["examples"], wanted["examples"], nodes.get("examples"), regions, root, limit)
    return writer.text()


def _write_examples(writer: _Writer, old: dict, new: dict, node, regions: dict, root, limit: int) -> None:
    if old == new:
        return
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        writer.put("examples", new, regions, limit, 0)
        return
    start, end = regions["examples"]
    inner = _regions(node.value, writer.lines, end)
    nodes = {str(k.value): v for k, v in node.value}
    indent = node.value[0][0].start_mark.column if node.value else 2
    for kind in EXAMPLE_KINDS:
        if old[kind] == new[kind]:
            continue
        if kind not in inner or not writer.items(kind, nodes[kind], old[kind], new[kind], inner[kind][1]):
            writer.put(kind, new[kind], inner, end, indent, order=EXAMPLE_KINDS)
