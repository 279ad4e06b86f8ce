"""A real rules server in a child process, for tests that speak HTTP to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`flask run` (or gunicorn) on a free port with its own instance folder and database."""

    def __init__(self, instance: Path, env: dict | None = None, gunicorn_workers: int = 0, port: int | None = None):
        self.instance = Path(instance)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "COACH_INSTANCE_PATH": str(self.instance), **(env or {})}
        self.gunicorn_workers = gunicorn_workers
        self.process: subprocess.Popen | None = None
        self.log = self.instance / f"server-{self.port}.log"

    def command(self) -> list[str]:
        if self.gunicorn_workers:
            return [sys.executable, "-m", "gunicorn", "--workers", str(self.gunicorn_workers),
                    "--bind", f"127.0.0.1:{self.port}", "server:create_app()"]
        return [sys.executable, "-m", "flask", "--app", "server", "run", "--port", str(self.port)]

    def flask(self, *args: str) -> str:
        """Run a `flask --app server` command against this server's database; its output."""
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "server", *args], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def start(self, timeout: float = 30) -> ServerProcess:
        self.instance.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=self.env,
                                        stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # gunicorn workers may still be booting
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer /healthz in {timeout}s: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
