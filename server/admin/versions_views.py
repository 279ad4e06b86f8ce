"""Rule versions: the history of publishes (who, when, why, diff), rollback, export, and the
rules a release shipped while the office's own were in force."""

from __future__ import annotations

import io
import zipfile

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for

from .. import audit, db, rulesets
from ..authoring import diffs
from ..engine import LoadError
from ..errors import ApiError

bp = Blueprint("versions", __name__)

PAGE = 50


def _page_before() -> int | None:
    before = request.args.get("before", "")
    return int(before) if before.isdigit() and len(before) < 10 else None


def _detail(version_id: int) -> dict | None:
    with db.read_only() as connection:
        version = rulesets.get_version(connection, version_id)
        if version is None:
            return None
        sources = rulesets.sources_of(connection, version_id)
        parent = rulesets.sources_of(connection, version.parent_id) if version.parent_id else {}
        active = rulesets.active_version(connection)
    try:
        rules = diffs.rule_changes(rulesets.build(parent) if parent else None, rulesets.build(sources))
    except LoadError:
        rules = None  # a version this engine no longer loads: its files still diff
    # The first version has nothing to differ from: its files are listed, not diffed line by line.
    files = diffs.file_diffs(parent, sources) if version.parent_id else []
    return {"version": version, "active": active.id == version.id, "files": files, "rules": rules,
            "paths": sorted(sources)}


def _history() -> tuple[list[rulesets.Version], rulesets.Version | None, rulesets.Release | None]:
    """A page of versions, the one in force, and shipped rules waiting for review (or None)."""
    with db.read_only() as connection:
        return (rulesets.history(connection, PAGE, _page_before()), rulesets.active_version(connection),
                rulesets.candidate(connection))


@bp.get("/versions")
def versions_page():
    versions, active, waiting = _history()
    older = versions[-1].id if len(versions) == PAGE else None
    return render_template("admin/versions.html", versions=versions, active=active, candidate=waiting, older=older)


@bp.get("/versions/<int(max=2147483647):version_id>")
def version_page(version_id: int):
    detail = _detail(version_id)
    if detail is None:
        abort(404)
    return render_template("admin/version.html", **detail)


@bp.get("/versions/<int(max=2147483647):version_id>/export.zip")
def export_version(version_id: int):
    """Every rule file of the version, laid out as in rules/: the format the server seeds from."""
    with db.read_only() as connection:
        sources = rulesets.sources_of(connection, version_id)
    if sources is None:
        abort(404)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(sources):
            archive.writestr(f"rules/{path}", sources[path])
    with db.writing() as connection:
        audit.record(connection, "rules.export", f"rules version {version_id}", "exported every rule file (zip)")
    return Response(buffer.getvalue(), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="coach-rules-v{version_id}.zip"'})


@bp.get("/versions/<int(max=2147483647):version_id>/files/<path:path>")
def export_file(version_id: int, path: str):
    """One file of the version as YAML, e.g. a pack to import elsewhere."""
    with db.read_only() as connection:
        sources = rulesets.sources_of(connection, version_id)
    if sources is None or path not in sources:
        abort(404)
    with db.writing() as connection:
        audit.record(connection, "rules.export", f"rules version {version_id}", f"exported {path}")
    name = path.replace("/", "-")
    return Response(sources[path], mimetype="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="v{version_id}-{name}"'})


@bp.post("/versions/shipped/dismiss")
def dismiss_shipped():
    digest = request.form.get("release", "")
    with db.writing() as connection:
        waiting = rulesets.candidate(connection)
        if waiting is None or not digest or not waiting.digest.startswith(digest):
            abort(404)
        rulesets.settle_release(connection, waiting.digest)
        audit.record(connection, "rules.dismiss-shipped", waiting.digest[:12],
                     "kept the office's rules instead of the rules this release shipped")
    return redirect(url_for("admin.versions.versions_page"))


@bp.get("/api/versions")
def api_versions():
    versions, active, waiting = _history()
    return jsonify({"active": active.id, "versions": [v.as_json() for v in versions],
                    "shipped_waiting": waiting.as_json() if waiting else None})


@bp.get("/api/versions/<int(max=2147483647):version_id>")
def api_version(version_id: int):
    detail = _detail(version_id)
    if detail is None:
        raise ApiError(404, "not_found", f"There is no version {version_id}.")
    return jsonify({**detail, "version": detail["version"].as_json()})
