"""Four gunicorn workers on one database, SQLite or PostgreSQL.

Nothing lost, nothing doubled: 1,000 events posted at once, a fifth of them twice, are
each stored exactly once; a ledger erased while sends arrive keeps its count right. And
what one worker changes, every other one sees.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .storage import BACKENDS, auth, server

EVENTS, REPEATED, USERS, THREADS = 1000, 200, 10, 16
PROGRAMS = ["uw.edu", "vumc.org", "ucsf.edu", "mgb.org", "stanford.edu", "jhmi.edu", "example-community.org"]


@pytest.fixture(scope="module", params=BACKENDS)
def workers(request, tmp_path_factory):
    with server(request.param, tmp_path_factory.mktemp(request.param), gunicorn_workers=4) as running:
        yield running


def test_concurrent_events_are_stored_exactly_once(workers):
    process, db = workers
    tokens = [db.new_user("anesthesiology") for _ in range(USERS)]
    events = [
        (tokens[n % USERS], {
            "event_id": str(uuid.uuid4()), "type": "sent", "to": [f"pd@{PROGRAMS[n % len(PROGRAMS)]}"],
            "subject": "Thank you", "text": f"Dear Dr. Lee,\n\nThank you for the interview on day {n}.",
            "at": f"2026-12-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
        })
        for n in range(EVENTS)
    ]
    posts = events + random.Random(7).sample(events, REPEATED)
    random.Random(8).shuffle(posts)
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=THREADS, pool_maxsize=THREADS)
    session.mount("http://", adapter)

    def post(item):
        token, event = item
        answer = session.post(process.url + "/api/v1/ledger/events", json=event, headers=auth(token), timeout=60)
        return event["event_id"], answer.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(post, posts))

    statuses = Counter(status for _, status in results)
    assert statuses == {201: EVENTS, 200: REPEATED}, statuses
    created = Counter(event_id for event_id, status in results if status == 201)
    assert set(created) == {event["event_id"] for _, event in events} and max(created.values()) == 1

    rows = db.execute("SELECT event_id, COUNT(*) FROM ledger_events GROUP BY event_id")
    assert len(rows) == EVENTS and {count for _, count in rows} == {1}
    _sizes_are_counts(db)
    for token in tokens:
        exported = session.get(process.url + "/api/v1/ledger/export", headers=auth(token), timeout=60).json()
        assert len(exported["events"]) == EVENTS // USERS

    # Every worker has this user's ledger cached by now; each must notice the new letter at once.
    intent = {"text": "Dear Dr. Smith,\n\nYour program is my first choice, and I will rank it #1.",
              "to": ["pd@uw.edu"], "at": "2027-02-01T12:00:00Z"}
    assert session.post(process.url + "/api/v1/ledger/events", headers=auth(tokens[0]), timeout=60,
                        json={**intent, "event_id": str(uuid.uuid4()), "type": "sent"}).status_code == 201
    second = {**intent, "to": ["pd@vumc.org"], "at": "2027-02-03T12:00:00Z"}
    for _ in range(8):
        answer = session.post(process.url + "/api/v1/check", json=second, headers=auth(tokens[0]), timeout=60)
        assert "honesty.multiple-first-choice" in {w["category"] for w in answer.json()["warnings"]}


def _sizes_are_counts(db) -> None:
    """Each user's kept ledger size, part of the ledger's version, is the count of their events."""
    sizes = db.execute("SELECT ledger_size, (SELECT COUNT(*) FROM ledger_events e WHERE e.user_id = u.id) FROM users u")
    assert sizes and all(size == count for size, count in sizes), sizes


def test_a_ledger_erased_while_sends_arrive_keeps_its_count(workers):
    process, db = workers
    tokens = [db.new_user("anesthesiology") for _ in range(2)]
    work = [(token, "send") for token in tokens for _ in range(150)] + [(token, "erase") for token in tokens * 40]
    random.Random(9).shuffle(work)

    def run(item):
        token, action = item
        if action == "erase":
            return requests.delete(process.url + "/api/v1/ledger", headers=auth(token), timeout=60).status_code
        event = {"event_id": str(uuid.uuid4()), "type": "sent", "to": ["pd@uw.edu"], "text": "Thank you.",
                 "at": "2026-12-01T12:00:00Z"}
        return requests.post(process.url + "/api/v1/ledger/events", json=event, headers=auth(token),
                             timeout=60).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        assert set(pool.map(run, work)) == {200, 201}
    _sizes_are_counts(db)
    for token in tokens:  # and each worker's copy of the ledger is the stored one
        stored = len(requests.get(process.url + "/api/v1/ledger/export", headers=auth(token), timeout=60)
                     .json()["events"])
        summaries = {len(requests.get(process.url + "/api/v1/ledger/summary", params={"to": "pd@uw.edu"},
                                      headers=auth(token), timeout=60).json()["history"]) for _ in range(8)}
        assert summaries == {stored}


def test_directory_edits_reach_every_worker_within_seconds(workers):
    process, db = workers

    def labels() -> set[str]:
        answers = [requests.get(process.url + "/api/v1/tracks", timeout=10).json()["tracks"] for _ in range(12)]
        return {next(t["label"] for t in tracks if t["id"] == "anesthesiology") for tracks in answers}

    assert labels() == {"Anesthesiology"}
    db.execute("UPDATE directory_tracks SET label = 'Anaesthesia' WHERE id = 'anesthesiology'")
    db.execute("UPDATE data_versions SET version = version + 1")
    deadline = time.monotonic() + 5
    while labels() != {"Anaesthesia"}:
        assert time.monotonic() < deadline, "an edit did not reach every worker within 5 seconds"
        time.sleep(0.2)
