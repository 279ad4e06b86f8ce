"""Two app servers behind a load balancer: stateless, sharing one PostgreSQL (and Redis for
rate limits). What one is told, the other knows: events posted to either are all there
once, a rule an admin publishes on one is in force on the other within five seconds, and
a token's rate limit is counted across both."""

from __future__ import annotations

import itertools
import os
import random
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from .conftest import require
from .prodserver import ProductionServer
from .storage import auth, database

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RULE, RULE_FILE = "nrmp.ask-rank.where-do-i-stand", "packs/nrmp.yaml"
ASKS_RANK = {"text": "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?", "to": ["pd@uw.edu"]}
EVENTS, TWICE, USERS, THREADS = 300, 60, 6, 8
API_LIMIT = 20


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    require(redis_available(), f"Redis at {REDIS_URL}")
    folder = tmp_path_factory.mktemp("scaleout")
    env = {"COACH_RATELIMIT_STORAGE_URL": REDIS_URL, "COACH_RATE_LIMIT_API": f"{API_LIMIT}/minute",
           "COACH_RATE_LIMIT_CHECK": "10000/minute", "COACH_RATE_LIMIT_EVENTS": "10000/minute"}
    with database("postgresql", folder / "db") as db:
        env["DATABASE_URL"] = db.url
        # The second server's release step finds the schema migrated and does nothing.
        with ProductionServer(folder / "a", env=env) as a, ProductionServer(folder / "b", env=env) as b:
            yield a, b, db


def test_events_posted_to_both_servers_are_all_there_once(servers):
    a, b, db = servers
    tokens = [db.new_user("anesthesiology") for _ in range(USERS)]
    events = [(tokens[n % USERS], {"event_id": str(uuid.uuid4()), "type": "sent", "to": [f"pd{n % 7}@uw.edu"],
                                   "text": f"Dear Dr. Lee,\n\nThank you for the interview on day {n}.",
                                   "at": f"2026-12-{1 + n % 28:02d}T10:00:00Z"}) for n in range(EVENTS)]
    # A client that retries on the other server (as after a load balancer's failover) sends some twice.
    posts = [(server, item) for item, server in zip(events, itertools.cycle((a, b)))]
    posts += [(b if server is a else a, item) for server, item in random.Random(3).sample(posts, TWICE)]
    random.Random(4).shuffle(posts)

    def post(job):
        server, (token, event) = job
        answer = requests.post(f"{server.url}/api/v1/ledger/events", json=event, headers=auth(token), timeout=60)
        return event["event_id"], answer.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(post, posts))
    assert Counter(status for _, status in results) == {201: EVENTS, 200: TWICE}
    rows = db.execute("SELECT event_id, COUNT(*) FROM ledger_events GROUP BY event_id")
    assert len(rows) == EVENTS and {count for _, count in rows} == {1}
    for token in tokens:  # each server answers every user with the same, whole ledger
        exports = [requests.get(f"{server.url}/api/v1/ledger/export", headers=auth(token), timeout=30).json()["events"]
                   for server in (a, b)]
        assert exports[0] == exports[1] and len(exports[0]) == EVENTS // USERS


def _warned(server, token) -> tuple[frozenset[str], str]:
    """The rules a draft that asks for its rank sets off, and the rule set's version."""
    answer = requests.post(f"{server.url}/api/v1/check", json=ASKS_RANK, headers=auth(token), timeout=30).json()
    return frozenset(w["rule"] for w in answer["warnings"]), answer["ruleset"]


def _publish(server, admin, body: dict) -> requests.Response:
    """Publish as the admin page does: when the review names what the change costs the example
    emails (turning a rule off may), the admin confirms those consequences."""
    answer = requests.post(f"{server.url}/admin/api/changes/publish", headers=auth(admin), timeout=60, json=body)
    if answer.status_code == 428:
        consequences = answer.json()["error"]["consequences"]
        answer = requests.post(f"{server.url}/admin/api/changes/publish", headers=auth(admin), timeout=60,
                               json={**body, "confirm": consequences})
    return answer


def test_a_rule_published_on_one_server_is_in_force_on_the_other_within_five_seconds(servers):
    a, b, db = servers
    admin, applicant = db.new_user(role="admin", email=f"office-{uuid.uuid4().hex[:8]}@example.edu"), db.new_user()
    before = {_warned(server, applicant) for server in (a, b) for _ in range(4)}
    assert len(before) == 1 and RULE in next(iter(before))[0]
    base = requests.get(f"{a.url}/admin/api/rules/{RULE}", headers=auth(admin), timeout=30).json()["version"]
    published = _publish(a, admin, {"base": base, "change": {"op": "disable-rule", "file": RULE_FILE, "rule": RULE},
                                    "note": "Scale-out test: off for a moment."})
    assert published.status_code == 201, published.text
    at = time.monotonic()
    # In force on every worker of both servers (a dozen requests each reach them all), within five seconds.
    while True:
        answers = {_warned(server, applicant) for server in (b, a) for _ in range(12)}
        if len(answers) == 1 and answers != before and RULE not in next(iter(answers))[0]:
            break
        assert time.monotonic() - at < 5, f"five seconds after the publish, the servers answer {answers}"
        time.sleep(0.1)
    restored = _publish(a, admin, {"base": published.json()["version"]["id"], "note": "Scale-out test: back on.",
                                   "change": {"op": "enable-rule", "file": RULE_FILE, "rule": RULE}})
    assert restored.status_code == 201, restored.text


def test_a_rate_limit_is_counted_across_both_servers(servers):
    a, b, db = servers
    token = db.new_user()
    statuses = [requests.get(f"{server.url}/api/v1/me", headers=auth(token), timeout=30).status_code
                for server in itertools.islice(itertools.cycle((a, b)), API_LIMIT + 6)]
    # With counters in each process, four workers would let up to four times the limit through.
    assert statuses == [200] * API_LIMIT + [429] * 6
