"""The program directory: institutions (domains, other names, abbreviations, program policies,
program addresses), tracks and specialty policies. Each save validates the whole directory
(engine Directory.from_spec) and stores it in one transaction, which bumps the data version
every worker watches (server/directory_calendar.py); an invalid one is refused and changes nothing."""

from __future__ import annotations

import regex
from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from .. import audit, db, directory_store
from ..engine.directory import POLICIES
from ..wording import plural
from .forms import FormError, lines, rows, text

bp = Blueprint("directory", __name__)

_KEY = regex.compile(r"[a-z0-9][a-z0-9.-]{0,253}[a-z0-9]")
_TRACK = regex.compile(r"[a-z0-9][a-z0-9-]{0,63}")
BLANK_ROWS = 3  # rows offered to add policies, tracks or program addresses in one save


def _policy(row: dict, where: str, **extra) -> dict:
    if row["policy"] not in POLICIES:
        raise FormError(f"{where}: choose a policy ({', '.join(POLICIES)})")
    return {k: v for k, v in {"policy": row["policy"], **extra, "track": row.get("track") or None,
                              "note": row.get("note") or None, "source": row.get("source") or None}.items()
            if v is not None}


def _institution_from_form(key: str) -> tuple[dict, list[dict], list[dict]]:
    """The institution's entry, its program policies and its programs, as programs.yaml holds them."""
    name = text("name")
    if not name:
        raise FormError("the institution needs a name")
    entry = {"key": key, "name": name, "domains": lines("domains", commas=True) or [key], "names": lines("names"),
             "abbreviations": lines("abbreviations"), "city": text("city"), "state": text("state")}
    entry = {k: v for k, v in entry.items() if v not in (None, [])}
    policies = [_policy(row, "program policy", institution=key)
                for row in rows("policy", ("policy", "track", "note", "source"))]
    programs = []
    for row in rows("program", ("track", "addresses")):
        addresses = [a.strip().lower() for a in regex.split(r"[\s,;]+", row["addresses"]) if a.strip()]
        if not row["track"] or not addresses:
            raise FormError("each program address needs a track and at least one address")
        programs.append({"institution": key, "track": row["track"], "addresses": addresses})
    return entry, policies, programs


def _spec() -> dict:
    with db.read_only() as connection:
        return directory_store.directory_spec(connection)


def _institution_view(spec: dict, key: str | None, form_entry: dict | None = None, error: str | None = None,
                      status: int = 200):
    entry = form_entry or next((i for i in spec["institutions"] if i["key"] == key), None)
    if entry is None:
        abort(404)
    policies = [p for p in spec["program_policies"] if p.get("institution") == entry.get("key")]
    programs = [p for p in spec["programs"] if p["institution"] == entry.get("key")]
    return render_template("admin/institution.html", entry=entry, policies=policies, programs=programs,
                           tracks=spec["tracks"], policy_ids=POLICIES, new=key is None, error=error,
                           blank=BLANK_ROWS), status


@bp.get("/directory")
def directory_page():
    spec = _spec()
    counts = {}
    for policy in spec["program_policies"]:
        counts[policy["institution"]] = counts.get(policy["institution"], 0) + 1
    return render_template("admin/directory.html", spec=spec, policy_counts=counts)


@bp.get("/directory/institutions/new")
def new_institution():
    return _institution_view(_spec(), None, form_entry={"key": "", "name": "", "domains": []})


@bp.get("/directory/institutions/<key>")
def institution_page(key: str):
    return _institution_view(_spec(), key)


@bp.post("/directory/institutions")
@bp.post("/directory/institutions/<key>")
def save_institution(key: str | None = None):
    new_key = key or request.form.get("key", "").strip().lower()
    try:
        if not _KEY.fullmatch(new_key):
            raise FormError("the key is the institution's main mail domain, e.g. uw.edu")
        entry, policies, programs = _institution_from_form(new_key)
    except FormError as error:
        return _institution_view(_spec(), key, form_entry=_echo(new_key), error=str(error), status=400)
    try:
        with db.writing() as connection:
            spec = directory_store.directory_spec(connection)
            listed = [i["key"] for i in spec["institutions"]]
            if key is None and new_key in listed:
                raise directory_store.InvalidData(f"there is already an institution {new_key}")
            if key is not None and key not in listed:
                abort(404)
            spec["institutions"] = [entry if i["key"] == new_key else i for i in spec["institutions"]]
            if key is None:
                spec["institutions"].append(entry)
            spec["program_policies"] = [p for p in spec["program_policies"]
                                        if p.get("institution") != new_key] + policies
            spec["programs"] = [p for p in spec["programs"] if p["institution"] != new_key] + programs
            directory_store.replace_directory(connection, spec, author=g.admin.email,
                                              summary=f"{'added' if key is None else 'edited'} {entry['name']}")
            audit.record(connection, "directory.add" if key is None else "directory.edit", new_key,
                         f"{entry['name']}: {plural(len(entry.get('domains', [])), 'domain')}, "
                         f"{plural(len(entry.get('names', [])), 'other name')}, "
                         f"{plural(len(policies), 'policy', 'policies')}, "
                         f"{plural(len(programs), 'group', 'groups')} of program addresses")
    except directory_store.InvalidData as error:
        return _institution_view(_spec(), key, form_entry=_echo(new_key), error=str(error), status=422)
    return redirect(url_for("admin.directory.institution_page", key=new_key, saved=1))


def _echo(key: str) -> dict:
    """What the admin typed, to show the form again with their input and the error."""
    return {"key": key, "name": request.form.get("name", ""), "domains": lines("domains", commas=True),
            "names": lines("names"),
            "abbreviations": lines("abbreviations"), "city": request.form.get("city", ""),
            "state": request.form.get("state", "")}


@bp.post("/directory/institutions/<key>/delete")
def delete_institution(key: str):
    try:
        with db.writing() as connection:
            spec = directory_store.directory_spec(connection)
            entry = next((i for i in spec["institutions"] if i["key"] == key), None)
            if entry is None:
                abort(404)
            spec["institutions"] = [i for i in spec["institutions"] if i["key"] != key]
            spec["program_policies"] = [p for p in spec["program_policies"] if p.get("institution") != key]
            spec["programs"] = [p for p in spec["programs"] if p["institution"] != key]
            directory_store.replace_directory(connection, spec, author=g.admin.email,
                                              summary=f"deleted {entry['name']}")
            audit.record(connection, "directory.delete", key, f"deleted {entry['name']}")
    except directory_store.InvalidData as error:
        return _institution_view(_spec(), key, error=str(error), status=422)
    return redirect(url_for("admin.directory.directory_page"))


@bp.route("/directory/tracks", methods=["GET", "POST"])
def tracks_page():
    spec = _spec()
    if request.method == "GET":
        return render_template("admin/tracks.html", tracks=spec["tracks"], policies=spec["specialty_policies"],
                               policy_ids=POLICIES, error=None, blank=BLANK_ROWS)
    tracks = rows("track", ("id", "label"))
    try:
        seen = set()
        for row in tracks:
            if not _TRACK.fullmatch(row["id"]):
                raise FormError(f"track id {row['id']!r}: lower-case letters, digits and -, e.g. internal-medicine")
            if row["id"] in seen:
                raise FormError(f"the track {row['id']} is listed twice")
            seen.add(row["id"])
        policies = [_policy(row, "specialty policy") for row in rows("policy", ("policy", "track", "note", "source"))]
        with db.writing() as connection:
            spec = directory_store.directory_spec(connection)
            spec["tracks"] = [{"id": t["id"], "label": t["label"]} if t["label"] else {"id": t["id"]} for t in tracks]
            spec["specialty_policies"] = policies
            changes = directory_store.replace_directory(connection, spec, author=g.admin.email)
            audit.record(connection, "directory.tracks", None,
                         "\n".join(changes) or f"{plural(len(tracks), 'track')}, "
                                               f"{plural(len(policies), 'specialty policy', 'specialty policies')}")
    except (FormError, directory_store.InvalidData) as error:
        shown = [{"id": t["id"], "label": t["label"]} for t in tracks]
        return render_template("admin/tracks.html", tracks=shown, policies=spec["specialty_policies"],
                               policy_ids=POLICIES, error=str(error), blank=BLANK_ROWS), 422
    return redirect(url_for("admin.directory.tracks_page", saved=1))
