"""Accounts and API tokens over real HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
import requests

from .serverproc import ServerProcess
from .storage import Client, auth, create_user

DRAFT = {"text": "Dear Dr. Smith,\n\nThank you for the interview.", "to": ["jsmith@uw.edu"]}


def test_create_user_prints_a_working_token_as_its_last_line_and_keeps_only_its_hash(stored_api):
    process, db = stored_api
    output = process.flask("create-user", "Ana.Ruiz@Example.edu", "--track", "anesthesiology")
    token = output.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    me = Client(process, token).get("/me")
    assert me.status_code == 200
    assert me.json() == {"email": "ana.ruiz@example.edu", "role": "applicant", "tracks": ["anesthesiology"]}

    hashes = [row[0] for row in db.execute("SELECT token_hash FROM api_tokens")]
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    made = Client(process, token).post("/tokens", {"label": "phone"}).json()["token"]
    stored = db.dump()
    assert token not in stored and made not in stored


def test_admin_role(stored_api):
    process, _ = stored_api
    token = create_user(process, None, "--admin")
    assert Client(process, token).get("/me").json()["role"] == "admin"


def test_several_tokens_per_user_each_revocable(stored_api):
    process, _ = stored_api
    email = "two.devices@example.edu"
    laptop = create_user(process, email)
    phone = create_user(process, email)  # an existing user gets another token
    assert laptop != phone
    made = Client(process, laptop).post("/tokens", {"label": "outlook"})
    assert made.status_code == 201
    outlook = made.json()["token"]
    for token in (laptop, phone, outlook):
        assert Client(process, token).get("/me").json()["email"] == email

    listed = Client(process, phone).get("/tokens").json()["tokens"]
    assert len(listed) == 3 and sum(t["current"] for t in listed) == 1
    assert not any(secret in str(listed) for secret in (laptop, phone, outlook))

    assert Client(process, laptop).post("/tokens", {"label": "bad\u0000label"}).status_code == 400
    assert Client(process, laptop).delete("/tokens/99999999999999999999").status_code == 404
    outlook_id = made.json()["id"]
    assert Client(process, laptop).delete(f"/tokens/{outlook_id}").status_code == 200
    assert Client(process, outlook).get("/me").status_code == 401
    assert Client(process, laptop).get("/me").status_code == 200

    process.flask("revoke-token", phone)
    with pytest.raises(RuntimeError, match="no token in force matched"):
        process.flask("revoke-token", "-" + phone[1:])  # a token may start with "-"
    assert Client(process, phone).get("/me").status_code == 401
    assert Client(process, laptop).get("/me").status_code == 200

    process.flask("revoke-token", "--email", email)
    assert Client(process, laptop).get("/me").status_code == 401


def test_a_revoked_token_is_refused_everywhere(stored_api):
    process, db = stored_api
    client = Client(process, db.new_user())
    assert client.post("/check", DRAFT).status_code == 200
    (token,) = client.get("/tokens").json()["tokens"]
    assert client.delete(f"/tokens/{token['id']}").status_code == 200
    for answer in (client.get("/me"), client.get("/ledger"), client.post("/check", DRAFT),
                   client.get("/ledger/export"), client.delete("/ledger")):
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "unauthorized"


def test_a_deactivated_user_is_refused(stored_api):
    process, db = stored_api
    token = db.new_user(email="leaving@example.edu")
    client = Client(process, token)
    assert client.get("/me").json()["email"] == "leaving@example.edu"  # the token works until then
    db.execute("UPDATE users SET active = :off WHERE email = 'leaving@example.edu'", off=False)
    refused = client.get("/me")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "token"])
def test_ledger_endpoints_need_a_valid_token(stored_api, header):
    process, _ = stored_api
    headers = {"Authorization": header} if header else {}
    base = process.url + "/api/v1"
    for method, path in [("GET", "/ledger"), ("GET", "/ledger/export?format=csv"), ("DELETE", "/ledger"),
                         ("POST", "/ledger/events"), ("GET", "/ledger/summary?to=a@uw.edu"), ("GET", "/me"),
                         ("PUT", "/me/tracks"), ("GET", "/tokens"), ("POST", "/tokens"), ("DELETE", "/tokens/1")]:
        answer = requests.request(method, base + path, headers=headers, json={}, timeout=10)
        assert answer.status_code == 401, (method, path)
        assert answer.json()["error"]["code"] == "unauthorized"


def test_checks_with_a_bad_token_are_refused_even_when_anonymous_checks_are_allowed(stored_api):
    process, _ = stored_api
    assert requests.post(process.url + "/api/v1/check", json=DRAFT, timeout=10).status_code == 200
    answer = requests.post(process.url + "/api/v1/check", json=DRAFT, headers=auth("revoked-or-made-up"), timeout=10)
    assert answer.status_code == 401


def test_a_deployment_can_turn_anonymous_checks_off(stored_api, tmp_path):
    process, db = stored_api
    token = db.new_user()
    # A second server on the same database, as a load balancer's second machine would be.
    closed = ServerProcess(tmp_path, env={"DATABASE_URL": db.url, "COACH_ALLOW_ANONYMOUS_CHECKS": "0"})
    with closed:
        anonymous = requests.post(closed.url + "/api/v1/check", json=DRAFT, timeout=10)
        assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"
        assert Client(closed, token).post("/check", DRAFT).status_code == 200


def test_tracks(stored_api):
    process, db = stored_api
    known = requests.get(process.url + "/api/v1/tracks", timeout=10).json()["tracks"]  # public
    ids = [t["id"] for t in known]
    assert {"anesthesiology", "internal-medicine-prelim"} <= set(ids)
    assert all(t["label"] for t in known)

    client = Client(process, db.new_user())
    assert client.get("/me").json()["tracks"] == []
    changed = client.put("/me/tracks", {"tracks": ["internal-medicine-prelim", "anesthesiology"]})
    assert changed.status_code == 200
    assert client.get("/me").json()["tracks"] == ["internal-medicine-prelim", "anesthesiology"]
    for bad in ({"tracks": ["no-such-track"]}, {"tracks": "anesthesiology"}, {"tracks": [1]}, {}):
        answer = client.put("/me/tracks", bad)
        assert answer.status_code == 400 and "error" in answer.json()
    assert client.get("/me").json()["tracks"] == ["internal-medicine-prelim", "anesthesiology"]


def test_create_user_refuses_unknown_tracks_and_bad_addresses(stored_api):
    process, _ = stored_api
    for args in (["create-user", "x@example.edu", "--track", "no-such-track"], ["create-user", "not-an-address"]):
        with pytest.raises(RuntimeError):
            process.flask(*args)


def test_create_demo_user_always_prints_a_fresh_token(stored_api):
    process, _ = stored_api
    first = process.flask("create-demo-user").strip().splitlines()[-1]
    second = process.flask("create-demo-user").strip().splitlines()[-1]
    assert first != second
    me = Client(process, first).get("/me").json()
    assert me["email"] == "demo@example.edu" and me["tracks"] == ["anesthesiology", "internal-medicine-prelim"]
    assert Client(process, second).get("/me").status_code == 200
