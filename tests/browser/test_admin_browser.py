"""The admin pages in Chromium against a real server: signing in, editing a rule with the live
panel underlining as the extension does, publishing (and /api/v1/check answering the new way),
a catastrophic pattern refused with its reason, rollback, CSRF and an applicant's token."""

from __future__ import annotations

import pytest
import requests

from ..admin_support import PASSWORD, check, office_server
from ..storage import auth
from .harness import BAD_PHRASE, BAD_RULE, admin_sign_in, hover_underline, launch_admin_browser, wait_until

ADMIN = "browser.admin@example.edu"
EMAIL = f"Dear Dr. Smith,\n\nThank you for the interview. Could you tell me {BAD_PHRASE}?\n\nBest,\nAlex"


def severities(server_url: str) -> list[str]:
    answer = requests.post(f"{server_url}/api/v1/check", json={"text": EMAIL}, timeout=10).json()
    return [w["severity"] for w in answer["warnings"] if w["rule"] == BAD_RULE]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    with office_server(tmp_path_factory.mktemp("admin-browser"), ADMIN) as started:
        yield started


@pytest.fixture(scope="module")
def chromium(playwright_instance, chromium_path):
    browser = launch_admin_browser(playwright_instance, chromium_path)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def page(chromium, office):
    context = chromium.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def highlighted(page, severity: str) -> list[str]:
    return page.evaluate("n => [...(CSS.highlights.get(n) || [])].map(r => r.toString())", f"pmcoach-{severity}")


def editor(page, server_url: str):
    page.goto(f"{server_url}/admin/rules/{BAD_RULE}")
    return page.locator("textarea.yaml-input")


def test_sign_in_with_email_and_password(page, office):
    process, _ = office
    page.goto(f"{process.url}/admin/rules")
    assert "/admin/sign-in" in page.url
    admin_sign_in(page, process.url, ADMIN, "not the password")
    assert "do not match" in page.locator(".error").inner_text()
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{process.url}/admin/")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "coach_admin"]
    # Chromium keeps a Secure cookie from http://127.0.0.1, as from any secure origin.
    assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, True, "Lax", "/admin")
    assert page.get_by_role("heading", name="Rules in force").is_visible()


def test_editing_a_rule_with_the_live_panel_then_publishing_changes_the_check_api(page, office):
    process, _ = office
    assert severities(process.url) == ["error"]
    source = editor(page, process.url)
    page.locator("#live-text").click()
    page.keyboard.insert_text(EMAIL)
    # Underlined exactly as the extension does: its painter, its highlight names, its offsets.
    wait_until(lambda: BAD_PHRASE in highlighted(page, "error"), message="the live underline")
    hover_underline(page, BAD_PHRASE)
    card = page.locator("#live-card")
    card.wait_for(state="visible")
    assert "rank list" in card.inner_text() and "Why:" in card.inner_text()

    source.fill(source.input_value().replace("severity: error", "severity: warning"))
    wait_until(lambda: BAD_PHRASE in highlighted(page, "warning"), message="the draft's underline")
    assert page.locator("#live-warnings .badge.new").count() >= 1
    assert severities(process.url) == ["error"]  # nothing published yet

    page.click("#review-button")
    review = page.locator("#review")
    review.get_by_role("heading", name=f"Edit the rule {BAD_RULE} in packs/nrmp.yaml").wait_for()
    assert "warnings added" in review.inner_text() and "+severity: warning" in review.inner_text()
    page.fill("#publish-note", "Softer wording for our students")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/admin/rules/{BAD_RULE}?published=*", timeout=15_000)
    wait_until(lambda: severities(process.url) == ["warning"], timeout=5, message="the published rule in force")


def test_a_catastrophic_pattern_is_refused_with_its_reason(page, office):
    process, _ = office
    source = editor(page, process.url)
    text = source.input_value().replace("patterns:\n", 'patterns:\n  - "(?:\\\\w+\\\\s?)+$"\n', 1)
    source.fill(text)
    page.click("#review-button")
    problem = page.locator("#problem")
    problem.wait_for(state="visible", timeout=20_000)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "(?:" in row)
    assert "took longer than 150 ms on a long text" in problem.inner_text()
    assert f"Line {line} of your text" in problem.inner_text()
    assert page.locator(".yaml-gutter .y-error").inner_text().strip() == str(line)
    assert page.locator("#review").is_hidden()
    assert severities(process.url) == ["warning"]  # the rules in force are untouched


def test_rollback_restores_the_old_answers(page, office):
    process, _ = office
    page.goto(f"{process.url}/admin/versions")
    page.locator("tr", has_text="shipped").get_by_role("link", name="roll back to this").click()
    page.locator("#review h2").wait_for(timeout=20_000)
    assert "Roll back to the rules of version 1" in page.locator("#review h2").inner_text()
    page.fill("#publish-note", "Back to the shipped wording")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/admin/versions/*", timeout=15_000)
    assert "rollback" in page.locator(".facts").inner_text()
    wait_until(lambda: severities(process.url) == ["error"], timeout=5, message="the old answer")


def test_a_form_posted_without_its_csrf_token_is_refused(page, office):
    process, _ = office
    page.goto(f"{process.url}/admin/users")
    form = page.locator("form", has=page.locator("input[name=email]"))
    form.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    form.locator("input[name=email]").fill("forged.enrolment@example.edu")
    with page.expect_response(lambda r: r.url.endswith("/admin/users") and r.request.method == "POST") as posted:
        form.get_by_role("button").click()
    assert posted.value.status == 403
    assert "security token" in page.locator(".error").inner_text()
    page.goto(f"{process.url}/admin/users")
    assert "forged.enrolment" not in page.content()


def test_an_applicant_token_gets_403(chromium, office):
    process, db = office
    context = chromium.new_context(extra_http_headers=auth(db.new_user()))
    page = context.new_page()
    for path in ("/admin/", "/admin/rules", "/admin/sign-in", "/admin/api/rules"):
        response = page.goto(process.url + path)
        assert response.status == 403, path
        assert response.json()["error"]["code"] == "forbidden"
    context.close()
    assert check(process, EMAIL)["warnings"]  # the check API still answers the applicant's extension
