"""Signing in end to end in Chromium, against a real OpenID Connect provider (oidc-provider on
127.0.0.1) and the real server:

- the extension's options page: "Sign in with your school account" runs
  chrome.identity.launchWebAuthFlow (Chrome's own sign-in window, which headless Chromium
  opens as a tab) through the server and the provider's login form, exchanges the code and
  keeps the token; the devices list; signing out revokes it;
- an invitation link: its page opens the extension's options, which enrol the browser; the
  same link a second time is refused;
- an administrator at /admin/sign-in, with the school's account;
- the Outlook add-in's pane, through the Office dialog API. Office itself cannot run here:
  the dialog is a stand-in Office.js that opens the dialog's URL in a popup and passes
  messageParent back; everything else (the pane's code, the server, the provider) is real.
"""

from __future__ import annotations

import pytest
import requests

from server.admin import passwords
from server.db import make_engine, writing

from ..identity_provider import IdentityProvider, extension_id
from ..serverproc import free_port
from ..storage import auth, server
from .harness import ADMIN_LAUNCH_ARGS, EXTENSION, launch, service_worker, wait_until

STUDENT = "ana.ruiz@example.edu"
ADMIN = "dean.office@example.edu"


@pytest.fixture(scope="module")
def school(tmp_path_factory, chromium_path):
    folder = tmp_path_factory.mktemp("school")
    port = free_port()
    with IdentityProvider([f"http://127.0.0.1:{port}/sign-in/callback"]) as idp:
        env = {"COACH_OIDC_PROVIDERS": "school", "COACH_EXTENSION_IDS": extension_id(EXTENSION),
               **idp.env("school", "example.edu", label="Example University")}
        with server("sqlite", folder, env=env, port=port) as (process, db):
            db.new_user(email=STUDENT)
            engine = make_engine(db.url)
            with writing(engine) as connection:
                passwords.set_password(connection, ADMIN, "an admin passphrase")
            engine.dispose()
            yield process, idp


@pytest.fixture(scope="module")
def chrome(playwright_instance, chromium_path, tmp_path_factory):
    context = launch(playwright_instance, chromium_path, tmp_path_factory.mktemp("profile"))
    yield context
    context.close()


def log_in_at_provider(page, login: str) -> None:
    page.wait_for_selector("input[name=login]", timeout=15_000)
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")


def stored_token(context) -> str | None:
    return service_worker(context).evaluate("chrome.storage.local.get('token').then(s => s.token || null)")


def test_the_extension_signs_in_with_the_school_account_and_signs_out(chrome, school):
    process, _ = school
    assert extension_id(EXTENSION) == service_worker(chrome).url.split("/")[2]
    # The first run opened the options page, where the student signs in.
    tabs = "chrome.runtime.getContexts({contextTypes: ['TAB']}).then(found => found.map(c => c.documentUrl))"
    wait_until(lambda: any(url.endswith("/options/options.html") for url in service_worker(chrome).evaluate(tabs)),
               message="the options page of the first run")
    options = next(p for p in chrome.pages if p.url.endswith("/options/options.html"))
    options.get_by_label("Server address").fill(process.url)
    with chrome.expect_page() as signing_in:
        options.get_by_role("button", name="Sign in with your school account").click()
    log_in_at_provider(signing_in.value, STUDENT)
    options.get_by_role("status").filter(has_text=f"Signed in as {STUDENT}.").first.wait_for(timeout=15_000)
    token = stored_token(chrome)
    assert requests.get(f"{process.url}/api/v1/me", headers=auth(token), timeout=10).json()["email"] == STUDENT
    options.locator("#devices li").filter(has_text="Chrome on Linux (this browser)").wait_for()

    options.get_by_role("button", name="Sign out of this browser").click()
    options.get_by_text("Signed out of this browser.").wait_for()
    assert stored_token(chrome) is None
    assert requests.get(f"{process.url}/api/v1/me", headers=auth(token), timeout=10).status_code == 401


def test_an_invitation_link_enrols_this_browser_once(chrome, school):
    process, _ = school
    link = process.flask("invite", STUDENT, "--url", process.url).strip().splitlines()[-1]
    for attempt in ("first", "second"):
        page = chrome.new_page()
        page.goto(link)
        page.get_by_role("link", name="Connect this browser").click()
        page.wait_for_url("chrome-extension://**/options/options.html#invitation=*")
        page.get_by_role("button", name="Connect this browser").click()
        status = page.locator("#account-status")
        if attempt == "first":
            status.filter(has_text=f"Signed in as {STUDENT}.").wait_for(timeout=15_000)
            assert "#" not in page.url  # the used link leaves the address bar
            me = requests.get(f"{process.url}/api/v1/me", headers=auth(stored_token(chrome)), timeout=10)
            assert me.status_code == 200
            page.get_by_role("button", name="Sign out of this browser").click()  # as another browser would be
            page.get_by_text("Signed out of this browser.").wait_for()
        else:
            status.filter(has_text="has been used already").wait_for(timeout=15_000)
        page.close()


def test_an_administrator_signs_in_to_the_admin_pages_with_the_school_account(playwright_instance, chromium_path,
                                                                               school):
    process, _ = school
    browser = playwright_instance.chromium.launch(executable_path=chromium_path, headless=False, args=ADMIN_LAUNCH_ARGS)
    try:
        page = browser.new_page()
        page.goto(f"{process.url}/admin/users")
        page.get_by_role("link", name="Sign in with Example University").click()
        log_in_at_provider(page, ADMIN)
        page.wait_for_url(f"{process.url}/admin/users")
        assert STUDENT in page.locator("main").inner_text()
    finally:
        browser.close()


# Office.js for the pane and its dialog: displayDialogAsync opens the URL in a popup, whose
# messageParent reaches the pane's DialogMessageReceived handler.
FAKE_OFFICE_JS = r"""
(() => {
  const ok = (callback, value) => setTimeout(() => callback({ status: "succeeded", value }), 0);
  const settings = window.opener ? {} : (window.settings = {});
  const item = {
    body: { getAsync: (coercion, callback) => ok(callback, "Dear Dr. Smith,") },
    subject: { getAsync: (callback) => ok(callback, "Hello") },
    to: { getAsync: (callback) => ok(callback, []) }, cc: { getAsync: (callback) => ok(callback, []) },
    addHandlerAsync: (type, handler, callback) => ok(callback),
  };
  window.Office = {
    HostType: { Outlook: "Outlook" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text" },
    EventType: { RecipientsChanged: "olkRecipientsChanged", ItemChanged: "olkItemSelectedChanged",
                 DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    context: {
      diagnostics: { platform: "OfficeOnline" },
      mailbox: { item, addHandlerAsync: (type, handler, callback) => ok(callback) },
      roamingSettings: {
        get: (name) => settings[name], set: (name, value) => { settings[name] = value; },
        remove: (name) => { delete settings[name]; }, saveAsync: (callback) => ok(callback),
      },
      ui: {
        displayDialogAsync: (url, options, callback) => {
          const handlers = {};
          const popup = window.open(url, "coach-sign-in", "popup");
          window.dialogMessage = (message) => handlers.dialogMessageReceived({ message, origin: location.origin });
          const dialog = { addEventHandler: (type, handler) => { handlers[type] = handler; },
                           close: () => popup.close() };
          ok(callback, dialog);
        },
        messageParent: (message) => window.opener.dialogMessage(message),
      },
    },
    onReady: (callback) => setTimeout(() => callback({ host: "Outlook" }), 0),
  };
})();
"""


def test_the_outlook_add_in_signs_in_through_the_office_dialog(playwright_instance, chromium_path, school):
    process, _ = school
    browser = playwright_instance.chromium.launch(executable_path=chromium_path, headless=False, args=ADMIN_LAUNCH_ARGS)
    try:
        context = browser.new_context()
        context.route("https://appsforoffice.microsoft.com/**",
                      lambda route: route.fulfill(body=FAKE_OFFICE_JS, content_type="text/javascript"))
        pane = context.new_page()
        errors = []
        pane.on("pageerror", lambda error: errors.append(str(error)))
        pane.goto(f"{process.url}/addin/taskpane.html")
        pane.click("#settings summary")
        with context.expect_page() as dialog:
            pane.get_by_role("button", name="Sign in with your school account").click()
        log_in_at_provider(dialog.value, STUDENT)
        pane.locator("#account-note").filter(has_text=f"Signed in as {STUDENT}.").wait_for(timeout=15_000)
        saved = pane.evaluate("window.settings")
        assert saved["serverUrl"] == process.url
        me = requests.get(f"{process.url}/api/v1/tokens", headers=auth(saved["token"]), timeout=10).json()
        assert [t["label"] for t in me["tokens"] if t["current"]] == ["Outlook on the web"]
        assert errors == []
    finally:
        browser.close()
