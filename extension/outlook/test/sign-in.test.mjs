// The clients' sign-in steps (extension/core/sign-in.js): PKCE as RFC 7636 computes it, the
// answer's state checked, the server's refusal passed on, invitation links read.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import {
  challengeOf, codeFrom, readInvitation, SignInError, startSignIn, tokenFrom,
} from "../src/core/sign-in.js";

test("the PKCE challenge is RFC 7636's S256: the verifier's SHA-256 in unpadded base64url", async () => {
  for (const verifier of ["dBjftJeZ4CVP-mJ92K9qkwWJp5iJz1xOMsNq7B5gRoU", "~._-".repeat(11)]) {
    assert.equal(await challengeOf(verifier), createHash("sha256").update(verifier).digest("base64url"));
  }
});

test("a sign-in asks the server with a fresh state and the challenge of a verifier kept here", async () => {
  const signIn = await startSignIn("https://coach.example.edu/", "addin", "https://coach.example.edu/addin/signed-in.html");
  const url = new URL(signIn.url);
  assert.equal(url.origin + url.pathname, "https://coach.example.edu/sign-in");
  assert.equal(url.searchParams.get("client"), "addin");
  assert.equal(url.searchParams.get("state"), signIn.state);
  assert.equal(url.searchParams.get("code_challenge"), await challengeOf(signIn.verifier));
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  assert.ok(!signIn.url.includes(signIn.verifier));
  const again = await startSignIn("https://coach.example.edu", "addin", signIn.redirectUri);
  assert.notEqual(again.state, signIn.state);
  assert.notEqual(again.verifier, signIn.verifier);
});

test("only the answer to this sign-in gives its code; a refusal says the server's reason", () => {
  const signIn = { state: "s-123456789" };
  assert.equal(codeFrom(signIn, "https://x.chromiumapp.org/#code=abc&state=s-123456789"), "abc");
  assert.throws(() => codeFrom(signIn, "https://x.chromiumapp.org/#code=abc&state=other"), SignInError);
  assert.throws(() => codeFrom(signIn, "https://x.chromiumapp.org/?code=abc&state=s-123456789"), SignInError);
  assert.throws(() => codeFrom(signIn, "/#error=access_denied&error_description=eve%40x.edu+is+not+taken&state=s-123456789"),
    { name: "Error", message: "eve@x.edu is not taken" });
});

test("an invitation link is its server and the secret in its fragment", () => {
  const secret = "a".repeat(43);
  assert.deepEqual(readInvitation(` https://coach.example.edu/invite#${secret} `),
    { serverUrl: "https://coach.example.edu", secret });
  for (const wrong of ["", "not a link", `https://coach.example.edu/invite?${secret}`, "https://coach.example.edu/invite#short",
    `ftp://coach.example.edu/invite#${secret}`, `https://coach.example.edu/other#${secret}`]) {
    assert.equal(readInvitation(wrong), null, wrong);
  }
});

test("a device's token comes from a good answer only", () => {
  assert.equal(tokenFrom({ ok: true, data: { token: "t", user: {} } }).token, "t");
  assert.throws(() => tokenFrom({ ok: false, data: { error: { message: "used already" } } }), /used already/);
  assert.throws(() => tokenFrom({ ok: false, state: "offline" }), /could not be reached/);
});
