// The clients' shared core (extension/core): severity labels, the order of warnings,
// recipients, server addresses, and the API client's answers, with a fake fetch where
// the point is what the client makes of each kind of answer.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import * as acorn from "acorn";

import { domainOf, findAddress, formatRecipient } from "../../core/addresses.js";
import { createApiClient, ServerState } from "../../core/api.js";
import { normaliseServerUrl } from "../../core/server-url.js";
import {
  countsText, SEVERITIES, severityCount, severityCounts, severityLabel, sortWarnings,
} from "../../core/warnings.js";
import { REPO, startServer } from "./server.mjs";

const CORE = path.join(REPO, "extension", "core");

describe("severity labels", () => {
  test("are one set of words, the same in every client", () => {
    assert.deepEqual(SEVERITIES.map(severityLabel), ["Error", "Warning", "Tip"]);
  });

  test("count in words", () => {
    assert.equal(severityCount(1, "error"), "1 error");
    assert.equal(severityCount(2, "warning"), "2 warnings");
    assert.equal(severityCount(0, "info"), "0 tips");
    const found = ["info", "error", "error", "warning"].map((severity) => ({ severity }));
    assert.deepEqual(severityCounts(found), [["error", 2], ["warning", 1], ["info", 1]]);
    assert.equal(countsText(found), "2 errors, 1 warning, 1 tip");
    assert.equal(countsText([{ severity: "info" }]), "1 tip");
    assert.equal(countsText([]), "");
  });
});

describe("the order of warnings", () => {
  test("is the email's, top to bottom: the subject first, then by offset, then by rule", () => {
    const w = (severity, field, offset, rule = "r") => ({ severity, field, offset, rule });
    const warnings = [w("info", "text", 1), w("warning", "text", 9, "b"), w("error", "text", 40),
      w("error", "subject", 3), w("warning", "text", 9, "a"), w("error", "text", 2)];
    assert.deepEqual(sortWarnings(warnings).map((x) => `${x.field}/${x.offset}/${x.rule}`),
      ["subject/3/r", "text/1/r", "text/2/r", "text/9/a", "text/9/b", "text/40/r"]);
    assert.equal(warnings[0].offset, 1, "the list given is left as it was");
  });

  describe("against the rules server", () => {
    let server;
    before(async () => {
      server = await startServer();
    });
    after(async () => {
      await server?.stop();
    });

    test("is the order the server answers in", async () => {
      const draft = {
        subject: "[Program Name] interview",
        text: "hey Dr. Smith,\n\nCould you tell me where I stand on your rank list? This is my only chance. "
          + "I will rank you #1 if you rank me highly. [Program Name] is my dream.\n\nthx",
        to: ["Dr Jane Smith <jsmith@uw.edu>"],
      };
      const { warnings } = await server.check(draft);
      assert.ok(warnings.length >= 4 && new Set(warnings.map((w) => w.severity)).size > 1, "a mix to order");
      assert.ok(warnings.some((w) => w.field === "subject"));
      assert.ok(warnings.some((w, i) => i > 0 && w.field === warnings[i - 1].field && w.offset === warnings[i - 1].offset),
        "two warnings at one offset, ordered by rule");
      assert.deepEqual(sortWarnings([...warnings].reverse()), warnings);
    });
  });
});

describe("recipients", () => {
  test("are written the way the server parses them", () => {
    assert.equal(formatRecipient({ name: "Dr Jane Smith", address: "jsmith@uw.edu" }), "Dr Jane Smith <jsmith@uw.edu>");
    assert.equal(formatRecipient({ name: "", address: "jsmith@uw.edu" }), "jsmith@uw.edu");
    assert.equal(formatRecipient({ address: "jsmith@uw.edu" }), "jsmith@uw.edu");
    assert.equal(formatRecipient({ name: "JSmith@UW.edu", address: "jsmith@uw.edu" }), "jsmith@uw.edu");
    assert.equal(formatRecipient({ name: "Residency Office", address: "" }), "Residency Office");
    assert.equal(formatRecipient({ name: ' "Smith, Jane" <x> ', address: "jsmith@uw.edu" }), "Smith, Jane x <jsmith@uw.edu>");
  });

  test("addresses are found in text and split at their domain", () => {
    assert.equal(findAddress("Dr Jane Smith <JSmith@UW.edu>"), "jsmith@uw.edu");
    assert.equal(findAddress("no address here"), "");
    assert.equal(findAddress(undefined), "");
    assert.equal(domainOf("jsmith@uw.edu"), "uw.edu");
    assert.equal(domainOf(""), "");
  });
});

describe("server addresses", () => {
  test("are accepted as typed and kept without trailing slashes", () => {
    assert.equal(normaliseServerUrl(" https://coach.example.edu/ "), "https://coach.example.edu");
    assert.equal(normaliseServerUrl("http://127.0.0.1:5000"), "http://127.0.0.1:5000");
    assert.equal(normaliseServerUrl("https://example.edu/coach//"), "https://example.edu/coach");
    assert.equal(normaliseServerUrl("https://Coach.Example.edu:443/?q=1#top"), "https://coach.example.edu");
  });

  test("are refused unless they are http(s) URLs", () => {
    for (const value of ["coach.example.edu", "javascript:alert(1)", "ftp://example.edu", "", "   ", null, undefined]) {
      assert.equal(normaliseServerUrl(value), "", String(value));
    }
  });
});

describe("the API client", () => {
  /** A fetch that records its calls and answers with `respond(url, init)`. */
  function fakeFetch(respond) {
    const calls = [];
    const fetch = (url, init) => {
      calls.push({ url, init });
      return respond(url, init);
    };
    return { calls, fetch };
  }
  const json = (status, data) => async () => ({ status, json: async () => data });
  const page = (status) => async () => ({ status, json: async () => JSON.parse("<html>") });
  const client = (fetch, settings = { serverUrl: "https://coach.example.edu/", token: "t0k" }, extra = {}) =>
    createApiClient({ settings: () => settings, fetch, ...extra });

  test("sends JSON with the token, the host's headers and options, to the server's path and query", async () => {
    const { calls, fetch } = fakeFetch(json(200, { warnings: [] }));
    const server = client(fetch, { serverUrl: "https://coach.example.edu/", token: "t0k" },
      { headers: () => ({ "X-CSRF-Token": "c" }), request: { credentials: "omit" } });
    const answer = await server.call("POST", "/api/v1/check", { body: { text: "hi" } });
    assert.deepEqual(answer, { ok: true, httpStatus: 200, data: { warnings: [] }, state: ServerState.CONNECTED, signedIn: true });
    const [{ url, init }] = calls;
    assert.equal(url, "https://coach.example.edu/api/v1/check");
    assert.equal(init.method, "POST");
    assert.equal(init.credentials, "omit");
    assert.equal(init.body, '{"text":"hi"}');
    assert.deepEqual(init.headers, { Accept: "application/json", "X-CSRF-Token": "c",
      "Content-Type": "application/json", Authorization: "Bearer t0k" });

    await server.call("GET", "/api/v1/ledger/summary", { query: { to: ["a@uw.edu", "b c@x.org"], track: null } });
    assert.equal(calls[1].url, "https://coach.example.edu/api/v1/ledger/summary?to=a%40uw.edu&to=b%20c%40x.org");
    assert.equal(calls[1].init.body, undefined);
    assert.equal(calls[1].init.headers["Content-Type"], undefined);
  });

  test("without a token sends none, and says so", async () => {
    const { calls, fetch } = fakeFetch(json(200, {}));
    const answer = await client(fetch, { serverUrl: "https://coach.example.edu", token: "" }).call("GET", "/healthz");
    assert.equal(answer.signedIn, false);
    assert.equal(calls[0].init.headers.Authorization, undefined);
  });

  test("reads the settings at every call", async () => {
    const settings = { serverUrl: "https://one.example.edu", token: "" };
    const { calls, fetch } = fakeFetch(json(200, {}));
    const server = createApiClient({ settings: async () => ({ ...settings }), fetch });
    await server.call("GET", "/healthz");
    settings.serverUrl = "https://two.example.edu";
    await server.call("GET", "/healthz");
    assert.deepEqual(calls.map((c) => new URL(c.url).host), ["one.example.edu", "two.example.edu"]);
  });

  const cases = [
    ["a refused token", json(401, { error: { code: "unauthorized", message: "No." } }), ServerState.SIGNED_OUT],
    ["a refusal with the server's reason", json(400, { error: { code: "bad_field", message: "'to' must be a list" } }),
      ServerState.CONNECTED],
    ["a proxy's error page", page(502), ServerState.OFFLINE],
    ["an overloaded server", json(503, { error: { code: "unavailable", message: "Later." } }), ServerState.OFFLINE],
    ["a rate limit", json(429, { error: { code: "rate_limited", message: "Slow down." } }), ServerState.OFFLINE],
    ["a 404 that is not the server's own", page(404), ServerState.OFFLINE],
    ["no network", async () => { throw new TypeError("Failed to fetch"); }, ServerState.OFFLINE],
  ];
  for (const [what, respond, state] of cases) {
    test(`reads ${what} as ${state}, and never throws`, async () => {
      const answer = await client(fakeFetch(respond).fetch).call("POST", "/api/v1/check", { body: {} });
      assert.equal(answer.ok, false);
      assert.equal(answer.state, state);
      if (state === ServerState.SIGNED_OUT) assert.equal(answer.signedIn, false);
    });
  }

  test("keeps the server's reason for a refusal", async () => {
    const answer = await client(fakeFetch(json(413, { error: { code: "too_large", message: "Too long." } })).fetch)
      .call("POST", "/api/v1/check", { body: {} });
    assert.deepEqual([answer.httpStatus, answer.data.error.message], [413, "Too long."]);
  });

  test("gives up on a server that does not answer in time, and cancels the request", async () => {
    let signal;
    const { fetch } = fakeFetch((url, init) => {
      signal = init.signal;
      return new Promise(() => {});
    });
    const started = Date.now();
    const answer = await client(fetch).call("GET", "/healthz", { timeoutMs: 50 });
    assert.deepEqual(answer, { ok: false, state: ServerState.OFFLINE, timedOut: true, signedIn: true });
    assert.ok(Date.now() - started < 2000);
    assert.equal(signal.aborted, true);
  });

  test("says when the caller cancelled the call (a newer check replaced it)", async () => {
    const { fetch } = fakeFetch((url, init) => new Promise((resolve, reject) => {
      init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    }));
    const controller = new AbortController();
    const pending = client(fetch).call("POST", "/api/v1/check", { body: {}, signal: controller.signal });
    controller.abort();
    const answer = await pending;
    assert.equal(answer.aborted, true);
    assert.equal(answer.ok, false);
  });

  test("asks nothing of the network without a server address", async () => {
    const { calls, fetch } = fakeFetch(json(200, {}));
    const unset = await client(fetch, { serverUrl: "", token: "t0k" }).call("GET", "/healthz");
    assert.deepEqual(unset, { ok: false, state: ServerState.UNCONFIGURED, signedIn: true });
    assert.equal(calls.length, 0);
  });

  test("without the host's permission still asks, and the server's CORS answer decides", async () => {
    const notAllowed = { allowed: async (url) => url !== "https://coach.example.edu" };
    const { calls, fetch } = fakeFetch(json(200, { status: "ok" }));
    const allowedByServer = await client(fetch, undefined, notAllowed).call("GET", "/healthz");
    assert.equal(allowedByServer.ok, true);
    assert.equal(calls.length, 1);
    // A server that does not list the origin: the browser refuses the answer, as a network error.
    const refusing = () => Promise.reject(new TypeError("Failed to fetch"));
    const refused = await client(refusing, undefined, notAllowed).call("GET", "/healthz");
    assert.deepEqual(refused, { ok: false, state: ServerState.NO_PERMISSION, signedIn: true });
    const down = await client(refusing).call("GET", "/healthz");
    assert.equal(down.state, ServerState.OFFLINE);
  });
});

describe("the core's files", () => {
  const modules = readdirSync(CORE, { recursive: true }).filter((file) => file.endsWith(".js"));
  const identifiers = (source) => {
    const names = new Set();
    (function walk(node) {
      if (node && typeof node.type === "string") {
        if (node.type === "Identifier") names.add(node.name);
        Object.values(node).forEach((child) => (Array.isArray(child) ? child.forEach(walk) : walk(child)));
      }
    })(acorn.parse(source, { ecmaVersion: "latest", sourceType: "module" }));
    return names;
  };

  test("know nothing of a host: hosts inject what they have", () => {
    assert.ok(modules.length >= 6);
    for (const file of modules) {
      const names = identifiers(readFileSync(path.join(CORE, file), "utf8"));
      // dom/ reads and paints a page's DOM, any page's; the rest runs without one.
      const foreign = ["chrome", "Office", ...(file.startsWith("dom") ? [] : ["window", "document", "navigator", "location"])];
      for (const name of foreign) assert.ok(!names.has(name), `${file} uses ${name}`);
    }
  });

  test("outside dom/, parse as ECMAScript 2016, as classic Outlook's send handler runtime needs", () => {
    for (const file of modules.filter((f) => !f.startsWith("dom"))) {
      assert.doesNotThrow(() => acorn.parse(readFileSync(path.join(CORE, file), "utf8"),
        { ecmaVersion: 2016, sourceType: "module" }), file);
    }
  });
});
