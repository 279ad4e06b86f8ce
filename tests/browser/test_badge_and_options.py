"""The compose badge (counts, server state, this program's history from the ledger) and
the options page (server, token, connection test, tracks, what is sent and stored)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import requests

from .harness import BAD_PHRASE, BAD_SENTENCE, GMAIL_URL, configure, extension_id, open_client, wait_highlighted

UW = {"name": "Dr Jane Smith", "email": "jsmith@uw.edu"}
YALE = {"name": "Dr Sam Park", "email": "spark@yale.edu"}


def record(server, token, to, subject, text):
    response = requests.post(
        f"{server.url}/api/v1/ledger/events",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
        json={
            "event_id": str(uuid.uuid4()),
            "type": "sent",
            "to": [to],
            "subject": subject,
            "text": text,
            "at": datetime.now(UTC).isoformat(),
        },
    )
    assert response.status_code == 201, response.text


def badge_for(page, to, subject="Hello"):
    compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [to], "subject": subject})
    page.locator(f'[data-fixture-compose="{compose_id}"] [g_editable="true"]').press_sequentially("Dear Dr. Park,")
    return page.locator("[data-pmcoach-ui] .badge").last


def test_badge_shows_this_programs_history_and_a_first_choice_elsewhere_in_the_track(browser, server):
    token = server.flask("create-user", "tracked@example.edu", "--track", "anesthesiology").strip().splitlines()[-1]
    record(
        server,
        token,
        "Dr Jane Smith <jsmith@uw.edu>",
        "Letter of intent",
        "Dear Dr. Smith,\n\nYour program is my first choice and I intend to rank it #1.\n\nBest,\nAlex",
    )
    configure(browser, server.url, token)
    page = open_client(browser, GMAIL_URL)
    try:
        elsewhere = badge_for(page, YALE)
        elsewhere.locator(".history.alert").filter(
            has_text="#1 letter in this track: sent to University of Washington"
        ).wait_for()

        same = badge_for(page, UW)
        same.locator(".history").filter(has_text="You already told University of Washington it is your #1").wait_for()
        same.click()
        panel = page.locator("[data-pmcoach-ui] .panel").last
        panel.filter(has_text="Last contact: letter of intent").wait_for()
        assert "You already told University of Washington it is your #1" in panel.inner_text()
    finally:
        page.close()


def test_badge_counts_by_severity_and_says_not_signed_in_without_a_token(browser, server):
    configure(browser, server.url, "")
    page = open_client(browser, GMAIL_URL)
    try:
        compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [UW], "subject": "Hi"})
        page.locator(f'[data-fixture-compose="{compose_id}"] [g_editable="true"]').press_sequentially(BAD_SENTENCE)
        wait_highlighted(page, BAD_PHRASE)  # anonymous checks still work on this server
        badge = page.locator("[data-pmcoach-ui] .badge")
        badge.locator(".state").filter(has_text="Not signed in").wait_for()
        assert badge.locator(".count.error").inner_text() == "1"
    finally:
        page.close()


def test_badge_asks_for_set_up_without_a_server(browser):
    configure(browser, "", "")
    page = open_client(browser, GMAIL_URL)
    try:
        badge = badge_for(page, UW)
        badge.locator(".state").filter(has_text="Set up needed").wait_for()
    finally:
        page.close()


def test_options_page_saves_settings_tests_the_connection_and_sets_tracks(browser, server, token):
    configure(browser, "", token)  # signed in (tests/browser/test_sign_in.py signs in for real)
    page = browser.new_page()
    try:
        page.goto(f"chrome-extension://{extension_id(browser)}/options/options.html")
        page.get_by_label("Server address").fill(server.url.replace("127.0.0.1", "localhost") + "/")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_role("status").first.filter(has_text="Connected as applicant@example.edu").wait_for()
        stored = page.evaluate("chrome.storage.local.get(['serverUrl', 'token'])")
        assert stored == {"serverUrl": server.url.replace("127.0.0.1", "localhost"), "token": token}

        page.get_by_label("Anesthesiology").check()
        page.get_by_label("Preliminary Medicine").check()
        page.get_by_role("button", name="Save tracks").click()
        page.get_by_text("Tracks saved.").wait_for()
        me = requests.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        assert sorted(me["tracks"]) == ["anesthesiology", "internal-medicine-prelim"]

        configure(browser, server.url, "not-a-token")
        page.get_by_role("button", name="Test connection").click()
        page.get_by_text("Sign in again").wait_for()
        page.get_by_role("button", name="Sign in with your school account").wait_for()
        statement = page.get_by_role("region", name="What is sent, and what is stored").inner_text()
        assert "does not store or log the text" in statement
        assert "only while the server cannot be reached" in statement
    finally:
        configure(browser, server.url, token)
        page.close()
