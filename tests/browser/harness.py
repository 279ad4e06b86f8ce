"""Chromium with the unpacked extension, fixture mail clients at their real URLs, and the real server.

Playwright's own browser download cannot be used here, so Debian's Chromium is launched
with the flags known to load an unpacked MV3 extension under --headless=new.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
from playwright.sync_api import BrowserContext, Page, Worker

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension" / "chrome"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

GMAIL_URL = "https://mail.google.com/mail/u/0/#inbox"
OUTLOOK_URL = "https://outlook.office.com/mail/inbox"
BAD_PHRASE = "where I stand on your rank list"
BAD_SENTENCE = f"Could you tell me {BAD_PHRASE}?"
BAD_RULE = "nrmp.ask-rank.where-do-i-stand"

# The flags Debian's Chromium needs here: the new headless mode (the only one that loads an
# unpacked extension), no sandbox (containers have no user namespaces), nothing fetched on its own.
LAUNCH_ARGS = [
    "--headless=new",
    "--no-sandbox",
    f"--disable-extensions-except={EXTENSION}",
    f"--load-extension={EXTENSION}",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]


def launch(playwright, chromium_path: str, profile: Path, viewport=(1280, 900)) -> BrowserContext:
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium_path,
        headless=False,
        args=LAUNCH_ARGS,
        viewport={"width": viewport[0], "height": viewport[1]},
    )
    serve_fixtures(context)
    return context


def service_worker(context: BrowserContext) -> Worker:
    workers = [w for w in context.service_workers if w.url.startswith("chrome-extension://")]
    return workers[0] if workers else context.wait_for_event("serviceworker", timeout=15_000)


def extension_id(context: BrowserContext) -> str:
    return service_worker(context).url.split("/")[2]


def configure(context: BrowserContext, server_url: str, token: str | None) -> None:
    """What the options page saves: chrome.storage.local serverUrl and token."""
    service_worker(context).evaluate(
        "([serverUrl, token]) => chrome.storage.local.set({serverUrl, token})", [server_url, token or ""]
    )


def clear_outbox(context: BrowserContext) -> None:
    service_worker(context).evaluate("chrome.storage.local.remove('outbox')")


def outbox(context: BrowserContext) -> list:
    return service_worker(context).evaluate("chrome.storage.local.get('outbox').then(s => s.outbox || [])")


def serve_fixtures(context: BrowserContext) -> None:
    """Answers the real mail URLs with the fixture pages, under a nonce CSP like the clients' own."""

    def page(name: str):
        template = (FIXTURES / f"{name}.html").read_text()
        script = (FIXTURES / f"{name}.js").read_text()

        def handler(route):
            path = urlsplit(route.request.url).path
            if path.startswith(MODULES_PATH):
                return serve_module(route, path.removeprefix(MODULES_PATH))
            if route.request.resource_type != "document":
                return route.fulfill(status=204, body="")
            nonce = secrets.token_urlsafe(12)
            body = template.replace("__SCRIPT__", script).replace("__NONCE__", nonce)
            # 'unsafe-eval' as the real clients allow it; Playwright's evaluate needs it too.
            csp = (
                f"script-src 'nonce-{nonce}' 'unsafe-eval' 'report-sample'; style-src 'nonce-{nonce}'; "
                "object-src 'none'; base-uri 'self'"
            )
            # ?fixture-csp=off lets a test import the extension's modules into the page itself.
            headers = {} if "fixture-csp=off" in route.request.url else {"Content-Security-Policy": csp}
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body, headers=headers)

        return handler

    context.route("https://mail.google.com/**", page("gmail"))
    context.route("https://outlook.office.com/**", page("outlook"))


# The extension's own modules, served at the mail client's origin under this path, for a
# test that drives them in the page itself (the extension exposes none of them to pages).
MODULES_PATH = "/__extension-modules/"


def serve_module(route, relative: str) -> None:
    file = (EXTENSION / relative).resolve()
    if EXTENSION not in file.parents or file.suffix != ".js" or not file.is_file():
        return route.fulfill(status=404, body="")
    return route.fulfill(status=200, content_type="text/javascript; charset=utf-8", body=file.read_text())


def open_client(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    # The coach's shadow host appears once its content script has started.
    page.wait_for_selector("[data-pmcoach-ui]", state="attached", timeout=15_000)
    return page


def highlighted(page: Page, severity: str | None = None) -> list[str]:
    """The texts the coach underlines, read from CSS.highlights in the page's own world."""
    names = [f"pmcoach-{severity}"] if severity else ["pmcoach-error", "pmcoach-warning", "pmcoach-info"]
    return page.evaluate(
        "names => names.flatMap(n => [...(CSS.highlights.get(n) || [])].map(r => r.toString()))", names
    )


def wait_highlighted(page: Page, text: str, severity: str = "error", timeout: float = 10_000) -> None:
    page.wait_for_function(
        "([name, text]) => [...(CSS.highlights.get(name) || [])].some(r => r.toString() === text)",
        arg=[f"pmcoach-{severity}", text],
        timeout=timeout,
    )


def hover_underline(page: Page, text: str, severity: str = "error") -> None:
    """Move the mouse onto the underline of these words, as a user pointing at it would."""
    point = page.evaluate(
        """([name, text]) => {
            const range = [...CSS.highlights.get(name)].find(r => r.toString() === text);
            const rect = range.getClientRects()[0];
            return {x: rect.left + Math.min(20, rect.width / 2), y: rect.top + rect.height / 2};
        }""",
        [f"pmcoach-{severity}", text],
    )
    page.mouse.move(point["x"], point["y"])


def watch_answers(page: Page) -> None:
    """Notes in the page when the coach applies a check's answer (its pmcoach:apply User
    Timing entry) and when the last input came, for wait_checked; kept in fixture.state."""
    page.evaluate(
        """() => {
            if (fixture.state.answers) return;
            fixture.state.answers = [];
            fixture.state.lastInput = 0;
            document.addEventListener("input", () => { fixture.state.lastInput = performance.now(); }, true);
            new PerformanceObserver((list) => {
                for (const e of list.getEntriesByName("pmcoach:apply")) fixture.state.answers.push(e.startTime);
            }).observe({type: "measure"});
        }"""
    )


def wait_checked(page: Page, timeout: float = 10_000) -> None:
    """Waits until the coach has applied the server's answer for the text as it is now.

    An answer is applied only while the text is the one it was asked about, so one that
    arrived after the last input is the answer for the current text."""
    page.wait_for_function("() => fixture.state.answers.some(at => at > fixture.state.lastInput)", timeout=timeout)


def check(server_url: str, text: str, token: str | None = None, **fields) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(f"{server_url}/api/v1/check", json={"text": text, **fields}, headers=headers, timeout=10)
    response.raise_for_status()
    return response.json()


def ledger(server_url: str, token: str) -> list[dict]:
    response = requests.get(f"{server_url}/api/v1/ledger", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    response.raise_for_status()
    return response.json()["events"]


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


def new_user(server, email: str) -> str:
    return server.flask("create-user", email).strip().splitlines()[-1].strip()


# The admin pages need no extension: Chromium alone, with the same flags.
ADMIN_LAUNCH_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync"]


def launch_admin_browser(playwright, chromium_path: str):
    return playwright.chromium.launch(executable_path=chromium_path, headless=False, args=ADMIN_LAUNCH_ARGS)


def admin_sign_in(page: Page, server_url: str, email: str, password: str) -> None:
    page.goto(f"{server_url}/admin/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
