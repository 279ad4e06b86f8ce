"""The rules: list, editor with live panel, review and publish, import; and their JSON under /admin/api."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePosixPath

import yaml
from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, send_from_directory

from .. import db, directory_calendar, rulesets
from ..authoring import changes, live, packs, reach, review, rule_form, rule_history, validation
from ..authoring.validation import Refused
from ..config import ROOT
from ..engine import LoadError, RuleSet, safe_yaml
from ..engine.categories import CATEGORIES, SEVERITIES
from ..engine.vocabulary import WORDS_KEY
from ..errors import ApiError
from ..request_bodies import draft, json_body
from .display import version_line
from .rulebook import CategoryEntry, rulebook

bp = Blueprint("rules", __name__)

MAX_NOTE = 500
# The clients' shared core (painter, offsets mapping, underline colours, labels, order, API
# client): the live panel draws warnings with the very code the extension uses in Gmail
# and Outlook. Only its browser code is served, not its package.json or README.
CLIENT_CORE = ROOT / "extension" / "core"
CLIENT_CORE_TYPES = {".js": "text/javascript", ".css": "text/css"}
# What each type of rule reads, in words for the rules list.
RULE_TYPE_NAMES = {"pattern": "wording", "examples": "example sentences", "limit": "length", "salutation-name":
                   "greeting's name", "history": "earlier sends", "calendar": "season's dates",
                   "directory": "program directory"}
# A new rule starts as one that needs no regular expression: its example sentences and
# plain phrases are what it catches. The form fills in the rest.
NEW_RULE = """\
id: {category}.new-rule
category: {category}
severity: {severity}
type: examples
message: ''
explanation: ''
source: ''
examples:
  flag: []
  clean: []
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
    titles = {path: packs.title(path, sources.get(path, "")) for path in packs_shown}
    return render_template("admin/rules.html", version=version, rows=rows, packs=packs_shown, shared=shared,
                           titles=titles, types=RULE_TYPE_NAMES)


def _concepts(sources: dict[str, str]) -> dict[str, list[str]]:
    """The word lists of plain words (vocabulary files' `words:`), which a rule's `about` may name."""
    found = {}
    for path in sorted(p for p in sources if p.startswith("vocabulary/")):
        try:
            spec = safe_yaml.load(sources[path])
        except yaml.YAMLError:
            continue
        words = spec.get(WORDS_KEY) if isinstance(spec, dict) else None
        if isinstance(words, dict):
            found.update({str(name): [str(w) for w in entries] for name, entries in words.items()
                          if isinstance(entries, list)})
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def _editor(version, ruleset: RuleSet, sources: dict[str, str], **page):
    """The rule editor: its form (when the text is one rule the form can show) and its YAML view."""
    fields, form_problem = None, None
    if page["mode"] != "put-file":
        try:
            fields = rule_form.fields_of(page["text"])
        except rule_form.FormError as error:
            form_problem = str(error)
    book = rulebook()
    categories = [book.categories.get(c) or CategoryEntry(c, "", CATEGORIES[c].severity, "", "") for c in CATEGORIES]
    # A new rule of a family (nrmp, tone...) goes by default into the pack that holds that family's rules.
    family_packs = {}
    for rule in ruleset.rules:
        family_packs.setdefault(rule.category.partition(".")[0], rule.origin.rpartition(":")[0])
    return render_template(
        "admin/editor.html", version=version, tracks=_tracks(), fields=fields, form_problem=form_problem,
        categories=categories, categories_json=[asdict(c) for c in categories], severities=book.severities,
        concepts=_concepts(sources),
        packs=sorted(p for p in sources if p.startswith("packs/")), family_packs=family_packs,
        **page)


@bp.get("/rules/<rule_id>")
def rule_editor(rule_id: str):
    version, sources, ruleset = _in_force()
    found = _rule_file(sources, rule_id)
    if found is None:
        abort(404)
    path, document = found
    rule = ruleset.rule(rule_id)
    return _editor(version, ruleset, sources, mode="put-rule", file=path, rule=rule_id, text=document.text,
                   first_line=document.first_line, title=rule.message if rule else rule_id,
                   pack_title=packs.title(path, sources[path]))


@bp.get("/rules/<rule_id>/history")
def rule_history_page(rule_id: str):
    with db.read_only() as connection:
        version = rulesets.active_version(connection)
        entries = rule_history.history(connection, rule_id)
    if not entries:
        abort(404)
    return render_template("admin/rule_history.html", rule=rule_id, entries=entries, version=version,
                           in_force=entries[0].file is not None)


@bp.get("/rules/new")
def new_rule():
    version, sources, ruleset = _in_force()
    path = request.args.get("file", "")
    # A new rule in a pack most likely belongs to the pack's own category.
    category = next((r.category for r in ruleset.rules if r.origin.startswith(f"{path}:")), "tone.casual")
    text = NEW_RULE.format(category=category, severity=CATEGORIES[category].severity)
    return _editor(version, ruleset, sources, mode="add-rule", file=path, rule=None, text=text, first_line=1,
                   title="A new rule")


@bp.get("/files/<path:path>")
def file_editor(path: str):
    version, sources, ruleset = _in_force()
    if path not in sources:
        abort(404)
    return _editor(version, ruleset, sources, mode="put-file", file=path, rule=None, text=sources[path],
                   first_line=1, title=path)


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
        answer = review.review(change, current_app.config["RULES_DIR"])
    except Refused as error:
        return _refused(error)
    answer["base"]["described"] = version_line(change.base)
    return jsonify(answer)


@bp.post("/api/changes/publish")
def api_publish():
    body = json_body()
    note = body.get("note")
    if not isinstance(note, str) or not note.strip() or len(note) > MAX_NOTE or "\x00" in note:
        raise ApiError(400, "bad_field", f"Say in the note, in at most {MAX_NOTE} characters, why the rules "
                                         "change: it is kept with the version.")
    confirmed = body.get("confirm")
    if confirmed is not None and (not isinstance(confirmed, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in confirmed.values())):
        raise ApiError(400, "bad_field", "'confirm' must name the consequences the review listed, "
                                         "e.g. {\"corpus_broken\": 3}.")
    with db.read_only() as connection:
        change = changes.parse(connection, body)
    try:
        version = review.publish(change, note.strip(), g.admin.email, current_app.config["RULES_DIR"], confirmed)
    except Refused as error:
        return _refused(error)
    except review.NeedsConfirmation as error:
        response = jsonify({"error": {"code": "confirmation_needed", "consequences": error.consequences,
                                      "message": f"Not published: {error}. Review the change, and publish again "
                                                 "confirming that you accept this."}})
        response.status_code = 428
        return response
    except rulesets.Conflict:
        raise ApiError(409, "conflict", "Someone published other rules since you started. Review your change "
                                        "again against the rules in force, then publish.") from None
    return jsonify({"version": version.as_json(), "summary": change.summary}), 201


@bp.post("/api/changes/sentences")
def api_sentences():
    """The corpus's sentences the draft now catches or stops catching, for the editor to show as the admin types."""
    body = json_body()
    with db.read_only() as connection:
        change = changes.parse(connection, body, unchanged=True)
    try:
        draft_rules = rulesets.build(change.sources)
    except LoadError as error:
        return _refused(Refused(validation.load_problem(error, change)))
    base = review.base_ruleset(change)
    affected = validation.affected_rules(change, base, draft_rules)
    return jsonify(reach.sentences(base, draft_rules, affected, current_app.config["RULES_DIR"]))


@bp.post("/api/rule-form")
def api_rule_form():
    """A rule's YAML read into the form's fields; with `fields`, the YAML with them written in."""
    body = json_body()
    text, fields = body.get("yaml"), body.get("fields")
    if not isinstance(text, str) or len(text) > changes.MAX_FILE_CHARS:
        raise ApiError(400, "bad_field", "'yaml' must be the rule's YAML text.")
    try:
        written = rule_form.apply(text, fields) if fields is not None else text
        return jsonify({"yaml": written, "fields": rule_form.fields_of(written)})
    except rule_form.FormError as error:
        raise ApiError(422, "not_a_form", str(error)) from None


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
