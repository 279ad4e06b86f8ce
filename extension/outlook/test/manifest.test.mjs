// The manifest as the server's CLI writes it, read offline by Microsoft's own manifest
// reader (office-addin-manifest) and checked against the files the add-in ships.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import { OfficeAddinManifest } from "office-addin-manifest";

import { python, REPO, SRC } from "./server.mjs";

const ORIGIN = "https://coach.example.edu";
const ADDIN_ID = "3f0d6c3e-8d0c-4a52-9a53-2f4b1b7b9e11";
let dir;
let manifestPath;
let xml;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "coach-manifest-"));
  manifestPath = path.join(dir, "manifest.xml");
  await promisify(execFile)(python(), ["-m", "flask", "--app", "server", "outlook-manifest", "--url", ORIGIN,
    "--output", manifestPath], {
    cwd: REPO, env: { ...process.env, COACH_INSTANCE_PATH: dir, COACH_OUTLOOK_ADDIN_ID: ADDIN_ID },
  });
  xml = await readFile(manifestPath, "utf8");
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("Microsoft's manifest reader takes it as an Outlook add-in with the deployment's id", async () => {
  const info = await OfficeAddinManifest.readManifestFile(manifestPath);
  assert.equal(info.id, ADDIN_ID);
  assert.equal(info.displayName, "Pre-Match Coach");
  assert.match(info.version, /^\d+\.\d+\.\d+\.\d+$/);
  assert.deepEqual(info.hosts, ["Mailbox"]);
  assert.equal(info.defaultLocale, "en-US");
  assert.ok(info.description.length <= 250);
});

test("every address in it is https on the deployment's host", () => {
  const urls = [...xml.matchAll(/(?:DefaultValue="|<AppDomain>)(https?:[^"<]+)/g)].map((m) => m[1]);
  assert.ok(urls.length >= 8);
  for (const url of urls) {
    assert.ok(url === ORIGIN || url.startsWith(`${ORIGIN}/`), url);
  }
  assert.doesNotMatch(xml.replace(/xmlns(:\w+)?="[^"]*"/g, ""), /http:\/\//, "namespaces aside, nothing is plain http");
});

test("the send handler it names is the one the handler file associates, and the Review button opens its pane", async () => {
  const handler = await readFile(path.join(SRC, "launchevent.js"), "utf8");
  const launch = xml.match(/<LaunchEvent Type="OnMessageSend" FunctionName="([^"]+)" SendMode="([^"]+)"\/>/);
  assert.ok(launch, "an OnMessageSend launch event");
  assert.equal(launch[2], "PromptUser");
  assert.ok(handler.includes(`Office.actions.associate("${launch[1]}"`));
  const commandId = handler.match(/PANE_COMMAND_ID = "([^"]+)"/)[1];
  assert.match(xml, new RegExp(`<Control xsi:type="Button" id="${commandId}">`));
});
