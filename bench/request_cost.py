"""What one request costs the server, in-process: /healthz, /api/v1/me and a check.

    .venv/bin/python bench/request_cost.py [--rounds 20] [--events 35]

The app through Flask's test client on a fresh schema of the local PostgreSQL
(TEST_POSTGRES_URL), pinned to one core: no HTTP server and no load generator, so the
machine's other core stays idle and what varies under load on a shared machine
(bench/load) is left out. An applicant with a season's ledger (--events sent emails,
recorded through the API, dated in the last 90 days) checks the load benchmark's drafts
as they grow, each with a newly typed word in its last sentence. The three requests are
timed in turns, in rounds of 200 (the drafts in turn, for checks); the best round of each
counts, as a shared machine's slow moments only ever add. Reports milliseconds per
request, and checks / healthz as throughputs.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.load.run import fresh_database, letter, prefixes, season_send, typed  # noqa: E402
from server import accounts, create_app  # noqa: E402
from server.db import make_engine, writing  # noqa: E402

ROUND = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--events", type=int, default=35, help="sent emails in the applicant's ledger")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(2027)
    directory = yaml.safe_load((ROOT / "rules" / "programs.yaml").read_text())
    institutions, tracks = directory["institutions"], [t["id"] for t in directory["tracks"]]

    with fresh_database(None) as url, tempfile.TemporaryDirectory() as instance:
        os.environ["COACH_INSTANCE_PATH"] = instance
        app = create_app({"DATABASE_URL": url, "AUTO_MIGRATE": True, "LOG_LEVEL": "warning",
                          **{f"RATE_LIMIT_{kind}": "1000000/minute" for kind in ("CHECK", "EVENTS", "API")}})
        engine = make_engine(url)
        with writing(engine) as connection:
            user = accounts.create_user(connection, "applicant@example.edu", "applicant", rng.sample(tracks, 2))
            _, token = accounts.issue_token(connection, user.id, "bench", timedelta(days=1))
            headers = {"Authorization": f"Bearer {token}"}
        engine.dispose()
        client = app.test_client()
        today = datetime.now(UTC)
        for n in range(args.events):
            send = season_send(rng, rng.choice(institutions), "Ana Park",
                               today - timedelta(days=1 + n * 89 // max(1, args.events)))
            answer = client.post("/api/v1/ledger/events", headers=headers, json=send)
            assert answer.status_code == 201, answer.json
        drafts = []
        for _ in range(30):
            final, message = letter(rng, rng.choice(institutions), "Ana Park")
            drafts += [{"text": draft, **message} for draft in prefixes(final)]
        rng.shuffle(drafts)

        def check(n: int) -> None:
            assert client.post("/api/v1/check", headers=headers, json=typed(drafts[n % len(drafts)])).status_code == 200

        def healthz(_: int) -> None:
            assert client.get("/healthz").status_code == 200

        def me(_: int) -> None:
            assert client.get("/api/v1/me", headers=headers).status_code == 200

        requests = {"/healthz": healthz, "/api/v1/me": me, "check": check}
        for request in requests.values():  # warm-up: every draft's sentences read once, caches filled
            for n in range(len(drafts)):
                request(n)
        best = dict.fromkeys(requests, float("inf"))
        for _ in range(args.rounds):  # in turns, so that the machine's moods reach all three alike
            for name, request in requests.items():
                started = time.perf_counter()
                for n in range(ROUND):
                    request(n)
                best[name] = min(best[name], (time.perf_counter() - started) / ROUND * 1000)

    print(f"{len(drafts)} drafts ({args.events}-event ledger), one core, best of {args.rounds} rounds of {ROUND}:")
    for name, ms in best.items():
        print(f"  {name:12} {ms:.3f} ms")
    print(f"  checks / healthz (throughput): {best['/healthz'] / best['check']:.2f}")


if __name__ == "__main__":
    main()
