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

import { formatRecipient } from "../core/addresses.js";
import { createApiClient } from "../core/api.js";
import { severityCount } from "../core/warnings.js";

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
