// Copied from extension/core/api.js by node scripts/client-core.mjs: edit that file, then run the command.
// The one client of the rules server's API. Each host injects what only it knows
// (where its settings live, whether it may contact the server, what its fetch sends
// along) and gets the same answers with the same state words, never an exception.
//
// Written in ECMAScript 2016 with promises, no async/await: classic Outlook on Windows
// runs the add-in's send handler, which embeds this file, where nothing newer parses.

/** What an answer says about the server, as the user is told it. */
export const ServerState = Object.freeze({
  // It answered: the call succeeded, or it refused this request (a 4xx with its reason).
  CONNECTED: "connected",
  // No answer in time, no network, or an answer that is not the server's own: a proxy's
  // error page, an overloaded server (5xx, 429). Nothing is checked, sending goes on.
  OFFLINE: "offline",
  // 401: no token, or one the server does not accept.
  SIGNED_OUT: "signed-out",
  // No server address in the settings.
  UNCONFIGURED: "unconfigured",
  // The host may not contact this server: Chrome without its host permission, calling a
  // server that does not allow the extension's origin (CORS).
  NO_PERMISSION: "no-permission",
});

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * host.settings(): {serverUrl, token} (or a promise of it), read at every call.
 * host.allowed(serverUrl): whether the host may call it whatever the server says (or a
 *   promise); always, if absent. Without that the call is still made, as a web page's
 *   would be, and the server's CORS answer decides: an installation a school configured
 *   by policy works with no one granting anything, and one the server does not allow
 *   reads as no-permission rather than offline.
 * host.headers(): more request headers (the admin's CSRF token).
 * host.request: more fetch options ({credentials: "omit"}).
 * host.fetch: the fetch to use; the global one by default.
 * host.timeoutMs: how long a call may take unless the call says otherwise.
 */
export function createApiClient(host) {
  const doFetch = host.fetch || ((url, init) => fetch(url, init));
  const defaultTimeoutMs = host.timeoutMs || DEFAULT_TIMEOUT_MS;

  /**
   * Resolves to {ok, state, httpStatus, data, signedIn}, plus `timedOut` when the
   * server took longer than `timeoutMs` and `aborted` when the caller's `signal`
   * cancelled the call (a newer check replaced it). `signedIn`: a token was sent and
   * not refused.
   */
  function call(method, path, options) {
    const { body, query, signal, timeoutMs = defaultTimeoutMs } = options || {};
    return Promise.resolve(host.settings()).then((settings) => {
      const serverUrl = (settings.serverUrl || "").replace(/\/+$/, "");
      const token = settings.token || "";
      if (!serverUrl) return { ok: false, state: ServerState.UNCONFIGURED, signedIn: Boolean(token) };
      return Promise.resolve(host.allowed ? host.allowed(serverUrl) : true).then((allowed) => {
        const headers = Object.assign({ Accept: "application/json" }, host.headers ? host.headers() : {});
        if (body !== undefined) headers["Content-Type"] = "application/json";
        if (token) headers.Authorization = `Bearer ${token}`;
        const init = Object.assign({}, host.request, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return send(serverUrl + path + queryString(query), init, { signal, timeoutMs, signedIn: Boolean(token), allowed });
      });
    });
  }

  function send(url, init, { signal, timeoutMs, signedIn, allowed }) {
    const aborted = { ok: false, aborted: true, state: ServerState.CONNECTED, signedIn };
    if (signal && signal.aborted) return Promise.resolve(aborted);
    // The JavaScript-only runtime of classic Outlook may have no AbortController: the
    // timer below still bounds the wait, the request is just left to run out.
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    if (controller) {
      init.signal = controller.signal;
      if (signal) signal.addEventListener("abort", () => controller.abort(), { once: true });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (controller) controller.abort();
        resolve({ ok: false, state: ServerState.OFFLINE, timedOut: true, signedIn });
      }, timeoutMs);
      const answer = doFetch(url, init).then(
        (response) => response.json().then((data) => data, () => null)
          .then((data) => answerFor(response.status, data, signedIn)),
        () => {
          if (signal && signal.aborted) return aborted;
          return { ok: false, state: allowed ? ServerState.OFFLINE : ServerState.NO_PERMISSION, signedIn };
        });
      answer.then((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }

  return { call };
}

function answerFor(httpStatus, data, signedIn) {
  const answer = { ok: httpStatus >= 200 && httpStatus < 300, httpStatus, data, state: ServerState.CONNECTED, signedIn };
  if (answer.ok) return answer;
  if (httpStatus === 401) return Object.assign(answer, { state: ServerState.SIGNED_OUT, signedIn: false });
  // Only the server's own refusals carry {"error": ...}; anything else came from in between.
  if (httpStatus >= 500 || httpStatus === 429 || !(data && data.error)) answer.state = ServerState.OFFLINE;
  return answer;
}

function queryString(query) {
  const parts = [];
  Object.keys(query || {}).forEach((key) => {
    [].concat(query[key]).forEach((value) => {
      if (value !== null && value !== undefined && value !== "") {
        parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
      }
    });
  });
  return parts.length ? `?${parts.join("&")}` : "";
}
