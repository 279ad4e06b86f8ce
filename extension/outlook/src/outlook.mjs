// The task pane's side of Office.js: reading the draft, the settings it shares with the
// send handler, inserting a suggestion, and the events that call for a new check.

import { replaceSpan } from "./checker.mjs";
import { formatRecipient } from "./core/addresses.js";

/** Calls an Office.js method that takes a callback; resolves with its value or rejects with its error. */
export function officeValue(target, method, ...args) {
  return new Promise((resolve, reject) => {
    target[method](...args, (result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded) {
        resolve(result.value);
      } else {
        reject(new Error(result.error?.message ?? `${method} failed`));
      }
    });
  });
}

/** An Office.js recipient ({displayName, emailAddress}) as the server takes it. */
function recipient({ displayName, emailAddress }) {
  return formatRecipient({ name: displayName, address: emailAddress });
}

/** True for a message being written: the pane stays pinned while the user reads mail too. */
export function isCompose(item) {
  return Boolean(item) && typeof item.subject === "object" && typeof item.body?.getAsync === "function";
}

export async function readDraft(item) {
  const [text, subject, to, cc] = await Promise.all([
    officeValue(item.body, "getAsync", Office.CoercionType.Text),
    officeValue(item.subject, "getAsync"),
    officeValue(item.to, "getAsync"),
    // Programs are often written to through a coordinator in Cc.
    officeValue(item.cc, "getAsync"),
  ]);
  return { text: text ?? "", subject: subject ?? "", to: [...to, ...cc].map(recipient).filter(Boolean) };
}

// roamingSettings, not localStorage: classic Outlook on Windows runs the send handler where
// there is no localStorage, and these follow the user to every Outlook they sign in to.
export function loadSettings(roaming, defaultServerUrl) {
  return {
    serverUrl: roaming.get("serverUrl") || defaultServerUrl,
    token: roaming.get("token") || "",
  };
}

export async function saveSettings(roaming, { serverUrl, token }) {
  roaming.set("serverUrl", serverUrl);
  if (token) {
    roaming.set("token", token);
  } else {
    roaming.remove("token");
  }
  await officeValue(roaming, "saveAsync");
}

/**
 * Puts a suggestion into the draft. In the subject it replaces the flagged words. In the
 * body it goes where the user's cursor or selection is, the way typing would, because the
 * body's HTML cannot be rewritten safely around a span found in its plain text.
 * Resolves with where it went; rejects if the subject no longer holds the flagged words.
 */
export async function insertSuggestion(item, warning, flagged, suggestion) {
  if (warning.field === "subject") {
    const subject = await officeValue(item.subject, "getAsync");
    const updated = replaceSpan(subject, warning, flagged, suggestion);
    if (updated === null) {
      throw new Error("The subject has changed since it was checked.");
    }
    await officeValue(item.subject, "setAsync", updated);
    return "subject";
  }
  await officeValue(item.body, "setSelectedDataAsync", suggestion, { coercionType: Office.CoercionType.Text });
  return "body";
}

/** Calls back when the To, Cc or Bcc line changes. */
export function onRecipientsChanged(item, callback) {
  return officeValue(item, "addHandlerAsync", Office.EventType.RecipientsChanged, callback);
}

/** Calls back when a pinned pane is shown for another item. */
export function onItemChanged(mailbox, callback) {
  return officeValue(mailbox, "addHandlerAsync", Office.EventType.ItemChanged, callback);
}
