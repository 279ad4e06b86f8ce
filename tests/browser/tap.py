"""An HTTP front for the real server, set as the extension's server address: it records
every call the extension makes (the extension's service worker is out of Playwright's
sight) and can hold the server's answers back, as a server that does not answer would."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests

# Hop-by-hop headers, and those the forwarding sets again itself.
_NOT_FORWARDED = {"host", "connection", "content-length", "accept-encoding", "keep-alive", "transfer-encoding"}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    body: dict | None
    raw: str  # path, query and body as received, to search for what must never be sent
    status: int | None = None  # the server's answer, once it is passed on


class ServerTap:
    def __init__(self, upstream: str):
        self.upstream = upstream
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self._open = threading.Event()
        self._open.set()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"

    def __enter__(self) -> ServerTap:
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._open.set()
        self._http.shutdown()
        self._http.server_close()

    def hold(self) -> None:
        """From now on calls wait, unanswered, until release()."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def since(self, start: int, method: str | None = None, path: str | None = None) -> list[Call]:
        """The calls from the start-th on, of this method and path if given."""
        with self._changed:
            return [c for c in self.calls[start:] if method in (None, c.method) and path in (None, c.path)]

    def wait_for(self, predicate, timeout: float = 15.0, what: str = "a call"):
        """Waits until predicate() is true (it reads the calls), and returns its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (value := predicate()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the server was never sent {what}; it was sent: "
                                         f"{[(c.method, c.path) for c in self.calls]}")
                self._changed.wait(left)
            return value

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _answered(self, call: Call, status: int) -> None:
        with self._changed:
            call.status = status
            self._changed.notify_all()

    def _handler(self):
        tap = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self):
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urlsplit(self.path)
                try:
                    body = json.loads(data) if data else None
                except ValueError:
                    body = None
                call = Call(self.command, url.path, parse_qs(url.query), body,
                            self.path + "\n" + data.decode("utf-8", "replace"))
                tap._record(call)
                tap._open.wait()
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _NOT_FORWARDED}
                answer = requests.request(self.command, tap.upstream + self.path, headers=headers, data=data,
                                          timeout=60, allow_redirects=False)
                self.send_response(answer.status_code)
                for name in ("Content-Type", "Retry-After", "X-Request-Id"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)
                tap._answered(call, answer.status_code)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, *args):
                pass

        return Handler
