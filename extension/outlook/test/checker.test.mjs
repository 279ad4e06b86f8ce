// The task pane's logic (src/checker.mjs): its requests to the real rules server, what it
// makes of the answers, and when it re-checks.

import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";

import {
  checkDraft, createRechecker, draftKey, flaggedText, replaceSpan, statusLine,
} from "../src/checker.mjs";
import { freePort, startServer } from "./server.mjs";

const ASK = "Dear Dr. Smith,\n\nCould you tell me where I stand on your rank list?\n\nSincerely,\nAna Ruiz";
const THANKS = "Dear Dr. Smith,\n\nThank you for taking the time to speak with me during my interview on Tuesday. "
  + "I especially enjoyed learning about the residents' research projects and the new simulation curriculum. "
  + "I remain very interested in your program.\n\nSincerely,\nAna Ruiz";
const TO = ["Dr Jane Smith <jsmith@uw.edu>"];
const ASK_SUBJECT = "Question about the anesthesiology program – Ana Ruiz";
const THANKS_SUBJECT = "Thank you for the anesthesiology interview – Ana Ruiz";

describe("checking a draft with the server", () => {
  let server;
  let token;

  before(async () => {
    server = await startServer();
    token = await server.createUser(`pane-${Date.now()}@example.edu`);
  });

  after(async () => {
    await server?.stop();
  });

  test("an error comes back with its explanation, suggestion and the words it is about", async () => {
    const draft = { text: ASK, subject: ASK_SUBJECT, to: TO };
    const result = await checkDraft({ serverUrl: server.url, token }, draft);
    assert.equal(result.ok, true);
    assert.equal(result.state, "connected");
    const ask = result.warnings.find((w) => w.rule === "nrmp.ask-rank.where-do-i-stand");
    assert.equal(ask.severity, "error");
    assert.ok(ask.explanation && ask.suggestions.length > 0);
    assert.match(flaggedText(draft, ask), /^where I stand/);
    assert.equal(result.message.program.key, "uw.edu");
    const status = statusLine(result);
    assert.equal(status.tone, "error");
    assert.match(status.text, /^1 error\b/);
  });

  test("a good thank-you note is clean", async () => {
    const result = await checkDraft({ serverUrl: server.url, token }, { text: THANKS, subject: THANKS_SUBJECT, to: TO });
    assert.equal(result.ok, true);
    assert.deepEqual(result.warnings, []);
    assert.equal(statusLine(result).tone, "clean");
  });

  test("a token the server does not know is reported, not mistaken for a clean email", async () => {
    const result = await checkDraft({ serverUrl: server.url, token: "not-a-real-token" }, { text: ASK, subject: "", to: TO });
    assert.equal(result.state, "signed-out");
    assert.match(statusLine(result).text, /You are signed out: your sign-in expired/);
    assert.match(statusLine({ ok: false, state: "signed-out", tokenSent: false }).text, /needs you signed in/);
  });

  test("a server that cannot be reached is reported as such", async () => {
    const result = await checkDraft({ serverUrl: `http://127.0.0.1:${await freePort()}`, token }, { text: ASK, subject: "", to: TO });
    assert.equal(result.state, "offline");
    assert.match(statusLine(result).text, /cannot be reached.*still sends/);
  });

  test("a server that never answers is given up on after a few seconds", async () => {
    const sockets = new Set();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      const result = await checkDraft({ serverUrl: `http://127.0.0.1:${silent.address().port}`, token }, { text: ASK, subject: "", to: TO });
      assert.equal(result.state, "offline");
      assert.match(statusLine(result).text, /did not answer in time/);
      assert.ok(Date.now() - started < 7000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test("a bad request comes back with the server's own words", async () => {
    const result = await checkDraft({ serverUrl: server.url, token }, { text: "hi", subject: "", to: [1, 2] });
    assert.equal(result.ok, false);
    assert.equal(result.state, "connected", "the server answered: it refused this draft");
    assert.match(result.detail, /'to'/);
  });
});

describe("the pane's answers", () => {
  test("offsets count UTF-16 units, so words after an emoji are found", () => {
    const draft = { text: "Hi 👋 could you tell me where I stand?", subject: "" };
    const offset = draft.text.indexOf("where I stand");
    assert.equal(flaggedText(draft, { field: "text", offset, length: 13 }), "where I stand");
    assert.equal(flaggedText(draft, { field: "text", offset: 0, length: 0 }), "");
  });

  test("a suggestion replaces the flagged words, even after the user typed before them", () => {
    const warning = { offset: 0, length: 3 };
    assert.equal(replaceSpan("Hey Dr Smith", warning, "Hey", "Dear"), "Dear Dr Smith");
    assert.equal(replaceSpan("Re: Hey Dr Smith", warning, "Hey", "Dear"), "Re: Dear Dr Smith");
    assert.equal(replaceSpan("Hello Dr Smith", warning, "Hey", "Dear"), null, "the words are gone");
    assert.equal(replaceSpan("Hey Hey", { offset: 4, length: 3 }, "Hi!", "Dear"), null, "ambiguous: not guessed");
  });

  test("the status line counts what was found", () => {
    const found = (...severities) => ({ ok: true, state: "connected", warnings: severities.map((severity) => ({ severity })) });
    assert.equal(statusLine(found("error", "error", "warning", "info")).text, "2 errors, 1 warning, 1 tip in this email.");
    assert.equal(statusLine(found("warning")).tone, "warning");
    assert.equal(statusLine({ ok: false, state: "connected", detail: "Boom." }).text, "The server could not check this email. Boom.");
  });
});

describe("re-checking while the user writes", () => {
  // Timers the test advances by hand.
  function clock() {
    const timers = new Map();
    let next = 1;
    return {
      schedule: (fn, ms) => { timers.set(next, { fn, ms }); return next++; },
      cancel: (id) => timers.delete(id),
      pending: () => [...timers.values()],
      async fire() {
        const [id, { fn }] = timers.entries().next().value;
        timers.delete(id);
        fn();
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
  }

  function setup({ offlineFirst = false } = {}) {
    const draft = { text: "Dear Dr. Smith,", subject: "Hello", to: ["a@uw.edu"] };
    const checked = [];
    const results = [];
    const time = clock();
    let answers = 0;
    const rechecker = createRechecker({
      readDraft: async () => ({ ...draft, to: [...draft.to] }),
      check: async (d) => {
        checked.push(draftKey(d));
        answers += 1;
        return offlineFirst && answers === 1 ? { ok: false, state: "offline", detail: "" } : { ok: true, state: "connected", warnings: [] };
      },
      onResult: (result) => results.push(result.state),
      intervalMs: 3000,
      schedule: time.schedule,
      cancel: time.cancel,
    });
    return { draft, checked, results, time, rechecker };
  }

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  test("checks at once, then reads every few seconds but asks the server only after a change", async () => {
    const { draft, checked, time, rechecker } = setup();
    rechecker.start();
    await settle();
    assert.equal(checked.length, 1);
    assert.deepEqual(time.pending().map((t) => t.ms), [3000]);

    await time.fire();
    assert.equal(checked.length, 1, "an unchanged draft is not sent again");

    draft.text += " I am writing to";
    await time.fire();
    assert.equal(checked.length, 2);
    assert.equal(time.pending().length, 1, "one timer at a time");
  });

  test("stops reading while the pane is hidden and starts again when it is shown", async () => {
    const { draft, checked, time, rechecker } = setup();
    rechecker.start();
    await settle();
    rechecker.stop();
    assert.equal(time.pending().length, 0);
    draft.text += " more";
    await rechecker.now();
    assert.equal(checked.length, 1, "no check while hidden");
    rechecker.start();
    await settle();
    assert.equal(checked.length, 2);
  });

  test("a change of recipients is checked at once, without waiting for the timer", async () => {
    const { draft, checked, time, rechecker } = setup();
    rechecker.start();
    await settle();
    draft.to.push("coordinator@uw.edu");
    await rechecker.now();
    assert.equal(checked.length, 2);
    assert.ok(checked[1].includes("coordinator@uw.edu"));
    assert.equal(time.pending().length, 1);
  });

  test("new settings or another item check again even if the draft is the same", async () => {
    const { checked, rechecker } = setup();
    rechecker.start();
    await settle();
    await rechecker.reset();
    assert.equal(checked.length, 2);
  });

  test("a check that got no answer is tried again at the next tick", async () => {
    const { checked, results, time, rechecker } = setup({ offlineFirst: true });
    rechecker.start();
    await settle();
    assert.deepEqual(results, ["offline"]);
    await time.fire();
    assert.equal(checked.length, 2);
    assert.deepEqual(results, ["offline", "connected"]);
  });
});
