/*
 * Smart Alerts send handler of the pre-Match email coach.
 *
 * When the user presses Send, the draft goes to the rules server. Mail with errors is
 * stopped with a short list of them, and the user may still choose Send Anyway (the
 * manifest's SendMode is PromptUser); clean mail, and mail the server could not check
 * within a few seconds, goes at once. Every checked send is recorded in the ledger
 * under an id kept on the item, so a second attempt at the same message counts once.
 *
 * Classic Outlook on Windows runs this file alone, in a JavaScript-only runtime: no
 * imports, no DOM, no localStorage, and only ECMAScript 2016 before Office build 2403.
 * Hence one file, callbacks and promises instead of async/await, and settings from
 * roamingSettings, which the task pane writes.
 */
(function () {
  "use strict";

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
    var serverUrl = (roaming && roaming.get("serverUrl")) || DEFAULT_SERVER_URL;
    return {
      serverUrl: String(serverUrl).replace(/\/+$/, ""),
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
    var address = details.emailAddress || "";
    var name = details.displayName || "";
    return name && name !== address ? name + " <" + address + ">" : address;
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

  function postJson(config, path, body, timeoutMs) {
    var headers = { "Content-Type": "application/json" };
    if (config.token) {
      headers.Authorization = "Bearer " + config.token;
    }
    // AbortController is missing from some JavaScript-only runtimes; the race below still bounds the wait.
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var request = fetch(config.serverUrl + path, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status + " from " + path);
      }
      return response.json();
    });
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        if (controller) {
          controller.abort();
        }
        reject(new Error("no answer from " + path + " within " + timeoutMs + " ms"));
      }, timeoutMs);
      request.then(function (value) {
        clearTimeout(timer);
        resolve(value);
      }, function (error) {
        clearTimeout(timer);
        reject(error);
      });
    });
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
      : "This email has " + messages.length + " problems that could break NRMP Match rules or hurt your application:";
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
    Promise.all([readDraft(item), sendEventId(item)]).then(function (parts) {
      var draft = parts[0];
      return postJson(config, "/api/v1/check", draft, CHECK_TIMEOUT_MS).then(function (result) {
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
        return postJson(config, "/api/v1/ledger/events", record, RECORD_TIMEOUT_MS).then(
          function () { return result; },
          function (error) {
            console.warn("Pre-Match Coach could not record this send: " + error.message);
            return result;
          }
        );
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
