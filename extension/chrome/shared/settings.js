// Where the coach's settings live: chrome.storage.local under `serverUrl` and
// `token`, unless a school sets them by Chrome policy (chrome.storage.managed),
// which then wins and cannot be changed on the options page.

import { normaliseServerUrl } from "../core/server-url.js";

export const SETTING_KEYS = ["serverUrl", "token"];

export async function readSettings() {
  const [local, managed] = await Promise.all([
    chrome.storage.local.get(SETTING_KEYS),
    // Without a policy (or on browsers without managed storage) there is nothing to read.
    chrome.storage.managed.get(SETTING_KEYS).catch(() => ({})),
  ]);
  return {
    serverUrl: normaliseServerUrl(managed.serverUrl || local.serverUrl || ""),
    token: (managed.token || local.token || "").trim(),
    managed: { serverUrl: Boolean(managed.serverUrl), token: Boolean(managed.token) },
  };
}

/** The host permission pattern Chrome needs before the service worker may call the server. */
export function originPattern(serverUrl) {
  return new URL(serverUrl).origin + "/*";
}
