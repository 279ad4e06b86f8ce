// Built by node scripts/client-core.mjs from extension/outlook/send-handler.js and the client core it imports;
// edit those, then run the command. One classic script, no imports: see send-handler.js.
(function () {
"use strict";

// --- extension/core/addresses.js

// Addresses and recipients in the one form the server's `to` and `from` take:
// "Dr Jane Smith <jsmith@uw.edu>", or the bare address when there is no other name.
// Each host reads its own recipient objects and hands them over as {name, address}.

const EMAIL = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[a-z]{2,}/i;

/** The first address in a text (a chip's tooltip, a "From" header), lower-cased; "" if none. */
function findAddress(text) {
  const match = EMAIL.exec(text || "");
  return match ? match[0].toLowerCase() : "";
}

/** "Dr Jane Smith <jsmith@uw.edu>"; the address alone when the name is missing or is the address. */
function formatRecipient({ name, address }) {
  // Angle brackets and quotes in a display name would make the server read another address.
  const cleanName = (name || "").replace(/[<>"]/g, "").trim();
  if (!address) return cleanName;
  return cleanName && cleanName.toLowerCase() !== address.toLowerCase() ? `${cleanName} <${address}>` : address;
}

function domainOf(address) {
  return (address || "").split("@")[1] || "";
}

// --- extension/core/api.js

// The one client of the rules server's API. Each host injects what only it knows
// (where its settings live, whether it may contact the server, what its fetch sends
// along) and gets the same answers with the same state words, never an exception.
//
// Written in ECMAScript 2016 with promises, no async/await: classic Outlook on Windows
// runs the add-in's send handler, which embeds this file, where nothing newer parses.

/** What an answer says about the server, as the user is told it. */
const ServerState = Object.freeze({
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
function createApiClient(host) {
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

// --- extension/core/warnings.js

// How every client names and orders the server's warnings, so that a student sees the
// same words in Gmail and in Outlook, and an advisor in the live panel sees what the
// student sees.

/** The severities, most serious first. */
const SEVERITIES = Object.freeze(["error", "warning", "info"]);

const LABELS = Object.freeze({ error: "Error", warning: "Warning", info: "Tip" });

/** "Error", "Warning", "Tip". */
function severityLabel(severity) {
  return LABELS[severity] || severity;
}

/** "1 error", "2 warnings", "0 tips". */
function severityCount(count, severity) {
  return `${count} ${severityLabel(severity).toLowerCase()}${count === 1 ? "" : "s"}`;
}

/** [["error", 2], ["warning", 0], ["info", 1]]: how many of each, most serious first. */
function severityCounts(warnings) {
  return SEVERITIES.map((severity) => [severity, warnings.filter((warning) => warning.severity === severity).length]);
}

/** "2 errors, 1 tip": each severity that occurs, most serious first; "" for none. */
function countsText(warnings) {
  return severityCounts(warnings)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => severityCount(count, severity))
    .join(", ");
}

/**
 * The server's order (server/engine/check.py): the subject's warnings first, then by
 * where they start in the text, then by rule id. It reads like the email, top to
 * bottom, and it is the same in every client whatever order the warnings come in.
 */
function sortWarnings(warnings) {
  return warnings.slice().sort((a, b) =>
    (a.field === "subject" ? 0 : 1) - (b.field === "subject" ? 0 : 1)
    || a.offset - b.offset
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

// --- extension/outlook/send-handler.js

/*
 * Smart Alerts send handler of the pre-Match email coach.
 *
 * When the user presses Send, the draft goes to the rules server. Mail with errors is
 * stopped with a short list of them, and the user may still choose Send Anyway (the
 * manifest's SendMode is PromptUser); clean mail, and mail the server could not check
 * within a few seconds, goes at once. Every checked send is recorded in the ledger
 * under an id kept on the item, so a second attempt at the same message counts once.
 *
 * Classic Outlook on Windows runs the handler alone, in a JavaScript-only runtime: no
 * imports, no DOM, no localStorage, and only ECMAScript 2016 before Office build 2403.
 * So this module is not served as it is: scripts/client-core.mjs inlines the client
 * core it imports and wraps it all in src/launchevent.js, one classic script. Hence too
 * callbacks and promises instead of async/await, and settings from roamingSettings,
 * which the task pane writes.
 */


// Replaced by the server with its own address when it serves this file.
var DEFAULT_SERVER_URL = "__COACH_SERVER_URL__";
var CHECK_TIMEOUT_MS = 3000;
var RECORD_TIMEOUT_MS = 1500;
// Outlook shows its "taking longer than expected" dialog after five seconds.
var WATCHDOG_MS = 4500;
var EVENT_ID_PROPERTY = "coachSendEventId";
var PANE_COMMAND_ID = "coachComposeOpenPane";
var ALERT_LIMIT = 500;
var LINE_LIMIT = 160;

function settings() {
  var roaming = Office.context.roamingSettings;
  return {
    serverUrl: (roaming && roaming.get("serverUrl")) || DEFAULT_SERVER_URL,
    token: (roaming && roaming.get("token")) || ""
  };
}

function officeValue(target, method, args) {
  return new Promise(function (resolve, reject) {
    target[method].apply(target, (args || []).concat(function (result) {
      if (result.status === Office.AsyncResultStatus.Succeeded) {
        resolve(result.value);
      } else {
        reject(new Error(method + " failed"));
      }
    }));
  });
}

function recipient(details) {
  return formatRecipient({ name: details.displayName, address: details.emailAddress });
}

function readDraft(item) {
  return Promise.all([
    officeValue(item.body, "getAsync", [Office.CoercionType.Text]),
    officeValue(item.subject, "getAsync"),
    officeValue(item.to, "getAsync"),
    // Programs are often written to through a coordinator in Cc.
    officeValue(item.cc, "getAsync")
  ]).then(function (parts) {
    return {
      text: parts[0] || "",
      subject: parts[1] || "",
      to: parts[2].concat(parts[3]).map(recipient).filter(Boolean),
      direction: "outbound",
      at: new Date().toISOString()
    };
  });
}

function newEventId() {
  var bytes = [];
  var i;
  if (typeof crypto !== "undefined" && crypto.getRandomValues) {
    bytes = Array.prototype.slice.call(crypto.getRandomValues(new Uint8Array(16)));
  } else {
    for (i = 0; i < 16; i += 1) {
      bytes.push(Math.floor(Math.random() * 256));
    }
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  var hex = bytes.map(function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

// The id lives in the item's custom properties, so it survives a Don't Send, an edit,
// closing the draft and sending it later.
function sendEventId(item) {
  return officeValue(item, "loadCustomPropertiesAsync").then(function (properties) {
    var existing = properties.get(EVENT_ID_PROPERTY);
    if (existing) {
      return existing;
    }
    var created = newEventId();
    properties.set(EVENT_ID_PROPERTY, created);
    return officeValue(properties, "saveAsync").then(
      function () { return created; },
      function () { return created; }
    );
  }, newEventId);
}

// What went wrong with a call, for the console: its state, never what was sent.
function failure(answer, path) {
  return answer.state + (answer.httpStatus ? " (HTTP " + answer.httpStatus + ")" : "")
    + (answer.timedOut ? " (no answer in time)" : "") + " from " + path;
}

function shorten(text, limit) {
  return text.length <= limit ? text : text.slice(0, limit - 1) + "\u2026";
}

function alertMessage(errors) {
  var messages = [];
  errors.forEach(function (warning) {
    if (messages.indexOf(warning.message) === -1) {
      messages.push(warning.message);
    }
  });
  var head = messages.length === 1
    ? "This email could break NRMP Match rules or hurt your application:"
    : "This email has " + severityCount(messages.length, "error") + " that could break NRMP Match rules or hurt your application:";
  var tail = "Pre-Match Coach shows why, and what to write instead.";
  var text = head;
  var shown = 0;
  var i;
  for (i = 0; i < messages.length; i += 1) {
    var line = "\n\u2022 " + shorten(messages[i], LINE_LIMIT);
    var more = i + 1 < messages.length ? "\n\u2026and " + (messages.length - i - 1) + " more." : "";
    if ((text + line + more + "\n" + tail).length > ALERT_LIMIT) {
      break;
    }
    text += line;
    shown += 1;
  }
  if (shown < messages.length) {
    text += "\n\u2026and " + (messages.length - shown) + " more.";
  }
  return text + "\n" + tail;
}

function onMessageSend(event) {
  var finished = false;
  function finish(options) {
    if (!finished) {
      finished = true;
      clearTimeout(watchdog);
      event.completed(options);
    }
  }
  function allow() {
    finish({ allowEvent: true });
  }
  // Whatever hangs (Office, the network), the user is not kept waiting on us.
  var watchdog = setTimeout(allow, WATCHDOG_MS);

  var item = Office.context.mailbox.item;
  var config = settings();
  var server = createApiClient({ settings: function () { return config; } });
  Promise.all([readDraft(item), sendEventId(item)]).then(function (parts) {
    var draft = parts[0];
    return server.call("POST", "/api/v1/check", { body: draft, timeoutMs: CHECK_TIMEOUT_MS }).then(function (answer) {
      if (!answer.ok) {
        throw new Error(failure(answer, "/api/v1/check"));
      }
      var result = answer.data;
      // Anonymous checks have no ledger to record in.
      if (!config.token) {
        return result;
      }
      var record = {
        event_id: parts[1],
        type: "sent",
        to: draft.to,
        subject: draft.subject,
        text: draft.text,
        at: draft.at
      };
      // Recorded before answering: Outlook never tells an add-in that the user chose Send Anyway.
      // A failed record must not stop the mail.
      return server.call("POST", "/api/v1/ledger/events", { body: record, timeoutMs: RECORD_TIMEOUT_MS })
        .then(function (recorded) {
          if (!recorded.ok) {
            console.warn("Pre-Match Coach could not record this send: " + failure(recorded, "/api/v1/ledger/events"));
          }
          return result;
        });
    });
  }).then(function (result) {
    var errors = (result.warnings || []).filter(function (warning) { return warning.severity === "error"; });
    if (errors.length === 0) {
      allow();
      return;
    }
    finish({
      allowEvent: false,
      errorMessage: alertMessage(errors),
      cancelLabel: "Review",
      commandId: PANE_COMMAND_ID
    });
  }).catch(function (error) {
    // Only the failure's kind is logged: never the draft.
    console.warn("Pre-Match Coach let this mail go unchecked: " + error.message);
    allow();
  });
}

Office.actions.associate("onMessageSendHandler", onMessageSend);

})();
