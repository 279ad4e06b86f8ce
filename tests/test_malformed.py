"""No request body, however malformed, gets a 5xx or anything but a JSON error.

Every endpoint that reads a JSON body (the API, and the admin pages' JSON under
/admin/api) gets, against the production server on PostgreSQL (which refuses more than
SQLite does): bodies that are not JSON objects, JSON nested 50,000 deep, and a valid body
with each of its fields, at any depth, replaced in turn by a value of every wrong kind.
Schemathesis (test_openapi.py) covers the API from its description; it never sends half a
surrogate pair, NUL characters or deep nesting, and does not know /admin/api.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
import requests

from server import create_app

from .admin_support import make_admin
from .prodserver import ProductionServer
from .storage import auth, database

RULE = "nrmp.ask-rank.where-do-i-stand"
# A valid body for each endpoint that reads JSON; each of its fields is then spoiled in turn.
BODIES = {
    ("POST", "/api/v1/check"): {"text": "Dear Dr. Smith,\n\nYou are my first choice.", "subject": "Hello",
                                "to": ["Dr Jane Smith <jsmith@uw.edu>"], "direction": "outbound",
                                "at": "2027-01-20T15:00:00Z", "track": "anesthesiology", "from": "me@school.edu"},
    ("POST", "/api/v1/ledger/events"): {"event_id": "EVENT", "type": "sent", "to": ["jsmith@uw.edu"],
                                        "text": "Dear Dr. Smith,\n\nThank you.", "subject": "Thanks",
                                        "at": "2027-01-20T15:00:00Z", "track": "anesthesiology",
                                        "program": "uw.edu", "from": "pd@uw.edu"},
    ("PUT", "/api/v1/me/tracks"): {"tracks": ["anesthesiology"]},
    ("POST", "/api/v1/tokens"): {"label": "laptop"},
    ("POST", "/api/v1/sign-in/token"): {"code": "c" * 43, "code_verifier": "v" * 43, "label": "laptop",
                                        "redirect_uri": "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/"},
    ("POST", "/api/v1/invitations/redeem"): {"invitation": "i" * 43, "label": "laptop"},
    ("POST", "/admin/api/changes/review"): {"base": None, "change": {
        "op": "disable-rule", "file": "packs/nrmp.yaml", "rule": RULE}},
    ("POST", "/admin/api/changes/try"): {"base": None, "change": {
        "op": "put-rule", "file": "packs/nrmp.yaml", "rule": RULE, "yaml": "id: x"},
        "email": {"text": "Dear Dr. Smith", "to": ["pd@uw.edu"]}, "ledger": "- {to: pd@uw.edu, at: 2027-01-02}"},
    ("POST", "/admin/api/changes/sentences"): {"base": None, "change": {
        "op": "put-rule", "file": "packs/nrmp.yaml", "rule": RULE, "yaml": "id: x"}},
    ("POST", "/admin/api/rule-form"): {"yaml": "id: x\nmessage: A message.\n", "fields": {
        "message": "Where: here", "severity": "error", "examples": {"flag": ["a"], "clean": ["b"]}}},
    ("POST", "/admin/api/changes/publish"): {"base": 1, "note": "a note", "change": {
        "op": "restore", "version": 1, "release": "abc", "import": True}},
}
WRONG = [None, True, -1, 0, 2 ** 31, 10 ** 40, 1e308, -0.5, "", " ", "x" * 70_000, "\ud800", "nul\x00", "\u202e",
         "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+05:00", "../../etc/passwd", [], [[1]], ["\udfff"], {},
         {"a": {"b": [1]}}, [None] * 200]
NOT_OBJECTS = ["", "{", "null", "[]", "[1, 2]", '"text"', "1e999", "NaN", '{"text": "x"' * 1000,
               "[" * 50_000 + "]" * 50_000, '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}",
               b"\xff\xfe{\x00}", b'{"text": "\xc3\x28"}']


def json_endpoints() -> set[tuple[str, str]]:
    """Every route under /api/ and /admin/api/ that changes something, as (method, path)."""
    found = set()
    for rule in create_app().url_map.iter_rules():
        if rule.rule.startswith(("/api/", "/admin/api/")) and "<" not in rule.rule:
            found |= {(method, rule.rule) for method in rule.methods & {"POST", "PUT", "PATCH"}}
    return found


def spoiled(body: dict, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """The body with one field (at any depth) replaced by each wrong value, or left out."""
    for key, value in body.items():
        for wrong in WRONG:
            yield (*path, key), {**body, key: wrong}
        yield (*path, key), {k: v for k, v in body.items() if k != key}
        if isinstance(value, dict):
            for where, inner in spoiled(value, (*path, key)):
                yield where, {**body, key: inner}


def test_every_json_endpoint_has_a_body_here(monkeypatch, tmp_path):
    monkeypatch.setenv("COACH_INSTANCE_PATH", str(tmp_path))
    assert json_endpoints() == set(BODIES)


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    folder = tmp_path_factory.mktemp("malformed")
    limits = {name: "1000000/minute" for name in
              ("COACH_RATE_LIMIT_CHECK", "COACH_RATE_LIMIT_EVENTS", "COACH_RATE_LIMIT_API")}
    with database("postgresql", folder / "db") as db, \
            ProductionServer(folder / "server", env={"DATABASE_URL": db.url, **limits}) as server:
        make_admin(db, "office@example.edu")
        yield server, {"/api/": db.new_user("anesthesiology"), "/admin/api/": db.new_user(role="admin")}


def _send(server, tokens, method: str, path: str, data) -> requests.Response:
    token = tokens["/admin/api/" if path.startswith("/admin/api/") else "/api/"]
    return requests.request(method, server.url + path, data=data, timeout=60,
                            headers={**auth(token), "Content-Type": "application/json"})


def _answered_in_json(answer: requests.Response, what) -> None:
    assert answer.status_code < 500, (what, answer.status_code, answer.text[:300])
    assert answer.headers["Content-Type"] == "application/json", (what, answer.headers["Content-Type"])
    if answer.status_code >= 400:
        assert set(answer.json()["error"]) >= {"code", "message"}, what


@pytest.mark.parametrize(("method", "path"), sorted(BODIES))
def test_no_malformed_body_gets_a_server_error(production, method, path):
    server, tokens = production
    for data in NOT_OBJECTS:
        _answered_in_json(_send(server, tokens, method, path, data), (path, str(data)[:60]))
    for where, body in spoiled(BODIES[(method, path)]):
        if body.get("event_id") == "EVENT":
            body = {**body, "event_id": str(uuid.uuid4())}
        data = json.dumps(body)  # escapes half surrogates as JSON does: "\ud800"
        _answered_in_json(_send(server, tokens, method, path, data), (path, where, data[:120]))
    assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
