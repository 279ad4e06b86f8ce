// The Smart Alerts send handler (src/launchevent.js) against the real rules server, run the
// way classic Outlook on Windows runs it: the file alone, in a context with no DOM.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import vm from "node:vm";

import * as acorn from "acorn";

import { composeItem, fakeOffice } from "./outlook-fake.mjs";
import { freePort, SRC, startServer } from "./server.mjs";

const ASK = "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?\n\nSincerely,\nAna Ruiz";
const THANKS = "Dear Dr. Smith,\n\nThank you for taking the time to speak with me during my interview on Tuesday. "
  + "I especially enjoyed learning about the residents' research projects and the new simulation curriculum. "
  + "I remain very interested in your program.\n\nSincerely,\nAna Ruiz";
const DR_SMITH = { displayName: "Dr Jane Smith", emailAddress: "jsmith@uw.edu" };
const COORDINATOR = { displayName: "Residency Coordinator", emailAddress: "gme@uw.edu" };
const ASK_SUBJECT = "Question about the anesthesiology program – Ana Ruiz";
const THANKS_SUBJECT = "Thank you for the anesthesiology interview – Ana Ruiz";

const source = await readFile(new URL("launchevent.js", `file://${SRC}`), "utf8");

/**
 * Loads the handler into a fresh context holding only what the JavaScript-only runtime
 * offers, presses Send, and resolves with what the handler told Outlook.
 */
async function pressSend(Office, state, { script = source, globals = {}, fetchImpl = fetch } = {}) {
  const logged = [];
  const log = (...args) => logged.push(args.join(" "));
  const context = vm.createContext({
    Office,
    fetch: fetchImpl,
    setTimeout,
    clearTimeout,
    crypto: globalThis.crypto,
    console: { log, info: log, warn: log, error: log },
    ...globals,
  });
  vm.runInContext(script, context, { filename: "launchevent.js" });
  const handler = state.associated.onMessageSendHandler;
  assert.equal(typeof handler, "function", "the handler associates onMessageSendHandler");
  const started = Date.now();
  const calls = [];
  await new Promise((resolve) => {
    handler({ completed: (options) => { calls.push(options); resolve(); } });
  });
  // A second completed() call would reach Outlook after it has already acted on the first.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(calls.length, 1, "event.completed is called exactly once");
  // As Outlook receives it: plain data, not objects of the handler's own realm.
  return { options: JSON.parse(JSON.stringify(calls[0])), elapsed: Date.now() - started, logged };
}

function draft({ body, subject = ASK_SUBJECT, to = [DR_SMITH], cc = [], customProperties } = {}) {
  return composeItem({ body, subject, to, cc, customProperties });
}

describe("the send handler", () => {
  let server;
  let token;

  before(async () => {
    server = await startServer();
    token = await server.createUser(`applicant-${Date.now()}@example.edu`);
  });

  after(async () => {
    await server?.stop();
  });

  test("stops mail with errors, listing the server's messages, and offers the task pane", async () => {
    const { Office, state } = fakeOffice(draft({ body: ASK }), { settings: { serverUrl: server.url, token } });
    const expected = (await server.check({ text: ASK, subject: ASK_SUBJECT, to: ["Dr Jane Smith <jsmith@uw.edu>"] }, token))
      .warnings.filter((w) => w.severity === "error").map((w) => w.message);
    assert.ok(expected.length > 0, "the server flags the question about rank");

    const { options } = await pressSend(Office, state);

    assert.equal(options.allowEvent, false);
    for (const message of expected) {
      assert.ok(options.errorMessage.includes(message), `the alert names "${message}"`);
    }
    assert.ok(options.errorMessage.length <= 500, "Smart Alerts shows at most 500 characters");
    assert.equal(options.commandId, "coachComposeOpenPane");
    assert.ok(options.cancelLabel.length <= 20);
  });

  test("lets clean mail through", async () => {
    const { Office, state } = fakeOffice(draft({ body: THANKS, subject: THANKS_SUBJECT }), { settings: { serverUrl: server.url, token } });
    const { options } = await pressSend(Office, state);
    assert.deepEqual(options, { allowEvent: true });
  });

  test("lets mail through when nothing listens at the server's address", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { Office, state } = fakeOffice(draft({ body: ASK }), { settings: { serverUrl: closed, token } });
    const { options, logged } = await pressSend(Office, state);
    assert.deepEqual(options, { allowEvent: true });
    assert.ok(logged.some((line) => line.includes("unchecked")));
  });

  for (const abortable of [false, true]) {
    test(`lets mail through within a few seconds when the server never answers (AbortController ${abortable ? "present" : "missing"})`, async () => {
      const sockets = new Set();
      const silent = net.createServer((socket) => sockets.add(socket));
      await new Promise((resolve) => silent.listen(0, "127.0.0.1", resolve));
      try {
        const { Office, state } = fakeOffice(draft({ body: ASK }),
          { settings: { serverUrl: `http://127.0.0.1:${silent.address().port}`, token } });
        const { options, elapsed } = await pressSend(Office, state,
          { globals: abortable ? { AbortController } : {} });
        assert.deepEqual(options, { allowEvent: true });
        assert.ok(elapsed >= 2500 && elapsed < 4500, `answered after ${elapsed} ms, before Outlook's 5 s "taking longer" dialog`);
        assert.ok(sockets.size > 0, "the handler did try the server");
      } finally {
        sockets.forEach((socket) => socket.destroy());
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  }

  test("records a send in the ledger once, however often the same message is sent", async () => {
    const compose = draft({ body: ASK, cc: [COORDINATOR] });
    const { Office, state } = fakeOffice(compose, { settings: { serverUrl: server.url, token } });

    const first = await pressSend(Office, state);
    // The user chose Don't Send, looked at the pane, and pressed Send again.
    const second = await pressSend(Office, state);

    assert.equal(first.options.allowEvent, false);
    assert.equal(second.options.allowEvent, false);
    const eventId = compose.state.customProperties.coachSendEventId;
    assert.match(eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const events = await server.ledger(token);
    const list = Array.isArray(events) ? events : events.events;
    const recorded = list.filter((event) => event.event_id === eventId);
    assert.equal(recorded.length, 1, "one ledger event for two attempts at the same message");
    assert.equal(recorded[0].type, "sent");

    // Another message is another send.
    const other = draft({ body: THANKS, subject: THANKS_SUBJECT });
    const otherOffice = fakeOffice(other, { settings: { serverUrl: server.url, token } });
    assert.deepEqual((await pressSend(otherOffice.Office, otherOffice.state)).options, { allowEvent: true });
    const after = (await server.ledger(token));
    const ids = (Array.isArray(after) ? after : after.events).map((event) => event.event_id);
    assert.ok(ids.includes(other.state.customProperties.coachSendEventId));
    assert.notEqual(other.state.customProperties.coachSendEventId, eventId);
  });

  test("as the server serves it, checks with that server when no setting names one", async () => {
    const served = await (await fetch(`${server.url}/addin/launchevent.js`)).text();
    assert.ok(served.includes(JSON.stringify(server.url)), "the server wrote its own address into the handler");
    const { Office, state } = fakeOffice(draft({ body: ASK }));
    // No crypto either: the id falls back to Math.random, as in a runtime without Web Crypto.
    const { options } = await pressSend(Office, state, { script: served, globals: { crypto: undefined } });
    assert.equal(options.allowEvent, false);
  });

  test("never writes the draft to the console", async () => {
    const secret = "My private sentence about Dr. Smith's program and where I stand on your rank list";
    const offline = `http://127.0.0.1:${await freePort()}`;
    for (const serverUrl of [server.url, offline]) {
      const { Office, state } = fakeOffice(draft({ body: secret, subject: "Private subject line" }),
        { settings: { serverUrl, token: "not-a-valid-token" } });
      const { logged } = await pressSend(Office, state);
      const output = logged.join("\n");
      assert.ok(!output.includes("private sentence") && !output.includes("Private subject"), output);
    }
  });

  test("lets mail through when Outlook cannot give the draft", async () => {
    const compose = composeItem({ body: ASK, to: [DR_SMITH], failing: ["body.getAsync"] });
    const { Office, state } = fakeOffice(compose, { settings: { serverUrl: server.url, token } });
    assert.deepEqual((await pressSend(Office, state)).options, { allowEvent: true });
  });

  test("sends the server the draft as the task pane does: body text, subject, To and Cc with names", async () => {
    const bodies = [];
    const spy = (url, init) => {
      bodies.push({ path: new URL(url).pathname, body: JSON.parse(init.body), auth: init.headers.Authorization });
      return fetch(url, init);
    };
    const { Office, state } = fakeOffice(draft({ body: THANKS, subject: THANKS_SUBJECT, cc: [COORDINATOR] }),
      { settings: { serverUrl: `${server.url}/`, token } });
    await pressSend(Office, state, { fetchImpl: spy });
    const [check, record] = bodies;
    assert.equal(check.path, "/api/v1/check");
    assert.deepEqual(check.body.to, ["Dr Jane Smith <jsmith@uw.edu>", "Residency Coordinator <gme@uw.edu>"]);
    assert.equal(check.body.text, THANKS);
    assert.equal(check.body.subject, THANKS_SUBJECT);
    assert.equal(check.body.direction, "outbound");
    assert.ok(!Number.isNaN(Date.parse(check.body.at)));
    assert.equal(check.auth, `Bearer ${token}`);
    assert.equal(record.path, "/api/v1/ledger/events");
    assert.equal(record.body.type, "sent");
    assert.deepEqual(record.body.to, check.body.to);

    // Without a token the check is anonymous, and there is no ledger to record in.
    bodies.length = 0;
    const anonymous = fakeOffice(draft({ body: THANKS, subject: THANKS_SUBJECT }), { settings: { serverUrl: server.url } });
    assert.equal((await pressSend(anonymous.Office, anonymous.state, { fetchImpl: spy })).options.allowEvent, true);
    assert.deepEqual(bodies.map((b) => [b.path, b.auth]), [["/api/v1/check", undefined]]);
  });
});

describe("the send handler's file", () => {
  test("is one classic script in ECMAScript 2016, with no imports, that classic Outlook on Windows can load", () => {
    // Throws on import/export, async/await, ?., ??, object spread and other syntax newer than 2016.
    const program = acorn.parse(source, { ecmaVersion: 2016, sourceType: "script" });
    const names = new Set();
    (function walk(node) {
      if (node && typeof node.type === "string") {
        if (node.type === "Identifier") {
          names.add(node.name);
        }
        Object.values(node).forEach((child) => (Array.isArray(child) ? child.forEach(walk) : walk(child)));
      }
    })(program);
    for (const missing of ["require", "importScripts", "window", "document", "localStorage", "sessionStorage",
      "navigator", "location"]) {
      assert.ok(!names.has(missing), `uses ${missing}, which the JavaScript-only runtime lacks`);
    }
  });

  test("keeps its alert within Smart Alerts' 500 characters however many problems there are", async () => {
    const warnings = Array.from({ length: 12 }, (_, i) => ({
      severity: "error", message: `Problem number ${i + 1}: ${"a long explanation of what is wrong ".repeat(6)}`,
    }));
    const fakeFetch = async (url) => ({
      ok: true,
      status: 200,
      json: async () => (url.endsWith("/api/v1/check") ? { warnings } : {}),
    });
    const { Office, state } = fakeOffice(draft({ body: "anything" }), { settings: { serverUrl: "https://coach.example.edu" } });
    const { options } = await pressSend(Office, state, { fetchImpl: fakeFetch });
    assert.equal(options.allowEvent, false);
    assert.ok(options.errorMessage.length <= 500, `${options.errorMessage.length} characters`);
    assert.match(options.errorMessage, /Problem number 1:/);
    assert.match(options.errorMessage, /and \d+ more\./);
  });
});
