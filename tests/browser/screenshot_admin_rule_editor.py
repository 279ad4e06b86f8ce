"""Makes docs/screenshots/admin-rule-editor.png: the rule editor with a draft change and the live
panel underlining a pasted email, its card open, against a real server.

    .venv/bin/python -m tests.browser.screenshot_admin_rule_editor
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from ..admin_support import PASSWORD, make_admin
from ..storage import server
from .harness import BAD_PHRASE, BAD_RULE, ROOT, admin_sign_in, hover_underline, launch_admin_browser

OUTPUT = ROOT / "docs" / "screenshots" / "admin-rule-editor.png"
ADMIN = "advising.office@example.edu"
EMAIL = (
    "Dear Dr. Park,\n\nThank you so much for the interview last week!!! I loved meeting the residents. "
    f"Could you tell me {BAD_PHRASE}? This is my only chance at anesthesiology.\n\n"
    "Best regards,\nAlex Rivera"
)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, server("sqlite", Path(tmp)) as (process, db), sync_playwright() as p:
        make_admin(db, ADMIN)
        browser = launch_admin_browser(p, "/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        admin_sign_in(page, process.url, ADMIN, PASSWORD)
        page.wait_for_url(f"{process.url}/admin/")
        page.goto(f"{process.url}/admin/rules/{BAD_RULE}")
        page.fill("#live-to", "Dr. Helen Park <hpark@uw.edu>")
        page.fill("#live-subject", "Interview")
        page.fill("#live-at", "2027-02-12T10:00")
        page.locator("#live-text").click()
        page.keyboard.insert_text(EMAIL)
        source = page.locator("textarea.yaml-input")
        source.fill(source.input_value().replace("severity: error", "severity: warning"))
        source.evaluate("t => { t.setSelectionRange(0, 0); t.scrollTop = 0; t.dispatchEvent(new Event('scroll')); }")
        page.wait_for_function("t => [...(CSS.highlights.get('pmcoach-warning') || [])].some(r => r.toString() === t)",
                               arg=BAD_PHRASE)
        page.wait_for_timeout(400)
        hover_underline(page, BAD_PHRASE, "warning")
        page.locator("#live-card").wait_for(state="visible")
        page.wait_for_timeout(200)
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT))
        browser.close()
    print(OUTPUT)


if __name__ == "__main__":
    main()
