// The ledger's outbox: every send is stored in chrome.storage.local first and
// delivered from there, so a send made while the server is unreachable (or the
// service worker is asleep) still reaches the ledger exactly once. The server
// stores an event_id once, so a delivery retried after a lost answer is harmless.
//
// A send is "held" until it is final: the mail client has shown that it went (the
// compose window closed) and the client's undo window has passed. The content
// script confirms or cancels it, and withdraws it when the same draft opens again
// (the student pressed Undo); if it never says (the tab or pop-out window closed
// with the send), the hold expires and the event is delivered.
//
// A send the server refuses for good (a 4xx such as no recipient) is never dropped:
// it stays here, marked with the server's reason, until the student fixes it on the
// options page (or discards it), and the extension's icon counts such sends.

import { sameDraft } from "../shared/same-draft.js";
import { callServer, ServerState } from "./server-client.js";

const STORAGE_KEY = "outbox";
const HOLD_MS = 60_000;
const MAX_EVENTS = 200;
// These 4xx may succeed later (auth, rate, a missing endpoint, a conflict); any other is the event's fault.
const RETRYABLE_CLIENT_ERRORS = new Set([401, 403, 404, 408, 409, 429]);

let queue = Promise.resolve();
let lastFlush = Promise.resolve();

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
  // The oldest go first when full, except sends the server refused: those wait for the student.
  const kept =
    entries.length > MAX_EVENTS
      ? [...entries.filter((e) => e.rejected), ...entries.filter((e) => !e.rejected)].slice(-MAX_EVENTS)
      : entries;
  await chrome.storage.local.set({ [STORAGE_KEY]: kept });
  const refused = kept.filter((entry) => entry.rejected).length;
  await chrome.action?.setBadgeText({ text: refused ? String(refused) : "" });
}

function update(change) {
  return serially(async () => {
    const entries = await load();
    const result = change(entries);
    await save(result.entries);
    return result.value;
  });
}

export function hold(event, holdMs = HOLD_MS, now = Date.now()) {
  return update((entries) => {
    if (entries.some((entry) => entry.event.event_id === event.event_id)) return { entries };
    return { entries: [...entries, { event, heldUntil: now + holdMs }] };
  });
}

export function confirm(eventId) {
  return update((entries) => ({
    entries: entries.map((entry) => (entry.event.event_id === eventId ? { ...entry, heldUntil: 0 } : entry)),
  }));
}

export function cancel(eventId) {
  return update((entries) => ({ entries: entries.filter((entry) => entry.event.event_id !== eventId) }));
}

/** The student undid a send: a held send of this very draft (text and recipients) never happened. */
export function withdraw(draft, now = Date.now()) {
  return update((entries) => {
    const kept = entries.filter((entry) => !(entry.heldUntil > now && sameDraft(entry.event, draft)));
    return { entries: kept, value: { withdrawn: entries.length - kept.length } };
  });
}

/** What became of a send: recorded (the server has it), queued (the server could not be reached) or rejected. */
export async function outcome(eventId) {
  const entry = (await load()).find((e) => e.event.event_id === eventId);
  if (!entry) return { recorded: true };
  return entry.rejected ? { rejected: entry.rejected } : { queued: true };
}

/** The sends the server refused, for the student to fix. */
export async function refused() {
  return (await load()).filter((entry) => entry.rejected).map(({ event, rejected }) => ({ event, rejected }));
}

/** A refused send with the student's correction (its recipients, say), to deliver again. */
export function amend(eventId, changes) {
  return update((entries) => ({
    entries: entries.map((entry) =>
      entry.event.event_id === eventId ? { event: { ...entry.event, ...changes }, heldUntil: 0 } : entry,
    ),
  }));
}

export async function pendingCount() {
  return (await load()).filter((entry) => !entry.rejected).length;
}

/** Delivers every due event, oldest first; stops at the first sign the server is unreachable. */
export function flush() {
  // Runs one after another, so a send confirmed during a delivery is delivered by the next.
  const run = lastFlush.then(deliverDue, deliverDue);
  lastFlush = run.catch(() => {});
  return run;
}

async function deliverDue() {
  const due = (await load()).filter((entry) => !entry.rejected && entry.heldUntil <= Date.now());
  for (const { event } of due) {
    const answer = await callServer("POST", "/api/v1/ledger/events", { body: event });
    if (answer.ok) {
      await cancel(event.event_id);
    } else if (!isRetryable(answer)) {
      await reject(event.event_id, answer);
    } else {
      break;
    }
  }
}

function reject(eventId, answer) {
  const error = answer.data?.error || {};
  const rejected = {
    status: answer.httpStatus,
    code: error.code || "rejected",
    message: error.message || `The server refused it (${answer.httpStatus}).`,
    at: new Date().toISOString(),
  };
  return update((entries) => ({
    entries: entries.map((entry) => (entry.event.event_id === eventId ? { ...entry, rejected } : entry)),
  }));
}

function isRetryable(answer) {
  if (answer.state !== ServerState.CONNECTED) return true;
  return RETRYABLE_CLIENT_ERRORS.has(answer.httpStatus);
}

/** When the next held event falls due, for scheduling; null when none is still held. */
export async function nextHoldExpiry(now = Date.now()) {
  const held = (await load()).filter((entry) => !entry.rejected && entry.heldUntil > now).map((entry) => entry.heldUntil);
  return held.length ? Math.min(...held) : null;
}
