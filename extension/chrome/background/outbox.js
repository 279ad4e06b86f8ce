// The ledger's outbox: every send is stored in chrome.storage.local first and
// delivered from there, so a send made while the server is unreachable (or the
// service worker is asleep) still reaches the ledger exactly once. The server
// stores an event_id once, so a delivery retried after a lost answer is harmless.
//
// A send is "held" while the mail client has not yet shown that it went (the
// compose window closing). The content script confirms or cancels it; if it never
// does (the tab or pop-out window closed with the send), the hold expires and the
// event is delivered.

import { callServer, ServerState } from "./server-client.js";

const STORAGE_KEY = "outbox";
const HOLD_MS = 15_000;
const MAX_EVENTS = 200;
// 400 (and other 4xx that are not about auth, rate or a missing endpoint) will never succeed.
const RETRYABLE_CLIENT_ERRORS = new Set([401, 403, 404, 408, 409, 429]);

let queue = Promise.resolve();
let flushing = null;

/** Runs storage read-modify-write steps one at a time. */
function serially(step) {
  const next = queue.then(step, step);
  queue = next.catch(() => {});
  return next;
}

async function load() {
  return (await chrome.storage.local.get(STORAGE_KEY))[STORAGE_KEY] || [];
}

async function save(entries) {
  await chrome.storage.local.set({ [STORAGE_KEY]: entries.slice(-MAX_EVENTS) });
}

export function hold(event, now = Date.now()) {
  return serially(async () => {
    const entries = await load();
    if (entries.some((entry) => entry.event.event_id === event.event_id)) return;
    entries.push({ event, heldUntil: now + HOLD_MS });
    await save(entries);
  });
}

export function confirm(eventId) {
  return serially(async () => {
    const entries = await load();
    for (const entry of entries) if (entry.event.event_id === eventId) entry.heldUntil = 0;
    await save(entries);
  });
}

export function cancel(eventId) {
  return serially(async () => {
    const entries = await load();
    await save(entries.filter((entry) => entry.event.event_id !== eventId));
  });
}

export async function pendingCount() {
  return (await load()).length;
}

/** Delivers every due event, oldest first; stops at the first sign the server is unreachable. */
export function flush() {
  flushing ??= deliverDue().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function deliverDue() {
  const due = (await load()).filter((entry) => entry.heldUntil <= Date.now());
  for (const { event } of due) {
    const answer = await callServer("POST", "/api/v1/ledger/events", { body: event });
    if (answer.ok || !isRetryable(answer)) {
      await serially(async () => save((await load()).filter((entry) => entry.event.event_id !== event.event_id)));
      continue;
    }
    break;
  }
}

function isRetryable(answer) {
  if (answer.state !== ServerState.CONNECTED) return true;
  return RETRYABLE_CLIENT_ERRORS.has(answer.httpStatus);
}

/** When the next held event falls due, for scheduling; null when none is still held. */
export async function nextHoldExpiry(now = Date.now()) {
  const held = (await load()).filter((entry) => entry.heldUntil > now).map((entry) => entry.heldUntil);
  return held.length ? Math.min(...held) : null;
}
