// Copied from extension/core/sign-in.js by node scripts/client-core.mjs: edit that file, then run the command.
// Signing a client in without a token to paste, as the extension and the Outlook add-in do
// alike: with the school's account through the server's /sign-in (PKCE, state, and a
// one-time code), or with an invitation link from the advising office. Each host brings the
// window the sign-in runs in (chrome.identity.launchWebAuthFlow, the Office dialog) and its
// API client (api.js); the token is only ever in the body of the server's answer.
//
// ECMAScript 2016 with promises, like the rest of the core.

export class SignInError extends Error {}

function base64url(bytes) {
  let binary = "";
  bytes.forEach((byte) => { binary += String.fromCharCode(byte); });
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(size) {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

/** The PKCE S256 challenge of a verifier (RFC 7636, 4.2). */
export function challengeOf(verifier) {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))
    .then((digest) => base64url(new Uint8Array(digest)));
}

/**
 * A new sign-in with the school's account: the server page to open, and what its answer must
 * match. `client` is "extension" or "addin"; `redirectUri` where the server sends the answer.
 */
export function startSignIn(serverUrl, client, redirectUri) {
  const verifier = randomString(48);
  const state = randomString(16);
  return challengeOf(verifier).then((challenge) => {
    const query = new URLSearchParams({
      client, redirect_uri: redirectUri, state, code_challenge: challenge, code_challenge_method: "S256",
    });
    return { url: `${serverUrl.replace(/\/+$/, "")}/sign-in?${query}`, state, verifier, redirectUri };
  });
}

/**
 * The one-time code in the answer (the redirect URI with `#code=...&state=...`), if it is the
 * answer to this sign-in; a SignInError with the server's reason otherwise.
 */
export function codeFrom(signIn, answerUrl) {
  const fields = new URLSearchParams(String(answerUrl).split("#")[1] || "");
  if (fields.get("state") !== signIn.state) {
    throw new SignInError("The sign-in's answer does not belong to this sign-in. Try again.");
  }
  if (fields.get("error")) {
    throw new SignInError(fields.get("error_description") || "You were not signed in.");
  }
  if (!fields.get("code")) throw new SignInError("The server's answer held no sign-in code. Try again.");
  return fields.get("code");
}

/** The code, with the verifier only this client holds, for the device's token: the API client's answer. */
export function exchangeCode(api, signIn, code, label) {
  return api.call("POST", "/api/v1/sign-in/token", {
    body: { code, code_verifier: signIn.verifier, redirect_uri: signIn.redirectUri, label },
  });
}

/** An invitation link (https://coach.school.edu/invite#SECRET) as {serverUrl, secret}; null if it is none. */
export function readInvitation(link) {
  let url;
  try {
    url = new URL(String(link || "").trim());
  } catch (error) {
    return null;
  }
  const secret = url.hash.slice(1);
  if (!/^https?:$/.test(url.protocol) || !/\/invite$/.test(url.pathname) || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) {
    return null;
  }
  return { serverUrl: url.origin + url.pathname.replace(/\/invite$/, ""), secret };
}

/** Uses the invitation (once) for the device's token: the API client's answer. */
export function redeemInvitation(api, secret, label) {
  return api.call("POST", "/api/v1/invitations/redeem", { body: { invitation: secret, label } });
}

/** The device's new token from the server's answer, or a SignInError with its reason. */
export function tokenFrom(answer) {
  if (answer.ok && answer.data && answer.data.token) return answer.data;
  const reason = answer.data && answer.data.error && answer.data.error.message;
  throw new SignInError(reason || "The coach server could not be reached. Try again in a moment.");
}
