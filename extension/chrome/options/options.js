// The options page: server address and token (kept in chrome.storage.local, or
// set by the school's Chrome policy), a connection test, and the user's tracks.

import { callServer } from "../background/server-client.js";
import { normaliseServerUrl } from "../core/server-url.js";
import { originPattern, readSettings } from "../shared/settings.js";

const $ = (id) => document.getElementById(id);

const STATE_MESSAGE = {
  offline: "The server cannot be reached. Check the address, or try again later.",
  "signed-out": "The server does not accept this token. Ask your advising office for a new one.",
  unconfigured: "Enter your school's server address first.",
  "no-permission": "Chrome may not contact this server: press Save and allow access, or ask your advising office to list this extension on the server.",
};

function say(element, text, ok) {
  element.textContent = text;
  element.className = ok ? "ok" : "problem";
}

async function load() {
  const settings = await readSettings();
  const local = await chrome.storage.local.get(["serverUrl", "token"]);
  $("serverUrl").value = settings.managed.serverUrl ? settings.serverUrl : local.serverUrl || "";
  $("token").value = settings.managed.token ? "••••••••" : local.token || "";
  for (const key of ["serverUrl", "token"]) {
    $(key).disabled = settings.managed[key];
    $(`${key}-note`).hidden = !settings.managed[key];
  }
  if (settings.serverUrl) testConnection();
}

async function save(event) {
  event.preventDefault();
  const settings = await readSettings();
  const serverUrl = settings.managed.serverUrl ? settings.serverUrl : normaliseServerUrl($("serverUrl").value);
  if (!serverUrl) return say($("status"), "Enter the server's full address, starting with https://", false);
  // Asked first, while the click still counts as the user's gesture.
  const granted = await chrome.permissions.request({ origins: [originPattern(serverUrl)] }).catch(() => false);
  const values = {};
  if (!settings.managed.serverUrl) values.serverUrl = serverUrl;
  if (!settings.managed.token) values.token = $("token").value.trim();
  await chrome.storage.local.set(values);
  if (!granted) return say($("status"), STATE_MESSAGE["no-permission"], false);
  await testConnection();
}

async function testConnection() {
  const status = $("status");
  say(status, "Testing…", true);
  const health = await callServer("GET", "/healthz", { timeoutMs: 4000 });
  if (!health.ok) {
    $("tracks-section").hidden = true;
    return say(status, STATE_MESSAGE[health.state] || `The server answered with an error (${health.httpStatus}).`, false);
  }
  if (!health.signedIn) {
    $("tracks-section").hidden = true;
    return say(status, "Connected. Not signed in: add your token so the coach can remember what you send.", true);
  }
  const me = await callServer("GET", "/api/v1/me", { timeoutMs: 4000 });
  if (!me.ok) return say(status, STATE_MESSAGE[me.state] || "Connected, but your account could not be read.", false);
  say(status, `Connected as ${me.data.email}.`, true);
  await showTracks(me.data.tracks || []);
}

const trackId = (track) => (typeof track === "string" ? track : track?.id);

async function showTracks(mine) {
  const answer = await callServer("GET", "/api/v1/tracks", { timeoutMs: 4000 });
  const available = Array.isArray(answer.data) ? answer.data : answer.data?.tracks || [];
  if (!answer.ok || !available.length) return;
  const chosen = new Set(mine.map(trackId));
  const list = $("track-list");
  list.querySelectorAll("label").forEach((label) => label.remove());
  for (const track of available) {
    const id = trackId(track);
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.name = "track";
    box.value = id;
    box.checked = chosen.has(id);
    label.append(box, track.name || track.label || id);
    list.append(label);
  }
  $("tracks-section").hidden = false;
}

async function saveTracks(event) {
  event.preventDefault();
  const tracks = [...document.querySelectorAll('input[name="track"]:checked')].map((box) => box.value);
  const answer = await callServer("PUT", "/api/v1/me/tracks", { body: { tracks }, timeoutMs: 4000 });
  say($("tracks-status"), answer.ok ? "Tracks saved." : answer.data?.error?.message || STATE_MESSAGE[answer.state] || "Not saved.", answer.ok);
}

$("settings").addEventListener("submit", save);
$("test").addEventListener("click", testConnection);
$("tracks").addEventListener("submit", saveTracks);
load();
