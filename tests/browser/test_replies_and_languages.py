"""The compose windows students use most, in any UI language: Gmail's inline reply and
pop-out, Outlook's reply, and the send guard in Spanish and Japanese Gmail. Each is
found by structure, read with its recipients and subject (from the conversation when
the reply has none of its own), and its "Send anyway" reaches the ledger with the
program it was sent to."""

from __future__ import annotations

import pytest

from .harness import (
    BAD_PHRASE,
    BAD_SENTENCE,
    GMAIL_URL,
    OUTLOOK_URL,
    ledger,
    open_client,
    wait_checked,
    wait_highlighted,
    wait_until,
    watch_answers,
)

PROGRAM = {"name": "Dr Jane Smith", "email": "jsmith@uw.edu"}
THREAD = {
    "subject": "Interview day",
    "messages": [{"from": PROGRAM, "body": "<div>Thank you for interviewing with us.</div>"}],
}
GMAIL = {
    "en": {"reply": "Reply", "send": "Send"},
    "es": {"reply": "Responder", "send": "Enviar"},
    "ja": {"reply": "返信", "send": "送信"},
}
OUTLOOK = {"en": {"reply": "Reply", "send": "Send"}, "es": {"reply": "Responder", "send": "Enviar"}}
NO_SUBJECT = "The email has no subject line."  # etiquette.subject.missing


def gmail_in(hl: str, browser):
    page = open_client(browser, GMAIL_URL.replace("#inbox", f"?hl={hl}#inbox"))
    watch_answers(page)
    return page


def sent(page) -> list:
    return page.evaluate("() => fixture.state.sent")


def send_anyway(page) -> None:
    """Answers the coach's dialog, which says whose it is, with "Send anyway"."""
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for()
    assert "Pre-Match Email Coach" in dialog.inner_text()
    assert sent(page) == []
    dialog.get_by_role("button", name="Send anyway").click()
    wait_until(lambda: len(sent(page)) == 1, message="the mail client to send")


def recorded_event(server, token, before: int) -> dict:
    wait_until(lambda: len(ledger(server.url, token)) == before + 1, timeout=15, message="the send's ledger event")
    return ledger(server.url, token)[0]


@pytest.mark.parametrize("hl", ["en", "ja"])
def test_gmail_inline_reply_is_checked_as_a_reply_to_its_program_and_recorded(browser, server, token, hl):
    page = gmail_in(hl, browser)
    before = len(ledger(server.url, token))
    page.evaluate("t => fixture.openThread(t)", THREAD)
    page.get_by_role("button", name=GMAIL[hl]["reply"]).click()
    body = page.locator('[g_editable="true"]')
    body.press_sequentially(f"Dear Dr. Smith, {BAD_SENTENCE}")
    wait_highlighted(page, BAD_PHRASE)
    wait_checked(page)

    # The reply knows its program (the ledger's line about it shows) and its subject.
    badge = page.locator("[data-pmcoach-ui] .badge")
    badge.locator(".history").wait_for()
    badge.click()
    panel = page.locator("[data-pmcoach-ui] .panel")
    assert "This program" in panel.inner_text() and NO_SUBJECT not in panel.inner_text()
    badge.click()

    page.get_by_text(GMAIL[hl]["send"], exact=True).click()
    send_anyway(page)
    event = recorded_event(server, token, before)
    assert event["program"]["key"] == "uw.edu"
    page.close()


def test_spanish_gmail_holds_enviar_and_its_shortcut_and_sends_anyway(browser, server, token):
    page = gmail_in("es", browser)
    before = len(ledger(server.url, token))
    compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [PROGRAM], "subject": "Pregunta"})
    root = page.locator(f'[data-fixture-compose="{compose_id}"]')
    root.locator('[g_editable="true"]').press_sequentially(BAD_SENTENCE)
    wait_highlighted(page, BAD_PHRASE)

    root.get_by_text("Enviar", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_role("button", name="Edit").click()
    dialog.wait_for(state="detached")
    assert sent(page) == []

    root.locator('[g_editable="true"]').press("Control+Enter")
    send_anyway(page)
    assert recorded_event(server, token, before)["program"]["key"] == "uw.edu"
    page.close()


def test_gmail_pop_out_window_is_guarded(browser):
    page = open_client(browser, "https://mail.google.com/mail/u/0/popout?view=cm&fs=1&to=jsmith@uw.edu&su=Question&hl=en")
    watch_answers(page)
    body = page.locator('[g_editable="true"]')
    body.press_sequentially(BAD_SENTENCE)
    wait_highlighted(page, BAD_PHRASE)
    body.press("Control+Enter")
    send_anyway(page)
    assert sent(page)[0]["to"] == ["jsmith@uw.edu <jsmith@uw.edu>"]
    page.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_outlook_reply_reads_its_recipient_from_the_to_well_and_is_recorded(browser, server, token, lang):
    page = open_client(browser, OUTLOOK_URL + f"?lang={lang}")
    watch_answers(page)
    before = len(ledger(server.url, token))
    message = {"from": PROGRAM, "subject": "Interview day", "body": "<div>Thanks!</div>"}
    page.evaluate("m => fixture.openMessage(m)", message)
    page.get_by_role("button", name=OUTLOOK[lang]["reply"]).click()
    body = page.locator('[id^="editorParent"] [contenteditable="true"]')
    body.press("Control+Home")
    body.press_sequentially(f"Dear Dr. Smith, {BAD_SENTENCE}")
    wait_highlighted(page, BAD_PHRASE)
    page.locator("[data-pmcoach-ui] .badge .history").wait_for()

    page.get_by_role("button", name=OUTLOOK[lang]["send"], exact=True).click()
    send_anyway(page)
    assert recorded_event(server, token, before)["program"]["key"] == "uw.edu"
    page.close()
