// Received mail, checked as inbound: only a program's (program-senders.js), only its
// beginning, and each message once. The answer is remembered for this browser session
// in chrome.storage.session under a digest of what was sent (never the text), so the
// same message opened again shows its banner without asking the server again.

import { findAddress } from "../core/addresses.js";
import { isProgramSender } from "./program-senders.js";
import { callServer, ServerState } from "./server-client.js";

// What a program writes (an invitation, a follow-up, a question), its quoted history
// already left out by the content script, is a few hundred words; 20,000 characters is
// over 3,000. Longer mail is a newsletter or a forwarded digest, and what presses an
// applicant, if anything, is at its start: so the message is cut, not skipped. The cap
// also bounds what anyone who can put a message in the inbox, a forged program sender
// included, can make the server read.
export const INBOUND_MAX_CHARS = 20_000;
const SUBJECT_MAX_CHARS = 500;
const REMEMBERED = 200; // the newest answers kept; the oldest go first
const STORAGE_KEY = "inboundChecked";

const inFlight = new Map();
let writes = Promise.resolve();

/** Resolves to {ok, state, result} as a check does; {ok: true, skipped: true} for mail
    from outside the directory, which is not sent anywhere. */
export async function checkInbound(draft) {
  const address = findAddress(draft.from);
  if (!(await isProgramSender(address))) return { ok: true, skipped: true };
  // The server reads an inbound message as being from the program in `from`; its
  // address is all it needs of the sender.
  const body = {
    text: capped(draft.text || "", INBOUND_MAX_CHARS),
    subject: capped(draft.subject || "", SUBJECT_MAX_CHARS),
    from: address,
    direction: "inbound",
  };
  const digest = await digestOf(body);
  // The same message open in two tabs at once is still sent once.
  if (!inFlight.has(digest)) inFlight.set(digest, answerFor(body, digest).finally(() => inFlight.delete(digest)));
  return inFlight.get(digest);
}

/** Forgets every answer (another server answers differently). */
export function forget() {
  writes = writes.then(() => chrome.storage.session.remove(STORAGE_KEY)).catch(() => {});
  return writes;
}

async function answerFor(body, digest) {
  const remembered = await recall(digest);
  if (remembered) return { ok: true, state: ServerState.CONNECTED, remembered: true, result: remembered.result };
  const answer = await callServer("POST", "/api/v1/check", { body });
  const result = answer.ok ? { warnings: answer.data?.warnings || [] } : null;
  // A message the server refused (a 4xx) would be refused again; only one it did not
  // answer (offline, busy, signed out) is asked about again when next opened.
  if (answer.ok || answer.state === ServerState.CONNECTED) await remember(digest, result);
  return { ok: answer.ok, state: answer.state, signedIn: answer.signedIn, result };
}

async function recall(digest) {
  await writes;
  const entries = (await chrome.storage.session.get(STORAGE_KEY))[STORAGE_KEY] || [];
  const found = entries.find((entry) => entry.digest === digest);
  return found ? { result: found.result } : null;
}

function remember(digest, result) {
  writes = writes
    .then(async () => {
      const entries = (await chrome.storage.session.get(STORAGE_KEY))[STORAGE_KEY] || [];
      const kept = entries.filter((entry) => entry.digest !== digest);
      kept.push({ digest, result });
      await chrome.storage.session.set({ [STORAGE_KEY]: kept.slice(-REMEMBERED) });
    })
    .catch(() => {});
  return writes;
}

/** The first `max` UTF-16 units, never half of a surrogate pair (a lone one is not text). */
function capped(text, max) {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end);
}

async function digestOf(body) {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(body)));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
