// Signing the add-in in without a token to paste: with the school's account in an Office
// dialog (the server's /sign-in, which ends at signed-in.html and hands its one-time code
// back with messageParent), or with an invitation link. Either way the device's token comes
// in the body of the server's answer.

import { createApiClient } from "./core/api.js";
import {
  codeFrom, exchangeCode, readInvitation, redeemInvitation, SignInError, startSignIn, tokenFrom,
} from "./core/sign-in.js";

export { SignInError } from "./core/sign-in.js";

export const DIALOG_PAGE = "/addin/signed-in.html";
const PLATFORMS = { OfficeOnline: "Outlook on the web", PC: "Outlook for Windows", Mac: "Outlook for Mac" };

const anonymous = (serverUrl) => createApiClient({ settings: () => ({ serverUrl }), timeoutMs: 10_000 });

function deviceLabel() {
  return PLATFORMS[Office.context.diagnostics?.platform] ?? "Outlook";
}

/** What the dialog's last page sends back: the fragment of its address. */
function dialogAnswer(url) {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(url, { height: 70, width: 35, promptBeforeOpen: false }, (result) => {
      if (result.status !== Office.AsyncResultStatus.Succeeded) {
        reject(new SignInError(`Outlook could not open the sign-in window (${result.error?.message ?? "error"}).`));
        return;
      }
      const dialog = result.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        dialog.close();
        resolve(`${DIALOG_PAGE}#${arg.message}`);
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, () => {
        reject(new SignInError("The sign-in window closed before you were signed in."));
      });
    });
  });
}

/** Signs in with the school's account; resolves to {token, user, ...}, or rejects with a SignInError. */
export async function signInWithSchool(serverUrl) {
  const signIn = await startSignIn(serverUrl, "addin", serverUrl + DIALOG_PAGE);
  const code = codeFrom(signIn, await dialogAnswer(signIn.url));
  return tokenFrom(await exchangeCode(anonymous(serverUrl), signIn, code, deviceLabel()));
}

/** Uses an invitation link; resolves to {serverUrl, token, user, ...}, or rejects with a SignInError. */
export async function useInvitation(link) {
  const invitation = readInvitation(link);
  if (!invitation) throw new SignInError("That is not an invitation link: paste the whole link, with its # part.");
  const issued = tokenFrom(await redeemInvitation(anonymous(invitation.serverUrl), invitation.secret, deviceLabel()));
  return { ...issued, serverUrl: invitation.serverUrl };
}

/** Revokes this Outlook's token on the server, if it answers. */
export async function revoke(settings) {
  const api = createApiClient({ settings: () => settings, timeoutMs: 5000 });
  const listed = await api.call("GET", "/api/v1/tokens");
  const current = listed.ok ? listed.data.tokens.find((token) => token.current) : null;
  if (current) await api.call("DELETE", `/api/v1/tokens/${current.id}`);
}
