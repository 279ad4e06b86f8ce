// Every call to the rules server goes through here, so that one place decides
// what a failure means for the user: offline, not signed in, or not set up.

import { originPattern, readSettings } from "../shared/settings.js";

const DEFAULT_TIMEOUT_MS = 5000;

export const ServerState = Object.freeze({
  CONNECTED: "connected",
  OFFLINE: "offline",
  SIGNED_OUT: "signed-out",
  UNCONFIGURED: "unconfigured",
  NO_PERMISSION: "no-permission",
});

/**
 * Calls the server; never throws. Resolves to {ok, httpStatus, data, state, signedIn}.
 * `state` is the server state this answer implies (see ServerState); `aborted` is true
 * when the caller's signal cancelled the call (a newer check replaced it).
 */
export async function callServer(method, path, { body, query, signal, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const settings = await readSettings();
  const signedIn = Boolean(settings.token);
  if (!settings.serverUrl) return { ok: false, state: ServerState.UNCONFIGURED, signedIn };
  if (!(await chrome.permissions.contains({ origins: [originPattern(settings.serverUrl)] }))) {
    return { ok: false, state: ServerState.NO_PERMISSION, signedIn };
  }

  const url = new URL(settings.serverUrl + path);
  for (const [key, values] of Object.entries(query || {})) {
    for (const value of [].concat(values)) if (value != null && value !== "") url.searchParams.append(key, value);
  }
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (signal) signals.push(signal);

  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any(signals),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    if (signal?.aborted) return { ok: false, aborted: true, state: ServerState.CONNECTED, signedIn };
    return { ok: false, state: ServerState.OFFLINE, signedIn };
  }

  const data = await response.json().catch(() => null);
  const httpStatus = response.status;
  if (response.ok) return { ok: true, httpStatus, data, state: ServerState.CONNECTED, signedIn };
  if (httpStatus === 401) return { ok: false, httpStatus, data, state: ServerState.SIGNED_OUT, signedIn: false };
  // A proxy's error page or an overloaded server: for the user that is "offline".
  if (httpStatus >= 500 || httpStatus === 429 || !data?.error) {
    return { ok: false, httpStatus, data, state: ServerState.OFFLINE, signedIn };
  }
  return { ok: false, httpStatus, data, state: ServerState.CONNECTED, signedIn };
}
