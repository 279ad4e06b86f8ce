"""Versions of the program directory and of the season calendar: who saved what when, the
difference from the version before, and rollback (itself a new version, so nothing is lost)."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from .. import audit, data_history, db, directory_store

bp = Blueprint("data_versions", __name__)

PAGE = 50
KIND = "<any(directory, calendar):kind>"
TITLES = {"directory": "Program directory", "calendar": "Season calendar"}
PAGES = {"directory": "admin.directory.directory_page", "calendar": "admin.calendar.calendar_page"}


@bp.get(f"/{KIND}/history")
def history_page(kind: str):
    before = request.args.get("before", "")
    with db.read_only() as connection:
        versions = data_history.versions(connection, kind, PAGE, int(before) if before.isdigit() and len(before) < 10
                                         else None)
        latest = data_history.latest_id(connection, kind)
    older = versions[-1].id if len(versions) == PAGE else None
    return render_template("admin/data_history.html", kind=kind, title=TITLES[kind], versions=versions,
                           latest=latest, older=older, page_endpoint=PAGES[kind])


@bp.get(f"/{KIND}/history/<int(max=2147483647):version_id>")
def version_page(kind: str, version_id: int):
    with db.read_only() as connection:
        found = data_history.get(connection, kind, version_id)
        if found is None:
            abort(404)
        version, spec = found
        before = data_history.previous(connection, version)
        latest = data_history.latest_id(connection, kind)
    changes = data_history.calendar_changes if kind == "calendar" else data_history.directory_changes
    return render_template("admin/data_version.html", kind=kind, title=TITLES[kind], version=version,
                           diff=data_history.diff(kind, before, spec) if before else "", latest=latest,
                           page_endpoint=PAGES[kind], changes=changes(before, spec) if before else [])


@bp.post(f"/{KIND}/history/<int(max=2147483647):version_id>/restore")
def restore(kind: str, version_id: int):
    replace = directory_store.replace_calendar if kind == "calendar" else directory_store.replace_directory
    try:
        with db.writing() as connection:
            found = data_history.get(connection, kind, version_id)
            if found is None:
                abort(404)
            changes = replace(connection, found[1], author=g.admin.email, restored_from=version_id,
                              summary=f"rolled back to version {version_id}")
            audit.record(connection, f"{kind}.rollback", f"version {version_id}",
                         "\n".join([f"rolled back to version {version_id}", *changes]))
    except directory_store.InvalidData as error:
        return render_template("admin/error.html", status=422, message=(
            f"Version {version_id} cannot be restored: {error}. The {kind} stays as it is.")), 422
    return redirect(url_for(PAGES[kind], saved=1))
