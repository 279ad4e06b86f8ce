// JSON calls to /admin/api through the clients' one API client (extension/core/api.js),
// carrying the page's CSRF token and its session cookie.

import { createApiClient } from "../../core/api.js";
import { adminUrl } from "./dom.js";

const server = createApiClient({
  settings: () => ({ serverUrl: adminUrl("") }),
  headers: () => ({ "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content }),
  request: { credentials: "same-origin" },
  // Reviewing a change runs every rule's examples and the example emails: far longer than a check.
  timeoutMs: 60_000,
});

/** POSTs a JSON body to an admin path ("api/changes/try"); resolves the client's answer, {ok, state, httpStatus, data}. */
export function postJSON(path, body) {
  return server.call("POST", `/${path}`, { body });
}

export function errorMessage(result) {
  if (result.data?.error?.message) return result.data.error.message;
  return result.httpStatus ? `The server answered ${result.httpStatus}.` : "The server cannot be reached.";
}
