// The task pane page: shows what the coach finds in the draft, re-checking while the user
// writes, and keeps the settings that the send handler reads too.

import { checkDraft, createRechecker, flaggedText, statusLine } from "./checker.mjs";
import { createApiClient } from "./core/api.js";
import { normaliseServerUrl } from "./core/server-url.js";
import { severityLabel } from "./core/warnings.js";
import {
  insertSuggestion, isCompose, loadSettings, onItemChanged, onRecipientsChanged, readDraft, saveSettings,
} from "./outlook.mjs";
import { revoke, SignInError, signInWithSchool, useInvitation } from "./sign-in.mjs";

const KIND_LABEL = {
  pre_interview: "a pre-interview email",
  thank_you: "a thank-you note",
  update: "an update letter",
  letter_of_interest: "a letter of interest",
  letter_of_intent: "a letter of intent",
  inquiry: "an inquiry",
  reply: "a reply",
};

const $ = (id) => document.getElementById(id);

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((child) => child !== null));
  return node;
}

// Which warnings the user had opened, so a re-check while they read does not fold them up.
const opened = new Set();
const warningKey = (warning, flagged) => `${warning.rule}\u0000${warning.field}\u0000${flagged}`;

function showNotice(text) {
  $("notice").textContent = text;
  $("notice").hidden = !text;
}

function contextLine(message) {
  if (!message?.program?.name) {
    return "";
  }
  const kind = KIND_LABEL[message.kind];
  return `${kind ? `Reads as ${kind} to` : "To"} ${message.program.name}.`;
}

function suggestionBlock(warning, flagged, suggestion, onInsert) {
  const inSubject = warning.field === "subject" && flagged;
  const button = element("button", {
    type: "button",
    className: "secondary",
    textContent: inSubject ? "Replace in subject" : "Insert at cursor",
    title: inSubject ? "" : "Replaces the words you have selected in your email, or goes where your cursor is.",
  });
  button.addEventListener("click", () => onInsert(warning, flagged, suggestion, button));
  return element("figure", { className: "suggestion" }, element("blockquote", { textContent: suggestion }), button);
}

function warningItem(warning, draft, onInsert) {
  const flagged = flaggedText(draft, warning);
  const key = warningKey(warning, flagged);
  const details = element("details", { open: opened.has(key) },
    element("summary", {},
      element("span", { className: "badge", textContent: severityLabel(warning.severity) }),
      element("span", { className: "message", textContent: warning.message }),
      flagged ? element("q", { className: "flagged", textContent: flagged }) : null),
    element("div", { className: "details" },
      element("p", { className: "explanation", textContent: warning.explanation }),
      warning.suggestions.length ? element("p", { textContent: "Instead, you could write:" }) : null,
      ...warning.suggestions.map((suggestion) => suggestionBlock(warning, flagged, suggestion, onInsert)),
      warning.source ? element("p", { className: "source", textContent: `Source: ${warning.source}` }) : null));
  details.addEventListener("toggle", () => (details.open ? opened.add(key) : opened.delete(key)));
  const item = element("li", { className: "warning" }, details);
  item.dataset.severity = warning.severity;
  return item;
}

function showStatus({ tone, text }, context = "", items = []) {
  $("status").textContent = text;
  $("status").dataset.tone = tone;
  $("context").textContent = context;
  $("context").hidden = !context;
  $("warnings").replaceChildren(...items);
}

function render(result, draft, onInsert) {
  if (!result.ok) {
    showStatus(statusLine(result));
    return;
  }
  showStatus(statusLine(result), contextLine(result.message), result.warnings.map((w) => warningItem(w, draft, onInsert)));
}

function showSettings(settings) {
  $("server-url").value = settings.serverUrl;
}

/** Who this Outlook is signed in as, asked of the server. */
async function showAccount(settings) {
  let line = "Not signed in. Without signing in, the coach still checks your emails but cannot remember what you "
    + "already sent to each program.";
  if (settings.token) {
    const me = await createApiClient({ settings: () => settings, timeoutMs: 5000 }).call("GET", "/api/v1/me");
    line = me.ok ? `Signed in as ${me.data.email}.` : me.httpStatus === 401
      ? "Your sign-in expired or was revoked: sign in again." : "Signed in (the server cannot be reached now).";
  }
  const signedIn = line.startsWith("Signed in");
  $("account-line").textContent = line;
  $("signed-out").hidden = signedIn;
  $("invitation-form").hidden = signedIn;
  $("sign-out").hidden = !settings.token;
}

function start() {
  const mailbox = Office.context.mailbox;
  const roaming = Office.context.roamingSettings;
  let settings = loadSettings(roaming, location.origin);

  async function insert(warning, flagged, suggestion, button) {
    button.disabled = true;
    try {
      const where = await insertSuggestion(mailbox.item, warning, flagged, suggestion);
      showNotice(where === "subject" ? "Subject updated." : "Inserted into your email.");
      await rechecker.now();
    } catch (error) {
      showNotice(`${error.message} Edit it by hand, or wait for the next check.`);
    } finally {
      button.disabled = false;
    }
  }

  const rechecker = createRechecker({
    readDraft: () => readDraft(mailbox.item),
    check: (draft) => checkDraft(settings, draft),
    onResult: (result, draft) => render(result, draft, insert),
  });

  function syncVisibility() {
    if (document.visibilityState === "visible" && isCompose(mailbox.item)) {
      rechecker.start();
    } else {
      rechecker.stop();
    }
  }

  function bindItem() {
    opened.clear();
    showNotice("");
    if (!isCompose(mailbox.item)) {
      rechecker.stop();
      showStatus({ tone: "muted", text: "Open an email you are writing and the coach checks it here." });
      return;
    }
    onRecipientsChanged(mailbox.item, () => rechecker.now()).catch(() => {
      // Without the event, the next periodic check still sees the new recipients.
    });
    rechecker.reset();
    syncVisibility();
  }

  $("settings-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const serverUrl = normaliseServerUrl($("server-url").value);
    if (!serverUrl) {
      $("settings-note").textContent = "Enter the server's address, such as https://coach.example.edu.";
      return;
    }
    // Another server does not know this Outlook's token.
    await keep({ serverUrl, token: serverUrl === settings.serverUrl ? settings.token : "" },
      "Saved. Outlook uses these when you press Send, too.", $("settings-note"));
  });

  async function keep(changed, done, note) {
    try {
      await saveSettings(roaming, changed);
      settings = changed;
      note.textContent = done;
    } catch (error) {
      note.textContent = `Not saved: ${error.message}`;
    }
    showSettings(settings);
    rechecker.reset();
    await showAccount(settings);
  }

  async function signingIn(step) {
    const note = $("account-note");
    note.textContent = "Signing in…";
    try {
      const issued = await step();
      $("invitation").value = "";
      await keep({ serverUrl: issued.serverUrl ?? settings.serverUrl, token: issued.token },
        `Signed in as ${issued.user.email}.`, note);
    } catch (error) {
      note.textContent = error instanceof SignInError ? error.message : "Not signed in: something went wrong.";
    }
  }

  $("sign-in").addEventListener("click", () => signingIn(() => signInWithSchool(settings.serverUrl)));
  $("invitation-form").addEventListener("submit", (event) => {
    event.preventDefault();
    signingIn(() => useInvitation($("invitation").value));
  });
  $("sign-out").addEventListener("click", async () => {
    await revoke(settings);
    await keep({ serverUrl: settings.serverUrl, token: "" }, "Signed out of this Outlook.", $("account-note"));
  });

  showSettings(settings);
  showAccount(settings);
  document.addEventListener("visibilitychange", syncVisibility);
  onItemChanged(mailbox, bindItem).catch(() => {
    // Clients that cannot pin the pane never change its item.
  });
  bindItem();
}

Office.onReady(({ host }) => {
  $("unsupported").hidden = true;
  $("app").hidden = false;
  if (host === Office.HostType.Outlook) {
    start();
  } else {
    showStatus({ tone: "muted", text: "Open Pre-Match Coach from an email you are writing in Outlook." });
  }
});
