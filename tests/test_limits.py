"""Rate-limit counters in a worker's memory (the default): a window per client, and no thread per request."""

from __future__ import annotations

import threading

import pytest

from server import create_app
from server.limits import LocalCounters


class _Clocked(LocalCounters):
    now = 1000.0

    def clock(self):
        return self.now


@pytest.fixture
def counters():
    return _Clocked()


def test_a_window_counts_until_it_ends_then_starts_over(counters):
    assert [counters.incr("token:a", 60) for _ in range(3)] == [1, 2, 3]
    assert counters.get("token:a") == 3 and counters.get_expiry("token:a") == 1060.0
    assert counters.get("token:b") == 0  # each client counts on its own
    counters.now = 1060.0
    assert counters.get("token:a") == 0
    assert counters.incr("token:a", 60) == 1 and counters.get_expiry("token:a") == 1120.0


def test_the_counters_of_clients_gone_quiet_are_swept_out(counters):
    counters.incr("token:quiet", 60)
    counters.incr("token:busy", 3600)
    counters.now += LocalCounters.SWEEP_EVERY
    counters.incr("token:busy", 3600)
    assert counters.reset() == 1  # only the busy client's window was left


def test_requests_start_no_thread(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "RATE_LIMIT_CHECK": "3/minute"})
    limiter, = app.extensions["limiter"]
    assert isinstance(limiter.storage, LocalCounters)
    client = app.test_client()
    statuses = [client.post("/api/v1/check", json={"text": "Dear Dr. Lee,"}).status_code]
    threads = threading.active_count()  # the first request starts the app's watch for new rule versions
    for _ in range(4):
        statuses.append(client.post("/api/v1/check", json={"text": "Dear Dr. Lee,"}).status_code)
        # The limits package's own memory storage leaves a timer thread behind each count.
        assert threading.active_count() == threads
    assert statuses == [200] * 3 + [429] * 2
