"""What browsers and clients are allowed: CORS for configured origins only, the security
headers of each kind of page, and rate limits per token (else per address)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import requests

from server.addin import FILES_DIR
from server.config import ROOT
from server.security import ADMIN_CSP, OFFICE_SCRIPTS

from .serverproc import ServerProcess
from .storage import auth, create_user, sent

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
SELF = "https://coach.example.edu"
ON_PREMISES_OWA = "https://mail.school.edu"
ADMIN_TEMPLATES = ROOT / "server" / "admin" / "templates"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Behind one proxy, with the extension and the add-in's origin allowed, and small limits."""
    env = {"COACH_CORS_ORIGINS": f"{EXTENSION}, {SELF}/", "COACH_TRUST_PROXY": "1",
           "COACH_ADDIN_FRAME_ANCESTORS": ON_PREMISES_OWA, "COACH_RATE_LIMIT_CHECK": "5/minute",
           "COACH_RATE_LIMIT_EVENTS": "3/minute", "COACH_RATE_LIMIT_API": "1000/minute"}
    with ServerProcess(tmp_path_factory.mktemp("security"), env=env) as running:
        yield running


def test_a_preflight_from_an_allowed_origin_allows_the_token_header(server):
    for origin in (EXTENSION, SELF):
        answer = requests.options(f"{server.url}/api/v1/ledger/events", timeout=10, headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type"})
        assert answer.status_code == 204
        assert answer.headers["Access-Control-Allow-Origin"] == origin
        allowed = {h.strip().lower() for h in answer.headers["Access-Control-Allow-Headers"].split(",")}
        assert {"authorization", "content-type"} <= allowed
        assert "POST" in answer.headers["Access-Control-Allow-Methods"]
        assert "Access-Control-Allow-Credentials" not in answer.headers  # tokens, never cookies


def test_an_allowed_origin_may_ask_whether_the_server_is_up(server):
    """A policy-installed extension, without a host permission, checks /healthz with its token first."""
    preflight = requests.options(f"{server.url}/healthz", timeout=10, headers={
        "Origin": EXTENSION, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == EXTENSION
    answer = requests.get(f"{server.url}/healthz", headers={"Origin": EXTENSION}, timeout=10)
    assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == EXTENSION
    other = requests.get(f"{server.url}/healthz", headers={"Origin": "https://evil.example"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in other.headers


def test_other_origins_get_no_cors(server):
    answer = requests.options(f"{server.url}/api/v1/check", timeout=10, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in answer.headers
    ordinary = requests.get(f"{server.url}/api/v1/tracks", headers={"Origin": "https://evil.example"}, timeout=10)
    assert ordinary.status_code == 200 and "Access-Control-Allow-Origin" not in ordinary.headers
    assert "Origin" in ordinary.headers["Vary"]


def test_an_allowed_origin_reads_answers_and_their_request_id(server):
    token = create_user(server)
    answer = requests.post(f"{server.url}/api/v1/ledger/events", json=sent(), timeout=10,
                           headers={**auth(token), "Origin": EXTENSION, "X-Forwarded-For": "198.51.100.1"})
    assert answer.status_code == 201
    assert answer.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert "X-Request-Id" in answer.headers["Access-Control-Expose-Headers"]
    assert answer.headers["Cache-Control"] == "no-store"  # ledgers and tokens never sit in a cache


def test_every_answer_has_the_basic_headers(server):
    for path in ("/healthz", "/api/v1/tracks", "/api/v1/nothing-here", "/addin/taskpane.html",
                 "/.well-known/microsoft-officeaddins-allowed.json"):
        answer = requests.get(server.url + path, timeout=10)
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path
        assert answer.headers["Referrer-Policy"] == "no-referrer", path
        assert "Content-Security-Policy" in answer.headers, path
    data = requests.get(f"{server.url}/healthz", timeout=10)
    assert data.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert data.headers["X-Frame-Options"] == "DENY"


def test_hsts_only_over_https_and_only_from_a_trusted_proxy(server, live_server):
    assert "Strict-Transport-Security" not in requests.get(f"{server.url}/healthz", timeout=10).headers
    behind_tls = requests.get(f"{server.url}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert behind_tls.headers["Strict-Transport-Security"].startswith("max-age=")
    # Without COACH_TRUST_PROXY anybody could send the header: it is not believed.
    untrusted = requests.get(f"{live_server.url}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert "Strict-Transport-Security" not in untrusted.headers


class _Page(HTMLParser):
    """What a page would need a loose policy for: inline scripts, event handler attributes, style attributes."""

    def __init__(self, path):
        super().__init__()
        self.scripts, self.inline, self.handlers, self.styled = [], 0, [], 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            else:
                self.inline += 1
        self.handlers += [name for name in attrs if name.startswith("on")]
        self.styled += "style" in attrs


def test_the_addin_pages_may_be_framed_by_outlook_and_run_under_their_policy(server):
    policy = requests.get(f"{server.url}/addin/taskpane.html", timeout=10).headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert {"https://*.office.com", "https://*.office365.com", "https://*.outlook.com", ON_PREMISES_OWA} <= \
        set(directives["frame-ancestors"])
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "X-Frame-Options" not in requests.get(f"{server.url}/addin/taskpane.html", timeout=10).headers
    # Every page of the add-in loads its scripts from this server or from Office's hosts, none inline.
    for page in FILES_DIR.glob("*.html"):
        parsed = _Page(page)
        assert parsed.inline == 0 and parsed.handlers == [], page.name
        for src in parsed.scripts:
            host = re.match(r"https://[^/]+", src)
            assert host is None and not src.startswith("//") or host.group(0) in OFFICE_SCRIPTS.split(), src


def test_checks_are_limited_per_token(server):
    first, second = create_user(server), create_user(server)
    check = {"text": "Dear Dr. Smith,\n\nThank you for the interview."}

    def post(token):
        return requests.post(f"{server.url}/api/v1/check", json=check, headers=auth(token), timeout=10)

    assert [post(first).status_code for _ in range(5)] == [200] * 5
    refused = post(first)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited" and "5 per 1 minute" in refused.json()["error"]["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert post(second).status_code == 200  # another applicant is not held up by the first


def test_without_a_token_the_address_is_counted(server):
    def post(address):
        return requests.post(f"{server.url}/api/v1/check", json={"text": "Dear Dr. Lee,"}, timeout=10,
                             headers={"X-Forwarded-For": address}).status_code

    assert [post("203.0.113.7") for _ in range(6)] == [200] * 5 + [429]
    assert post("203.0.113.8") == 200


def test_recording_events_has_its_own_limit(server):
    token = create_user(server)
    statuses = [requests.post(f"{server.url}/api/v1/ledger/events", json=sent(), headers=auth(token),
                              timeout=10).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert requests.get(f"{server.url}/api/v1/me", headers=auth(token), timeout=10).status_code == 200


def test_an_unreachable_limit_store_never_blocks_applicants(tmp_path):
    env = {"COACH_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:9/0", "COACH_RATE_LIMIT_CHECK": "1/minute"}
    with ServerProcess(tmp_path, env=env) as server:
        statuses = [requests.post(f"{server.url}/api/v1/check", json={"text": "Dear Dr. Lee,"}, timeout=30)
                    .status_code for _ in range(3)]
        assert statuses == [200, 200, 200]


def test_the_admin_pages_run_under_a_strict_policy(server):
    page = requests.get(f"{server.url}/admin/sign-in", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert page.headers["Content-Security-Policy"] == ADMIN_CSP and page.headers["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in ADMIN_CSP and "'unsafe-eval'" not in ADMIN_CSP
    # So the pages must not need more: no inline script, handler or style attribute in any template.
    for template in ADMIN_TEMPLATES.rglob("*.html"):
        parsed = _Page(template)
        assert (parsed.inline, parsed.handlers, parsed.styled) == (0, [], 0), template.name
        assert all(src.startswith("{{") for src in parsed.scripts), template.name  # url_for: this server
