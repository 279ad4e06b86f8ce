"""Signing in with the school's account, over HTTP, against a real OpenID Connect provider
(tests/identity_provider.py) and the server as the Procfile runs it (gunicorn, two workers,
JSON logs, PostgreSQL), on a roster of enrolled users.

The extension's and the add-in's sign-in end in a one-time code in their redirect URI's
fragment, which they exchange with their PKCE verifier for a device's API token. Refused:
an address outside the school's domains, someone not on the roster, a tampered state, nonce
or issuer, a provider code or a one-time code used twice, a wrong verifier, an expired
token, an applicant at the admin pages, an invitation used twice. Bad input is a page or
JSON that says what is wrong, never a 500; and no token, code or secret of any of it is in
the server's logs.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from server import invitations
from server.db import make_engine, writing

from .admin_support import make_admin
from .identity_provider import Browser, IdentityProvider, fragment, pkce
from .prodserver import ProductionServer
from .serverproc import free_port
from .storage import auth, database

EXTENSION = "abcdefghijklmnopabcdefghijklmnop"
REDIRECT = f"https://{EXTENSION}.chromiumapp.org/"
ADMIN = "dean.office@example.edu"
STUDENT = "ana.ruiz@example.edu"
SEEN: list[str] = []  # every secret the tests saw, none of which may be in a log


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sign-in")
    port = free_port()
    with IdentityProvider([f"http://127.0.0.1:{port}/sign-in/callback"]) as idp, \
            database("postgresql", folder / "db") as db:
        env = {"COACH_ENV": "development", "COACH_PUBLIC_URL": "", "DATABASE_URL": db.url,
               "COACH_OIDC_PROVIDERS": "school open", "COACH_EXTENSION_IDS": EXTENSION,
               **idp.env("school", "example.edu", label="Example University"),
               **idp.env("open", "example.edu", label="Example University (open enrolment)", enrol="domain")}
        with ProductionServer(folder / "server", env=env, workers=2, port=port) as server:
            make_admin(db, ADMIN)
            db.new_user(email=STUDENT)
            yield server, db, idp


def start(server, browser: Browser, **overrides) -> tuple[requests.Response, dict, str]:
    verifier, challenge = pkce()
    params = {"client": "extension", "redirect_uri": REDIRECT, "state": secrets.token_urlsafe(16),
              "code_challenge": challenge, "code_challenge_method": "S256", "provider": "school", **overrides}
    SEEN.extend([verifier, params["state"]])
    return browser.get(server.url + "/sign-in", params=params), params, verifier


def through_provider(site, login: str, browser: Browser | None = None, **overrides):
    """(the callback URL the provider sent back, the coach's answer to it, the client's params, its verifier)."""
    server, _, idp = site
    browser = browser or Browser()
    started, params, verifier = start(server, browser, **overrides)
    assert started.status_code == 302, started.text
    callback = idp.log_in(started.headers["Location"], login)
    SEEN.extend(value for _, value in parse_qsl(urlsplit(callback).query))
    answer = browser.get(callback)
    return callback, answer, params, verifier


def exchange(server, code: str, verifier: str, redirect_uri: str = REDIRECT, **body) -> requests.Response:
    answer = requests.post(f"{server.url}/api/v1/sign-in/token", timeout=10,
                           json={"code": code, "code_verifier": verifier, "redirect_uri": redirect_uri, **body})
    if answer.status_code == 201:
        SEEN.append(answer.json()["token"])
    return answer


def test_a_student_signs_in_and_the_device_exchanges_its_code_once_for_a_token(site):
    server = site[0]
    _, answer, params, verifier = through_provider(site, STUDENT)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(REDIRECT + "#")
    handed = fragment(answer.headers["Location"])
    assert set(handed) == {"code", "state"} and handed["state"] == params["state"]
    SEEN.append(handed["code"])

    issued = exchange(server, handed["code"], verifier, label="Chrome on Linux")
    assert issued.status_code == 201, issued.text
    token = issued.json()
    assert token["user"] == {"email": STUDENT, "role": "applicant", "tracks": []}
    assert token["label"] == "Chrome on Linux" and token["last_used_at"] is None
    expires = datetime.fromisoformat(token["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=364) < expires - datetime.now(UTC) <= timedelta(days=365)
    me = requests.get(f"{server.url}/api/v1/me", headers=auth(token["token"]), timeout=10)
    assert me.status_code == 200 and me.json()["email"] == STUDENT

    again = exchange(server, handed["code"], verifier)
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_grant"


def test_a_code_is_spent_by_a_wrong_verifier_or_redirect_uri(site):
    server = site[0]
    for wrong in ({"code_verifier": pkce()[0]}, {"redirect_uri": f"https://{'p' * 32}.chromiumapp.org/"}):
        _, answer, _, verifier = through_provider(site, STUDENT)
        code = fragment(answer.headers["Location"])["code"]
        SEEN.append(code)
        refused = exchange(server, code, wrong.get("code_verifier", verifier), wrong.get("redirect_uri", REDIRECT))
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_grant"
        assert exchange(server, code, verifier).status_code == 400  # the right one, too late


@pytest.mark.parametrize("login, provider, reason", [
    ("eve@elsewhere.edu", "school", "is not an address this coach takes from Example University"),
    ("no-email-account", "school", "did not say which email address"),
    ("new.student@example.edu", "school", "is not enrolled"),
    # A provider that enrols by domain enrols nobody on an address it has not checked,
    ("unverified:new.student@example.edu", "open", "has not verified new.student@example.edu"),
    ("unsaid:new.student@example.edu", "open", "has not verified new.student@example.edu"),
    # nor on one that only looks like the school's (a Cyrillic а).
    ("new.student@ex\u0430mple.edu", "open", "which is not a plain address of your school"),
])
def test_the_provider_vouching_is_not_enough_outside_the_domains_and_the_roster(site, login, provider, reason):
    _, answer, params, _ = through_provider(site, login, provider=provider)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(REDIRECT + "#")
    handed = fragment(answer.headers["Location"])
    assert handed["error"] == "access_denied" and reason in handed["error_description"]
    assert handed["state"] == params["state"] and "code" not in handed
    assert site[1].execute("SELECT COUNT(*) FROM users WHERE email LIKE 'new.student@%'") == [(0,)]


def test_a_provider_that_enrols_by_domain_enrols_an_applicant_and_never_an_administrator(site):
    server, db, _ = site
    _, answer, _, verifier = through_provider(site, "li.wei@example.edu", provider="open")
    token = exchange(server, fragment(answer.headers["Location"])["code"], verifier).json()
    assert token["user"] == {"email": "li.wei@example.edu", "role": "applicant", "tracks": []}
    assert db.execute("SELECT role FROM users WHERE email = 'li.wei@example.edu'") == [("applicant",)]


def test_a_tampered_or_replayed_answer_from_the_provider_is_refused(site):
    server, db, _ = site
    browser = Browser()
    callback, answer, _, _ = through_provider(site, STUDENT, browser)
    assert answer.status_code == 302
    query = dict(parse_qsl(urlsplit(callback).query))
    replayed = browser.get(callback)  # the same answer again: its sign-in is finished
    assert replayed.status_code == 400 and "not valid any more" in replayed.text
    tampered = browser.get(server.url + "/sign-in/callback", params={**query, "state": query["state"][:-2] + "xy"})
    assert tampered.status_code == 400 and "not valid any more" in tampered.text

    # A provider code used once already, under a new sign-in's state: the provider refuses it.
    started, params, _ = start(server, browser)
    state = dict(parse_qsl(urlsplit(started.headers["Location"]).query))["state"]
    SEEN.append(state)
    reused = browser.get(server.url + "/sign-in/callback", params={**query, "state": state})
    assert reused.status_code == 302
    handed = fragment(reused.headers["Location"])
    assert handed["error"] == "server_error" and "did not confirm who you are" in handed["error_description"]
    assert handed["state"] == params["state"] and "code" not in handed


def test_an_answer_in_another_browser_or_with_another_nonce_or_issuer_is_refused(site):
    server, db, idp = site
    # Another browser: the state is right, but not the cookie that started it.
    started, _, _ = start(server, Browser())
    callback = idp.log_in(started.headers["Location"], STUDENT)
    SEEN.extend(value for _, value in parse_qsl(urlsplit(callback).query))
    elsewhere = Browser().get(callback)
    assert elsewhere.status_code == 400 and "another browser" in elsewhere.text

    # The nonce this server expects is not the one in the provider's signed ID token.
    browser = Browser()
    started, _, _ = start(server, browser)
    db.execute("UPDATE sign_in_requests SET nonce = 'not-the-nonce-that-was-sent'")
    callback = idp.log_in(started.headers["Location"], STUDENT)
    SEEN.extend(value for _, value in parse_qsl(urlsplit(callback).query))
    answer = browser.get(callback)
    assert "did not confirm who you are" in fragment(answer.headers["Location"])["error_description"]

    # An answer that names another issuer (RFC 9207).
    browser = Browser()
    started, _, _ = start(server, browser)
    callback = idp.log_in(started.headers["Location"], STUDENT)
    query = dict(parse_qsl(urlsplit(callback).query))
    SEEN.extend(query.values())
    answer = browser.get(server.url + "/sign-in/callback", params={**query, "iss": "https://evil.example.com"})
    handed = fragment(answer.headers["Location"])
    assert handed["error"] == "access_denied" and "another identity provider" in handed["error_description"]
    assert "code" not in handed


def test_an_expired_token_is_refused(site):
    server, db, _ = site
    _, answer, _, verifier = through_provider(site, STUDENT)
    token = exchange(server, fragment(answer.headers["Location"])["code"], verifier).json()
    assert requests.get(f"{server.url}/api/v1/me", headers=auth(token["token"]), timeout=10).status_code == 200
    db.execute("UPDATE api_tokens SET expires_at = :past WHERE id = :id",
               past=datetime.now(UTC) - timedelta(seconds=1), id=token["id"])
    refused = requests.get(f"{server.url}/api/v1/me", headers=auth(token["token"]), timeout=10)
    assert refused.status_code == 401 and "expired" in refused.json()["error"]["message"]


def test_an_administrators_device_gets_a_token_for_the_coach_only_and_it_renews_nothing(site):
    server, db, _ = site
    _, answer, _, verifier = through_provider(site, ADMIN)
    device = exchange(server, fragment(answer.headers["Location"])["code"], verifier).json()
    assert device["user"]["role"] == "admin"
    assert requests.get(f"{server.url}/api/v1/me", headers=auth(device["token"]), timeout=10).status_code == 200
    refused = requests.get(f"{server.url}/admin/api/rules", headers=auth(device["token"]), timeout=10)
    assert refused.status_code == 403 and "a device's token" in refused.json()["error"]["message"]

    # A token it asks for expires with it, and is no more an administrator's than it is.
    soon = datetime.now(UTC) + timedelta(hours=1)
    db.execute("UPDATE api_tokens SET expires_at = :soon WHERE id = :id", soon=soon, id=device["id"])
    minted = requests.post(f"{server.url}/api/v1/tokens", headers=auth(device["token"]), json={"label": "x"},
                           timeout=10).json()
    SEEN.append(minted["token"])
    assert abs(datetime.fromisoformat(minted["expires_at"].replace("Z", "+00:00")) - soon) < timedelta(seconds=1)
    assert requests.get(f"{server.url}/admin/api/rules", headers=auth(minted["token"]), timeout=10).status_code == 403


def test_only_an_administrator_signs_in_to_the_admin_pages(site):
    server, _, idp = site
    student = Browser()
    started = student.get(server.url + "/sign-in", params={"client": "admin", "provider": "school"})
    answer = student.get(idp.log_in(started.headers["Location"], STUDENT))
    assert answer.status_code == 403 and "is not an administrator" in answer.text
    assert student.get(server.url + "/admin/users").status_code == 302  # to the sign-in page

    admin = Browser()
    started = admin.get(server.url + "/sign-in", params={"client": "admin", "provider": "school",
                                                          "next": "/admin/users?q=ana"})
    answer = admin.get(idp.log_in(started.headers["Location"], ADMIN))
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/users?q=ana"
    page = admin.get(server.url + "/admin/users?q=ana")
    assert page.status_code == 200 and STUDENT in page.text and ADMIN in page.text
    assert "with Example University from" in admin.get(server.url + "/admin/audit").text


def test_an_invitation_enrols_one_device_once(site):
    server, db, _ = site
    engine = make_engine(db.url)
    with writing(engine) as connection:
        user_id = connection.exec_driver_sql(f"SELECT id FROM users WHERE email = '{STUDENT}'").scalar()
        made = invitations.create(connection, user_id, "device", timedelta(days=1), created_by=None)
        late = invitations.create(connection, user_id, "device", timedelta(seconds=-1), created_by=None)
    engine.dispose()
    SEEN.extend([made.secret, late.secret])
    url = f"{server.url}/api/v1/invitations/redeem"
    first = requests.post(url, json={"invitation": made.secret, "label": "Outlook on the web"}, timeout=10)
    assert first.status_code == 201 and first.json()["user"]["email"] == STUDENT
    SEEN.append(first.json()["token"])
    again = requests.post(url, json={"invitation": made.secret}, timeout=10)
    assert again.status_code == 409 and again.json()["error"]["code"] == "invitation_used"
    expired = requests.post(url, json={"invitation": late.secret}, timeout=10)
    assert expired.status_code == 410 and expired.json()["error"]["code"] == "invitation_expired"
    unknown = requests.post(url, json={"invitation": secrets.token_urlsafe(32)}, timeout=10)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "invitation_unknown"


@pytest.mark.parametrize("query, status, words", [
    ({}, 400, "Say who is signing in"),
    ({"client": "mobile"}, 400, "Say who is signing in"),
    ({"client": "extension", "redirect_uri": REDIRECT, "state": "s" * 20, "code_challenge": "x" * 43}, 400,
     "code_challenge_method=S256"),
    ({"client": "extension", "redirect_uri": "https://evil.example.com/", "state": "s" * 20,
      "code_challenge": "x" * 43, "code_challenge_method": "S256"}, 400, "chromiumapp.org"),
    ({"client": "extension", "redirect_uri": f"https://{'p' * 32}.chromiumapp.org/", "state": "s" * 20,
      "code_challenge": "x" * 43, "code_challenge_method": "S256"}, 400, "COACH_EXTENSION_IDS"),
    ({"client": "addin", "redirect_uri": "https://evil.example.com/addin/signed-in.html", "state": "s" * 20,
      "code_challenge": "x" * 43, "code_challenge_method": "S256"}, 400, "own add-in page"),
    ({"client": "extension", "redirect_uri": REDIRECT, "state": "\x00<b>é" * 5, "code_challenge": "x" * 43,
      "code_challenge_method": "S256"}, 400, "state must be"),
    ({"client": "admin", "provider": "nobody"}, 404, "no sign-in called"),
])
def test_a_bad_sign_in_link_gets_a_page_that_says_what_is_wrong(site, query, status, words):
    answer = Browser().get(site[0].url + "/sign-in", params=query)
    assert answer.status_code == status and answer.headers["Content-Type"].startswith("text/html")
    assert words in answer.text.replace("&#39;", "'")


def test_several_providers_let_the_person_choose(site):
    # The links ask for what the sign-in asked for, and only that: nothing else of the query goes into them.
    answer = Browser().get(site[0].url + "/sign-in", params={"client": "admin", "next": "/admin/rules",
                                                             "_external": "1", "_anchor": "x", "other": "y"})
    assert answer.status_code == 200
    assert [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]*provider=[^"]*)"', answer.text)] == [
        "/sign-in?client=admin&next=/admin/rules&provider=school",
        "/sign-in?client=admin&next=/admin/rules&provider=open"]
    assert "Sign in with Example University</a>" in answer.text


def test_a_page_to_go_to_that_is_too_long_to_keep_is_dropped_not_a_500(site):
    server, _, idp = site
    admin = Browser()
    started = admin.get(server.url + "/sign-in", params={"client": "admin", "provider": "school",
                                                          "next": "/admin/users?q=" + "a" * 2500})
    assert started.status_code == 302
    answer = admin.get(idp.log_in(started.headers["Location"], ADMIN))
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/"


@pytest.mark.parametrize("query", [{}, {"state": "x"}, {"code": "c", "state": "s" * 300}, {"error": "access_denied"}])
def test_a_bad_callback_gets_a_page_never_a_500(site, query):
    answer = Browser().get(site[0].url + "/sign-in/callback", params=query)
    assert answer.status_code == 400 and "not valid any more" in answer.text


@pytest.mark.parametrize("path, body", [
    ("/api/v1/sign-in/token", {}),
    ("/api/v1/sign-in/token", {"code": "c", "code_verifier": "short", "redirect_uri": REDIRECT}),
    ("/api/v1/sign-in/token", {"code": ["c"], "code_verifier": "v" * 43, "redirect_uri": REDIRECT}),
    ("/api/v1/sign-in/token", {"code": "c", "code_verifier": "v" * 43, "redirect_uri": "é" * 10}),
    ("/api/v1/sign-in/token", {"code": "c", "code_verifier": "v" * 43, "redirect_uri": REDIRECT, "label": "\n"}),
    ("/api/v1/invitations/redeem", {"invitation": 7}),
    ("/api/v1/invitations/redeem", {"invitation": "x" * 101}),
    ("/api/v1/invitations/redeem", {"invitation": "abc", "label": ["x"]}),
])
def test_bad_input_to_the_token_endpoints_is_a_json_400(site, path, body):
    answer = requests.post(site[0].url + path, json=body, timeout=10)
    assert answer.status_code == 400 and answer.json()["error"]["code"] in ("bad_field", "invalid_grant")


def test_a_bad_label_costs_the_device_no_sign_in(site):
    server = site[0]
    _, answer, _, verifier = through_provider(site, STUDENT)
    code = fragment(answer.headers["Location"])["code"]
    SEEN.append(code)
    refused = exchange(server, code, verifier, label="two\nlines")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "bad_field"
    issued = exchange(server, code, verifier)
    assert issued.status_code == 201 and issued.json()["label"] == "Chrome extension"


def test_no_token_code_or_secret_of_a_sign_in_is_in_the_logs(site):
    server = site[0]
    output = server.log.read_text(encoding="utf-8") + server.release_output
    assert '"path": "/sign-in/callback"' in output  # the access log did see the sign-ins
    secrets_seen = [value for value in SEEN if len(value) >= 16]
    assert len(secrets_seen) > 20
    assert [value for value in secrets_seen if value in output] == []


def test_the_add_in_has_the_student_sign_in_at_the_provider_each_time(site):
    """The add-in's code is handed to whichever window opened its dialog: the provider is asked to
    show its sign-in even to a student already signed in there (prompt=login), the extension's not."""
    server, _, idp = site
    addin_page = server.url + "/addin/signed-in.html"
    started, _, _ = start(server, Browser(), client="addin", redirect_uri=addin_page)
    extension, _, _ = start(server, Browser())
    asked = [dict(parse_qsl(urlsplit(answer.headers["Location"]).query)).get("prompt")
             for answer in (started, extension)]
    assert asked == ["login", None]
    _, answer, _, _ = through_provider(site, STUDENT, client="addin", redirect_uri=addin_page)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(addin_page + "#")
    assert "code" in fragment(answer.headers["Location"])
