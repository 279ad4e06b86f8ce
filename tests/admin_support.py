"""The admin pages over real HTTP: an administrator made with the CLI, a signed-in session
with its CSRF token, and the rule-editing calls the pages make."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from server.admin import passwords
from server.db import make_engine, writing

from .serverproc import ROOT, ServerProcess
from .storage import Database, server

PASSWORD = "a long admin passphrase"
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def set_password(server: ServerProcess, email: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    """`flask --app server set-password EMAIL`, the password on standard input as a script gives it."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "server", "set-password", email], cwd=ROOT,
                          env=server.env, input=password + "\n", capture_output=True, text=True, timeout=120)


def make_admin(database: Database, email: str, password: str = PASSWORD) -> None:
    """An administrator with a password, made straight in the database (far quicker than the CLI)."""
    engine = make_engine(database.url)
    try:
        with writing(engine) as connection:
            passwords.set_password(connection, email, password)
    finally:
        engine.dispose()


@contextmanager
def office_server(folder: Path, admin: str) -> Iterator[tuple[ServerProcess, Database]]:
    """A server on SQLite whose database has one administrator."""
    with server("sqlite", folder) as (process, database):
        make_admin(database, admin)
        yield process, database


class AdminSession:
    """A browser-like client: keeps the session cookie and sends the page's CSRF token.

    The cookie is Secure, and Python's cookie jar only returns Secure cookies over https,
    so each one the server sets is kept here for plain http to 127.0.0.1 (as browsers do).
    """

    def __init__(self, server: ServerProcess):
        self.url = server.url
        self.http = requests.Session()
        self.csrf = None

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.http.request(method, self.url + path, timeout=kwargs.pop("timeout", 120), **kwargs)
        for cookie in response.cookies:  # replaces the Secure copy requests keeps
            self.http.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path, secure=False)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.request("GET", path, **kwargs)
        found = _CSRF.search(response.text) if "text/html" in response.headers.get("Content-Type", "") else None
        if found:
            self.csrf = found.group(1)
        return response

    @classmethod
    def signed_in(cls, server: ServerProcess, email: str) -> AdminSession:
        session = cls(server)
        assert session.sign_in(email).status_code == 302
        return session

    def sign_in(self, email: str, password: str = PASSWORD) -> requests.Response:
        self.get("/admin/sign-in")
        answer = self.form("/admin/sign-in", {"email": email, "password": password})
        if answer.status_code == 302:
            self.get("/admin/")  # as the browser follows the redirect: the new session's CSRF token
        return answer

    def form(self, path: str, data: dict, csrf: bool = True, **kwargs) -> requests.Response:
        data = {**data, "csrf_token": self.csrf} if csrf else data
        return self.request("POST", path, data=data, allow_redirects=False, **kwargs)

    def api(self, path: str, body: dict, csrf: bool = True) -> requests.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.request("POST", f"/admin/api{path}", json=body, headers=headers)

    def user_id(self, email: str) -> int:
        page = self.get("/admin/users", params={"q": email}).text
        return int(re.search(rf'href="/admin/users/(\d+)">{re.escape(email)}<', page).group(1))

    def rule(self, rule_id: str) -> dict:
        answer = self.request("GET", f"/admin/api/rules/{rule_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def put_rule(self, rule_id: str, text: str, action: str = "review", note: str | None = None,
                 base: int | None = None) -> requests.Response:
        current = self.rule(rule_id)
        body = {"base": base or current["version"],
                "change": {"op": "put-rule", "file": current["file"], "rule": rule_id, "yaml": text}}
        if note is not None:
            body["note"] = note
        return self.api(f"/changes/{action}", body)

    def publish(self, change: dict, note: str = "a test change", base: int | None = None) -> requests.Response:
        return self.api("/changes/publish", {"base": base, "change": change, "note": note})


def check(server: ServerProcess, text: str, **fields) -> dict:
    answer = requests.post(f"{server.url}/api/v1/check", json={"text": text, **fields}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()
