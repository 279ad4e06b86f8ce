"""Makes docs/screenshots/admin-*.png: each admin page as an advisor sees it, against a real server
on a fresh database, after a few edits made through the pages (so versions and the audit log
have something to show).

    .venv/bin/python -m tests.browser.screenshot_admin_pages
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from ..admin_support import PASSWORD, make_admin
from ..storage import server
from .harness import BAD_PHRASE, BAD_RULE, ROOT, admin_sign_in, hover_underline, launch_admin_browser

SHOTS = ROOT / "docs" / "screenshots"
ADMIN = "advising.office@example.edu"
EMAIL = (
    "Dear Dr. Park,\n\nThank you so much for the interview last week!!! I loved meeting the residents. "
    f"Could you tell me {BAD_PHRASE}? This is my only chance at anesthesiology.\n\n"
    "Best regards,\nAlex Rivera"
)
CLASS_LIST = (b"Email;Name;Track\r\nana.ruiz@example.edu;Ana Ruiz;Anesthesiology\r\n"
              b"li.wei@example.edu;Li Wei;Preliminary Medicine, Anesthesiology\r\n")


def shoot(page, name: str, full: bool = False) -> None:
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"admin-{name}.png"), full_page=full)
    print(SHOTS / f"admin-{name}.png")


def ready(page, url: str) -> None:
    page.goto(url)
    page.locator("#editor-page[data-ready]").wait_for()


def rule_pages(page, url: str) -> None:
    page.goto(f"{url}/admin/rules")
    shoot(page, "rules")
    ready(page, f"{url}/admin/rules/{BAD_RULE}")
    page.fill("#live-to", "Dr. Helen Park <hpark@uw.edu>")
    page.fill("#live-subject", "Interview")
    page.fill("#live-at", "2027-02-12T10:00")
    page.locator("#live-text").click()
    page.keyboard.insert_text(EMAIL)
    page.get_by_label("Message").fill("Asking where you stand on a program's rank list breaks NRMP rules: ask what "
                                      "would help your application instead.")
    page.get_by_role("radio", name="Warning").check()
    page.wait_for_function("t => [...(CSS.highlights.get('pmcoach-warning') || [])].some(r => r.toString() === t)",
                           arg=BAD_PHRASE)
    hover_underline(page, BAD_PHRASE, "warning")
    page.locator("#live-card").wait_for(state="visible")
    shoot(page, "rule-editor")
    page.get_by_role("tab", name="YAML (advanced)").click()
    page.locator("#live-card").evaluate("card => card.hidden = true")
    shoot(page, "rule-yaml")
    page.click("#review-button")
    page.locator("#review h2").wait_for(timeout=60_000)
    page.fill("#publish-note", "Our wording")
    shoot(page, "review")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/admin/rules/*?published=*", timeout=30_000)

    ready(page, f"{url}/admin/rules/new?file=packs/tone.yaml")
    page.get_by_label("Category").select_option("tone.entitled")
    page.get_by_label("Message").fill("Telling a program when to answer sounds entitled: say you look forward to "
                                      "hearing from them.")
    page.get_by_label("Explanation").fill("Programs answer on their own schedule.")
    page.get_by_label("Source").fill("The advising office")
    for kind, sentences in (("flag", ["I expect a reply from you by Friday.", "I need your answer before Monday."]),
                            ("clean", ["I look forward to hearing from you."])):
        for sentence in sentences:
            page.locator(f"#rf-{kind} .add-item").click()
            page.keyboard.type(sentence)
    page.locator("#reach-caught li").first.wait_for(timeout=30_000)
    page.locator("#rf-flag").scroll_into_view_if_needed()
    shoot(page, "new-rule")

    page.goto(f"{url}/admin/rules")
    row = page.locator("tr", has=page.get_by_role("link", name=BAD_RULE, exact=True))
    row.get_by_role("link", name="turn off").click()
    page.locator(".consequences").wait_for(timeout=60_000)
    page.locator(".consequences").scroll_into_view_if_needed()
    shoot(page, "confirm-consequences")
    page.goto(f"{url}/admin/rules/{BAD_RULE}/history")
    shoot(page, "rule-history")
    page.goto(f"{url}/admin/versions")
    shoot(page, "versions")
    page.goto(f"{url}/admin/rulebook")
    page.locator("#category-nrmp\\.ask-rank").scroll_into_view_if_needed()
    shoot(page, "categories")


def office_pages(page, url: str) -> None:
    page.goto(f"{url}/admin/directory")
    shoot(page, "directory")
    page.goto(f"{url}/admin/directory/institutions/uw.edu")
    shoot(page, "institution")
    page.goto(f"{url}/admin/directory/tracks")
    shoot(page, "tracks")
    page.goto(f"{url}/admin/calendar")
    page.locator("input[name$='-name'][value=match_day]").locator("xpath=../..").locator("input[type=date]") \
        .fill("2027-03-26")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/admin/calendar?saved=1")
    shoot(page, "calendar")
    page.goto(f"{url}/admin/calendar/history")
    shoot(page, "calendar-versions")
    page.goto(f"{url}/admin/users")
    page.get_by_label("CSV file").set_input_files(files=[{"name": "class.csv", "mimeType": "text/csv",
                                                          "buffer": CLASS_LIST}])
    page.get_by_role("button", name="Enrol and make invitation links").click()
    page.get_by_role("heading", name="2 invitation links").wait_for()
    page.goto(f"{url}/admin/users")
    shoot(page, "users")
    page.goto(f"{url}/admin/statistics")
    shoot(page, "statistics")
    page.goto(f"{url}/admin/audit")
    shoot(page, "audit")
    page.goto(f"{url}/admin/")
    shoot(page, "overview")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, server("sqlite", Path(tmp)) as (process, db), sync_playwright() as p:
        make_admin(db, ADMIN)
        browser = launch_admin_browser(p, "/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1366, "height": 860})
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{process.url}/admin/sign-in")
        shoot(page, "sign-in")
        admin_sign_in(page, process.url, ADMIN, PASSWORD)
        page.wait_for_url(f"{process.url}/admin/")
        SHOTS.mkdir(parents=True, exist_ok=True)
        rule_pages(page, process.url)
        office_pages(page, process.url)
        browser.close()


if __name__ == "__main__":
    main()
