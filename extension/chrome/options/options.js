// The options page: the server address (kept in chrome.storage.local, or set by the school's
// Chrome policy), a connection test, the account (account.js: sign in with the school's
// account or an invitation link, sign out, devices), and the user's tracks. An invitation
// link's page opens this one with #invitation=LINK.

import { callServer } from "../background/server-client.js";
import { normaliseServerUrl } from "../core/server-url.js";
import { originPattern, readSettings } from "../shared/settings.js";
import * as account from "./account.js";

const $ = (id) => document.getElementById(id);

const STATE_MESSAGE = {
  offline: "The server cannot be reached. Check the address, or try again later.",
  "signed-out": "You are signed out: your sign-in expired or was revoked. Sign in again.",
  unconfigured: "Enter your school's server address first.",
  "no-permission": "Chrome may not contact this server: press Save and allow access, or ask your advising office to list this extension on the server.",
};

function say(element, text, ok) {
  element.textContent = text;
  element.className = ok ? "ok" : "problem";
}

async function load() {
  const settings = await readSettings();
  const local = await chrome.storage.local.get(["serverUrl"]);
  $("serverUrl").value = settings.managed.serverUrl ? settings.serverUrl : local.serverUrl || "";
  $("serverUrl").disabled = settings.managed.serverUrl;
  $("serverUrl-note").hidden = !settings.managed.serverUrl;
  const invitation = new URLSearchParams(location.hash.slice(1)).get("invitation");
  if (invitation) {
    $("invitation").value = invitation;
    $("invitation-box").open = true;
    say($("account-status"), "Press Connect this browser to use your invitation.", true);
  }
  if (settings.serverUrl) await testConnection();
  else showAccount(null, settings);
}

/** The server address to use, asking Chrome for access to it while the click still counts as a gesture. */
async function serverFor(typed) {
  const settings = await readSettings();
  const serverUrl = settings.managed.serverUrl ? settings.serverUrl : normaliseServerUrl(typed);
  if (!serverUrl) throw new account.SignInError("Enter the server's full address, starting with https://");
  const granted = await chrome.permissions.request({ origins: [originPattern(serverUrl)] }).catch(() => false);
  if (!settings.managed.serverUrl) await chrome.storage.local.set({ serverUrl });
  if (!granted) throw new account.SignInError(STATE_MESSAGE["no-permission"]);
  return serverUrl;
}

async function save(event) {
  event.preventDefault();
  try {
    await serverFor($("serverUrl").value);
  } catch (error) {
    return say($("status"), error.message, false);
  }
  await testConnection();
}

async function testConnection() {
  const status = $("status");
  say(status, "Testing…", true);
  const settings = await readSettings();
  const health = await callServer("GET", "/healthz", { timeoutMs: 4000 });
  if (!health.ok) {
    $("tracks-section").hidden = true;
    showAccount(null, settings);
    return say(status, STATE_MESSAGE[health.state] || `The server answered with an error (${health.httpStatus}).`, false);
  }
  if (!health.signedIn) {
    $("tracks-section").hidden = true;
    showAccount(null, settings);
    return say(status, "Connected. Sign in below so the coach can remember what you send.", true);
  }
  const me = await callServer("GET", "/api/v1/me", { timeoutMs: 4000 });
  if (!me.ok) {
    showAccount(null, settings);
    return say(status, STATE_MESSAGE[me.state] || "Connected, but your account could not be read.", false);
  }
  say(status, `Connected as ${me.data.email}.`, true);
  await showAccount(me.data, settings);
  await showTracks(me.data.tracks || []);
}

async function showAccount(me, settings) {
  $("signed-in").hidden = !me;
  $("signed-out").hidden = Boolean(me);
  $("policy-note").hidden = !(me && settings.managed.token);
  $("sign-out").hidden = Boolean(settings.managed.token);
  if (!me) return;
  $("who").textContent = `Signed in as ${me.email}.`;
  const list = $("devices");
  list.replaceChildren();
  for (const device of await account.devices()) {
    const item = document.createElement("li");
    const used = device.last_used_at ? `last used ${device.last_used_at.slice(0, 10)}` : "not used yet";
    const until = device.expires_at ? `, until ${device.expires_at.slice(0, 10)}` : "";
    item.append(`${device.label || "A device"}${device.current ? " (this browser)" : ""}: ${used}${until} `);
    if (!device.current) {
      const revoke = document.createElement("button");
      revoke.type = "button";
      revoke.textContent = "Revoke";
      revoke.addEventListener("click", async () => {
        if (await account.revokeDevice(device.id)) item.remove();
      });
      item.append(revoke);
    }
    list.append(item);
  }
}

/** Runs a sign-in step, saying how it went; then shows the account it signed in. */
async function signingIn(step) {
  const status = $("account-status");
  say(status, "Signing in…", true);
  try {
    const user = await step();
    history.replaceState(null, "", location.pathname);  // the invitation, used, leaves the address bar
    $("invitation").value = "";
    say(status, `Signed in as ${user.email}.`, true);
    await testConnection();
  } catch (error) {
    say(status, error instanceof account.SignInError ? error.message : "Not signed in: something went wrong.", false);
  }
}

function signIn() {
  return signingIn(async () => account.signInWithSchool(await serverFor($("serverUrl").value)));
}

function useInvitation() {
  return signingIn(async () => {
    const invitation = account.readInvitation($("invitation").value);
    if (!invitation) throw new account.SignInError("That is not an invitation link: paste the whole link, with its # part.");
    const settings = await readSettings();
    if (settings.managed.serverUrl && settings.serverUrl !== invitation.serverUrl) {
      throw new account.SignInError(`Your school's policy sets the server ${settings.serverUrl}; this invitation is for another.`);
    }
    return account.useInvitation(await serverFor(invitation.serverUrl), invitation.secret);
  });
}

async function signOut() {
  await account.signOut();
  say($("account-status"), "Signed out of this browser.", true);
  await testConnection();
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

// Any web page may open this one (for invitation links): inside another page's frame it does nothing.
if (window.top === window) {
  $("settings").addEventListener("submit", save);
  $("test").addEventListener("click", testConnection);
  $("sign-in").addEventListener("click", signIn);
  $("use-invitation").addEventListener("click", useInvitation);
  $("sign-out").addEventListener("click", signOut);
  $("tracks").addEventListener("submit", saveTracks);
  load();
} else {
  document.body.replaceChildren();
}
