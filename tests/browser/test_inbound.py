"""Received mail: a program's message that presses for a ranking commitment gets a banner
explaining the rule, and its neutral reply opens the client's own reply with the text.
Only mail from senders the program directory knows is sent for checking, at most its
first 20,000 characters, and each message once."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import sync_playwright

from ..serverproc import ServerProcess
from .harness import GMAIL_URL, OUTLOOK_URL, configure, launch, new_user, open_client
from .tap import ServerTap

PRESSURE = "If you tell us we're #1 we can almost guarantee you a spot. Where else did you interview?"
PROGRAM = {"name": "Dr Jane Smith", "email": "jsmith@uw.edu"}
CLIENTS = {
    "gmail": (GMAIL_URL, '[g_editable="true"]'),
    "outlook": (OUTLOOK_URL, '[aria-label^="Message body"][contenteditable="true"]'),
}
CAP = 20_000  # INBOUND_MAX_CHARS in extension/chrome/background/inbound.js


@pytest.fixture(scope="module")
def setup(tmp_path_factory, chromium_path):
    """A server with the shipped rules behind a tap, the program's message as it judges it, and a browser."""
    base = tmp_path_factory.mktemp("inbound")
    with ServerProcess(base / "instance") as server, ServerTap(server.url) as tap:
        answer = requests.post(
            f"{server.url}/api/v1/check",
            timeout=10,
            json={"text": PRESSURE, "direction": "inbound", "from": PROGRAM["email"], "to": [PROGRAM["email"]]},
        ).json()
        pressure = [w for w in answer["warnings"] if w["category"] == "inbound.program-pressure"]
        assert pressure, answer
        token = new_user(server, "inbound@example.edu")
        with sync_playwright() as playwright:
            context = launch(playwright, chromium_path, base / "profile")
            configure(context, tap.url, token)
            yield context, tap, [w["message"] for w in pressure]
            context.close()


def inbound_checks(tap: ServerTap, start: int) -> list[dict]:
    return [c.body for c in tap.since(start, "POST", "/api/v1/check") if c.body.get("direction") == "inbound"]


def wait_for_inbound_check(tap: ServerTap, start: int, text: str) -> dict:
    return tap.wait_for(lambda: next((b for b in inbound_checks(tap, start) if text in b["text"]), None),
                        what=f"an inbound check of {text[:40]!r}")


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_pressure_from_a_program_gets_a_banner_and_a_neutral_reply(setup, client):
    context, _, messages = setup
    url, body_selector = CLIENTS[client]
    page = open_client(context, url)
    page.evaluate(
        "m => fixture.openMessage(m)",
        {"from": PROGRAM, "subject": "Following up", "body": f"<div>Dear Alex,</div><div>{PRESSURE}</div>"},
    )

    banner = page.locator("[data-pmcoach-ui] .banner")
    banner.wait_for()
    assert "NRMP" in banner.inner_text() and "Pre-Match Email Coach" in banner.inner_text()
    # Every request the server found is listed, not only the first.
    assert len(messages) >= 2 and all(message in banner.inner_text() for message in messages)
    # The note takes its place in the message's flow, between its header and its text:
    # the subject, sender and date stay in sight above it.
    layout = page.evaluate(
        """() => {
            const note = document.querySelector('[data-pmcoach-note]');
            const rect = (el) => el.getBoundingClientRect().toJSON();
            const header = [...document.querySelectorAll('h2, [role=heading], .gD, [data-lpc-hover-target-id], .g3')];
            return {note: rect(note), next: note.nextElementSibling.textContent, header: header.map(rect)};
        }"""
    )
    assert PRESSURE in layout["next"]
    assert all(box["bottom"] <= layout["note"]["top"] for box in layout["header"])

    banner.get_by_role("button", name="Reply with this text").click()
    banner.wait_for(state="detached")
    reply = page.locator(body_selector).last
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].pop()?.innerText.includes('as per NRMP guidelines')",
        arg=body_selector,
    )
    assert reply.evaluate("el => el.innerText").startswith("Thank you for your message")
    # Typed in, so the client's draft saving saw it.
    assert page.evaluate("() => Object.values(fixture.state.drafts).some(d => d.inputType === 'insertText')")
    page.close()


def test_mail_from_senders_outside_the_directory_never_reaches_the_server(setup):
    context, tap, _ = setup
    start = len(tap.calls)
    outsiders = [
        {"name": "Shop", "email": "deals@shop.example.com"},
        # Academic and hospital domains are not programs unless the directory lists them.
        {"name": "Dr Who", "email": "who@unlisted-college.edu"},
        {"name": "Newsletter", "email": "news@somecharity.org"},
        {"name": "Look-alike", "email": "pd@notuw.edu"},
    ]
    page = open_client(context, GMAIL_URL)
    page.evaluate(
        "t => fixture.openThread(t)",
        {
            "subject": "Interview season",
            "messages": [{"from": sender, "body": f"<div>{PRESSURE}</div>"} for sender in outsiders]
            + [{"from": PROGRAM, "body": "<div>Our interview day starts at 8 am in the lobby.</div>"}],
        },
    )
    # The program's message, last in the thread, is checked: those before it were decided.
    wait_for_inbound_check(tap, start, "Our interview day starts at 8 am")
    # A program's message opened afterwards is checked too: nothing is still on its way.
    page.evaluate(
        "m => fixture.openMessage(m)",
        {"from": PROGRAM, "subject": "Parking", "body": "<div>Parking is in garage B.</div>"},
    )
    wait_for_inbound_check(tap, start, "Parking is in garage B")

    assert [b["from"] for b in inbound_checks(tap, start)] == [PROGRAM["email"]] * 2
    # Nothing about the other messages went to the server, not even who sent them.
    for sender in outsiders:
        domain = sender["email"].split("@")[1]
        assert not [c.raw for c in tap.since(start) if domain in c.raw]
    page.close()


def test_a_long_message_from_a_program_is_checked_by_its_first_characters(setup):
    context, tap, _ = setup
    start = len(tap.calls)
    sentence = "We enjoyed meeting you at our interview day last week and hope the visit was useful. "
    # An emoji straddles the cap: the check never carries half of it.
    text = (sentence * 300)[: CAP - 1] + "🙂" + sentence * 300
    page = open_client(context, GMAIL_URL)
    page.evaluate(
        "m => fixture.openMessage(m)",
        # A program's subdomain is the program's too.
        {"from": {"name": "Coordinator", "email": "coordinator@med.uw.edu"}, "subject": "Thank you",
         "body": f"<div>{text}</div>"},
    )
    checked = wait_for_inbound_check(tap, start, sentence)
    assert checked["text"] == text[: CAP - 1]
    assert checked["from"] == "coordinator@med.uw.edu"
    call = tap.wait_for(lambda: next((c for c in tap.since(start, "POST", "/api/v1/check") if c.status), None))
    assert call.status == 200
    assert len(inbound_checks(tap, start)) == 1
    page.close()


def test_a_message_opened_again_is_not_sent_again(setup):
    context, tap, messages = setup
    start = len(tap.calls)
    again = f"We would love to hear from you. {PRESSURE}"
    opened = {"from": PROGRAM, "subject": "Checking in", "body": f"<div>{again}</div>"}
    other = {"from": PROGRAM, "subject": "Schedule", "body": "<div>The schedule is attached.</div>"}
    page = open_client(context, GMAIL_URL)
    banner = page.locator("[data-pmcoach-ui] .banner")

    page.evaluate("m => fixture.openMessage(m)", opened)
    banner.wait_for()
    assert len([b for b in inbound_checks(tap, start) if again in b["text"]]) == 1
    page.evaluate("m => fixture.openMessage(m)", other)
    banner.wait_for(state="detached")
    wait_for_inbound_check(tap, start, "The schedule is attached")
    before = len(tap.calls)

    # Opened again in this tab, then in another: the banner comes back each time, from
    # what the extension remembers, and the server hears nothing more.
    page.evaluate("m => fixture.openMessage(m)", opened)
    banner.wait_for()
    assert messages[0] in banner.inner_text()
    second = open_client(context, GMAIL_URL)
    second.evaluate("m => fixture.openMessage(m)", opened)
    second.locator("[data-pmcoach-ui] .banner").wait_for()
    assert tap.since(before) == []
    page.close()
    second.close()
