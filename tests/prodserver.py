"""The server as a school runs it: the Procfile's `release:` then `web:` (gunicorn with
gunicorn.conf.py) in production mode, run through a shell as a platform would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from .browser.harness import wait_until
from .serverproc import ROOT, ServerProcess

VENV_BIN = str(Path(sys.executable).parent)
PUBLIC_URL = "https://coach.example.edu"  # where clients would reach it, behind a TLS proxy


def procfile() -> dict[str, str]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if command.strip():
            processes[name.strip()] = command.strip()
    return processes


class ProductionServer(ServerProcess):
    def __init__(self, instance: Path, env: dict | None = None, workers: int = 2, port: int | None = None):
        production = {"COACH_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                      "COACH_PUBLIC_URL": PUBLIC_URL, "WEB_CONCURRENCY": str(workers),
                      "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        super().__init__(instance, env={**production, **(env or {})}, port=port)
        self.env["COACH_BIND"] = f"127.0.0.1:{self.port}"
        self.workers = workers
        self.release_output = ""

    def command(self) -> list[str]:
        # exec: the shell becomes gunicorn's arbiter, so the process here is the one signals go to.
        return ["sh", "-c", "exec " + procfile()["web"]]

    def release(self) -> str:
        done = subprocess.run(["sh", "-c", procfile()["release"]], cwd=ROOT, env=self.env, capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"the release step failed: {done.stderr[-3000:]}")
        return done.stdout + done.stderr

    def start(self, timeout: float = 30) -> ProductionServer:
        self.instance.mkdir(parents=True, exist_ok=True)
        self.release_output = self.release()
        super().start(timeout)
        # One worker answering /healthz does not mean the others have booted.
        wait_until(lambda: len(self.worker_pids()) == self.workers, timeout=timeout,
                   message=f"{self.workers} gunicorn workers")
        return self

    def worker_pids(self) -> set[int]:
        """The arbiter's children: its workers."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return {int(child) for child in children}
