"""Who gets into /admin, over real HTTP on SQLite and PostgreSQL: passwords set with the CLI,
session cookies, CSRF on every state-changing request, the limit on failed sign-ins, the
throttle on sign-in attempts, and API tokens (an applicant's is refused everywhere under
/admin; an admin's only its admin may take, and a new password revokes them)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .admin_support import PASSWORD, AdminSession, make_admin, set_password
from .storage import BACKENDS, auth, create_user, server

ADMIN = "office@example.edu"
TOKEN = re.compile(r'<code class="token">([^<]+)</code>')


@pytest.fixture(scope="module", params=BACKENDS)
def api(request, tmp_path_factory):
    # The sign-in throttle (per address, and for everyone) has a test of its own below.
    env = {"COACH_ADMIN_SIGN_IN_FAILURES": "3", "COACH_ADMIN_LOCK_MINUTES": "15",
           "COACH_RATE_LIMIT_SIGN_IN": "10000/minute", "COACH_RATE_LIMIT_SIGN_IN_ALL": "10000/minute"}
    with server(request.param, tmp_path_factory.mktemp(request.param), env=env) as (process, db):
        done = set_password(process, ADMIN)
        assert done.returncode == 0 and f"Created the administrator {ADMIN}" in done.stdout, done.stderr
        yield process, db


@pytest.fixture
def admin(api):
    return AdminSession.signed_in(api[0], ADMIN)


def test_set_password_refuses_weak_passwords_and_applicants(api):
    process, db = api
    weak = set_password(process, "third@example.edu", "short")
    assert weak.returncode != 0 and "at least 12 characters" in weak.stderr
    applicant = "student@example.edu"
    db.new_user(email=applicant)
    refused = set_password(process, applicant)
    assert refused.returncode != 0 and "applicant" in refused.stderr
    stored = db.execute("SELECT password_hash FROM admin_passwords")
    assert stored and all(h.startswith("scrypt:") for (h,) in stored)
    assert PASSWORD not in db.dump()


def test_the_session_cookie_is_secure_httponly_samesite_and_scoped_to_admin(api):
    session = AdminSession(api[0])
    session.get("/admin/sign-in")
    answer = session.form("/admin/sign-in", {"email": ADMIN, "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/")
    cookie = answer.headers["Set-Cookie"]
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/admin"):
        assert flag in cookie, cookie
    assert session.get("/admin/").status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"


def test_without_a_session_pages_go_to_sign_in_and_the_api_answers_401(api):
    process, _ = api
    page = requests.get(f"{process.url}/admin/rules", allow_redirects=False, timeout=10)
    assert page.status_code == 302 and "/admin/sign-in?next=/admin/rules" in page.headers["Location"]
    answer = requests.get(f"{process.url}/admin/api/rules", timeout=10)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"
    # A proxy's own Basic authentication in front of /admin is not a token of ours.
    behind_proxy = requests.get(f"{process.url}/admin/rules", headers={"Authorization": "Basic b2ZmaWNlOng="},
                                allow_redirects=False, timeout=10)
    assert behind_proxy.status_code == 302


def test_every_state_changing_request_needs_the_csrf_token(admin):
    before = admin.get("/admin/users").text
    refused = admin.form("/admin/users", {"email": "no.csrf@example.edu"}, csrf=False)
    assert refused.status_code == 403 and "security token" in refused.text
    wrong = admin.form("/admin/users", {"email": "no.csrf@example.edu", "csrf_token": "forged"}, csrf=False)
    assert wrong.status_code == 403
    assert "no.csrf@example.edu" not in admin.get("/admin/users").text and "no.csrf" not in before
    api = admin.api("/changes/review", {"change": {"op": "restore", "version": 1}}, csrf=False)
    assert api.status_code == 403 and api.json()["error"]["code"] == "csrf_failed"
    signed_out = admin.form("/admin/sign-out", {}, csrf=False)
    assert signed_out.status_code == 403
    assert admin.get("/admin/").status_code == 200  # still signed in


def test_sign_in_itself_needs_the_csrf_token(api):
    session = AdminSession(api[0])
    session.get("/admin/sign-in")
    assert session.form("/admin/sign-in", {"email": ADMIN, "password": PASSWORD}, csrf=False).status_code == 403


def test_failed_sign_ins_lock_the_account_from_that_address_for_a_while(api):
    process, _ = api
    email = "locked.admin@example.edu"
    make_admin(api[1], email)
    session = AdminSession(process)
    for _ in range(3):
        session.get("/admin/sign-in")
        wrong = session.form("/admin/sign-in", {"email": email, "password": "not the password"})
        assert wrong.status_code == 401 and "do not match" in wrong.text
    session.get("/admin/sign-in")
    locked = session.form("/admin/sign-in", {"email": email, "password": PASSWORD})
    assert locked.status_code == 429 and "Try again in 15 minutes" in locked.text
    # Another account from the same address is not locked.
    assert AdminSession(process).sign_in(ADMIN).status_code == 302


def test_sign_out_ends_the_session_on_the_server(api):
    process, _ = api
    session = AdminSession(process)
    session.sign_in(ADMIN)
    cookie = dict(session.http.cookies)
    assert session.form("/admin/sign-out", {}).status_code == 302
    replayed = requests.get(f"{process.url}/admin/", cookies=cookie, allow_redirects=False, timeout=10)
    assert replayed.status_code == 302 and "/admin/sign-in" in replayed.headers["Location"]


def test_setting_the_password_again_ends_every_session(api):
    process, _ = api
    email = "rotating.admin@example.edu"
    make_admin(api[1], email)
    session = AdminSession(process)
    session.sign_in(email)
    assert session.get("/admin/").status_code == 200
    done = set_password(process, email, "another long passphrase")
    assert done.returncode == 0 and "Set the password of" in done.stdout
    assert session.get("/admin/", allow_redirects=False).status_code == 302
    assert AdminSession(process).sign_in(email, "another long passphrase").status_code == 302


@pytest.mark.parametrize("method, path", [
    ("GET", "/admin/"), ("GET", "/admin/rules"), ("GET", "/admin/sign-in"), ("GET", "/admin/users"),
    ("GET", "/admin/statistics"), ("GET", "/admin/static/admin.css"), ("GET", "/admin/api/rules"),
    ("GET", "/admin/api/versions"), ("POST", "/admin/api/changes/review"), ("POST", "/admin/users"),
    ("POST", "/admin/sign-in"), ("GET", "/admin/versions/1"), ("POST", "/admin/users/import"),
])
def test_an_applicant_token_gets_403_everywhere_under_admin(api, method, path):
    process, db = api
    token = db.new_user()
    answer = requests.request(method, process.url + path, headers=auth(token), json={}, timeout=10,
                              allow_redirects=False)
    assert answer.status_code == 403, (path, answer.status_code)
    assert answer.json()["error"]["code"] == "forbidden"


def test_an_admin_token_works_for_scripts_under_admin_api_only(api):
    process, db = api
    token = db.new_user(role="admin")
    rules = requests.get(f"{process.url}/admin/api/rules", headers=auth(token), timeout=10)
    assert rules.status_code == 200 and len(rules.json()["rules"]) > 50
    # No CSRF token needed: a browser never sends an Authorization header by itself.
    review = requests.post(f"{process.url}/admin/api/changes/review", headers=auth(token), timeout=60,
                           json={"change": {"op": "disable-rule", "file": "packs/nrmp.yaml",
                                            "rule": "nrmp.ask-rank.where-do-i-stand"}})
    assert review.status_code == 200, review.text
    page = requests.get(f"{process.url}/admin/", headers=auth(token), timeout=10)
    assert page.status_code == 403
    bad = requests.get(f"{process.url}/admin/api/rules", headers=auth("not-a-token"), timeout=10)
    assert bad.status_code == 401


def test_a_deactivated_admin_is_signed_out(api, admin):
    process, _ = api
    email = "leaving.admin@example.edu"
    make_admin(api[1], email)
    leaving = AdminSession(process)
    leaving.sign_in(email)
    user_id = admin.user_id(email)
    assert admin.form(f"/admin/users/{user_id}/deactivate", {}).status_code == 302
    assert leaving.get("/admin/", allow_redirects=False).status_code == 302
    assert leaving.sign_in(email).status_code == 401
    assert admin.form(f"/admin/users/{admin.user_id(ADMIN)}/deactivate", {}).status_code == 400


def test_sign_in_sends_back_only_to_admin_pages(api):
    session = AdminSession(api[0])
    session.get("/admin/sign-in")
    answer = session.form("/admin/sign-in", {"email": ADMIN, "password": PASSWORD, "next": "https://evil.example/x"})
    assert answer.headers["Location"].endswith("/admin/")
    session.get("/admin/sign-in")
    answer = session.form("/admin/sign-in", {"email": ADMIN, "password": PASSWORD, "next": "/admin/versions"})
    assert answer.headers["Location"].endswith("/admin/versions")


def test_parallel_guesses_get_no_more_tries_than_the_lock_allows(api):
    process, db = api
    email = "raced.admin@example.edu"
    make_admin(db, email)
    sessions = [AdminSession(process) for _ in range(40)]
    for session in sessions:
        session.get("/admin/sign-in")

    def guess(session: AdminSession) -> int:
        return session.form("/admin/sign-in", {"email": email, "password": "a wrong guess"}).status_code

    with ThreadPoolExecutor(len(sessions)) as pool:
        answers = list(pool.map(guess, sessions))
    # Three failures lock the account from this address: of forty tries sent together, three are tried.
    assert sorted(answers) == [401] * 3 + [429] * 37
    tried = db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in.failed' AND target = :email",
                       email=email)
    assert tried == [(3,)]
    assert AdminSession(process).sign_in(email).status_code == 429  # the right password waits too


def test_sign_in_is_throttled_per_address_and_for_everyone(tmp_path):
    env = {"COACH_TRUST_PROXY": "1", "COACH_RATE_LIMIT_SIGN_IN": "4/minute", "COACH_RATE_LIMIT_SIGN_IN_ALL": "6/minute"}
    with server("sqlite", tmp_path, env=env) as (process, db):
        make_admin(db, ADMIN)
        session = AdminSession(process)
        session.get("/admin/sign-in")

        def attempt(address: str, email: str) -> requests.Response:
            return session.form("/admin/sign-in", {"email": email, "password": "a wrong guess"},
                                headers={"X-Forwarded-For": address})

        # Rotating the email typed gets round the per-account lock, not the throttle per address.
        rotating = [attempt("203.0.113.7", f"admin{n}@example.edu").status_code for n in range(5)]
        assert rotating == [401, 401, 401, 401, 429]
        refused = attempt("203.0.113.7", ADMIN)
        assert refused.status_code == 429 and "Too many sign-in attempts" in refused.text
        assert "text/html" in refused.headers["Content-Type"]  # the sign-in page's own error page
        # Every address together: two more tries anywhere reach the limit of six.
        assert [attempt("198.51.100.1", ADMIN).status_code, attempt("198.51.100.2", ADMIN).status_code] == [401, 401]
        assert attempt("198.51.100.3", ADMIN).status_code == 429
        # The form itself is not counted.
        assert session.get("/admin/sign-in", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 200
        tried = db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in.failed'")
        assert tried == [(6,)]


@pytest.mark.parametrize("target", ["/admin/versions\r\nSet-Cookie: x=1", "/admin/\nx", "/admin/\u00e9t\u00e9",
                                    "/admin/a b"])
def test_a_next_page_that_cannot_be_a_location_sends_to_the_overview(api, target):
    session = AdminSession(api[0])
    session.get("/admin/sign-in")
    answer = session.form("/admin/sign-in", {"email": ADMIN, "password": PASSWORD, "next": target})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/")
    assert "Set-Cookie: x=1" not in answer.headers.get("Set-Cookie", "")
    signed_in = session.get("/admin/sign-in", params={"next": target}, allow_redirects=False)
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/admin/")


def test_an_admin_takes_api_tokens_only_for_themselves(api, admin):
    process, db = api
    other = "other.admin@example.edu"
    make_admin(db, other)
    db.new_user(email="enrolled@example.edu")
    for email in (other, "enrolled@example.edu"):
        refused = admin.form(f"/admin/users/{admin.user_id(email)}/tokens", {})
        assert refused.status_code == 403 and "Only an administrator issues a token, for themselves" in refused.text
        assert "Issue an API token" not in admin.get(f"/admin/users/{admin.user_id(email)}").text
    assert db.execute("SELECT COUNT(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = :e",
                      e=other) == [(0,)]
    issued = admin.form(f"/admin/users/{admin.user_id(ADMIN)}/tokens", {})
    (token,) = TOKEN.findall(issued.text)
    assert requests.get(f"{process.url}/api/v1/me", headers=auth(token), timeout=10).json()["email"] == ADMIN


def test_a_new_password_revokes_the_admins_api_tokens(api):
    process, db = api
    email = "scripting.admin@example.edu"
    make_admin(db, email)
    token = create_user(process, email)  # `flask create-user` gives an existing user a new token
    assert requests.get(f"{process.url}/admin/api/rules", headers=auth(token), timeout=10).status_code == 200
    assert set_password(process, email, "a brand new passphrase").returncode == 0
    answer = requests.get(f"{process.url}/admin/api/rules", headers=auth(token), timeout=10)
    assert answer.status_code == 401


@pytest.mark.parametrize("email", ["office\x00@example.edu", "é" * 400, "", "\t"])
def test_a_sign_in_with_an_email_no_database_takes_is_refused_like_any_other(api, email):
    session = AdminSession(api[0])
    session.get("/admin/sign-in")
    answer = session.form("/admin/sign-in", {"email": email, "password": "a wrong guess"})
    assert answer.status_code == 401 and "do not match" in answer.text
