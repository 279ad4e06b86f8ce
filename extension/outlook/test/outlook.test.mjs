// The task pane's Office.js side (src/outlook.mjs) with office-addin-mock standing in for Outlook.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import {
  insertSuggestion, isCompose, loadSettings, onItemChanged, onRecipientsChanged, readDraft, saveSettings,
} from "../src/outlook.mjs";
import { composeItem, fakeOffice } from "./outlook-fake.mjs";

function install(compose, options) {
  const fake = fakeOffice(compose, options);
  globalThis.Office = fake.Office;
  return fake;
}

afterEach(() => {
  delete globalThis.Office;
});

test("reads the body as text, the subject, and To and Cc with display names", async () => {
  const compose = composeItem({
    body: "Dear Dr. Smith,\n\nThank you.",
    subject: "Thank you",
    to: [{ displayName: "Dr Jane Smith", emailAddress: "jsmith@uw.edu" }],
    cc: [{ displayName: "gme@uw.edu", emailAddress: "gme@uw.edu" }],
  });
  const { Office } = install(compose);
  assert.deepEqual(await readDraft(Office.context.mailbox.item), {
    text: "Dear Dr. Smith,\n\nThank you.",
    subject: "Thank you",
    to: ["Dr Jane Smith <jsmith@uw.edu>", "gme@uw.edu"],
  });
});

test("a failed read rejects with Outlook's reason", async () => {
  const { Office } = install(composeItem({ failing: ["subject.getAsync"] }));
  await assert.rejects(readDraft(Office.context.mailbox.item), /subject.getAsync failed/);
});

test("only a message being written counts as a draft", () => {
  const { Office } = install(composeItem());
  assert.equal(isCompose(Office.context.mailbox.item), true);
  assert.equal(isCompose({ subject: "Read mode gives the subject as a string" }), false);
  assert.equal(isCompose(null), false);
});

test("settings default to the pane's own server and round-trip through roaming settings", async () => {
  const { Office, state } = install(composeItem());
  const roaming = Office.context.roamingSettings;
  assert.deepEqual(loadSettings(roaming, "https://coach.example.edu"), { serverUrl: "https://coach.example.edu", token: "" });

  await saveSettings(roaming, { serverUrl: "https://other.example.edu", token: "abc123" });
  assert.equal(state.saved, 1);
  assert.deepEqual(state.settings, { serverUrl: "https://other.example.edu", token: "abc123" });
  assert.deepEqual(loadSettings(roaming, "https://coach.example.edu"), { serverUrl: "https://other.example.edu", token: "abc123" });

  await saveSettings(roaming, { serverUrl: "https://other.example.edu", token: "" });
  assert.deepEqual(state.settings, { serverUrl: "https://other.example.edu" }, "a cleared token is removed");
});

test("a failed save is reported", async () => {
  const { Office } = install(composeItem(), { failing: ["roamingSettings.saveAsync"] });
  await assert.rejects(saveSettings(Office.context.roamingSettings, { serverUrl: "https://x.example.edu", token: "" }));
});

test("a suggestion for the subject replaces the flagged words", async () => {
  const compose = composeItem({ subject: "Re: hey, quick question" });
  const { Office } = install(compose);
  const warning = { field: "subject", offset: 4, length: 3 };
  assert.equal(await insertSuggestion(Office.context.mailbox.item, warning, "hey", "Hello"), "subject");
  assert.equal(compose.state.subject, "Re: Hello, quick question");
});

test("a suggestion for the subject is refused when the user has rewritten those words", async () => {
  const compose = composeItem({ subject: "A new subject" });
  const { Office } = install(compose);
  await assert.rejects(insertSuggestion(Office.context.mailbox.item, { field: "subject", offset: 0, length: 3 }, "hey", "Hello"),
    /changed since it was checked/);
  assert.equal(compose.state.subject, "A new subject");
});

test("a suggestion for the body goes in as typed text at the cursor or over the selection", async () => {
  const compose = composeItem({ body: "Dear Dr. Smith,\n\n" });
  const { Office } = install(compose);
  const warning = { field: "text", offset: 10, length: 5 };
  assert.equal(await insertSuggestion(Office.context.mailbox.item, warning, "Smith", "I remain very interested"), "body");
  assert.deepEqual(compose.state.inserted, [{ data: "I remain very interested", options: { coercionType: "text" } }]);
});

test("the pane listens for recipient changes on the item and for a pinned pane's new item", async () => {
  const compose = composeItem();
  const { Office, state } = install(compose);
  const onRecipients = () => {};
  const onItem = () => {};
  await onRecipientsChanged(Office.context.mailbox.item, onRecipients);
  await onItemChanged(Office.context.mailbox, onItem);
  assert.equal(compose.state.handlers.olkRecipientsChanged, onRecipients);
  assert.equal(state.mailboxHandlers.olkItemSelectedChanged, onItem);
});
