"""A proposed change to the rules, as the admin pages send it, made into a rule set's sources.

    {"base": 7, "change": {"op": "put-rule", "file": "packs/nrmp.yaml", "rule": "nrmp.x", "yaml": "id: ..."}}

ops: put-rule (replace a rule's document), add-rule, delete-rule, enable-rule,
disable-rule, put-file (a whole file: a word list, message.yaml, an imported pack),
delete-file (a pack), restore (a version's rules: a rollback), restore-rule (one rule as
a version had it), publish-shipped (rules a release shipped, waiting for review). The
same change is sent to be reviewed, tried in the live panel and published, so what is
published is exactly what was reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from sqlalchemy import Connection

from .. import rulesets
from ..errors import ApiError
from ..rulesets import Version
from . import packs

OPS = ("put-rule", "add-rule", "delete-rule", "enable-rule", "disable-rule", "put-file", "delete-file", "restore",
       "restore-rule", "publish-shipped")
_PATH = regex.compile(r"(?:(?:packs|vocabulary)/[a-z0-9][a-z0-9_-]{0,63}\.yaml|message\.yaml)")
MAX_FILE_CHARS = 500_000


@dataclass(frozen=True)
class Change:
    base: Version
    base_sources: dict[str, str]
    sources: dict[str, str]
    origin: str  # edit | import | rollback | shipped
    summary: str  # one line, for the review, the audit log and the version's default note
    file: str | None = None  # the file the admin edited...
    document_line: int | None = None  # ...the line of it where the edited text starts...
    rule: str | None = None  # ...and the rule it holds
    whole_file: bool = False  # the edited text is the whole file, not one rule of it
    restored_from: int | None = None
    release: str | None = None  # the full digest of the shipped rules being published


def _text(change: dict, key: str) -> str:
    value = change.get(key)
    if not isinstance(value, str):
        raise ApiError(400, "bad_field", f"'change.{key}' must be text.")
    if len(value) > MAX_FILE_CHARS:
        raise ApiError(413, "too_large", f"'change.{key}' is longer than {MAX_FILE_CHARS:,} characters.")
    return value


def _path(change: dict) -> str:
    path = change.get("file")
    if not isinstance(path, str) or not _PATH.fullmatch(path):
        raise ApiError(400, "bad_field", "'change.file' must be packs/NAME.yaml, vocabulary/NAME.yaml or "
                                         "message.yaml (NAME: lower-case letters, digits, - and _).")
    return path


def _id_in(body: str) -> str | None:
    found = packs.documents(body)
    return found[0].rule_id if found else None


def _version_id(value, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31:
        raise ApiError(400, "bad_field", f"'{key}' must be a version number.")
    return value


def base_of(connection: Connection, body: dict) -> tuple[Version, dict[str, str]]:
    """The version a change starts from: `base`, or the version in force when it is absent."""
    if body.get("base") is None:
        version = rulesets.active_version(connection)
    else:
        version = rulesets.get_version(connection, _version_id(body["base"], "base"))
    if version is None:
        raise ApiError(404, "not_found", "There is no such rule version.")
    return version, rulesets.sources_of(connection, version.id)


def parse(connection: Connection, body: dict, *, unchanged: bool = False) -> Change:
    """The change a request asks for; 400/404 (changing nothing) when it cannot be made, or
    when it changes nothing at all (unless `unchanged` allows that, as the live panel does)."""
    base, sources = base_of(connection, body)
    change = body.get("change")
    if not isinstance(change, dict) or change.get("op") not in OPS:
        raise ApiError(400, "bad_field", f"'change' must be an object whose 'op' is one of {', '.join(OPS)}.")
    try:
        made = _make(connection, change["op"], change, base, dict(sources))
    except packs.PackError as error:
        raise ApiError(400, "bad_change", str(error)) from None
    if made.sources == sources and not unchanged:
        raise ApiError(400, "no_change", "This change leaves the rules exactly as they are.")
    return made


def _in_packs(sources: dict[str, str], rule_id: str) -> tuple[str, packs.Document] | None:
    for path in sorted(p for p in sources if p.startswith("packs/")):
        document = packs.find(sources[path], rule_id)
        if document is not None:
            return path, document
    return None


def _restore_rule(connection: Connection, change: dict, sources: dict[str, str], made) -> Change:
    """One rule as an older version had it: in its pack, or back into the pack it was in."""
    target = _version_id(change.get("version"), "change.version")
    rule_id = change.get("rule")
    old = rulesets.sources_of(connection, target)
    found = _in_packs(old, rule_id) if old is not None and isinstance(rule_id, str) else None
    if found is None:
        raise ApiError(404, "not_found", f"Version {target} has no rule {rule_id!r}.")
    now = _in_packs(sources, rule_id)
    if now is not None:
        path = now[0]
        sources[path], line = packs.replace(sources[path], rule_id, found[1].text)
    else:
        path = found[0]
        sources[path], line = packs.append(sources.get(path, ""), found[1].text)
    return made(f"Restore the rule {rule_id} as it was in version {target}", file=path, document_line=line,
                rule=rule_id)


def _make(connection: Connection, op: str, change: dict, base: Version, base_sources: dict[str, str]) -> Change:
    sources = dict(base_sources)

    def made(summary: str, origin: str = "edit", **fields) -> Change:
        return Change(base, base_sources, sources, origin, summary, **fields)

    if op == "restore":
        target = _version_id(change.get("version"), "change.version")
        restored = rulesets.sources_of(connection, target)
        if restored is None:
            raise ApiError(404, "not_found", f"There is no version {target}.")
        sources = dict(restored)
        return made(f"Roll back to the rules of version {target}", "rollback", restored_from=target)
    if op == "restore-rule":
        return _restore_rule(connection, change, sources, made)
    if op == "publish-shipped":
        release = rulesets.candidate(connection)
        wanted = change.get("release")
        if release is None or not isinstance(wanted, str) or not wanted or not release.digest.startswith(wanted):
            raise ApiError(404, "not_found", "No shipped rules with this digest are waiting for review.")
        sources = dict(rulesets.shipped_sources(connection, release.digest))
        return made(f"Publish the rules shipped with the server ({release.digest[:12]})", "shipped",
                    release=release.digest)

    path = _path(change)
    if op == "delete-file":
        if not path.startswith("packs/") or path not in sources:
            raise ApiError(404, "not_found", f"There is no pack {path} to delete.")
        del sources[path]
        return made(f"Delete the pack {path}")
    if op == "put-file":
        verb = "Edit" if path in sources else "Add"
        sources[path] = packs.normal_text(_text(change, "yaml"))
        if change.get("import") is True:
            return made(f"Import {path}", "import", file=path, document_line=1, whole_file=True)
        return made(f"{verb} {path}", file=path, document_line=1, whole_file=True)

    if not path.startswith("packs/"):
        raise ApiError(400, "bad_field", "Rules live in packs/*.yaml; other files are edited whole (put-file).")
    text = sources.get(path)
    if op == "add-rule":
        body = _text(change, "yaml")
        sources[path], line = packs.append(text or "", body)
        rule = _id_in(packs.normal_body(body))
        return made(f"Add the rule {rule or '(without an id)'} to {path}", file=path, document_line=line, rule=rule)
    rule_id = change.get("rule")
    if not isinstance(rule_id, str) or text is None or packs.find(text, rule_id) is None:
        raise ApiError(404, "not_found", f"There is no rule {rule_id!r} in {path}.")
    if op == "delete-rule":
        sources[path] = packs.delete(text, rule_id)
        return made(f"Delete the rule {rule_id} from {path}", rule=rule_id)
    if op in ("enable-rule", "disable-rule"):
        switched = packs.with_enabled(packs.find(text, rule_id).text, op == "enable-rule")
        sources[path], line = packs.replace(text, rule_id, switched)
        state = "on" if op == "enable-rule" else "off"
        return made(f"Turn {state} the rule {rule_id}", file=path, document_line=line, rule=rule_id)
    body = _text(change, "yaml")
    sources[path], line = packs.replace(text, rule_id, body)
    new_id = _id_in(packs.normal_body(body)) or rule_id
    renamed = f" (now {new_id})" if new_id != rule_id else ""
    return made(f"Edit the rule {rule_id}{renamed} in {path}", file=path, document_line=line, rule=new_id)
