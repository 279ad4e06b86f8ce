// Every call to the rules server goes through here, so that one place decides
// what a failure means for the user: offline, not signed in, or not set up. The
// client is the core's (core/api.js); this is what Chrome gives it: the settings
// (chrome.storage or policy), the host permission, and no cookies or cache.

import { createApiClient } from "../core/api.js";
import { originPattern, readSettings } from "../shared/settings.js";

export { ServerState } from "../core/api.js";

/**
 * Calls the server; never throws. Resolves to {ok, httpStatus, data, state, signedIn}
 * (see core/api.js); `aborted` is true when the caller's signal cancelled the call.
 */
export const { call: callServer } = createApiClient({
  settings: readSettings,
  allowed: (serverUrl) => chrome.permissions.contains({ origins: [originPattern(serverUrl)] }),
  request: { credentials: "omit", cache: "no-store" },
});
