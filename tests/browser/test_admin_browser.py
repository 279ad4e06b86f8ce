"""An advisor's tasks in Chromium, through the admin pages' forms only, against a real server:
signing in; changing a rule's message (with a colon) in the form while the live panel underlines
as the extension does; adding a rule from example sentences alone and seeing it flag a paraphrase
through the check API; a publish that costs the example emails, refused until confirmed; rolling
back, with each rule's own history; enrolling a class from a spreadsheet's CSV with track labels;
the keyboard (skip link, labelled table inputs, the YAML box's Tab trap); CSRF and an applicant's
token. One server, one browser and one page for the module: each test goes on from the last."""

from __future__ import annotations

import pytest
import requests
import yaml

from ..admin_support import PASSWORD, check, office_server
from ..storage import Client, auth
from .harness import BAD_PHRASE, BAD_RULE, admin_sign_in, hover_underline, launch_admin_browser, wait_until

ADMIN = "browser.admin@example.edu"
EMAIL = f"Dear Dr. Smith,\n\nThank you for the interview. Could you tell me {BAD_PHRASE}?\n\nBest,\nAlex"
COLON_MESSAGE = "Note: asking where you stand on a program's rank list breaks NRMP rules; ask what would help instead."
NEW_RULE = "tone.entitled.reply-by-a-date"
PARAPHRASE = "Dear Dr. Smith,\n\nI expect to receive your answer by Friday.\n\nBest,\nAlex"


def warnings_of(server_url: str, text: str, rule: str) -> list[dict]:
    answer = requests.post(f"{server_url}/api/v1/check", json={"text": text}, timeout=10).json()
    return [w for w in answer["warnings"] if w["rule"] == rule]


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
    # Leaving an editor with unsaved edits asks first; the tests move on as an advisor who says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


def highlighted(page, severity: str) -> list[str]:
    return page.evaluate("n => [...(CSS.highlights.get(n) || [])].map(r => r.toString())", f"pmcoach-{severity}")


def open_editor(page, url: str) -> None:
    page.goto(url)
    page.locator("#editor-page[data-ready]").wait_for()


def review_and_publish(page, note: str, confirm: bool = False) -> None:
    page.locator("#review h2").wait_for(timeout=60_000)
    if confirm:
        page.get_by_label("I have read this and want to publish anyway").check()
    page.fill("#publish-note", note)
    page.get_by_role("button", name="Publish").click()


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


def test_the_keyboard_skip_link_labelled_inputs_and_the_yaml_box_tab_trap(page, office):
    process, _ = office
    page.goto(f"{process.url}/admin/rules")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the page's content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    controls = "input:not([type=hidden]), select, textarea, [contenteditable]"
    unlabelled = f"""() => [...document.querySelectorAll("{controls}")]
        .filter(e => !(e.labels?.length || e.getAttribute("aria-label") || e.getAttribute("aria-labelledby")))
        .map(e => e.name || e.id || e.outerHTML.slice(0, 60))"""
    for path in ("/admin/calendar", "/admin/directory/tracks", "/admin/directory/institutions/new", "/admin/users",
                 "/admin/audit", f"/admin/rules/{BAD_RULE}"):
        page.goto(process.url + path)
        page.wait_for_load_state()
        assert page.evaluate(unlabelled) == [], path
    page.get_by_role("tab", name="YAML (advanced)").click()
    source = page.locator("textarea.yaml-input")
    assert "press Escape, then Tab" in page.locator("#" + source.get_attribute("aria-describedby")).inner_text()
    source.focus()
    before = source.input_value()
    page.keyboard.press("Tab")  # indents, as YAML wants
    assert source.input_value() == "  " + before and page.evaluate("document.activeElement.id") == "yaml"
    page.keyboard.press("Escape")
    assert page.locator("#yaml-announce").inner_text() == "Tab now leaves the YAML box."
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "yaml"


def test_changing_a_message_with_a_colon_through_the_form(page, office):
    process, _ = office
    open_editor(page, f"{process.url}/admin/rules/{BAD_RULE}")
    page.locator("#live-text").click()
    page.keyboard.insert_text(EMAIL)
    # Underlined exactly as the extension does: its painter, its highlight names, its offsets.
    wait_until(lambda: BAD_PHRASE in highlighted(page, "error"), message="the live underline")
    hover_underline(page, BAD_PHRASE)
    assert "Why:" in page.locator("#live-card").inner_text()

    # Typed into the YAML as it stands, the colon breaks the rule: the refusal says where, and what to do.
    page.get_by_role("tab", name="YAML (advanced)").click()
    source = page.locator("textarea.yaml-input")
    source.fill(source.input_value().replace("message: Asking where", "message: Note: asking where"))
    page.click("#review-button")
    problem = page.locator("#problem")
    problem.wait_for(state="visible", timeout=20_000)
    assert "line 4 of what you edited" in problem.inner_text() and "edit the rule in the form" in problem.inner_text()
    assert page.locator(".yaml-gutter .y-error").inner_text().strip() == "4"
    page.get_by_role("button", name="Undo my edits").click()
    page.get_by_role("tab", name="Form").click()

    page.get_by_label("Message").fill(COLON_MESSAGE)
    page.get_by_role("radio", name="Warning").check()
    wait_until(lambda: BAD_PHRASE in highlighted(page, "warning"), message="the draft's underline")
    assert page.locator("#live-warnings .badge.new").count() >= 1
    assert "Unsaved edits" in page.locator("#unsaved").inner_text()
    leaving = ("() => { const e = new Event('beforeunload', {cancelable: true}); dispatchEvent(e);"
               " return e.defaultPrevented; }")
    assert page.evaluate(leaving)  # leaving now would ask first
    page.get_by_role("tab", name="YAML (advanced)").click()
    written = page.locator("textarea.yaml-input").input_value()
    assert "message: 'Note: asking where" in written and yaml.safe_load(written)["message"] == COLON_MESSAGE
    page.get_by_role("tab", name="Form").click()
    assert page.get_by_label("Message").input_value() == COLON_MESSAGE
    assert [w["severity"] for w in warnings_of(process.url, EMAIL, BAD_RULE)] == ["error"]  # nothing published yet

    page.click("#review-button")
    review = page.locator("#review")
    review.get_by_role("heading", name=f"Edit the rule {BAD_RULE} in packs/nrmp.yaml").wait_for(timeout=60_000)
    assert page.evaluate("() => { const r = document.querySelector('#review').getBoundingClientRect();"
                         " return r.top >= 0 && r.top < innerHeight; }"), "the review is scrolled into view"
    assert "+severity: warning" in review.inner_text() and "+message: 'Note: asking where" in review.inner_text()
    review_and_publish(page, "Our wording, with a colon")
    page.wait_for_url(f"**/admin/rules/{BAD_RULE}?published=*", timeout=15_000)
    wait_until(lambda: [(w["severity"], w["message"]) for w in warnings_of(process.url, EMAIL, BAD_RULE)]
               == [("warning", COLON_MESSAGE)], timeout=5, message="the published message in force")


def test_a_new_rule_from_examples_alone_flags_a_paraphrase_via_the_api(page, office):
    process, _ = office
    assert not warnings_of(process.url, PARAPHRASE, NEW_RULE)
    page.goto(f"{process.url}/admin/rules")
    page.get_by_role("link", name="Add a rule").first.click()
    page.locator("#editor-page[data-ready]").wait_for()
    page.get_by_label("Category").select_option("tone.entitled")
    assert "deserve" in page.locator("#rf-category-meaning").inner_text()  # the rulebook's meaning of it
    page.get_by_label("Message").fill("Telling a program when to answer sounds entitled: say you look forward "
                                      "to hearing from them.")
    page.get_by_label("Explanation").fill("Programs answer on their own schedule; a deadline from you reads as a "
                                          "demand.")
    page.get_by_label("Source").fill("The advising office")
    page.get_by_role("textbox", name="Name").fill(NEW_RULE)
    for kind, sentences in (("flag", ["I expect a reply from you by Friday.",
                                      "Please get back to me by the end of this week at the latest.",
                                      "I need your answer before Monday."]),
                            ("clean", ["I look forward to hearing from you.",
                                       "Thank you for your time and consideration."])):
        for sentence in sentences:
            page.locator(f"#rf-{kind} .add-item").click()
            page.keyboard.type(sentence)
    assert page.locator("#pack").input_value() == "packs/tone.yaml"  # chosen from the category
    # Beside the form, the example emails' sentences the new rule would catch.
    page.locator("#reach-caught li").first.wait_for(timeout=30_000)
    assert "Please reply by Friday." in page.locator("#reach-caught").inner_text()
    page.click("#review-button")
    page.locator("#review h2").wait_for(timeout=60_000)
    review = page.locator("#review").inner_text()
    assert f"Add the rule {NEW_RULE} to packs/tone.yaml" in review
    assert "new examples of the changed rules" in review  # its own examples are not "warnings added"
    # A rule learnt from three sentences may also catch another rule's good example; the review says
    # so, and the advisor publishes having read it (the guard itself is tested below).
    asked = page.get_by_label("I have read this and want to publish anyway").count() > 0
    review_and_publish(page, "Deadlines sound entitled", confirm=asked)
    page.wait_for_url(f"**/admin/rules/{NEW_RULE}?published=*", timeout=15_000)
    (found,) = wait_until(lambda: warnings_of(process.url, PARAPHRASE, NEW_RULE), timeout=10,
                          message="the new rule flagging a sentence none of its examples holds")
    assert found["severity"] == "warning" and 'It reads like: "I expect a reply from you by Friday."' in \
        found["explanation"]


def test_a_publish_that_breaks_the_corpus_is_refused_until_confirmed(page, office):
    process, _ = office
    page.goto(f"{process.url}/admin/rules")
    row = page.locator("tr", has=page.get_by_role("link", name=BAD_RULE, exact=True))
    row.get_by_role("link", name="turn off").click()
    page.locator("#review").get_by_role("heading", name="Before you publish").wait_for(timeout=60_000)
    costs = page.locator(".consequences").inner_text()
    assert "example email" in costs and "would no longer get what" in costs
    assert "no longer" in page.locator(".regression-list").inner_text()  # the emails are marked in the list
    page.fill("#publish-note", "Off while we reword it")
    publish = page.get_by_role("button", name="Publish")
    assert publish.is_disabled()
    assert warnings_of(process.url, EMAIL, BAD_RULE)  # still in force
    page.get_by_label("I have read this and want to publish anyway").check()
    publish.click()
    page.wait_for_url("**/admin/versions/*", timeout=15_000)
    wait_until(lambda: not warnings_of(process.url, EMAIL, BAD_RULE), timeout=5, message="the rule off")
    page.goto(f"{process.url}/admin/audit")
    assert "Published although" in page.locator("table.audit").inner_text()


def test_rollback_restores_the_old_answers_and_each_rule_keeps_its_history(page, office):
    process, _ = office
    page.goto(f"{process.url}/admin/rules/{BAD_RULE}/history")
    history = page.locator("ol.history").inner_text()
    assert "turned off by browser.admin@example.edu" in history and "Our wording, with a colon" in history
    assert page.get_by_role("link", name="Restore the rule as version 2 had it…").is_visible()
    page.goto(f"{process.url}/admin/versions")
    page.locator("tr", has_text="shipped").get_by_role("link", name="roll back to this").click()
    page.locator("#review h2").wait_for(timeout=60_000)
    assert "Roll back to the rules of version 1" in page.locator("#review h2").inner_text()
    review_and_publish(page, "Back to the shipped rules")
    page.wait_for_url("**/admin/versions/*", timeout=15_000)
    assert "rollback" in page.locator(".facts").inner_text()
    wait_until(lambda: [w["severity"] for w in warnings_of(process.url, EMAIL, BAD_RULE)] == ["error"], timeout=5,
               message="the old answer")
    assert not warnings_of(process.url, PARAPHRASE, NEW_RULE)


def test_enrolling_a_class_from_a_spreadsheet_csv_with_track_labels(page, office):
    process, _ = office
    page.goto(f"{process.url}/admin/users")
    spreadsheet = (b"Email;Name;Track\r\nana.ruiz@example.edu;Ana Ruiz;ANESTHESIOLOGY\r\n"
                   b"li.wei@example.edu;Li Wei;Preliminary Medicine, anesthesiology\r\n")
    page.get_by_label("CSV file").set_input_files(files=[{"name": "class.csv", "mimeType": "text/csv",
                                                          "buffer": spreadsheet}])
    page.get_by_role("button", name="Enrol and make invitation links").click()
    page.get_by_role("heading", name="2 invitation links").wait_for()
    links = dict(page.evaluate("() => [...document.querySelectorAll('#invitations tr[data-link]')]"
                               ".map(r => [r.dataset.email, r.dataset.link])"))
    # Li Wei's browser takes the link, as the extension does: a token of its own, with Li's tracks.
    redeemed = requests.post(f"{process.url}/api/v1/invitations/redeem", timeout=10,
                             json={"invitation": links["li.wei@example.edu"].partition("#")[2]})
    assert redeemed.status_code == 201, redeemed.text
    assert Client(process, redeemed.json()["token"]).get("/me").json()["tracks"] == [
        "internal-medicine-prelim", "anesthesiology"]
    page.goto(f"{process.url}/admin/audit")
    page.get_by_label("Kind").select_option("user")
    page.get_by_role("searchbox", name="Words").fill("ana.ruiz")
    page.get_by_role("button", name="Show").click()
    assert "ana.ruiz@example.edu (anesthesiology)" in page.locator("table.audit").inner_text()


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
