"""Send: held with errors left (an in-page dialog with Edit / Send anyway), never held
without, and recorded in the ledger exactly once per send — in Gmail and Outlook."""

from __future__ import annotations

import time

import pytest

from .harness import (
    BAD_PHRASE,
    BAD_RULE,
    BAD_SENTENCE,
    GMAIL_URL,
    OUTLOOK_URL,
    check,
    clear_outbox,
    configure,
    ledger,
    open_client,
    outbox,
    wait_checked,
    wait_highlighted,
    wait_until,
    watch_answers,
)
from .tap import ServerTap

RECIPIENT = {"name": "Jane Smith", "email": "jsmith@uw.edu"}
CLEAN = "Dear Dr. Smith,\n\nThank you for the interview on Tuesday. I enjoyed meeting the residents.\n\nBest,\nAlex"
CLIENTS = {
    "gmail": (GMAIL_URL, '[g_editable="true"]', '[role="button"][data-tooltip^="Send"]'),
    "outlook": (OUTLOOK_URL, '[aria-label^="Message body"]', 'button[aria-label="Send"]'),
}


@pytest.fixture(scope="module")
def tap(browser, server, token):
    """The server as this module's browser reaches it, through a tap that can hold its answers back."""
    with ServerTap(server.url) as tap:
        configure(browser, tap.url, token)
        yield tap


@pytest.fixture(params=sorted(CLIENTS))
def client(request, browser, tap):
    url, body_selector, send_selector = CLIENTS[request.param]
    clear_outbox(browser)
    page = open_client(browser, url)
    watch_answers(page)
    yield page, body_selector, send_selector
    page.close()


def open_compose(page, body_selector, subject):
    compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [RECIPIENT], "subject": subject})
    root = page.locator(f'[data-fixture-compose="{compose_id}"]')
    return root, root.locator(body_selector)


def sent(page) -> list:
    return page.evaluate("() => fixture.state.sent")


def test_send_with_an_error_asks_first_and_send_anyway_sends_once(client, browser, server, token):
    page, body_selector, send_selector = client
    before = len(ledger(server.url, token))
    root, body = open_compose(page, body_selector, "Following up")
    body.press_sequentially(f"Dear Dr. Smith, {BAD_SENTENCE}")
    wait_highlighted(page, BAD_PHRASE)

    root.locator(send_selector).click()
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for()
    message = next(w["message"] for w in check(server.url, BAD_SENTENCE)["warnings"] if w["rule"] == BAD_RULE)
    assert message in dialog.inner_text() and BAD_PHRASE in dialog.inner_text()
    assert sent(page) == []

    dialog.get_by_role("button", name="Edit").click()
    dialog.wait_for(state="detached")
    assert sent(page) == [] and root.is_visible()

    body.press("Control+Enter")
    dialog.wait_for()
    dialog.get_by_role("button", name="Send anyway").click()
    wait_until(lambda: len(sent(page)) == 1, message="the mail client to send")
    assert BAD_PHRASE in sent(page)[0]["text"]

    wait_until(lambda: len(ledger(server.url, token)) == before + 1, message="one ledger event")
    time.sleep(1.5)
    events = ledger(server.url, token)
    assert len(events) == before + 1 and events[0]["type"] == "sent"
    assert outbox(browser) == []


def test_a_clean_email_goes_straight_through_and_is_recorded_once(client, browser, server, token, tap):
    page, body_selector, send_selector = client
    before = len(ledger(server.url, token))
    root, body = open_compose(page, body_selector, "Thank you")
    body.press_sequentially(CLEAN)
    wait_checked(page)

    start = len(tap.calls)
    tap.hold()  # from here on the server answers nothing
    try:
        root.locator(send_selector).click()
        # Read as soon as the click was handled: the mail client sent within the click
        # itself, waiting for nothing from the server.
        assert len(sent(page)) == 1
        assert page.get_by_role("alertdialog").count() == 0
        # Its record for the ledger went out after the send, and is still unanswered.
        tap.wait_for(lambda: tap.since(start, "POST", "/api/v1/ledger/events"), what="the send's ledger event")
        assert [c.status for c in tap.since(start)] == [None] * len(tap.since(start))
    finally:
        tap.release()

    wait_until(lambda: len(ledger(server.url, token)) == before + 1, message="one ledger event")
    time.sleep(1.5)
    assert len(ledger(server.url, token)) == before + 1


def test_send_pressed_before_the_check_answers_still_catches_the_error(client):
    page, body_selector, _ = client
    _, body = open_compose(page, body_selector, "Quick question")
    page.locator("[data-pmcoach-ui] .badge .state").filter(has_text="Connected").wait_for()
    body.press_sequentially(BAD_SENTENCE)
    body.press("Control+Enter")  # well inside the 400 ms pause
    page.get_by_role("alertdialog").wait_for()
    assert sent(page) == []
