// The applicant's account in this browser, on the options page: signing in with the school's
// account (chrome.identity.launchWebAuthFlow against the server's /sign-in) or with an
// invitation link, signing out, and the devices signed in. The token goes to
// chrome.storage.local, where the service worker reads it.

import { createApiClient } from "../core/api.js";
import {
  codeFrom, exchangeCode, redeemInvitation, SignInError, startSignIn, tokenFrom,
} from "../core/sign-in.js";
import { callServer } from "../background/server-client.js";

export { readInvitation, SignInError } from "../core/sign-in.js";

const SYSTEMS = { win: "Windows", mac: "macOS", linux: "Linux", cros: "ChromeOS", android: "Android" };

/** A client for the server before this browser has a token of it. */
function anonymous(serverUrl) {
  return createApiClient({ settings: () => ({ serverUrl }), request: { credentials: "omit", cache: "no-store" },
    timeoutMs: 10_000 });
}

async function deviceLabel() {
  const { os } = await chrome.runtime.getPlatformInfo();
  return `Chrome on ${SYSTEMS[os] || os}`;
}

async function keep(answer) {
  const issued = tokenFrom(answer);
  await chrome.storage.local.set({ token: issued.token });
  return issued.user;
}

/** Signs in through the school's identity provider; resolves to the account, or throws a SignInError. */
export async function signInWithSchool(serverUrl) {
  const signIn = await startSignIn(serverUrl, "extension", chrome.identity.getRedirectURL());
  let answerUrl;
  try {
    answerUrl = await chrome.identity.launchWebAuthFlow({ url: signIn.url, interactive: true });
  } catch {
    throw new SignInError("The sign-in window closed before you were signed in.");
  }
  const code = codeFrom(signIn, answerUrl);
  return keep(await exchangeCode(anonymous(serverUrl), signIn, code, await deviceLabel()));
}

/** Uses an invitation link's secret; resolves to the account, or throws a SignInError. */
export async function useInvitation(serverUrl, secret) {
  return keep(await redeemInvitation(anonymous(serverUrl), secret, await deviceLabel()));
}

/** This browser's devices as the server lists them ({id, label, last_used_at, expires_at, current}). */
export async function devices() {
  const answer = await callServer("GET", "/api/v1/tokens", { timeoutMs: 5000 });
  return answer.ok ? answer.data.tokens : [];
}

export async function revokeDevice(id) {
  return (await callServer("DELETE", `/api/v1/tokens/${id}`, { timeoutMs: 5000 })).ok;
}

/** Revokes this browser's token on the server (if it answers) and forgets it here. */
export async function signOut() {
  const current = (await devices()).find((device) => device.current);
  if (current) await revokeDevice(current.id);
  await chrome.storage.local.remove("token");
}
