"""The OpenAPI document at /api/v1/openapi.json is the real API.

Every route of the app is in the document and everything in the document is routed;
then Schemathesis generates requests from it (valid ones and deliberately broken ones)
against the production server on PostgreSQL: no answer may be a 5xx, and every answer
must have a documented status, content type, headers and body.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import requests

from server import create_app

from .prodserver import VENV_BIN, ProductionServer
from .storage import database

SEED = 20261201  # fixed, so a run is reproducible; change it to explore other inputs
EXAMPLES = 40  # per operation and phase: about twenty seconds on two cores
CONFIG = Path(__file__).with_name("schemathesis.toml")  # every check but one, and why


def _routes(rules) -> set[tuple[str, str]]:
    routes = set()
    for rule in rules:
        if rule.rule.startswith("/api/") or rule.rule == "/healthz":
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_route_is_described_and_every_description_is_routed(live_server, tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_INSTANCE_PATH", str(tmp_path))
    document = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10).json()
    assert document["openapi"].startswith("3.")
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert described == _routes(create_app().url_map.iter_rules())


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(tmp_path):
    limits = {name: "100000/minute" for name in
              ("COACH_RATE_LIMIT_CHECK", "COACH_RATE_LIMIT_EVENTS", "COACH_RATE_LIMIT_API")}
    with database("postgresql", tmp_path / "db") as db, \
            ProductionServer(tmp_path / "server", env={"DATABASE_URL": db.url, **limits}) as server:
        token = db.new_user("anesthesiology")
        # Far from the ids the fuzzer tries in DELETE /api/v1/tokens/{id}, so it keeps the token it runs with.
        db.execute("UPDATE api_tokens SET id = 2000000000")
        run = subprocess.run(
            [f"{VENV_BIN}/schemathesis", "--config-file", str(CONFIG), "run", f"{server.url}/api/v1/openapi.json",
             "--header", f"Authorization: Bearer {token}", "--max-examples", str(EXAMPLES),
             "--seed", str(SEED), "--generation-database", "none", "--request-timeout", "30", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=240)
        answered = requests.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert run.returncode == 0, run.stdout[run.stdout.find("FAILURES"):][:8000] + run.stderr[-2000:]
    assert answered.status_code == 200  # the run really was authenticated to the end
