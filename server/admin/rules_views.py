"""The rules: list, editor with live panel, review and publish, import; and their JSON under /admin/api."""

from __future__ import annotations

from pathlib import PurePosixPath

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, send_from_directory

from .. import db, directory_calendar, rulesets
from ..authoring import changes, live, packs, review, validation
from ..authoring.validation import Refused
from ..config import ROOT
from ..engine import LoadError, RuleSet
from ..engine.categories import CATEGORIES, SEVERITIES
from ..errors import ApiError
from ..request_bodies import draft, json_body

bp = Blueprint("rules", __name__)

MAX_NOTE = 500
# The clients' shared core (painter, offsets mapping, underline colours, labels, order, API
# client): the live panel draws warnings with the very code the extension uses in Gmail
# and Outlook. Only its browser code is served, not its package.json or README.
CLIENT_CORE = ROOT / "extension" / "core"
CLIENT_CORE_TYPES = {".js": "text/javascript", ".css": "text/css"}
NEW_RULE = """\
id: {category}.a-short-name
category: {category}
severity: {severity}
message: What is wrong, and what to write instead, in a sentence or two.
explanation: >
  Why it matters to the applicant (and the rule or guidance behind it).
source: Where this comes from, e.g. NRMP Match Participation Agreement §6.3
suggestions:
  - a better wording
patterns:
  - "\\\\bthe words to find\\\\b"
examples:
  flag:
    - "A sentence with <marker>the words to find</marker> in it."
  clean:
    - "A good sentence that must stay clean."
"""


def _in_force() -> tuple[rulesets.Version, dict[str, str], RuleSet]:
    with db.read_only() as connection:
        version = rulesets.active_version(connection)
        sources = rulesets.sources_of(connection, version.id)
    try:
        ruleset = rulesets.build(sources)
    except LoadError:
        ruleset = rulesets.active()
    return version, sources, ruleset


def rule_rows(sources: dict[str, str], ruleset: RuleSet) -> list[dict]:
    """Every rule of the version by pack and category (in file order within), with what the list shows."""
    rows = []
    for path in sorted(p for p in sources if p.startswith("packs/")):
        for document in packs.documents(sources[path]):
            rule = ruleset.rule(document.rule_id) if document.rule_id else None
            if rule is None:
                continue
            rows.append({"id": rule.id, "file": path, "category": rule.category, "severity": rule.severity,
                         "type": rule.spec.get("type", "pattern"), "direction": rule.direction,
                         "enabled": rule.enabled, "message": rule.message})
    return sorted(rows, key=lambda row: (row["file"], row["category"]))


def _rule_file(sources: dict[str, str], rule_id: str) -> tuple[str, packs.Document] | None:
    for path in sorted(p for p in sources if p.startswith("packs/")):
        document = packs.find(sources[path], rule_id)
        if document is not None:
            return path, document
    return None


def _tracks() -> list[tuple[str, str]]:
    directory = directory_calendar.directory()
    return sorted(directory.tracks.items()) if directory else []


# Pages

@bp.get("/rules")
def rules_list():
    version, sources, ruleset = _in_force()
    rows = rule_rows(sources, ruleset)
    packs_shown = sorted({r["file"] for r in rows} | {p for p in sources if p.startswith("packs/")})
    shared = sorted(p for p in sources if not p.startswith("packs/"))
    return render_template("admin/rules.html", version=version, rows=rows, packs=packs_shown, shared=shared)


@bp.get("/rules/<rule_id>")
def rule_editor(rule_id: str):
    version, sources, _ = _in_force()
    found = _rule_file(sources, rule_id)
    if found is None:
        abort(404)
    path, document = found
    return render_template("admin/editor.html", version=version, mode="put-rule", file=path, rule=rule_id,
                           text=document.text, first_line=document.first_line, tracks=_tracks(),
                           title=f"Rule {rule_id}")


@bp.get("/rules/new")
def new_rule():
    version, sources, ruleset = _in_force()
    path = request.args.get("file", "")
    # A new rule in a pack most likely belongs to the pack's own category.
    category = next((r.category for r in ruleset.rules if r.origin.startswith(f"{path}:")), "tone.casual")
    text = NEW_RULE.format(category=category, severity=CATEGORIES[category].severity)
    pack_files = sorted(p for p in sources if p.startswith("packs/"))
    return render_template("admin/editor.html", version=version, mode="add-rule", file=path, rule=None, text=text,
                           first_line=1, tracks=_tracks(), packs=pack_files, title="New rule")


@bp.get("/files/<path:path>")
def file_editor(path: str):
    version, sources, _ = _in_force()
    if path not in sources:
        abort(404)
    return render_template("admin/editor.html", version=version, mode="put-file", file=path, rule=None,
                           text=sources[path], first_line=1, tracks=_tracks(), title=path)


@bp.get("/review")
def review_page():
    with db.read_only() as connection:
        version = rulesets.active_version(connection)
    return render_template("admin/review.html", version=version)


@bp.get("/rules/import")
def import_page():
    version, sources, _ = _in_force()
    return render_template("admin/import.html", version=version, files=sorted(sources))


@bp.get("/core/<path:name>")
def client_core(name: str):
    mimetype = CLIENT_CORE_TYPES.get(PurePosixPath(name).suffix)
    if mimetype is None:
        abort(404)
    return send_from_directory(CLIENT_CORE, name, mimetype=mimetype)


# JSON

@bp.get("/api/rules")
def api_rules():
    version, sources, ruleset = _in_force()
    return jsonify({"version": version.as_json(), "rules": rule_rows(sources, ruleset),
                    "files": sorted(sources), "categories": sorted(CATEGORIES), "severities": list(SEVERITIES)})


@bp.get("/api/rules/<rule_id>")
def api_rule(rule_id: str):
    version, sources, _ = _in_force()
    found = _rule_file(sources, rule_id)
    if found is None:
        raise ApiError(404, "not_found", f"There is no rule {rule_id!r} in the rules in force.")
    path, document = found
    return jsonify({"version": version.id, "file": path, "rule": rule_id, "yaml": document.text,
                    "line": document.first_line})


@bp.get("/api/files/<path:path>")
def api_file(path: str):
    version, sources, _ = _in_force()
    if path not in sources:
        raise ApiError(404, "not_found", f"There is no file {path!r} in the rules in force.")
    return jsonify({"version": version.id, "file": path, "yaml": sources[path]})


def _refused(error: Refused):
    response = jsonify({"error": {"code": "invalid_rules", "message": str(error.problem),
                                  "problem": error.problem.as_json()}})
    response.status_code = 422
    return response


@bp.post("/api/changes/review")
def api_review():
    body = json_body()
    with db.read_only() as connection:
        change = changes.parse(connection, body)
    try:
        return jsonify(review.review(change, current_app.config["RULES_DIR"]))
    except Refused as error:
        return _refused(error)


@bp.post("/api/changes/publish")
def api_publish():
    body = json_body()
    note = body.get("note")
    if not isinstance(note, str) or not note.strip() or len(note) > MAX_NOTE or "\x00" in note:
        raise ApiError(400, "bad_field", f"'note' must say, in at most {MAX_NOTE} characters of text, why the rules "
                                         "change.")
    with db.read_only() as connection:
        change = changes.parse(connection, body)
    try:
        version = review.publish(change, note.strip(), g.admin.email, current_app.config["RULES_DIR"])
    except Refused as error:
        return _refused(error)
    except rulesets.Conflict:
        raise ApiError(409, "conflict", "Someone published other rules since you started. Review your change "
                                        "again against the rules in force, then publish.") from None
    return jsonify({"version": version.as_json(), "summary": change.summary}), 201


@bp.post("/api/changes/try")
def api_try():
    """The live panel: the email checked with the draft (the change; or the base rules without one)."""
    body = json_body()
    with db.read_only() as connection:
        change = changes.parse(connection, body, unchanged=True) if body.get("change") is not None else None
        sources = change.sources if change else changes.base_of(connection, body)[1]
    try:
        draft_rules = rulesets.build(sources)
    except LoadError as error:
        return _refused(Refused(validation.load_problem(error, change)))
    email, earlier = body.get("email"), body.get("ledger") or ""
    if not isinstance(email, dict):
        raise ApiError(400, "bad_field", "'email' must be an object like the body of /api/v1/check.")
    if not isinstance(earlier, str):
        raise ApiError(400, "bad_field", "'ledger' must be text: a YAML list of earlier sends.")
    answer = live.check_live(draft_rules, rulesets.active(), draft(email), earlier, current_app.config)
    return jsonify(answer)
