// Outlook on the web (outlook.office.com, outlook.office365.com, outlook.live.com,
// outlook.cloud.microsoft): where its compose forms and open messages are.
//
// Outlook's class names are build hashes and its labels are translated, so these
// selectors key on the test ids, element ids and roles Outlook keeps in every language
// and on the structure of a compose form; English labels are only a last fallback.

import {
  composeBodies, composeRoot, isCtrlOrCmdEnter, isShown, optionsBesideSend, peopleIn, pressButton, repliedSender, replySubject,
} from "./common.js";

const SELECTORS = {
  // The body editor of a new message, inline reply or pop-out: the multi-line
  // contenteditable inside Outlook's editor container (#editorParent_N); the recipient
  // wells are contenteditable too, but single-line. The English label comes last.
  composeBody:
    '[id^="editorParent"] div[contenteditable="true"], div[contenteditable="true"][aria-multiline="true"], div[contenteditable="true"][role="textbox"][aria-label^="Message body"]',
  // Send: the primary half of the send split button, div[data-testid="ComposeSendButton"];
  // the other half (aria-haspopup) opens "Schedule send". English labels come last.
  sendButton:
    '[data-testid="ComposeSendButton"] button:not([aria-haspopup]):not([aria-expanded]), button[aria-label="Send"], button[title^="Send ("]',
  // The same without the English fallbacks: where an editor is looked for near a Send button.
  sendMarkers: '[data-testid="ComposeSendButton"] button:not([aria-haspopup]):not([aria-expanded])',
  sendOptions: '[data-testid="ComposeSendButton"] button[aria-haspopup], [data-testid="ComposeSendButton"] button[aria-expanded]',
  // What makes an element the compose form itself: its recipient wells and subject
  // (contenteditable and input fields besides the body).
  fields: '[contenteditable="true"], input:not([type="hidden"])',
  // A received message's body (role=document, class allowTextSelection): the climb
  // from an inline reply's editor stops below its conversation.
  foreign: 'div[role="document"]:not([contenteditable="true"]), div.allowTextSelection',
  // The recipient wells are the compose's other contenteditables (div[aria-label="To"]
  // [contenteditable] in English, no role); each person in them is a Live Persona Card
  // chip, span[data-lpc-hover-target-id], that shows the display name and keeps the
  // address in an attribute (title or aria-label) of itself or its wrapper.
  wells: '[contenteditable="true"]',
  personaChip: "[data-lpc-hover-target-id]",
  // The subject: input#MSG_<id>_SUBJECT in current builds, then the English labels.
  subject: 'input[id$="_SUBJECT"], input[aria-label="Add a subject"], input[placeholder="Add a subject"]',
  // Quoted history: Outlook inserts div#appendonsend, then an hr and div#divRplyFwdMsg
  // ("From: ... Sent: ..."), before the earlier message; the newer editor wraps it in
  // #mail-editor-reference-message-container.
  quoteStart: "#appendonsend, #divRplyFwdMsg, #mail-editor-reference-message-container",
  // A message open in the reading pane: its body is role=document; the sender is the
  // first persona chip of its header; the conversation subject is the pane's level-2 heading.
  messageBody: 'div[role="document"]:not([contenteditable="true"]), div.allowTextSelection:not([contenteditable="true"])',
  threadSubject: '[role="heading"][aria-level="2"]',
  replyButton: 'button[aria-label="Reply"], [data-testid="ReplyButton"], button[name="Reply"]',
};

// Outlook on the web holds a sent message back for up to 10 seconds (Settings > Undo send).
const UNDO_WINDOW_MS = 10_000;

export const outlook = {
  name: "outlook",
  undoWindowMs: UNDO_WINDOW_MS,

  findComposes(doc = document) {
    const composes = [];
    for (const body of composeBodies(doc, { bodySelector: SELECTORS.composeBody, sendButton: SELECTORS.sendMarkers })) {
      const root = composeRoot(body, {
        bodySelector: SELECTORS.composeBody,
        sendButton: SELECTORS.sendButton,
        fields: SELECTORS.fields,
        foreign: SELECTORS.foreign,
      });
      if (root) composes.push(compose(root, body, doc));
    }
    return composes;
  },

  sendButtonAt: (target) => closest(target, SELECTORS.sendButton),
  sendOptionsAt: (target) => closest(target, SELECTORS.sendOptions) || optionsBesideSend(target, SELECTORS.sendButton),
  // Outlook's Schedule send lives in a menu outside the form; the send guard finds it
  // as the menu the form's send options button opened.
  scheduleSendAt: () => null,

  /** Ctrl/Cmd+Enter, and Alt+S, Outlook's own send shortcut (by key position, any layout). */
  isSendShortcut(event) {
    return isCtrlOrCmdEnter(event) || (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyS");
  },

  quotes: {
    isQuote: (element) => element.tagName === "BLOCKQUOTE",
    startsQuote: (element) => element.matches(SELECTORS.quoteStart),
  },

  findOpenMessages(doc = document) {
    const messages = [];
    for (const body of doc.querySelectorAll(SELECTORS.messageBody)) {
      if (!isShown(body) || body.closest('[contenteditable="true"]')) continue;
      const root = messageRoot(body);
      const chip = root?.querySelector(SELECTORS.personaChip);
      if (!root || !chip) continue;
      const [sender] = peopleIn([chip.parentElement], { chips: SELECTORS.personaChip });
      messages.push({
        root,
        body,
        sender: sender || { name: chip.textContent.trim(), address: "" },
        subject: threadSubject(doc),
        replyButton: () => root.querySelector(SELECTORS.replyButton),
      });
    }
    return messages;
  },

  /** Outlook's notice after a send, "Sent · Undo", has no stable hook: the send guard finds it by role. */
  undoControl: () => null,

  pressButton,
};

function closest(target, selector) {
  return target instanceof Element ? target.closest(selector) : null;
}

function threadSubject(doc) {
  return doc.querySelector(SELECTORS.threadSubject)?.textContent.trim() || "";
}

/** A message's root: the nearest ancestor of its body that also shows a person (its header). */
function messageRoot(body) {
  for (let element = body.parentElement, depth = 0; element && depth < 20; element = element.parentElement, depth++) {
    if (element.querySelector(SELECTORS.personaChip)) return element;
  }
  return null;
}

function compose(root, body, doc) {
  return {
    root,
    body,
    // An inline reply has no subject field: it answers the open conversation.
    subject: () => {
      const input = root.querySelector(SELECTORS.subject) || otherInput(root, body);
      return input ? input.value : replySubject(threadSubject(doc));
    },
    recipients: () => {
      const wells = [...root.querySelectorAll(SELECTORS.wells)].filter((well) => well !== body && !body.contains(well));
      // Persona chips drawn beside a well rather than in it count too.
      const chips = [...root.querySelectorAll(SELECTORS.personaChip)]
        .filter((chip) => !body.contains(chip) && !wells.some((well) => well.contains(chip)))
        .map((chip) => chip.parentElement);
      const people = peopleIn([...wells, ...chips], { exclude: body, chips: SELECTORS.personaChip });
      if (people.length) return people;
      const sender = repliedSender(root, outlook.findOpenMessages(doc));
      return sender ? [sender] : [];
    },
    sendButton: () => root.querySelector(SELECTORS.sendButton),
    sendOptionsButton: () => root.querySelector(SELECTORS.sendOptions),
  };
}

/** The compose's one text input outside the body and wells: the subject, whatever its label. */
function otherInput(root, body) {
  const inputs = [...root.querySelectorAll('input:not([type]), input[type="text"]')].filter((input) => !body.contains(input));
  return inputs.length === 1 ? inputs[0] : null;
}
