"""With the server down the badge says so, sending goes through at once, and the send
waits in chrome.storage.local until the server is back, then reaches the ledger once."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import sync_playwright

from ..serverproc import ServerProcess
from .harness import (
    BAD_SENTENCE,
    GMAIL_URL,
    configure,
    highlighted,
    launch,
    ledger,
    new_user,
    open_client,
    outbox,
    wait_until,
)

RECIPIENT = {"name": "Jane Smith", "email": "jsmith@uw.edu"}


@pytest.fixture
def setup(tmp_path, chromium_path):
    instance = tmp_path / "instance"
    server = ServerProcess(instance).start()
    token = new_user(server, "offline@example.edu")
    with sync_playwright() as playwright:
        context = launch(playwright, chromium_path, tmp_path / "profile")
        configure(context, server.url, token)
        try:
            yield server, token, context
        finally:
            context.close()
            server.stop()


def test_offline_badge_unblocked_send_and_queued_event_delivered_once(setup):
    server, token, context = setup
    server.stop()

    page = open_client(context, GMAIL_URL)
    compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [RECIPIENT], "subject": "Question"})
    root = page.locator(f'[data-fixture-compose="{compose_id}"]')
    root.locator('[g_editable="true"]').press_sequentially(BAD_SENTENCE)
    badge = page.locator("[data-pmcoach-ui] .badge .state")
    badge.filter(has_text="Offline").wait_for()
    assert highlighted(page) == []

    started = time.monotonic()
    root.locator('[role="button"][data-tooltip^="Send"]').click()
    wait_until(lambda: page.evaluate("() => fixture.state.sent.length") == 1, timeout=2, message="the send")
    assert time.monotonic() - started < 0.5, "sending is not held up while the server is down"
    assert page.get_by_role("alertdialog").count() == 0
    queued = wait_until(lambda: outbox(context), message="the send to be queued")
    assert len(queued) == 1 and queued[0]["event"]["type"] == "sent"

    revived = ServerProcess(server.instance, port=server.port).start()
    try:
        # Back online: the next check (or the minute alarm) delivers the queue.
        next_id = page.evaluate("f => fixture.openCompose(f)", {"to": [RECIPIENT], "subject": "Another"})
        page.locator(f'[data-fixture-compose="{next_id}"] [g_editable="true"]').press_sequentially("Dear Dr. Smith,")
        page.locator("[data-pmcoach-ui] .badge .state").filter(has_text="Connected").wait_for()
        wait_until(lambda: len(ledger(server.url, token)) == 1, timeout=15, message="the queued event")
        time.sleep(2)
        events = ledger(server.url, token)
        assert len(events) == 1 and events[0]["event_id"] == queued[0]["event"]["event_id"]
        assert outbox(context) == []
    finally:
        revived.stop()
