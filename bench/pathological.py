"""The worst inputs known, against the production server: each must be answered quickly, with JSON.

    .venv/bin/python bench/pathological.py [--rounds 3] [--concurrency 3] [--json out.json]

Runs the Procfile as a school would (gunicorn with gunicorn.conf.py, two workers,
COACH_ENV=production) on SQLite in a temporary instance folder, makes one applicant, then
sends each input below `--concurrency` at a time (three at once were enough to leave no
worker for anyone else before they were fixed), `--rounds` times over. Meanwhile a load
balancer's probe asks /healthz every 100 ms. For each input it reports the slowest answer,
its status and whether it was JSON; for the probe, its slowest answer while the inputs ran.
The target: every answer in under 1 s and JSON, /healthz always within 1 s. The exit
status is 1 when an input misses it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.prodserver import ProductionServer  # noqa: E402

LIMIT = 50_000 - 100  # COACH_MAX_TEXT_CHARS' default (text and subject), less room for a subject
TARGET = 1.0  # seconds


def _draft(text: str, **fields) -> dict:
    return {"text": text, "subject": "Thank you", "to": ["Dr Jane Smith <jsmith@uw.edu>"], **fields}


def _sent(text: str, **fields) -> dict:
    return {"event_id": str(uuid.uuid4()), "type": "sent", "at": "2027-01-20T10:00:00Z", "text": text,
            "subject": "Thank you", "to": ["jsmith@uw.edu"], **fields}


def _repeated(word: str) -> str:
    return (word + " ") * (LIMIT // (len(word) + 1))


def inputs() -> dict[str, tuple[str, str, dict | str]]:
    """name -> (method, path, JSON body or raw body)."""
    ends = {"!": "!" * LIMIT, ". ? !": ".?!" * (LIMIT // 3), "quoted ends": '!")' * (LIMIT // 3)}
    words = {"u u u": _repeated("u"), "lol lol": _repeated("lol"), "XXX XXX": _repeated("XXX"),
             "one long line": "a" * LIMIT, "mixed scripts": "Dr. 山田 Привет! \u200b\u202e" * (LIMIT // 20)}
    cases: dict[str, tuple[str, str, dict | str]] = {}
    for name, text in {**ends, **words}.items():
        cases[f"check: {name}"] = ("POST", "/api/v1/check", _draft(text))
    cases["check: ! in subject"] = ("POST", "/api/v1/check", _draft("Dear Dr. Smith,", subject="!" * 998))
    cases["check inbound: !"] = ("POST", "/api/v1/check", _draft(ends["!"], direction="inbound"))
    cases["ledger sent: !"] = ("POST", "/api/v1/ledger/events", _sent(ends["!"]))
    cases["ledger sent: u u u"] = ("POST", "/api/v1/ledger/events", _sent(words["u u u"]))
    cases["ledger received: ! ? ."] = ("POST", "/api/v1/ledger/events",
                                       _sent(ends[". ? !"], type="received", **{"from": "jsmith@uw.edu"}))
    cases["JSON nested 50,000 deep"] = ("POST", "/api/v1/check", "[" * 50_000 + "]" * 50_000)
    cases["lone surrogate"] = ("POST", "/api/v1/check", '{"text": "Dear Dr. Smith \\ud800", "to": []}')
    return cases


def send(url: str, token: str, method: str, path: str, body) -> dict:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = body if isinstance(body, str) else json.dumps(body)
    if "/ledger/" in path and not isinstance(body, str):  # a fresh event each time, not a replay
        data = json.dumps({**body, "event_id": str(uuid.uuid4())})
    started = time.perf_counter()
    try:
        answer = requests.request(method, url + path, data=data.encode(), headers=headers, timeout=60)
    except requests.RequestException as error:
        return {"seconds": time.perf_counter() - started, "status": type(error).__name__, "json": False}
    seconds = time.perf_counter() - started
    try:
        answer.json()
        is_json = True
    except ValueError:
        is_json = False
    return {"seconds": seconds, "status": answer.status_code, "json": is_json}


class Probe(threading.Thread):
    """A load balancer's health probe: /healthz every 100 ms; the slowest answer."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.slowest, self.failures, self.done = url, 0.0, 0, threading.Event()

    def run(self):
        while not self.done.is_set():
            started = time.perf_counter()
            try:
                ok = requests.get(self.url + "/healthz", timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            self.slowest = max(self.slowest, time.perf_counter() - started)
            self.failures += not ok
            self.done.wait(0.1)


def run(rounds: int, concurrency: int) -> dict:
    with tempfile.TemporaryDirectory() as instance, ProductionServer(Path(instance)) as server:
        token = server.flask("create-user", f"bench-{uuid.uuid4().hex[:8]}@example.edu",
                             "--track", "anesthesiology").strip().splitlines()[-1]
        results = {}
        probe = Probe(server.url)
        probe.start()
        with ThreadPoolExecutor(concurrency) as pool:
            for name, request in inputs().items():
                answers = list(pool.map(lambda _, request=request: send(server.url, token, *request),
                                        range(rounds * concurrency)))
                slowest = max(answers, key=lambda a: a["seconds"])
                results[name] = {"slowest_s": round(slowest["seconds"], 3),
                                 "statuses": sorted({str(a["status"]) for a in answers}),
                                 "json": all(a["json"] for a in answers)}
                print(f"{name:28} {results[name]['slowest_s']:7.3f} s  {','.join(results[name]['statuses']):9}"
                      f" json={results[name]['json']}", flush=True)
        probe.done.set()
        probe.join()
        return {"inputs": results, "healthz": {"slowest_s": round(probe.slowest, 3), "failures": probe.failures}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    figures = run(args.rounds, args.concurrency)
    healthz = figures["healthz"]
    print(f"{'/healthz meanwhile':28} {healthz['slowest_s']:7.3f} s  failures={healthz['failures']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    missed = [name for name, f in figures["inputs"].items()
              if f["slowest_s"] >= TARGET or not f["json"] or any(s.startswith("5") or not s.isdigit()
                                                                    for s in f["statuses"])]
    if healthz["slowest_s"] >= TARGET or healthz["failures"]:
        missed.append("/healthz")
    print("target met" if not missed else f"target missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
