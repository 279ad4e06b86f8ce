"""The Outlook add-in as the server delivers it: its files, the well-known file and the manifest.

Microsoft's manifest validator needs the internet, so the manifest is checked offline here:
well-formed XML, the elements Outlook needs in the order the schema requires, resource ids
that resolve, and every URL on the deployment's https host and served by this server.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import sync_playwright

from server import addin, create_app

from .prodserver import PUBLIC_URL, ProductionServer
from .serverproc import ServerProcess
from .storage import database

ORIGIN = "https://coach.example.edu"
NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "v10": "http://schemas.microsoft.com/office/mailappversionoverrides",
    "v": "http://schemas.microsoft.com/office/mailappversionoverrides/1.1",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"
# The MailApp schema is a sequence: Outlook rejects a manifest whose elements are out of order.
OFFICEAPP_ORDER = ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl",
                   "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements", "FormSettings",
                   "Permissions", "Rule", "DisableEntityHighlighting", "VersionOverrides"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COACH_INSTANCE_PATH", str(tmp_path_factory.mktemp("addin-instance")))
        patch.delenv("COACH_OUTLOOK_ADDIN_ID", raising=False)
        yield create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def manifest_command(app, *args, env=None):
    return app.test_cli_runner().invoke(args=["outlook-manifest", *args], env=env or {})


@pytest.fixture(scope="module")
def manifest_xml(app):
    result = manifest_command(app, "--url", ORIGIN)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def manifest(manifest_xml):
    return ET.fromstring(manifest_xml.encode())


# --- files ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, content_type", [
    ("/addin/taskpane.html", "text/html"),
    ("/addin/taskpane.mjs", "text/javascript"),
    ("/addin/checker.mjs", "text/javascript"),
    ("/addin/outlook.mjs", "text/javascript"),
    ("/addin/taskpane.css", "text/css"),
    ("/addin/commands.html", "text/html"),
    ("/addin/launchevent.js", "text/javascript"),
    ("/addin/core/api.js", "text/javascript"),
    ("/addin/core/warnings.js", "text/javascript"),
    ("/addin/help.html", "text/html"),
    ("/addin/icons/icon-16.png", "image/png"),
    ("/addin/icons/icon-128.png", "image/png"),
])
def test_the_add_in_files_are_served(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == content_type
    assert response.data


def test_the_task_pane_loads_office_js_and_its_module(client):
    page = client.get("/addin/taskpane.html").get_data(as_text=True)
    assert '<script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>' in page
    assert '<script type="module" src="taskpane.mjs"></script>' in page
    runtime = client.get("/addin/commands.html").get_data(as_text=True)
    assert "office.js" in runtime and '<script src="launchevent.js"></script>' in runtime


@pytest.mark.parametrize("base_url, expected", [
    ("https://coach.example.edu", "https://coach.example.edu"),
    # Behind a proxy that ends TLS, the request arrives as plain http but Outlook used https.
    ("http://coach.example.edu", "https://coach.example.edu"),
    ("http://coach.example.edu:8443", "https://coach.example.edu:8443"),
    ("http://localhost:5000", "http://localhost:5000"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
    ("http://[::1]:5000", "http://[::1]:5000"),
])
def test_the_send_handler_is_served_with_this_servers_address(client, base_url, expected):
    script = client.get("/addin/launchevent.js", base_url=base_url).get_data(as_text=True)
    assert f"var DEFAULT_SERVER_URL = {json.dumps(expected)};" in script
    assert "__COACH_SERVER_URL__" not in script
    assert client.get("/addin/launchevent.js").headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/addin/missing.js", "/addin/../server/config.py",
                                  "/addin/%2e%2e/manifest.template.xml", "/addin/", "/addin/icons"])
def test_nothing_outside_the_add_in_files_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]["code"] == "not_found"


def test_the_well_known_file_allows_this_deployments_send_handler(client):
    response = client.get("/.well-known/microsoft-officeaddins-allowed.json", base_url="http://coach.example.edu")
    assert response.status_code == 200
    assert response.get_json() == {"allowed": ["https://coach.example.edu/addin/launchevent.js"]}


def test_in_production_the_servers_address_is_configured_never_taken_from_the_request(tmp_path):
    # Behind a trusted proxy, as deployed: X-Forwarded-Host is believed for other purposes, not this one.
    with database("sqlite", tmp_path) as db, \
            ProductionServer(tmp_path, env={"DATABASE_URL": db.url, "COACH_TRUST_PROXY": "1"}, workers=1) as server:
        for headers in ({}, {"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"},
                        {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}):
            script = requests.get(f"{server.url}/addin/launchevent.js", headers=headers, timeout=10)
            assert f"var DEFAULT_SERVER_URL = {json.dumps(PUBLIC_URL)};" in script.text, headers
            allowed = requests.get(f"{server.url}/.well-known/microsoft-officeaddins-allowed.json", headers=headers,
                                   timeout=10)
            assert allowed.json() == {"allowed": [f"{PUBLIC_URL}/addin/launchevent.js"]}, headers


# --- manifest ---------------------------------------------------------------------------------

def test_the_manifest_is_well_formed_xml_with_the_elements_in_schema_order(manifest):
    assert manifest.tag == f"{{{NS['o']}}}OfficeApp"
    assert manifest.get(XSI_TYPE) == "MailApp"
    children = [child.tag.split("}")[1] for child in manifest]
    assert children == OFFICEAPP_ORDER


def test_the_manifest_describes_an_outlook_compose_add_in(manifest):
    assert manifest.findtext("o:Id", namespaces=NS) == addin.DEFAULT_ADDIN_ID
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", manifest.findtext("o:Version", namespaces=NS))
    assert manifest.find("o:Hosts/o:Host", NS).get("Name") == "Mailbox"
    assert manifest.findtext("o:Permissions", namespaces=NS) == "ReadWriteItem"
    form = manifest.find("o:FormSettings/o:Form", NS)
    assert form.get(XSI_TYPE) == "ItemEdit"
    rule = manifest.find("o:Rule/o:Rule", NS)
    assert (rule.get("ItemType"), rule.get("FormType")) == ("Message", "Edit")
    assert len(manifest.find("o:DisplayName", NS).get("DefaultValue")) <= 125
    assert len(manifest.find("o:Description", NS).get("DefaultValue")) <= 250


def test_the_manifest_declares_smart_alerts_and_a_pinnable_task_pane(manifest):
    outer = manifest.find("v10:VersionOverrides", NS)
    assert outer.get(XSI_TYPE) == "VersionOverridesV1_0"
    overrides = outer.find("v:VersionOverrides", NS)
    assert overrides.get(XSI_TYPE) == "VersionOverridesV1_1"
    sets = overrides.find("v:Requirements/bt:Sets", NS)
    assert tuple(int(n) for n in sets.get("DefaultMinVersion").split(".")) >= (1, 12)
    assert sets.find("bt:Set", NS).get("Name") == "Mailbox"

    host = overrides.find("v:Hosts/v:Host", NS)
    assert host.get(XSI_TYPE) == "MailHost"
    runtime = host.find("v:Runtimes/v:Runtime", NS)
    assert runtime.get("lifetime") == "short"
    override = runtime.find("v:Override", NS)
    assert override.get("type") == "javascript"

    points = {point.get(XSI_TYPE): point for point in host.findall("v:DesktopFormFactor/v:ExtensionPoint", NS)}
    assert set(points) == {"MessageComposeCommandSurface", "LaunchEvent"}
    launch = points["LaunchEvent"].find("v:LaunchEvents/v:LaunchEvent", NS)
    assert launch.attrib == {"Type": "OnMessageSend", "FunctionName": "onMessageSendHandler", "SendMode": "PromptUser"}
    assert points["LaunchEvent"].find("v:SourceLocation", NS).get("resid") == runtime.get("resid")

    button = points["MessageComposeCommandSurface"].find(".//v:Control", NS)
    assert button.get(XSI_TYPE) == "Button"
    action = button.find("v:Action", NS)
    assert action.get(XSI_TYPE) == "ShowTaskpane"
    assert action.findtext("v:SupportsPinning", namespaces=NS) == "true"

    resources = resource_values(overrides)
    assert resources["Url"][runtime.get("resid")] == f"{ORIGIN}/addin/commands.html"
    assert resources["Url"][override.get("resid")] == f"{ORIGIN}/addin/launchevent.js"
    assert resources["Url"][action.find("v:SourceLocation", NS).get("resid")] == f"{ORIGIN}/addin/taskpane.html"


def resource_values(overrides) -> dict[str, dict[str, str]]:
    kinds = {"Image": "bt:Images/bt:Image", "Url": "bt:Urls/bt:Url", "ShortString": "bt:ShortStrings/bt:String",
             "LongString": "bt:LongStrings/bt:String"}
    resources = overrides.find("v:Resources", NS)
    return {kind: {e.get("id"): e.get("DefaultValue") for e in resources.findall(path, NS)}
            for kind, path in kinds.items()}


def test_every_resource_id_resolves_within_outlooks_limits(manifest):
    overrides = manifest.find("v10:VersionOverrides/v:VersionOverrides", NS)
    resources = resource_values(overrides)
    for kind, entries in resources.items():
        assert entries, f"no {kind} resources"
        assert all(len(resid) <= 32 for resid in entries)
    assert all(len(value) <= 125 for value in resources["ShortString"].values())
    assert all(len(value) <= 250 for value in resources["LongString"].values())
    expected_kind = {"Runtime": "Url", "Override": "Url", "SourceLocation": "Url", "Image": "Image",
                     "Label": "ShortString", "Title": "ShortString", "Description": "LongString"}
    referenced = 0
    for element in overrides.iter():
        resid = element.get("resid")
        if resid is None:
            continue
        kind = expected_kind[element.tag.split("}")[1]]
        assert resid in resources[kind], f"{element.tag} names {resid}, which is no {kind} resource"
        referenced += 1
    assert referenced >= 10


def test_every_address_in_the_manifest_is_https_on_the_deployments_host_and_served(manifest, client):
    urls = [e.get("DefaultValue") for e in manifest.iter() if e.get("DefaultValue", "").startswith("http")]
    urls += [element.text for element in manifest.iter(f"{{{NS['o']}}}AppDomain")]
    assert len(urls) >= 10
    for url in urls:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("https", "coach.example.edu"), url
        if parts.path:
            assert client.get(parts.path, base_url=ORIGIN).status_code == 200, url


def test_the_manifest_id_comes_from_the_environment_and_stays_put(app):
    chosen = "3f0d6c3e-8d0c-4a52-9a53-2f4b1b7b9e11"
    first = manifest_command(app, "--url", ORIGIN, env={"COACH_OUTLOOK_ADDIN_ID": chosen.upper()})
    second = manifest_command(app, "--url", ORIGIN + "/", env={"COACH_OUTLOOK_ADDIN_ID": chosen})
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    assert ET.fromstring(first.stdout.encode()).findtext("o:Id", namespaces=NS) == chosen


def test_the_manifest_can_be_written_to_a_file(app, tmp_path, manifest_xml):
    target = tmp_path / "coach-outlook.xml"
    result = manifest_command(app, "--url", ORIGIN, "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == manifest_xml
    assert result.stdout == ""
    assert "admin center" in result.stderr


@pytest.mark.parametrize("url, complaint", [
    ("http://coach.example.edu", "https"),
    ("coach.example.edu", "https"),
    ("https://", "https"),
    ("https://coach.example.edu/coach", "origin"),
    ("https://coach.example.edu/?x=1", "origin"),
    ("https://user@coach.example.edu", "origin"),
])
def test_the_manifest_command_refuses_urls_outlook_cannot_use(app, url, complaint):
    result = manifest_command(app, "--url", url)
    assert result.exit_code == 2
    assert complaint in result.stderr and url in result.stderr


def test_the_manifest_command_refuses_an_add_in_id_that_is_no_guid(app):
    result = manifest_command(app, "--url", ORIGIN, env={"COACH_OUTLOOK_ADDIN_ID": "coach"})
    assert result.exit_code == 2
    assert "COACH_OUTLOOK_ADDIN_ID" in result.stderr


# --- the task pane in a browser -----------------------------------------------------------------

# Office.js as a compose window offers it to the pane, in place of Microsoft's CDN script.
FAKE_OFFICE_JS = r"""
(() => {
  const draft = window.draft = {
    body: window.initialBody, subject: "Question about the anesthesiology program – Ana Ruiz",
    to: [{ displayName: "Dr Jane Smith", emailAddress: "jsmith@uw.edu" }], cc: [],
    inserted: [], handlers: {}, settings: {}, saved: 0,
  };
  const ok = (callback, value) => setTimeout(() => callback({ status: "succeeded", value }), 0);
  const addHandler = (type, handler, callback) => { draft.handlers[type] = handler; ok(callback); };
  const item = {
    body: {
      getAsync: (coercion, callback) => ok(callback, coercion === "text" ? draft.body : "<p>html</p>"),
      setSelectedDataAsync: (data, options, callback) => { draft.inserted.push([data, options]); ok(callback); },
    },
    subject: { getAsync: (callback) => ok(callback, draft.subject),
               setAsync: (value, callback) => { draft.subject = value; ok(callback); } },
    to: { getAsync: (callback) => ok(callback, draft.to) },
    cc: { getAsync: (callback) => ok(callback, draft.cc) },
    addHandlerAsync: addHandler,
  };
  window.Office = {
    HostType: { Outlook: "Outlook" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text" },
    EventType: { RecipientsChanged: "olkRecipientsChanged", ItemChanged: "olkItemSelectedChanged" },
    context: {
      mailbox: { item, addHandlerAsync: addHandler },
      roamingSettings: {
        get: (name) => draft.settings[name],
        set: (name, value) => { draft.settings[name] = value; },
        remove: (name) => { delete draft.settings[name]; },
        saveAsync: (callback) => { draft.saved += 1; ok(callback); },
      },
    },
    actions: { associate: (name, handler) => { draft.handlers[name] = handler; } },
    onReady: (callback) => setTimeout(() => callback({ host: "Outlook" }), 0),
  };
})();
"""
ASK = "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?\n\nSincerely,\nAna Ruiz"
THANKS = ("Dear Dr. Smith,\n\nThank you for taking the time to speak with me during my interview on Tuesday. "
          "I especially enjoyed learning about the residents' research projects and the new simulation "
          "curriculum. I remain very interested in your program.\n\nSincerely,\nAna Ruiz")


@pytest.fixture(scope="module")
def pane_server(tmp_path_factory):
    with ServerProcess(tmp_path_factory.mktemp("pane-instance")) as running:
        yield running


@pytest.fixture
def pane(pane_server, chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=["--headless=new", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 340, "height": 800})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        checks = []
        page.on("request", lambda r: checks.append(r) if r.url.endswith("/api/v1/check") else None)
        page.route("https://appsforoffice.microsoft.com/**",
                   lambda route: route.fulfill(body=FAKE_OFFICE_JS, content_type="text/javascript"))
        page.add_init_script(f"window.initialBody = {json.dumps(ASK)};")
        page.goto(pane_server.url + "/addin/taskpane.html")
        yield page, checks
        assert errors == []
        browser.close()


def test_the_task_pane_shows_the_servers_warnings_and_inserts_a_suggestion(pane, pane_server):
    page, _ = pane
    body = {"text": ASK, "subject": "Question about the anesthesiology program – Ana Ruiz",
            "to": ["Dr Jane Smith <jsmith@uw.edu>"]}
    expected = requests.post(pane_server.url + "/api/v1/check", json=body, timeout=10).json()
    ask = next(w for w in expected["warnings"] if w["rule"] == "nrmp.ask-rank.where-do-i-stand")

    card = page.locator(".warning[data-severity=error]").first
    card.wait_for(timeout=10_000)
    assert page.text_content("#status").startswith("1 error")
    assert card.locator(".message").text_content() == ask["message"]
    assert card.locator(".flagged").text_content() == "where I stand on your rank list"
    assert not card.locator(".explanation").is_visible()

    card.locator("summary").click()
    assert card.locator(".explanation").text_content() == ask["explanation"]
    card.locator(".suggestion button").first.click()
    page.wait_for_function("() => window.draft.inserted.length === 1")
    assert page.evaluate("window.draft.inserted") == [[ask["suggestions"][0], {"coercionType": "text"}]]
    assert page.text_content("#notice") == "Inserted into your email."


def test_the_task_pane_rechecks_while_the_user_writes_and_only_while_visible(pane):
    page, checks = pane
    page.locator(".warning[data-severity=error]").wait_for(timeout=10_000)

    page.evaluate(f"window.draft.body = {json.dumps(THANKS)}")
    page.wait_for_function("() => document.querySelector('#status').dataset.tone !== 'error'", timeout=8_000)
    assert page.locator(".warning[data-severity=error]").count() == 0

    seen = len(checks)
    page.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.evaluate(f"window.draft.body = {json.dumps(ASK)}")
    page.wait_for_timeout(4_000)
    assert len(checks) == seen, "no check while the pane is hidden"

    page.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.locator(".warning[data-severity=error]").wait_for(timeout=5_000)

    # A new recipient is checked at once, not at the next tick.
    with page.expect_request(lambda r: r.url.endswith("/api/v1/check"), timeout=1_500) as check:
        page.evaluate("""() => {
            window.draft.to.push({ displayName: 'Coordinator', emailAddress: 'gme@uw.edu' });
            window.draft.handlers.olkRecipientsChanged({ type: 'olkRecipientsChanged' });
        }""")
    assert "gme@uw.edu" in check.value.post_data


def test_the_task_pane_saves_its_settings_where_the_send_handler_reads_them(pane, pane_server):
    page, checks = pane
    page.locator(".warning").first.wait_for(timeout=10_000)
    assert page.input_value("#server-url") == pane_server.url

    page.click("#settings summary")
    page.fill("#server-url", "coach.example.edu")
    page.click("#settings-form button[type=submit]")
    assert "https://" in page.text_content("#settings-note")
    assert page.evaluate("window.draft.saved") == 0

    page.fill("#server-url", pane_server.url + "/")
    page.click("#settings-form button[type=submit]")
    page.wait_for_function("() => window.draft.saved === 1")
    assert page.evaluate("window.draft.settings") == {"serverUrl": pane_server.url}
    assert page.text_content("#account-line").startswith("Not signed in.")


def test_the_send_handler_page_registers_the_handler_in_a_browser(pane, pane_server):
    page, _ = pane
    page.goto(pane_server.url + "/addin/commands.html")
    page.wait_for_function("() => typeof window.draft.handlers.onMessageSendHandler === 'function'")
    page.evaluate(f"window.draft.body = {json.dumps(ASK)}")
    options = page.evaluate("""() => new Promise((resolve) =>
        window.draft.handlers.onMessageSendHandler({ completed: resolve }))""")
    assert options["allowEvent"] is False
    assert "rank list" in options["errorMessage"]

