"""Faults under load, on the production server: a worker killed with SIGKILL, and PostgreSQL
going away and coming back. Clients retry with the same event_id, as the extension's outbox
does; afterwards every event is stored exactly once and the server has healed by itself.

PostgreSQL is "stopped" by a TCP proxy between the server and it (its listener closed and
its connections cut), never for real: other tests and people use the same PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from server import db as coach_db
from server.db import POSTGRES_CONNECT_TIMEOUT_S, make_engine

from .prodserver import ProductionServer
from .serverproc import free_port
from .storage import Database, auth, database

USERS, THREADS = 8, 8
RETRY_FOR = 60  # seconds a client keeps retrying one event, far beyond any outage here


def _events(count: int, tokens: list[str]) -> list[tuple[str, dict]]:
    return [(tokens[n % len(tokens)], {
        "event_id": str(uuid.uuid4()), "type": "sent", "to": [f"pd{n % 5}@uw.edu"],
        "text": f"Dear Dr. Lee,\n\nThank you for the interview on day {n}.",
        "at": f"2026-12-{1 + n % 28:02d}T09:00:00Z",
    }) for n in range(count)]


class Poster:
    """Posts events like the extension's outbox: on a refused connection or a 5xx, again, same event_id."""

    def __init__(self, url: str):
        self.url = url + "/api/v1/ledger/events"
        self.retries = 0
        self.failures: list[str] = []  # what the failed attempts got
        self.stored = 0
        self.lock = threading.Lock()

    def wait_until_stored(self, count: int) -> None:
        while self.stored < count:
            time.sleep(0.01)

    def post(self, item: tuple[str, dict]) -> int:
        token, event = item
        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                answer = requests.post(self.url, json=event, headers=auth(token), timeout=10)
                if answer.status_code < 500:
                    with self.lock:
                        self.stored += 1
                    return answer.status_code
                failure = f"{answer.status_code} {answer.json()['error']['code']}"  # a 5xx is JSON too
            except (requests.ConnectionError, requests.Timeout) as error:
                failure = type(error).__name__
            with self.lock:
                self.retries += 1
                self.failures.append(failure)
            assert time.monotonic() < deadline, f"event {event['event_id']} never got through: {failure}"
            time.sleep(0.05)


def _stored_once(db, events) -> None:
    rows = db.execute("SELECT event_id, COUNT(*) FROM ledger_events GROUP BY event_id")
    assert {event_id for event_id, _ in rows} == {event["event_id"] for _, event in events}
    assert {count for _, count in rows} == {1}


def test_a_worker_killed_under_load_loses_and_doubles_nothing(tmp_path):
    with database("postgresql", tmp_path / "db") as db, \
            ProductionServer(tmp_path / "server", env={"DATABASE_URL": db.url}, workers=3) as server:
        events = _events(400, [db.new_user("anesthesiology") for _ in range(USERS)])
        poster = Poster(server.url)
        workers = server.worker_pids()
        killed = []

        def kill_two_workers():
            for stored in (100, 250):
                poster.wait_until_stored(stored)
                victim = min(server.worker_pids() & workers - set(killed))
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        killer = threading.Thread(target=kill_two_workers)
        with ThreadPoolExecutor(THREADS) as pool:
            killer.start()
            statuses = list(pool.map(poster.post, events))
        killer.join()
        assert len(killed) == 2
        # 200: the killed worker had stored the event before it died, and the retry found it.
        assert set(statuses) <= {200, 201}
        assert poster.retries >= 1 and set(poster.failures) <= {"ConnectionError"}, set(poster.failures)
        _stored_once(db, events)
        deadline = time.monotonic() + 10
        while len(server.worker_pids()) != 3 or server.worker_pids() & set(killed):
            assert time.monotonic() < deadline, "the arbiter did not replace the killed workers"
            time.sleep(0.1)
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200


class PostgresProxy:
    """A TCP proxy to PostgreSQL that can be stopped (listener closed, every connection cut) and started again."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.frozen = False  # accepts connections but never answers, like a paused machine

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR: the same port again
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self.listener.close()
        self.freeze(False)

    def freeze(self, frozen: bool) -> None:
        with self.lock:
            self.frozen = frozen
            for sock in self.sockets:
                _cut(sock)
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self.lock:
                self.sockets.add(client)
                if self.frozen:
                    continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets.add(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            _cut(sock)
            with self.lock:
                self.sockets.discard(sock)


def _cut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@contextmanager
def _behind_proxy(folder) -> Iterator[tuple[Database, PostgresProxy, ProductionServer]]:
    """A production server whose PostgreSQL is reached through a proxy the test can stop or freeze."""
    with database("postgresql", folder / "db") as db:
        url = make_url(db.url)
        proxy = PostgresProxy((url.host, url.port or 5432))
        proxy.start()
        through_proxy = url.set(port=proxy.port).render_as_string(hide_password=False)
        try:
            with ProductionServer(folder / "server", env={"DATABASE_URL": through_proxy}, workers=2) as server:
                yield db, proxy, server
        finally:
            proxy.stop()


def test_the_server_rides_out_a_database_outage(tmp_path):
    with _behind_proxy(tmp_path) as (db, proxy, server):
        events = _events(300, [db.new_user("anesthesiology") for _ in range(USERS)])
        poster = Poster(server.url)
        health: list[tuple[float, int | str]] = []
        outage: dict[str, float] = {}
        done = threading.Event()

        def watch_health():
            while not done.is_set():
                try:
                    status = requests.get(f"{server.url}/healthz", timeout=5).status_code
                except requests.RequestException as error:
                    status = type(error).__name__
                health.append((time.monotonic(), status))
                time.sleep(0.1)

        def outage_of_three_seconds():
            poster.wait_until_stored(60)
            outage["from"] = time.monotonic()
            proxy.stop()
            time.sleep(3)
            proxy.start()
            outage["to"] = time.monotonic()

        watcher = threading.Thread(target=watch_health)
        breaker = threading.Thread(target=outage_of_three_seconds)
        with ThreadPoolExecutor(4) as pool:
            watcher.start()
            breaker.start()
            statuses = list(pool.map(poster.post, events))
            breaker.join()
            # The server heals by itself: healthy within five seconds of the database's return.
            while not health or health[-1][1] != 200:
                assert time.monotonic() - outage["to"] < 5, f"still unhealthy: {health[-1][1]}"
                time.sleep(0.1)
            done.set()
        watcher.join()
        assert set(statuses) <= {200, 201}
        _stored_once(db, events)
        during = {status for at, status in health if outage["from"] + 0.3 < at < outage["to"]}
        assert during == {503}, during  # unhealthy while the database is away, and it says so at once
        assert poster.retries >= 1 and set(poster.failures) <= {"503 database_unavailable"}, \
            set(poster.failures)


def test_a_database_that_does_not_answer_fails_requests_fast(tmp_path):
    with _behind_proxy(tmp_path) as (db, proxy, server):
        token = db.new_user()
        proxy.freeze(True)
        started = time.monotonic()
        answer = requests.get(f"{server.url}/healthz", timeout=30)
        waited = time.monotonic() - started
        assert answer.status_code == 503 and waited < POSTGRES_CONNECT_TIMEOUT_S + 3, waited
        proxy.freeze(False)
        assert requests.get(f"{server.url}/api/v1/me", headers=auth(token), timeout=30).status_code == 200


def test_a_connection_gone_stale_while_idle_is_replaced_before_use(tmp_path, monkeypatch):
    """Only a connection that sat idle is pinged; if its database connection was cut meanwhile, the
    pool replaces it and the query never sees the cut."""
    monkeypatch.setattr(coach_db, "PING_AFTER_IDLE_S", 0.2)
    with database("postgresql", tmp_path / "db") as db:
        url = make_url(db.url)
        proxy = PostgresProxy((url.host, url.port or 5432))
        proxy.start()
        engine = make_engine(url.set(port=proxy.port).render_as_string(hide_password=False))
        pings = []
        ping = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(1) or ping(connection))

        def select_one():
            with engine.connect() as connection:
                return connection.execute(text("SELECT 1")).scalar()

        try:
            assert [select_one(), select_one()] == [1, 1]
            assert pings == []  # a new connection, then one used a moment ago: no round trip spent on pings
            proxy.freeze(False)  # cuts every connection through the proxy, and keeps accepting new ones
            time.sleep(0.3)
            assert select_one() == 1
            assert pings == [1]
        finally:
            engine.dispose()
            proxy.stop()
