"""Every way a send leaves, and what the ledger keeps of it: Space on a focused Send
(Gmail acts on its keyup) before the check answers, Schedule send in both clients,
Undo (the send is recorded only once it is final, and a re-send once), and a send the
ledger refuses, which is kept, shown to the student, counted and fixed in the options page."""

from __future__ import annotations

import pytest

from .harness import (
    BAD_PHRASE,
    BAD_SENTENCE,
    GMAIL_URL,
    OUTLOOK_URL,
    clear_outbox,
    extension_id,
    ledger,
    open_client,
    outbox,
    wait_checked,
    wait_highlighted,
    wait_until,
    watch_answers,
)

PROGRAM = {"name": "Jane Smith", "email": "jsmith@uw.edu"}
CLEAN = "Dear Dr. Smith,\n\nThank you for the interview on Tuesday. I enjoyed meeting the residents.\n\nBest,\nAlex"
CLIENTS = {
    "gmail": (GMAIL_URL, '[g_editable="true"]'),
    "outlook": (OUTLOOK_URL, '[id^="editorParent"] [contenteditable="true"]'),
}
# Send as a student finds it: Gmail's is a div with the word, Outlook's a labelled button.
SEND = {
    "gmail": lambda scope: scope.get_by_text("Send", exact=True),
    "outlook": lambda scope: scope.get_by_role("button", name="Send", exact=True),
}


@pytest.fixture(params=sorted(CLIENTS))
def client(request, browser):
    url, body_selector = CLIENTS[request.param]
    clear_outbox(browser)
    page = open_client(browser, url)
    watch_answers(page)
    yield page, body_selector, SEND[request.param]
    page.close()


def compose(page, body_selector, **fields):
    compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [PROGRAM], "subject": "Thank you", **fields})
    root = page.locator(f'[data-fixture-compose="{compose_id}"]')
    return root, root.locator(body_selector)


def state(page, key: str) -> list:
    return page.evaluate("k => fixture.state[k]", key)


def count_stays(server, token, expected: int) -> None:
    wait_until(lambda: len(ledger(server.url, token)) == expected, timeout=15, message=f"{expected} ledger events")
    assert len(ledger(server.url, token)) == expected


def test_space_on_a_focused_send_before_the_check_answers_is_held(browser):
    page = open_client(browser, GMAIL_URL)
    root, body = compose(page, '[g_editable="true"]')
    page.locator("[data-pmcoach-ui] .badge .state").filter(has_text="Connected").wait_for()
    body.press_sequentially(BAD_SENTENCE)
    SEND["gmail"](root).focus()
    page.keyboard.press(" ")  # well inside the 400 ms pause; Gmail sends at keyup
    page.get_by_role("alertdialog").wait_for()
    assert state(page, "sent") == []
    page.close()


def test_schedule_send_is_held_and_then_recorded_once(client, server, token):
    page, body_selector, _ = client
    before = len(ledger(server.url, token))
    _, body = compose(page, body_selector)
    body.press_sequentially(f"Dear Dr. Smith, {BAD_SENTENCE}")
    wait_highlighted(page, BAD_PHRASE)

    page.get_by_role("button", name="More send options").click()
    page.get_by_role("menuitem", name="Schedule send").click()
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for()
    assert page.get_by_role("dialog", name="Schedule send").count() == 0

    dialog.get_by_role("button", name="Send anyway").click()
    page.get_by_role("button", name="Tomorrow morning").click()
    wait_until(lambda: len(state(page, "scheduled")) == 1, message="the send to be scheduled")
    count_stays(server, token, before + 1)


def test_undo_withdraws_the_send_and_a_resend_is_recorded_once(client, browser, server, token):
    page, body_selector, send = client
    before = len(ledger(server.url, token))
    root, body = compose(page, body_selector, subject="Thank you again")
    body.press_sequentially(CLEAN)
    wait_checked(page)
    send(root).click()
    wait_until(lambda: len(state(page, "sent")) == 1, message="the send")
    wait_until(lambda: outbox(browser), message="the send to be held")

    # Undo while the client still offers it: the window opens again with the draft.
    page.get_by_text("Undo", exact=True).click()
    reopened = page.locator(body_selector)
    reopened.wait_for()
    assert "I enjoyed meeting the residents." in reopened.inner_text()
    wait_until(lambda: outbox(browser) == [], message="the undone send to be withdrawn")

    send(page.locator("[data-fixture-compose]")).click()
    wait_until(lambda: len(state(page, "sent")) == 1, message="the second send")
    count_stays(server, token, before + 1)
    assert outbox(browser) == []


def test_a_send_the_ledger_refuses_is_kept_shown_and_fixed_in_the_options_page(browser, server, token):
    """Some tenants' persona chips carry no address; the ledger refuses a display name alone."""
    clear_outbox(browser)
    before = len(ledger(server.url, token))
    page = open_client(browser, OUTLOOK_URL)
    watch_answers(page)
    no_address = [{"name": "Jane Smith", "email": ""}]
    root, body = compose(page, CLIENTS["outlook"][1], to=no_address, subject="Thank you, Dr. Smith")
    body.press_sequentially(CLEAN)
    wait_checked(page)
    SEND["outlook"](root).click()

    notice = page.locator("[data-pmcoach-ui] .notice")
    notice.wait_for(timeout=15_000)
    assert "not in your ledger yet" in notice.inner_text() and "must hold email addresses" in notice.inner_text()
    kept = outbox(browser)
    assert len(kept) == 1 and kept[0]["rejected"]["status"] == 400 and kept[0]["event"]["to"] == ["Jane Smith"]
    page.close()

    options = browser.new_page()
    options.goto(f"chrome-extension://{extension_id(browser)}/options/options.html")
    section = options.get_by_role("region", name="Sends not recorded")
    section.get_by_text("(1)").wait_for()
    assert "must hold email addresses" in section.inner_text()
    section.get_by_label("Recipients").fill("Jane Smith <jsmith@uw.edu>")
    section.get_by_role("button", name="Record").click()
    section.get_by_text("Recorded in your ledger").wait_for()
    count_stays(server, token, before + 1)
    assert ledger(server.url, token)[0]["program"]["key"] == "uw.edu"
    assert outbox(browser) == []
    options.close()
