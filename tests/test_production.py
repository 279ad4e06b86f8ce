"""The production run: the Procfile's release and web processes on PostgreSQL, and the
settings the server refuses to run in production with."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests

from server import create_app
from server.config import ConfigError

from .prodserver import PUBLIC_URL, VENV_BIN, ProductionServer
from .serverproc import ROOT
from .storage import auth, database, sent


def test_the_procfile_migrates_an_empty_database_and_serves_it(tmp_path):
    with database("postgresql", tmp_path) as db:
        with ProductionServer(tmp_path, env={"DATABASE_URL": db.url}, workers=2) as server:
            assert len(server.worker_pids()) == 2
            token = db.new_user("anesthesiology")
            checked = requests.post(f"{server.url}/api/v1/check", headers=auth(token), timeout=10, json={
                "text": "Dear Dr. Smith,\n\nWhere will I stand on your rank list?", "to": ["pd@uw.edu"]})
            assert checked.status_code == 200
            assert "nrmp.ask-rank" in {w["category"] for w in checked.json()["warnings"]}
            recorded = requests.post(f"{server.url}/api/v1/ledger/events", json=sent(), headers=auth(token),
                                     timeout=10)
            assert recorded.status_code == 201
            assert requests.get(f"{server.url}/healthz", timeout=10).json()["status"] == "ok"
        log = server.log.read_text()
    # The access log is JSON lines with the request id and the path, one per request.
    access = [json.loads(line) for line in log.splitlines() if '"gunicorn.access"' in line]
    assert {(a["method"], a["path"], a["status"]) for a in access} >= {
        ("POST", "/api/v1/check", 200), ("POST", "/api/v1/ledger/events", 201), ("GET", "/healthz", 200)}
    assert all(len(a["request_id"]) == 32 and a["duration_ms"] >= 0 for a in access)


def _gunicorn(env: dict, *args: str) -> subprocess.CompletedProcess:
    """gunicorn with our config and the given environment (a None value unsets the variable)."""
    environment = {**os.environ, **env}
    for name in [name for name, value in env.items() if value is None]:
        del environment[name]
    return subprocess.run([f"{VENV_BIN}/gunicorn", "--config", "gunicorn.conf.py", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=60)


def _settings(printed: str) -> dict[str, str]:
    return {name.strip(): value.strip() for name, _, value in
            (line.partition(" = ") for line in printed.splitlines()) if value}


def test_production_refuses_the_development_secret_key(tmp_path):
    env = {"COACH_ENV": "production", "COACH_INSTANCE_PATH": str(tmp_path), "COACH_BIND": "127.0.0.1:0"}
    done = _gunicorn({**env, "SECRET_KEY": "dev-only-secret-key"})
    assert done.returncode != 0
    assert "Refusing to start with COACH_ENV=production" in done.stderr
    assert "SECRET_KEY is the development key" in done.stderr
    # The release step refuses too, before it touches the database.
    release = subprocess.run([sys.executable, "-m", "flask", "--app", "server", "migrate"], cwd=ROOT,
                             env={**os.environ, **env, "SECRET_KEY": "dev-only-secret-key"}, capture_output=True,
                             text=True, timeout=60)
    assert release.returncode != 0 and "SECRET_KEY is the development key" in release.stderr
    assert not (tmp_path / "coach.db").exists()


SAFE = {"SECRET_KEY": "k" * 40, "COACH_PUBLIC_URL": PUBLIC_URL}


@pytest.mark.parametrize(("env", "reason"), [
    ({"COACH_PUBLIC_URL": PUBLIC_URL}, "SECRET_KEY is the development key"),
    ({**SAFE, "SECRET_KEY": "too-short"}, "SECRET_KEY is shorter than 32 characters"),
    ({**SAFE, "COACH_AUTO_MIGRATE": "1"}, "COACH_AUTO_MIGRATE is on"),
    ({**SAFE, "COACH_SECURE_COOKIES": "0"}, "COACH_SECURE_COOKIES is off"),
    ({**SAFE, "FLASK_DEBUG": "1"}, "debug mode is on"),
    ({"SECRET_KEY": "k" * 40}, "COACH_PUBLIC_URL is not set"),
    ({**SAFE, "COACH_PUBLIC_URL": "http://coach.example.edu"}, "Outlook loads add-ins only over https"),
])
def test_what_production_refuses(monkeypatch, tmp_path, env, reason):
    for name in ("SECRET_KEY", "COACH_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"COACH_ENV": "production", "COACH_INSTANCE_PATH": str(tmp_path), **env}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=reason):
        create_app()


@pytest.mark.parametrize(("name", "value"), [
    ("COACH_ENV", "staging"), ("COACH_RATE_LIMIT_CHECK", "lots"), ("COACH_CORS_ORIGINS", "chrome-extension://x/path"),
    ("COACH_TRUST_PROXY", "yes"), ("COACH_LOG_LEVEL", "loud"), ("COACH_MAX_TEXT_CHARS", "abc"),
    ("COACH_CHECK_BUDGET_MS", "0.25"), ("COACH_RULE_TIMEOUT_MS", "-5"), ("COACH_MAX_REQUEST_BYTES", "1MB"),
    ("COACH_MAX_LEDGER_EVENTS", "0"), ("COACH_PUBLIC_URL", "https://coach.example.edu/coach"),
    ("COACH_RATE_LIMIT_SIGN_IN", "often"),
])
def test_a_bad_setting_is_named(monkeypatch, tmp_path, name, value):
    monkeypatch.setenv("COACH_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        create_app()


SCHOOL = {"COACH_OIDC_PROVIDERS": "school", "COACH_OIDC_SCHOOL_ISSUER": "https://idp.example.edu",
          "COACH_OIDC_SCHOOL_CLIENT_ID": "coach", "COACH_OIDC_SCHOOL_CLIENT_SECRET": "s" * 32,
          "COACH_OIDC_SCHOOL_DOMAINS": "example.edu"}


@pytest.mark.parametrize(("env", "reason"), [
    ({"COACH_OIDC_PROVIDERS": "Google-Workspace"}, "'google-workspace' is not a provider name"),
    ({"COACH_OIDC_PROVIDERS": "school"}, "COACH_OIDC_SCHOOL_ISSUER must be set"),
    ({**SCHOOL, "COACH_OIDC_SCHOOL_DOMAINS": ""}, "COACH_OIDC_SCHOOL_DOMAINS must list the email domains"),
    ({**SCHOOL, "COACH_OIDC_SCHOOL_DOMAINS": "example.edu localhost"}, "'localhost' is not an email domain"),
    ({**SCHOOL, "COACH_OIDC_SCHOOL_ENROL": "anyone"}, "COACH_OIDC_SCHOOL_ENROL must be one of roster, domain"),
    ({**SCHOOL, "COACH_OIDC_SCHOOL_ISSUER": "https://login.microsoftonline.com/common/v2.0"},
     "signs in accounts of any Microsoft tenant"),
    ({**SCHOOL, "COACH_EXTENSION_IDS": "abcdef"}, "'abcdef' is not a Chrome extension id"),
])
def test_a_bad_sign_in_setting_says_what_is_wrong(monkeypatch, tmp_path, env, reason):
    monkeypatch.setenv("COACH_INSTANCE_PATH", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=reason):
        create_app()


@pytest.mark.parametrize(("env", "reason"), [
    ({**SCHOOL, "COACH_OIDC_SCHOOL_ISSUER": "http://idp.example.edu"}, "only trusted over https"),
    (SCHOOL, "COACH_EXTENSION_IDS is not set"),
])
def test_production_refuses_single_sign_on_it_cannot_trust(monkeypatch, tmp_path, env, reason):
    test_what_production_refuses(monkeypatch, tmp_path, {**SAFE, **env}, reason)


@pytest.mark.parametrize("command", [["flask", "--app", "server", "migrate"],
                                     ["gunicorn", "--config", "gunicorn.conf.py"]])
def test_a_bad_number_stops_the_start_with_its_name_and_no_traceback(tmp_path, command):
    env = {**os.environ, "COACH_INSTANCE_PATH": str(tmp_path), "COACH_BIND": "127.0.0.1:0",
           "COACH_MAX_TEXT_CHARS": "abc"}
    done = subprocess.run([f"{VENV_BIN}/{command[0]}", *command[1:]], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0
    assert "Error: COACH_MAX_TEXT_CHARS must be a whole number of at least 1, not 'abc'." in done.stderr
    assert "Traceback" not in done.stderr


def test_production_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("COACH_ENV", "production")
    for name, value in SAFE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COACH_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert not app.config["AUTO_MIGRATE"]  # the release step migrates
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert not (tmp_path / "coach.db").exists()  # nothing touched the database at start


def test_gunicorn_takes_its_workers_from_the_cores():
    env = {"WEB_CONCURRENCY": None, "PORT": None, "COACH_BIND": None}
    settings = _settings(_gunicorn(env, "--print-config").stdout)
    assert settings["workers"] == str(max(2, len(os.sched_getaffinity(0))))
    assert settings["bind"] == "['127.0.0.1:8000']"
    assert settings["worker_class"] == "sync" and settings["preload_app"] == "True"
    assert settings["timeout"] == "30" and settings["accesslog"] == "-"
    assert settings["forwarded_allow_ips"] == "[]"  # X-Forwarded-* are judged by the app, COACH_TRUST_PROXY
    scaled = _settings(_gunicorn({**env, "WEB_CONCURRENCY": "9", "PORT": "5055"}, "--print-config").stdout)
    assert scaled["workers"] == "9" and scaled["bind"] == "['0.0.0.0:5055']"


def test_a_request_past_the_worker_timeout_is_answered_in_json_not_gunicorns_page(tmp_path):
    # A draft far over the usual limits, with no time budget: a check that runs for seconds, past a
    # one-second worker timeout, as a runaway request would.
    unbounded = {"COACH_WORKER_TIMEOUT": "1", "COACH_MAX_TEXT_CHARS": "50000000", "COACH_MAX_REQUEST_BYTES": "80000000",
                 "COACH_CHECK_BUDGET_MS": "600000", "COACH_RULE_TIMEOUT_MS": "600000"}
    text = " ".join(f"I enjoyed meeting resident {n} and learning about research {n * 7} in Seattle."
                    for n in range(200_000))
    with database("sqlite", tmp_path) as db, \
            ProductionServer(tmp_path, env={"DATABASE_URL": db.url, **unbounded}, workers=2) as server:
        answer = requests.post(f"{server.url}/api/v1/check", json={"text": text}, timeout=120)
        assert answer.status_code == 503, answer.text[:500]
        assert answer.headers["Content-Type"] == "application/json"
        assert answer.json()["error"]["code"] == "timeout"
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
    assert "WORKER TIMEOUT" in server.log.read_text()
