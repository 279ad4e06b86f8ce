// The only part of the extension that talks to the rules server: content scripts
// ask it by message, so host permissions (not CORS) govern the calls and the
// token never enters a mail client's page.

import { readSettings } from "../shared/settings.js";
import * as inbound from "./inbound.js";
import * as outbox from "./outbox.js";
import { callServer, ServerState } from "./server-client.js";

const ALARM = "outbox-delivery";
const ME_TTL_MS = 10 * 60_000;
const inFlightChecks = new Map();
let me = { at: 0, value: undefined };

chrome.runtime.onInstalled.addListener(ensureAlarm);
// First run: the options page, where the student signs in with their school account.
chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === "install") chrome.runtime.openOptionsPage();
});
chrome.runtime.onStartup.addListener(() => {
  ensureAlarm();
  outbox.flush();
});
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) outbox.flush();
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "managed" || "serverUrl" in changes || "token" in changes) {
    me = { at: 0, value: undefined };
    outbox.flush();
  }
  if (area === "managed" || "serverUrl" in changes) inbound.forget();
});
chrome.action.onClicked.addListener(() => chrome.runtime.openOptionsPage());

async function ensureAlarm() {
  if (!(await chrome.alarms.get(ALARM))) chrome.alarms.create(ALARM, { periodInMinutes: 1 });
}

const handlers = {
  check: (message, sender) => check(message.draft, `${sender.tab?.id}:${sender.frameId}:${message.composeId}`),
  inbound: (message) => inbound.checkInbound(message.draft),
  summary: (message) => summary(message.to),
  status: () => status(),
  "send.hold": (message) => holdSend(message.event, message.holdMs),
  "send.confirm": async (message) => {
    await outbox.confirm(message.eventId);
    await outbox.flush();
    return outbox.outcome(message.eventId);
  },
  "send.cancel": async (message) => {
    await outbox.cancel(message.eventId);
    return {};
  },
  "send.reopened": (message) => outbox.withdraw(message.draft),
  // The options page lists the sends the server refused, and delivers them again once fixed.
  "unrecorded.list": async () => ({ sends: await outbox.refused() }),
  "unrecorded.amend": async (message) => {
    await outbox.amend(message.eventId, message.changes);
    await outbox.flush();
    return outbox.outcome(message.eventId);
  },
  "unrecorded.discard": async (message) => {
    await outbox.cancel(message.eventId);
    return {};
  },
  "options.open": async () => {
    await chrome.runtime.openOptionsPage();
    return {};
  },
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = handlers[message?.type];
  if (!handler) return false;
  handler(message, sender).then(sendResponse, (error) => {
    console.error("coach: %s failed: %s", message.type, error?.name || "error");
    sendResponse({ ok: false, state: ServerState.OFFLINE });
  });
  return true;
});

function reply(answer, extra = {}) {
  return { ok: answer.ok, state: answer.state, signedIn: answer.signedIn, ...extra };
}

/** A compose window's newest draft replaces its older one still in flight. */
async function check(draft, key) {
  inFlightChecks.get(key)?.abort();
  const controller = new AbortController();
  inFlightChecks.set(key, controller);
  try {
    const track = await singleTrack();
    const answer = await callServer("POST", "/api/v1/check", {
      body: { ...draft, direction: "outbound", ...(track ? { track } : {}) },
      signal: controller.signal,
    });
    if (answer.aborted) return { ok: false, aborted: true };
    if (answer.ok) deliverOutboxIfWaiting();
    return reply(answer, { result: answer.ok ? answer.data : null });
  } finally {
    if (inFlightChecks.get(key) === controller) inFlightChecks.delete(key);
  }
}

async function summary(to) {
  const track = await singleTrack();
  const answer = await callServer("GET", "/api/v1/ledger/summary", { query: { to, track } });
  return reply(answer, { summary: answer.ok ? answer.data : null });
}

async function status() {
  const health = await callServer("GET", "/healthz", { timeoutMs: 3000 });
  if (!health.ok) return reply(health);
  if (!health.signedIn) return reply(health, { state: ServerState.SIGNED_OUT });
  const account = await currentUser({ fresh: true });
  if (account === null) return reply(health, { state: ServerState.SIGNED_OUT, signedIn: false });
  return reply(health, { email: account?.email || "" });
}

/**
 * Records a send in the outbox straight away, with no network call first, so that
 * neither the send nor its record waits on the server.
 */
async function holdSend(event, holdMs) {
  // Without an account there is no ledger to record into; the send itself goes ahead.
  if (!(await readSettings()).token) return { ok: true, recorded: false };
  const tracks = tracksOf(me.value);
  await outbox.hold({ ...event, ...(tracks.length === 1 && !event.track ? { track: tracks[0] } : {}) }, holdMs);
  scheduleHeldDelivery();
  return { ok: true, recorded: true };
}

/**
 * The signed-in account from /api/v1/me, cached: an object; null when the token is
 * missing or refused; undefined while the server cannot say.
 */
async function currentUser({ fresh = false } = {}) {
  if (!fresh && me.at && Date.now() - me.at < ME_TTL_MS) return me.value;
  const answer = await callServer("GET", "/api/v1/me", { timeoutMs: 3000 });
  if (answer.ok) me = { at: Date.now(), value: answer.data };
  else if (!answer.signedIn || answer.state === ServerState.SIGNED_OUT) me = { at: Date.now(), value: null };
  else return me.at ? me.value : undefined;
  return me.value;
}

function tracksOf(account) {
  return (account?.tracks || []).map((track) => (typeof track === "string" ? track : track?.id)).filter(Boolean);
}

/** With exactly one track the user's messages belong to it; with several the server infers it. */
async function singleTrack() {
  const tracks = tracksOf(await currentUser());
  return tracks.length === 1 ? tracks[0] : null;
}

async function deliverOutboxIfWaiting() {
  if (await outbox.pendingCount()) outbox.flush();
}

let heldTimer = null;
async function scheduleHeldDelivery() {
  const due = await outbox.nextHoldExpiry();
  clearTimeout(heldTimer);
  if (due !== null) heldTimer = setTimeout(() => outbox.flush().then(scheduleHeldDelivery), Math.max(0, due - Date.now()) + 50);
}

ensureAlarm();
outbox.flush();
