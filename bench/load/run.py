"""Load benchmark: simulated applicants against the production server on PostgreSQL.

    .venv/bin/python bench/load/run.py [--applicants 100] [--seconds 30] [--rate 500] [--workers N] [--json out.json]

Runs the Procfile as a school would (`release:` migrates, `web:` is gunicorn with
gunicorn.conf.py, COACH_ENV=production) on a fresh schema of the PostgreSQL at
TEST_POSTGRES_URL (or on --database-url, which must be an empty database). It makes the
applicants, gives each a season's ledger (10 to 60 emails sent, through the API), then
drives the server in four phases of one run:

  healthz      wrk (apt-get install wrk), 100 connections asking /healthz back to back
  flat out     wrk, one connection per applicant, back to back: 95 typing (checks of their
               150-400-word email, growing as they write, to a program of the directory, each
               with a newly typed word in its last sentence) and 5 sending (the email recorded
               in the ledger): the most the server does
  rated        the typing applicants' checks arriving at --rate a second in all, at random
               moments, whether or not earlier ones were answered (a small asyncio client here:
               it opens a connection when it has something to send, as a browser does); a
               check's latency counts from when it was due, so queueing anywhere is in it
  typing pace  the same client at a person's pace: each typing applicant checks their growing
               draft every 1-3 s (the clients check 400 ms after typing pauses)

In the last two phases each sending applicant sends every 2.5-7.5 s. In all but the first,
a load balancer probes /healthz once a second. Rate limits stay on (in memory), raised far
above this load. Every phase reports throughput, latency percentiles and the CPU each part
of the machine used: the server, PostgreSQL's backends for it, the load generator, and
everything else (other people's work on a shared machine).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import requests  # noqa: E402
import yaml  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from server import accounts  # noqa: E402
from server.db import make_engine, writing  # noqa: E402
from server.isotime import iso  # noqa: E402

SCRIPT = Path(__file__).with_name("coach.lua")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
APPLICATION_NAME = "coach-bench"  # how PostgreSQL's backends serving the server are told apart
SENDING = 5  # of the applicants, how many are sending rather than typing
TYPING = "__TYPING__"  # in a draft: where each request types a word of its own (coach.lua does the same)
TYPING_PAUSE, SENDING_PAUSE, PROBE_PAUSE = (1.0, 3.0), (2.5, 7.5), 1.0  # seconds between two requests
SETTLE = 2.0  # seconds between phases
TICKS = os.sysconf("SC_CLK_TCK")
VENV_BIN = Path(sys.executable).parent  # the Procfile's gunicorn and flask

FIRST_NAMES = ["Ana", "Wei", "Priya", "Samuel", "Fatima", "Jonas", "Keiko", "Diego", "Amara", "Lukas"]
LAST_NAMES = ["Park", "Nguyen", "Okafor", "Smith", "Haddad", "Larsen", "Ito", "Moreno", "Fischer", "Patel"]
# What applicants write, a sentence at a time; a few sentences break the rules or hurt them.
SENTENCES = [
    "I hope you are doing well.",
    "Thank you again for the opportunity to interview with {program} last week.",
    "I wanted to express my continued strong interest in your residency program.",
    "Since our conversation, I have reflected further on the depth of clinical training you described.",
    "The residents spoke warmly about mentorship and the culture of asking questions at any hour.",
    "I was particularly impressed by the structured teaching on morning rounds.",
    "I recently passed Step 3 and completed a sub-internship in internal medicine.",
    "This experience strengthened my clinical skills and confirmed my commitment to the specialty.",
    "My research on perioperative outcomes was accepted for presentation at a national meeting this spring.",
    "I believe the program's emphasis on autonomy and graduated responsibility fits how I learn best.",
    "The faculty I met made it clear that resident wellness is taken seriously.",
    "I would be grateful for the opportunity to contribute to your team and the community you serve.",
    "Please let me know if there is anything else I can share to support my application.",
    "I also enjoyed learning about the global health track and the quality improvement curriculum.",
    "My family lives nearby, and training close to them would let me give my best every day.",
    "I will be ranking your program very highly.",
    "Your program is my first choice, and I would be thrilled to match there.",
    "Could you tell me where I stand on your rank list?",
    "This is my only chance, and I really need this spot.",
    "Over the past month I have been working on a case report that grew out of my sub-internship.",
    "I appreciated how openly the program director discussed the changes planned for next year.",
    "The simulation center and the regional anesthesia rotation stood out to me in particular.",
    "I am excited about the prospect of training in a program that values teaching as much as service.",
    "Thank you for your time and consideration.",
]


def email(rng: random.Random, words: int, program: str, sender: str) -> str:
    doctor = rng.choice(LAST_NAMES)
    body: list[str] = []
    while sum(len(s.split()) for s in body) < words:
        body.append(rng.choice(SENTENCES).format(program=program))
    paragraphs = [" ".join(body[i:i + 4]) for i in range(0, len(body), 4)]
    signature = f"Sincerely,\n{sender}\nAAMC ID: 1234{rng.randint(1000, 9999)}"
    return f"Dear Dr. {doctor},\n\n" + "\n\n".join(paragraphs) + "\n\n" + signature


def season_send(rng: random.Random, institution: dict, sender: str, at: datetime) -> dict:
    """One email of an applicant's ledger so far, as the API records it."""
    return {"event_id": str(uuid.uuid4()), "type": "sent", "to": [f"Program Director <pd@{institution['key']}>"],
            "subject": "Thank you", "at": iso(at),
            "text": email(rng, rng.randint(80, 250), institution["name"], sender)}


def letter(rng: random.Random, institution: dict, sender: str) -> tuple[str, dict]:
    """The email an applicant is writing to a program: its final text, and its subject and recipients."""
    final = email(rng, rng.randint(150, 400), institution["name"], sender)
    return final, {"subject": f"Continued interest - {sender}",
                   "to": [f"Dr. {rng.choice(LAST_NAMES)} <pd@{institution['key']}>"]}


def prefixes(text: str, start: int = 150, step: int = 25) -> list[str]:
    """The draft as the applicant types it: the first `start` words, then `step` more each time, up to all.

    Each ends with TYPING, which every request replaces with a word of its own: the
    sentence being typed is never one the server has read before, as in real typing.
    """
    words = text.split(" ")
    return [" ".join(words[:n]) + TYPING for n in range(start, len(words), step)] + [text + TYPING]


def typed(body: dict) -> dict:
    return {**body, "text": body["text"].replace(TYPING, " " + "".join(random.choices("etaoinshrdlu", k=7)))}


@contextmanager
def fresh_database(url: str | None):
    if url:
        yield url
        return
    schema = f"coach_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def procfile() -> dict[str, str]:
    return {name.strip(): command.strip() for name, _, command in
            (line.partition(":") for line in (ROOT / "Procfile").read_text().splitlines()) if command.strip()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def machine_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of every core since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICKS, sum(values[:8]) / TICKS


class Meter:
    """CPU used during a phase, by part of the machine.

    PostgreSQL's share is measured only when it runs on this machine; otherwise it is in none of the parts.
    """

    def __init__(self, server: subprocess.Popen, database_url):
        self.server = server
        self.dsn = database_url.render_as_string(hide_password=False)
        self.local_database = database_url.host in ("127.0.0.1", "localhost", "::1", None)

    def _server_pids(self) -> list[int]:
        pid = self.server.pid
        return [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]

    def _backend_pids(self) -> list[int]:
        if not self.local_database:
            return []
        with psycopg.connect(self.dsn, application_name="coach-bench-meter") as connection:
            rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                                      (APPLICATION_NAME,)).fetchall()
        return [pid for (pid,) in rows]

    def _sample(self) -> dict:
        times = os.times()  # wrk (a finished child) and this process (the asyncio client, the probe)
        return {"server": {p: cpu_seconds(p) for p in self._server_pids()},
                "postgres": {p: cpu_seconds(p) for p in self._backend_pids()},
                "client": times.children_user + times.children_system + times.user + times.system,
                "machine": machine_seconds(), "at": time.monotonic()}

    def start(self) -> None:
        self.first = self._sample()

    def stop(self) -> dict:
        last = self._sample()
        wall = last["at"] - self.first["at"]

        def used(part):  # processes that started during the phase count from zero
            return sum(v - self.first[part].get(p, 0.0) for p, v in last[part].items())

        busy = last["machine"][0] - self.first["machine"][0]
        cores = (last["machine"][1] - self.first["machine"][1]) / wall
        parts = {"server": used("server"), "postgres": used("postgres"),
                 "client": last["client"] - self.first["client"]}
        parts["other"] = max(0.0, busy - sum(parts.values()))
        return {"cores": round(cores, 2), "busy_cores": round(busy / wall, 2),
                **{f"{name}_cores": round(seconds / wall, 2) for name, seconds in parts.items()}}


def wrk(url: str, mode: str, connections: int, seconds: int, file: Path | None = None) -> subprocess.Popen:
    threads = max(1, min(2, connections))
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(SCRIPT), url, "--", mode] + ([str(file)] if file else [])
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def result(process: subprocess.Popen) -> dict:
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"wrk failed: {err or out}")
    measured = json.loads(out.strip().splitlines()[-1])
    seconds = measured["duration_us"] / 1e6
    latency = {k: round(v / 1000, 1) for k, v in measured["latency_us"].items()}
    return {"requests": measured["requests"], "per_second": round(measured["requests"] / seconds, 1),
            "latency_ms": latency, "errors": {k: v for k, v in measured["errors"].items() if v}}


def figures(latencies: list[float], seconds: float, failures: int) -> dict:
    ordered = sorted(latencies) or [0.0]

    def at(p):
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)

    return {"requests": len(latencies), "per_second": round(len(latencies) / seconds, 1),
            "latency_ms": {"p50": at(50), "p95": at(95), "p99": at(99), "max": round(ordered[-1], 1)},
            "errors": {"status": failures} if failures else {}}


def probe(url: str, seconds: int) -> dict:
    """A load balancer's health check, once a second."""
    latencies, failures, deadline = [], 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            ok = urllib.request.urlopen(f"{url}/healthz", timeout=10).status == 200
        except OSError:
            ok = False
        latencies.append((time.perf_counter() - started) * 1000)
        failures += not ok
        time.sleep(PROBE_PAUSE)
    return figures(latencies, seconds, failures)


def healthz_phase(url: str, seconds: int, **_) -> dict:
    return {"healthz": result(wrk(url, "healthz", 100, seconds))}


def flat_out_phase(url: str, seconds: int, work: Path, applicants: int, **_) -> dict:
    checking = wrk(url, "check", applicants - SENDING, seconds, work / "checks.tsv")
    sending = wrk(url, "send", SENDING, seconds, work / "sends.tsv")
    probed = probe(url, seconds)
    return {"check": result(checking), "send": result(sending), "healthz_probe": probed}


class Paced:
    """The asyncio client of the paced phases: each request on a connection of its own, opened when
    there is something to send, as a browser does. A request's latency counts from when it was due,
    so a server (or a client) running late is not hidden by sending later."""

    def __init__(self, url: str, sends: list[tuple[str, dict]], seconds: int):
        self.url, self.where = url, urllib.parse.urlsplit(url)
        self.sends, self.seconds = sends, seconds
        self.rng = random.Random(7)
        self.timings: dict[str, list[float]] = {"check": [], "send": []}
        self.failures = {"check": 0, "send": 0}

    def check(self, token: str, body: dict) -> bytes:
        return self._raw("/api/v1/check", token, typed(body))

    def _raw(self, path: str, token: str, body: dict) -> bytes:
        data = json.dumps(body).encode()
        return (f"POST {path} HTTP/1.1\r\nHost: {self.where.netloc}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\nConnection: close\r\n\r\n"
                ).encode() + data

    async def call(self, kind: str, request: bytes, due: float | None = None) -> None:
        due = time.perf_counter() if due is None else due
        try:
            reader, writer = await asyncio.open_connection(self.where.hostname, self.where.port)
            writer.write(request)
            answer = await reader.read()  # to the end: the request asked the server to close
            writer.close()
            ok = answer.split(b" ", 2)[1] in (b"200", b"201")
        except (OSError, IndexError):
            ok = False
        self.timings[kind].append((time.perf_counter() - due) * 1000)
        self.failures[kind] += not ok

    async def _sender(self, queue: list[tuple[str, dict]], deadline: float) -> None:
        await asyncio.sleep(self.rng.uniform(0, SENDING_PAUSE[1]))
        for token, body in itertools.cycle(queue):
            if time.monotonic() >= deadline:
                return
            await self.call("send", self._raw("/api/v1/ledger/events", token, {**body, "event_id": str(uuid.uuid4())}))
            await asyncio.sleep(self.rng.uniform(*SENDING_PAUSE))

    def run(self, checking) -> dict:
        """Runs checking(deadline), the senders and the load balancer's probe for the phase's length."""

        async def everyone() -> None:
            deadline = time.monotonic() + self.seconds
            await asyncio.gather(checking(deadline),
                                 *(self._sender(self.sends[n::SENDING], deadline) for n in range(SENDING)))

        # The probe runs in a process of its own: a thread here would queue for the interpreter
        # lock behind the busy event loop, and its latency would be the client's, not the server's.
        with ProcessPoolExecutor(1) as pool:
            probed = pool.submit(probe, self.url, self.seconds)
            asyncio.run(everyone())
            return {kind: figures(self.timings[kind], self.seconds, self.failures[kind]) for kind in self.timings} | \
                {"healthz_probe": probed.result()}


def typing_pace_phase(url: str, seconds: int, drafts: list[tuple[str, list[dict]]], sends: list[tuple[str, dict]],
                      **_) -> dict:
    paced = Paced(url, sends, seconds)

    async def typist(token: str, growing: list[dict], deadline: float) -> None:
        await asyncio.sleep(paced.rng.uniform(0, TYPING_PAUSE[1]))
        for body in itertools.cycle(growing):
            if time.monotonic() >= deadline:
                return
            await paced.call("check", paced.check(token, body))
            await asyncio.sleep(paced.rng.uniform(*TYPING_PAUSE))

    async def typists(deadline: float) -> None:
        await asyncio.gather(*(typist(token, growing, deadline) for token, growing in drafts[SENDING:]))

    return paced.run(typists)


def rated_phase(url: str, seconds: int, drafts: list[tuple[str, list[dict]]], sends: list[tuple[str, dict]],
                rate: float, **_) -> dict:
    """The typing applicants' checks arriving at `rate` a second in all, at random moments (a Poisson
    process, as many independent people make), whether or not earlier ones were answered."""
    paced = Paced(url, sends, seconds)

    def applicants_in_turn():  # each one's draft grows from one of their checks to the next
        for k in itertools.count():
            for token, growing in drafts[SENDING:]:
                yield token, growing[k % len(growing)]

    turns = applicants_in_turn()

    async def arrivals(deadline: float) -> None:
        calls, due = [], time.perf_counter()
        while time.monotonic() < deadline:
            due += paced.rng.expovariate(rate)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            token, body = next(turns)
            calls.append(asyncio.create_task(paced.call("check", paced.check(token, body), due)))
        await asyncio.gather(*calls)

    return paced.run(arrivals)


def seed(url: str, applicants: list[dict], institutions: list[dict], rng: random.Random) -> int:
    """A season so far: each applicant has sent 10 to 60 emails to programs of the directory in the last 90 days."""
    jobs, today = [], datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    for applicant in applicants:
        for n in range(rng.randint(10, 60)):
            jobs.append((applicant["token"], season_send(rng, rng.choice(institutions), applicant["name"],
                                                         today - timedelta(days=1 + n * 89 // 60))))
    local = threading.local()

    def post(job):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        token, event = job
        answer = local.session.post(f"{url}/api/v1/ledger/events", json=event, timeout=60,
                                    headers={"Authorization": f"Bearer {token}"})
        answer.raise_for_status()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(post, jobs))
    return len(jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=30, help="length of each phase (healthz: half)")
    parser.add_argument("--rate", type=float, default=500, help="checks a second in the rated phase")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: gunicorn.conf.py's, from the cores)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a fresh schema)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    rng = random.Random(2027)
    directory = yaml.safe_load((ROOT / "rules" / "programs.yaml").read_text())
    institutions = directory["institutions"]
    tracks = [t["id"] for t in directory["tracks"]]
    work = Path(tempfile.mkdtemp(prefix="coach-load-"))

    with fresh_database(args.database_url) as database_url:
        database_url = make_url(database_url).update_query_dict({"application_name": APPLICATION_NAME})
        port = free_port()
        env = {**os.environ, "COACH_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
               "COACH_PUBLIC_URL": "https://coach.example.edu",
               "DATABASE_URL": database_url.render_as_string(hide_password=False), "COACH_INSTANCE_PATH": str(work),
               "COACH_BIND": f"127.0.0.1:{port}", "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
               **{f"COACH_RATE_LIMIT_{kind}": "1000000/minute" for kind in ("CHECK", "EVENTS", "API")}}
        if args.workers:
            env["WEB_CONCURRENCY"] = str(args.workers)
        subprocess.run(["sh", "-c", procfile()["release"]], cwd=ROOT, env=env, check=True, capture_output=True)
        log = (work / "server.log").open("wb")
        server = subprocess.Popen(["sh", "-c", "exec " + procfile()["web"]], cwd=ROOT, env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if urllib.request.urlopen(f"{url}/healthz", timeout=1).status == 200:
                        break
                except OSError:
                    time.sleep(0.1)

            engine = make_engine(env["DATABASE_URL"])
            applicants = []
            with writing(engine) as connection:
                for n in range(args.applicants):
                    user = accounts.create_user(connection, f"applicant{n}@example.edu", "applicant",
                                                rng.sample(tracks, 2))
                    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                    _, token = accounts.issue_token(connection, user.id, "bench", timedelta(days=1))
                    applicants.append({"token": token, "name": name})
            engine.dispose()
            started = time.monotonic()
            seeded = seed(url, applicants, institutions, rng)
            print(f"{args.applicants} applicants, {seeded} emails in their ledgers "
                  f"(recorded through the API in {time.monotonic() - started:.0f} s)", flush=True)

            drafts, sends = [], []
            for applicant in applicants:
                final, message = letter(rng, rng.choice(institutions), applicant["name"])
                drafts.append((applicant["token"], [{"text": draft, **message} for draft in prefixes(final)]))
                sends.append((applicant["token"],
                              {"event_id": "__EVENT_ID__", "type": "sent", "text": final, **message}))
            checks = [(token, body) for token, growing in drafts for body in growing]
            rng.shuffle(checks)
            for name, rows in (("checks.tsv", checks), ("sends.tsv", sends)):
                (work / name).write_text("".join(f"{t}\t{json.dumps(b)}\n" for t, b in rows))
            words = sorted(len(b["text"].split()) for _, b in checks)
            print(f"{len(checks)} drafts to check ({words[0]}-{words[-1]} words, median {words[len(words) // 2]}), "
                  f"{len(sends)} emails to send", flush=True)

            # The client's own full garbage collections would walk all of the above, 30 ms each,
            # and every request in flight would seem to wait for the server meanwhile.
            gc.freeze()
            meter = Meter(server, make_url(env["DATABASE_URL"]).set(drivername="postgresql"))
            result(wrk(url, "check", args.applicants, 5, work / "checks.tsv"))  # warm-up
            phases = {}
            for name, run, seconds in (("healthz", healthz_phase, max(5, args.seconds // 2)),
                                       ("flat_out", flat_out_phase, args.seconds),
                                       ("rated", rated_phase, args.seconds),
                                       ("typing_pace", typing_pace_phase, args.seconds)):
                # wrk's connections leave requests queued when it stops: ~100 for the server to answer
                # before a phase may start, or the next phase's first 100 ms would wait behind them.
                time.sleep(SETTLE)
                meter.start()
                phases[name] = run(url, seconds, work=work, applicants=args.applicants, drafts=drafts, sends=sends,
                                   rate=args.rate)
                phases[name]["cpu"] = meter.stop()
                print(f"{name}: {json.dumps(phases[name])}", flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
            log.close()
    report({"workers": args.workers or "default", "applicants": args.applicants, "seeded_events": seeded,
            "rate": args.rate, **phases},
           args.json)


def report(measured: dict, json_path: Path | None) -> None:
    print()
    for name in ("healthz", "flat_out", "rated", "typing_pace"):
        phase = measured[name]
        for kind, numbers in phase.items():
            if kind != "cpu":
                latency = numbers["latency_ms"]
                print(f"{name:12} {kind:14} {numbers['per_second']:8.1f}/s  p50 {latency['p50']:7.1f} ms  "
                      f"p95 {latency['p95']:7.1f} ms  p99 {latency['p99']:7.1f} ms  errors {numbers['errors'] or 0}")
        cpu = phase["cpu"]
        print(f"{'':12} cores busy {cpu['busy_cores']} of {cpu['cores']}: server {cpu['server_cores']}, "
              f"PostgreSQL {cpu['postgres_cores']}, load generator {cpu['client_cores']}, other {cpu['other_cores']}")
    checks, health, rated = (measured["flat_out"]["check"], measured["healthz"]["healthz"],
                             measured["rated"]["check"])
    print(f"\nchecks arriving at {measured['rate']:g}/s: {rated['per_second']}/s answered, p99 "
          f"{rated['latency_ms']['p99']} ms, errors {rated['errors'] or 0} (target: 500/s with p99 < 50 ms)")
    print(f"checks flat out {checks['per_second']}/s (p99 {checks['latency_ms']['p99']} ms with "
          f"{measured['applicants'] - SENDING} connections back to back); checks / healthz = "
          f"{checks['per_second'] / health['per_second']:.2f} (target >= 0.5)")
    if json_path:
        json_path.write_text(json.dumps(measured, indent=2))


if __name__ == "__main__":
    main()
