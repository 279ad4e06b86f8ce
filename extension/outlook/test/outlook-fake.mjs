// Office.js as a compose window shows it to an add-in, built with Microsoft's
// office-addin-mock. The state object records what the add-in read, wrote and registered.

import { OfficeMockObject } from "office-addin-mock";

const SUCCEEDED = "succeeded";
const FAILED = "failed";

function succeed(callback, value) {
  callback({ status: SUCCEEDED, value });
}

function fail(callback, message) {
  callback({ status: FAILED, error: { message } });
}

/**
 * A message being written. `to` and `cc` hold {displayName, emailAddress}; `settings` are
 * the roaming settings the task pane saved; `customProperties` those kept on the item.
 */
export function composeItem({ body = "", subject = "", to = [], cc = [], customProperties = {}, failing = [] } = {}) {
  const state = { body, subject, to, cc, customProperties: { ...customProperties }, inserted: [], handlers: {} };
  const call = (name, callback, value) => (failing.includes(name) ? fail(callback, `${name} failed`) : succeed(callback, value));
  const item = {
    itemType: "message",
    body: {
      getAsync(coercionType, ...rest) {
        const callback = rest.pop();
        if (coercionType !== "text") {
          throw new Error(`the add-in asked for the body as ${coercionType}`);
        }
        call("body.getAsync", callback, state.body);
      },
      setSelectedDataAsync(data, options, callback) {
        state.inserted.push({ data, options });
        state.body += data;
        call("body.setSelectedDataAsync", callback);
      },
    },
    subject: {
      getAsync: (callback) => call("subject.getAsync", callback, state.subject),
      setAsync(value, callback) {
        state.subject = value;
        call("subject.setAsync", callback);
      },
    },
    to: { getAsync: (callback) => call("to.getAsync", callback, state.to) },
    cc: { getAsync: (callback) => call("cc.getAsync", callback, state.cc) },
    loadCustomPropertiesAsync(callback) {
      const staged = { ...state.customProperties };
      call("loadCustomPropertiesAsync", callback, {
        get: (name) => staged[name],
        set: (name, value) => { staged[name] = value; },
        saveAsync: (done) => {
          state.customProperties = { ...staged };
          call("customProperties.saveAsync", done);
        },
      });
    },
    addHandlerAsync(type, handler, callback) {
      state.handlers[type] = handler;
      call("addHandlerAsync", callback);
    },
  };
  return { item, state };
}

/** The Office namespace around an item, with roaming settings and the add-in's registrations. */
export function fakeOffice(compose, { settings = {}, failing = [] } = {}) {
  const state = { settings: { ...settings }, saved: 0, associated: {}, mailboxHandlers: {} };
  const call = (name, callback) => (failing.includes(name) ? fail(callback, `${name} failed`) : succeed(callback));
  const Office = new OfficeMockObject({
    host: "outlook",
    AsyncResultStatus: { Succeeded: SUCCEEDED, Failed: FAILED },
    CoercionType: { Text: "text", Html: "html" },
    EventType: { RecipientsChanged: "olkRecipientsChanged", ItemChanged: "olkItemSelectedChanged" },
    context: {
      mailbox: {
        item: compose.item,
        addHandlerAsync(type, handler, callback) {
          state.mailboxHandlers[type] = handler;
          call("mailbox.addHandlerAsync", callback);
        },
      },
      roamingSettings: {
        get: (name) => state.settings[name],
        set: (name, value) => { state.settings[name] = value; },
        remove: (name) => { delete state.settings[name]; },
        saveAsync(callback) {
          state.saved += 1;
          call("roamingSettings.saveAsync", callback);
        },
      },
    },
    actions: {
      associate: (name, handler) => { state.associated[name] = handler; },
    },
  });
  return { Office, state };
}
