"""Makes docs/screenshots/compose-card.png: a Gmail compose window with the coach's
underlines and an open warning card, against a real server.

    .venv/bin/python -m tests.browser.screenshot_compose_card
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from ..serverproc import ServerProcess
from .harness import (
    BAD_PHRASE,
    GMAIL_URL,
    ROOT,
    configure,
    hover_underline,
    launch,
    new_user,
    open_client,
    wait_highlighted,
)

OUTPUT = ROOT / "docs" / "screenshots" / "compose-card.png"
DRAFT = (
    "Dear Dr. Park,\n\nThank you so much for the interview last week!!! I loved meeting the residents. "
    "Could you tell me where I stand on your rank list? This is my only chance at anesthesiology.\n\n"
    "Best regards,\nAlex Rivera"
)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, ServerProcess(Path(tmp) / "instance") as server, sync_playwright() as p:
        token = new_user(server, "screenshot@example.edu")
        context = launch(p, "/usr/bin/chromium", Path(tmp) / "profile", viewport=(1100, 760))
        configure(context, server.url, token)
        page = open_client(context, GMAIL_URL)
        compose_id = page.evaluate(
            "() => fixture.openCompose({to: [{name: 'Jane Smith', email: 'jsmith@uw.edu'}], subject: 'Interview'})"
        )
        page.locator(f'[data-fixture-compose="{compose_id}"] [g_editable="true"]').press_sequentially(DRAFT)
        wait_highlighted(page, BAD_PHRASE)
        page.wait_for_timeout(600)
        hover_underline(page, BAD_PHRASE)
        page.locator("[data-pmcoach-ui] .card").wait_for(state="visible")
        page.wait_for_timeout(300)
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT))
        context.close()
    print(OUTPUT)


if __name__ == "__main__":
    main()
