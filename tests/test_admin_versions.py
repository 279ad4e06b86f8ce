"""Rule versions in the database, on SQLite and PostgreSQL: a publish reaches every gunicorn
worker and every server sharing the database within five seconds; a release's new shipped
rules go into force by themselves until the office edits, and wait for review after; a
version that does not build never takes a server down."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import requests

from server import rulesets
from server.config import ROOT
from server.engine.loader import read_sources

from .admin_support import check
from .browser.harness import wait_until
from .serverproc import ServerProcess
from .storage import BACKENDS, auth, database

RULE = "nrmp.ask-rank.where-do-i-stand"
ASKING = "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?\n\nBest,\nAlex"
SWITCH_SECONDS = 5


def rules_copy(tmp_path: Path, name: str, old: str | None = None, new: str | None = None) -> Path:
    """rules/ as a release might ship it, with one text of packs/nrmp.yaml changed."""
    folder = tmp_path / name
    shutil.copytree(ROOT / "rules", folder)
    if old is not None:
        pack = folder / "packs" / "nrmp.yaml"
        text = pack.read_text()
        assert old in text
        pack.write_text(text.replace(old, new, 1))
    return folder


def message(server: ServerProcess) -> str:
    return next(w["message"] for w in check(server, ASKING)["warnings"] if w["rule"] == RULE)


def admin_api(server: ServerProcess, token: str, path: str, body: dict | None = None) -> requests.Response:
    if body is None:
        return requests.get(f"{server.url}/admin/api{path}", headers=auth(token), timeout=60)
    return requests.post(f"{server.url}/admin/api{path}", json=body, headers=auth(token), timeout=120)


def publish_message(server: ServerProcess, token: str, old: str, new: str) -> dict:
    rule = admin_api(server, token, f"/rules/{RULE}").json()
    answer = admin_api(server, token, "/changes/publish", {
        "base": rule["version"], "note": "new wording",
        "change": {"op": "put-rule", "file": rule["file"], "rule": RULE, "yaml": rule["yaml"].replace(old, new, 1)}})
    assert answer.status_code == 201, answer.text
    return answer.json()["version"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_publish_reaches_every_worker_and_every_server_within_five_seconds(backend, tmp_path):
    rules = rules_copy(tmp_path, "rules")
    with database(backend, tmp_path / "db") as db:
        env = {"DATABASE_URL": db.url, "COACH_RULES_DIR": str(rules)}
        with ServerProcess(tmp_path / "a", env=env, gunicorn_workers=3) as workers, \
                ServerProcess(tmp_path / "b", env=env) as other:
            token = db.new_user(role="admin")
            before = {check(s, ASKING)["ruleset"] for s in [workers] * 12 + [other]}
            assert len(before) == 1
            version = publish_message(workers, token, "Asking where you stand", "Asking about your place")
            published = time.monotonic()

            def everywhere() -> bool:
                # A fresh connection per request, so the requests spread over all three workers.
                answers = {check(s, ASKING)["ruleset"] for s in [workers] * 15 + [other]}
                return answers == {version["digest"]}

            wait_until(everywhere, timeout=SWITCH_SECONDS, interval=0.05, message="the new version everywhere")
            assert time.monotonic() - published < SWITCH_SECONDS
            assert message(other).startswith("Asking about your place")


@pytest.mark.parametrize("backend", BACKENDS)
def test_new_shipped_rules_go_into_force_until_the_office_edits_then_wait_for_review(backend, tmp_path):
    first = rules_copy(tmp_path, "first")
    second = rules_copy(tmp_path, "second", "Asking where you stand", "Asking where you are")
    third = rules_copy(tmp_path, "third", "Asking where you stand", "Asking about your standing")
    with database(backend, tmp_path / "db") as db:
        env = {"DATABASE_URL": db.url}
        with ServerProcess(tmp_path / "one", env={**env, "COACH_RULES_DIR": str(first)}) as old_release:
            token = db.new_user(role="admin")
            assert message(old_release).startswith("Asking where you stand")
            # A newer release starts next to the old one: its rules go into force on both.
            with ServerProcess(tmp_path / "two", env={**env, "COACH_RULES_DIR": str(second)}) as new_release:
                assert message(new_release).startswith("Asking where you are")
                wait_until(lambda: message(old_release).startswith("Asking where you are"), timeout=SWITCH_SECONDS,
                           message="the old release serving the new shipped rules")
                versions = admin_api(new_release, token, "/versions").json()["versions"]
                assert [(v["id"], v["origin"], v["author"]) for v in versions] == [(2, "shipped", None),
                                                                                    (1, "shipped", None)]
                edited = publish_message(new_release, token, "Asking where you are", "Our office's wording,")
        # The next release finds the office's edit in force: its rules wait for review.
        with ServerProcess(tmp_path / "three", env={**env, "COACH_RULES_DIR": str(third)}) as next_release:
            assert message(next_release).startswith("Our office's wording,")
            listed = admin_api(next_release, token, "/versions").json()
            assert listed["active"] == edited["id"] and listed["shipped_waiting"] is not None
            release = listed["shipped_waiting"]["digest"]
            review = admin_api(next_release, token, "/changes/review",
                               {"change": {"op": "publish-shipped", "release": release}})
            assert review.status_code == 200 and review.json()["origin"] == "shipped"
            published = admin_api(next_release, token, "/changes/publish", {
                "change": {"op": "publish-shipped", "release": release}, "note": "Take the new release's rules"})
            assert published.status_code == 201, published.text
            assert message(next_release).startswith("Asking about your standing")
            assert admin_api(next_release, token, "/versions").json()["shipped_waiting"] is None


def _with_alias_bomb() -> dict[str, str]:
    """The shipped rules with a billion laughs in an example, as a server that allowed aliases stored them."""
    sources = read_sources(ROOT / "rules")
    levels = ['&l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] + [
        f"&l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    bomb = "".join(f"\n    - {{text: 'Dear Dr. Lee,', bomb{n}: {level}}}" for n, level in enumerate(levels))
    sources["packs/nrmp.yaml"] = sources["packs/nrmp.yaml"].replace("  clean:", "  clean:" + bomb, 1)
    return sources


@pytest.mark.parametrize("sources", [
    {"packs/x.yaml": "id: [", "message.yaml": "claims: {}\n"},  # not YAML
    5, ["packs/x.yaml", "id: x"], {"packs/x.yaml": ["id: x"]},  # not files of text at all
    _with_alias_bomb(),
], ids=["not-yaml", "a-number", "a-list", "not-text", "alias-bomb"])
def test_a_version_that_does_not_build_never_takes_a_server_down(tmp_path, sources):
    rules = rules_copy(tmp_path, "rules")
    with database("sqlite", tmp_path / "db") as db:
        env = {"DATABASE_URL": db.url, "COACH_RULES_DIR": str(rules)}
        with ServerProcess(tmp_path / "a", env=env) as running:
            good = check(running, ASKING)["ruleset"]
            digest = rulesets.digest(sources) if rulesets.is_sources(sources) else "0" * 64
            db.execute("INSERT INTO rule_versions (parent_id, origin, author, note, created_at, digest, sources) "
                       "VALUES (1, 'edit', 'someone', 'made by hand', '2027-01-01 00:00:00', :digest, :sources)",
                       digest=digest, sources=json.dumps(sources))
            time.sleep(2 * rulesets.CHECK_INTERVAL + 0.5)
            assert check(running, ASKING)["ruleset"] == good
            assert requests.get(f"{running.url}/healthz", timeout=10).status_code == 200
            assert "rule version 2 does not load" in running.log.read_text()
        with ServerProcess(tmp_path / "b", env=env) as fresh:
            assert check(fresh, ASKING)["ruleset"] == good  # the newest version that builds
            assert requests.get(f"{fresh.url}/healthz", timeout=10).json()["ruleset"] == good
            # The admin pages still work on it, and can roll it back.
            token = db.new_user(email="office@example.edu", role="admin")
            assert admin_api(fresh, token, "/rules").status_code == 200
            rollback = admin_api(fresh, token, "/changes/review", {"change": {"op": "restore", "version": 1}})
            assert rollback.status_code == 200, rollback.text
