"""Received mail: a program's message that presses for a ranking commitment gets a banner
explaining the rule, and its neutral reply opens the client's own reply with the text."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import sync_playwright

from ..serverproc import ServerProcess
from .harness import GMAIL_URL, OUTLOOK_URL, configure, launch, new_user, open_client

PRESSURE = "If you tell us we're #1 we can almost guarantee you a spot. Where else did you interview?"
PROGRAM = {"name": "Dr Jane Smith", "email": "jsmith@uw.edu"}
CLIENTS = {
    "gmail": (GMAIL_URL, '[g_editable="true"]'),
    "outlook": (OUTLOOK_URL, '[aria-label^="Message body"][contenteditable="true"]'),
}


@pytest.fixture(scope="module")
def setup(tmp_path_factory, chromium_path):
    """A server with the shipped rules, the program's message as it judges it, and a browser."""
    base = tmp_path_factory.mktemp("inbound")
    with ServerProcess(base / "instance") as server:
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
            configure(context, server.url, token)
            yield context, pressure[0]["message"]
            context.close()


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_pressure_from_a_program_gets_a_banner_and_a_neutral_reply(setup, client):
    context, message = setup
    url, body_selector = CLIENTS[client]
    page = open_client(context, url)
    page.evaluate(
        "m => fixture.openMessage(m)",
        {"from": PROGRAM, "subject": "Following up", "body": f"<div>Dear Alex,</div><div>{PRESSURE}</div>"},
    )

    banner = page.locator("[data-pmcoach-ui] .banner")
    banner.wait_for()
    assert "NRMP" in banner.inner_text()
    assert message in banner.inner_text()

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


def test_mail_from_outside_programs_is_not_sent_for_checking(setup):
    page = open_client(setup[0], GMAIL_URL)
    page.evaluate(
        "m => fixture.openMessage(m)",
        {
            "from": {"name": "Shop", "email": "deals@shop.example.com"},
            "subject": "Sale",
            "body": f"<div>{PRESSURE}</div>",
        },
    )
    page.wait_for_timeout(1500)
    assert page.locator("[data-pmcoach-ui] .banner").count() == 0
    page.close()
