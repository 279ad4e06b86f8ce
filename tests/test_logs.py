"""Logs are JSON lines with a request id, and never hold an email body or a token.

Traffic that carries a unique sentence in every body and a known token in every header
(and, by mistake, in a query string) goes through the production server; then the
server's whole output (its stdout with gunicorn's access log, its stderr with the app's
and gunicorn's own lines, the release step's output) is searched for both.
"""

from __future__ import annotations

import json
import secrets
import uuid

import requests

from .prodserver import ProductionServer
from .serverproc import ServerProcess
from .storage import auth, create_user, database


def test_logs_are_json_with_request_ids_and_never_bodies_or_tokens(tmp_path):
    sentence = f"My cat Pimento-{secrets.token_hex(8)} is my first choice of program."
    bogus = secrets.token_urlsafe(32)
    env = {"COACH_RATE_LIMIT_CHECK": "5/minute"}  # one worker below, so the sixth check is refused
    with database("sqlite", tmp_path) as db, \
            ProductionServer(tmp_path, env={"DATABASE_URL": db.url, **env}, workers=1) as server:
        token = create_user(server)
        url = server.url + "/api/v1"
        body = {"text": f"Dear Dr. Smith,\n\n{sentence}", "subject": sentence, "to": ["pd@uw.edu"]}
        traced = "trace-" + uuid.uuid4().hex
        answers = [
            requests.post(f"{url}/check", json=body, headers={**auth(token), "X-Request-Id": traced}, timeout=10),
            requests.post(f"{url}/check?access_token={token}", json=body, headers=auth(token), timeout=10),
            requests.post(f"{url}/ledger/events", headers=auth(token), timeout=10,
                          json={**body, "event_id": str(uuid.uuid4()), "type": "sent"}),
            requests.post(f"{url}/ledger/events", data=f'{{"text": "{sentence}"', headers=auth(token), timeout=10),
            requests.post(f"{url}/check", json={**body, "text": sentence * 2000}, headers=auth(token), timeout=10),
            requests.post(f"{url}/check", json=body, headers=auth(bogus), timeout=10),
            requests.get(f"{url}/ledger", headers={**auth(token), "X-Request-Id": "bad id\twith tab"}, timeout=10),
        ]
        answers += [requests.post(f"{url}/check", json=body, headers=auth(token), timeout=10) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 201, 400, 413, 401, 200, 200, 200, 429]
        assert answers[0].headers["X-Request-Id"] == traced
        assert answers[6].headers["X-Request-Id"] != "bad id\twith tab"
    output = server.log.read_text(encoding="utf-8")

    for secret in (sentence, "Pimento", token, bogus):
        assert secret not in output + server.release_output
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]  # every line is JSON
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert len(access) >= len(answers)
    assert all("?" not in line["path"] and "?" not in line["message"] for line in access)
    assert {line["request_id"] for line in access} >= {a.headers["X-Request-Id"] for a in answers}
    # What the app logs inside a request carries that request's id, method and path.
    refused = next(line for line in lines if line["logger"] == "flask-limiter")
    assert refused["request_id"] == answers[-1].headers["X-Request-Id"]
    assert (refused["method"], refused["path"]) == ("POST", "/api/v1/check")


def test_the_development_servers_request_lines_leave_out_query_strings(tmp_path):
    address = f"pd-{secrets.token_hex(6)}@uw.edu"
    with database("sqlite", tmp_path) as db, ServerProcess(tmp_path, env={"DATABASE_URL": db.url}) as server:
        token = create_user(server)
        answers = [requests.get(f"{server.url}/api/v1/ledger/summary", params={"to": address}, headers=auth(token),
                                timeout=10),
                   requests.get(f"{server.url}/api/v1/ledger/nothing?to={address}", timeout=10)]
        assert [a.status_code for a in answers] == [200, 404]
    output = server.log.read_text(encoding="utf-8")
    requests_logged = [json.loads(line)["message"] for line in output.splitlines() if '"logger": "werkzeug"' in line]
    assert any("GET /api/v1/ledger/summary HTTP/1.1" in line for line in requests_logged)
    assert any("GET /api/v1/ledger/nothing HTTP/1.1" in line for line in requests_logged)
    assert address not in output and address.split("@")[0] not in output
