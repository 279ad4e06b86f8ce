"""Outlook on the web: underlines in a new message, quoted history in an inline reply
left alone, and recipients read with their display names (both clients)."""

from __future__ import annotations

import pytest

from .harness import (
    BAD_PHRASE,
    BAD_SENTENCE,
    GMAIL_URL,
    OUTLOOK_URL,
    check,
    extension_id,
    highlighted,
    open_client,
    wait_checked,
    wait_highlighted,
    watch_answers,
)

RECIPIENT = {"name": "Jane Smith", "email": "jsmith@uw.edu"}
BODY = '[aria-label^="Message body"][contenteditable="true"]'


@pytest.fixture
def outlook(browser):
    page = open_client(browser, OUTLOOK_URL)
    watch_answers(page)
    yield page
    page.close()


def test_new_message_underlines_exactly_the_flagged_words(outlook):
    compose_id = outlook.evaluate("f => fixture.openCompose(f)", {"to": [RECIPIENT], "subject": "Thank you"})
    body = outlook.locator(f'[data-fixture-compose="{compose_id}"] {BODY}')
    body.press_sequentially(f"Dear Dr. Smith,\nThank you 🙏 for the interview. {BAD_SENTENCE}")
    wait_highlighted(outlook, BAD_PHRASE)
    assert highlighted(outlook, "error") == [BAD_PHRASE]
    assert "pmcoach" not in body.evaluate("el => el.innerHTML")


def test_inline_reply_leaves_the_quoted_message_alone(outlook):
    outlook.evaluate(
        "m => fixture.openMessage(m)",
        {
            "from": RECIPIENT,
            "subject": "Interview follow-up",
            "body": f"<div>Hi Alex, a past applicant once asked us {BAD_PHRASE}.</div>",
        },
    )
    outlook.get_by_role("button", name="Reply").click()
    body = outlook.locator(BODY)
    body.wait_for()
    body.press("Control+Home")
    body.press_sequentially(f"Dear Dr. Smith, {BAD_SENTENCE}")
    wait_highlighted(outlook, BAD_PHRASE)
    wait_checked(outlook)
    underlined = outlook.evaluate(
        "() => [...CSS.highlights.get('pmcoach-error')]"
        ".map(r => !!r.startContainer.parentElement.closest('#divRplyFwdMsg ~ div'))"
    )
    assert underlined == [False], "only the applicant's own words are underlined"


@pytest.mark.parametrize("url", [GMAIL_URL, OUTLOOK_URL])
def test_recipients_are_read_with_their_display_names(browser, server, url):
    """The salutation check compares the greeting with the recipients' names, so it only
    stays quiet when the display name reached the server."""
    page = open_client(browser, url)
    watch_answers(page)
    try:
        wrong = [
            w
            for w in check(server.url, "Dear Dr. Park,\n\nThank you.", to=["Jane Smith <jsmith@uw.edu>"])["warnings"]
            if w["category"] == "hygiene.wrong-name"
        ]
        assert wrong, "the shipped rules flag a greeting to someone other than the recipient"
        selector = BODY if url == OUTLOOK_URL else '[g_editable="true"]'
        for greeting, expected in (("Dear Dr. Park,", True), ("Dear Dr. Smith,", False)):
            compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [RECIPIENT], "subject": "Thank you"})
            page.locator(f'[data-fixture-compose="{compose_id}"] {selector}').press_sequentially(
                f"{greeting}\nThank you."
            )
            wait_checked(page)
            badge = page.locator("[data-pmcoach-ui] .badge").last
            badge.click()
            panel = page.locator("[data-pmcoach-ui] .panel").last
            assert (wrong[0]["message"].split('"')[0] in panel.inner_text()) == expected
            badge.click()
    finally:
        page.close()


def test_the_page_gains_no_globals_cannot_probe_the_extension_and_keeps_its_own_handlers(browser):
    page = open_client(browser, GMAIL_URL)
    watch_answers(page)
    try:
        compose_id = page.evaluate("f => fixture.openCompose(f)", {"to": [RECIPIENT], "subject": "Hi"})
        page.locator(f'[data-fixture-compose="{compose_id}"] [g_editable="true"]').press_sequentially("Dear Dr. Smith,")
        wait_checked(page)
        added = page.evaluate(
            "() => Object.getOwnPropertyNames(window).filter(n => !fixture.state.globalsAtLoad.includes(n))"
        )
        assert added == ["fixture"]
        # Nor can the page find the extension by its files: none answers at the extension's fixed address.
        base = f"chrome-extension://{extension_id(browser)}/"
        for file in ("content/coach.js", "content/main.js", "content/ui.css", "manifest.json"):
            assert page.evaluate("url => fetch(url).then(() => 'read', () => 'refused')", base + file) == "refused"
        page.get_by_role("button", name="Compose").click()
        assert page.locator('#dock [role="dialog"]').count() == 2
    finally:
        page.close()
