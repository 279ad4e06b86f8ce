// Which senders' mail is a program's, as the school's program directory knows them
// (GET /api/v1/programs/senders), kept in chrome.storage.local for a while. Received
// mail is checked only when it comes from one of them, and the decision is made here,
// so the rest of the inbox, and who sent it, never leaves the browser.

import { domainOf } from "../core/addresses.js";
import { readSettings } from "../shared/settings.js";
import { callServer } from "./server-client.js";

const STORAGE_KEY = "programSenders";
// The advising office edits the directory a few times a season: an hour-old copy is
// current enough, and one small request an hour per browser costs the server nothing.
const FRESH_MS = 60 * 60_000;

let refreshing = null;

/** Whether the directory knows this (lower-case) address: listed itself, or at a listed
    domain or a subdomain of one (med.uw.edu is uw.edu's), as the server reads it. */
export async function isProgramSender(address) {
  if (!address) return false;
  const senders = await current();
  if (!senders) return false;
  if (senders.addresses.includes(address)) return true;
  const parts = domainOf(address).split(".");
  for (let i = 0; i < parts.length - 1; i++) if (senders.domains.includes(parts.slice(i).join("."))) return true;
  return false;
}

async function current() {
  const { serverUrl } = await readSettings();
  const stored = (await chrome.storage.local.get(STORAGE_KEY))[STORAGE_KEY];
  const kept = stored?.serverUrl === serverUrl ? stored : null;
  if (kept && Date.now() - kept.at < FRESH_MS) return kept;
  refreshing ??= refresh(serverUrl).finally(() => {
    refreshing = null;
  });
  // While the server cannot say, an older list beats checking nothing.
  return (await refreshing) || kept;
}

async function refresh(serverUrl) {
  const answer = await callServer("GET", "/api/v1/programs/senders");
  const { domains, addresses } = answer.data || {};
  if (!answer.ok || !Array.isArray(domains) || !Array.isArray(addresses)) return null;
  const senders = { serverUrl, at: Date.now(), domains, addresses };
  await chrome.storage.local.set({ [STORAGE_KEY]: senders });
  return senders;
}
