"""An installation a school configures by policy works with no student action: no one
grants the extension the optional host permission for the school's server, which lists
the extension's origin (COACH_CORS_ORIGINS) instead, and drafts are checked and sends
recorded from the first page."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from ..serverproc import ServerProcess
from .harness import (
    BAD_PHRASE,
    BAD_SENTENCE,
    GMAIL_URL,
    configure,
    extension_id,
    launch,
    ledger,
    new_user,
    open_client,
    service_worker,
    wait_highlighted,
    wait_until,
)

RECIPIENT = {"name": "Jane Smith", "email": "jsmith@uw.edu"}
# A loopback address the manifest's host permissions (localhost, 127.0.0.1) do not cover.
SCHOOL_HOST = "127.0.0.2"


@pytest.fixture(scope="module")
def setup(tmp_path_factory, chromium_path):
    base = tmp_path_factory.mktemp("policy")
    with sync_playwright() as playwright:
        context = launch(playwright, chromium_path, base / "profile")
        origin = f"chrome-extension://{extension_id(context)}"
        server = ServerProcess(base / "instance", env={"COACH_CORS_ORIGINS": origin, "FLASK_RUN_HOST": SCHOOL_HOST})
        server.url = f"http://{SCHOOL_HOST}:{server.port}"
        with server:
            token = new_user(server, "policy@example.edu")
            # What the school's policy sets (chrome.storage.managed); nothing is granted.
            configure(context, server.url, token)
            yield context, server, token
        context.close()


def test_a_policy_configured_server_is_used_without_any_permission_grant(setup):
    context, server, token = setup
    granted = service_worker(context).evaluate(
        "origin => chrome.permissions.contains({origins: [origin + '/*']})", server.url
    )
    assert granted is False

    page = open_client(context, GMAIL_URL)
    compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [RECIPIENT], "subject": "Question"})
    root = page.locator(f'[data-fixture-compose="{compose_id}"]')
    root.locator('[g_editable="true"]').press_sequentially(BAD_SENTENCE)
    wait_highlighted(page, BAD_PHRASE)
    page.locator("[data-pmcoach-ui] .badge .state").filter(has_text="Connected").wait_for()

    root.locator('[g_editable="true"]').press("Control+Enter")
    page.get_by_role("alertdialog").get_by_role("button", name="Send anyway").click()
    wait_until(lambda: len(ledger(server.url, token)) == 1, timeout=15, message="the send's ledger event")
    page.close()
