// Asks the extension's service worker, which alone talks to the rules server.

/** Resolves to the worker's answer; never rejects. After the extension is updated
    or reloaded this page's old content script can no longer reach it: that reads
    as "offline" and the mail client carries on untouched. */
export async function ask(type, payload = {}) {
  try {
    return (await chrome.runtime.sendMessage({ type, ...payload })) || { ok: false, state: "offline" };
  } catch {
    return { ok: false, state: "offline" };
  }
}
