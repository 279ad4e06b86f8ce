// Outlook on the web (outlook.office.com, outlook.office365.com, outlook.live.com,
// outlook.cloud.microsoft): where its compose forms and open messages are.
//
// Outlook's class names are build hashes, so these selectors key on ARIA labels
// and ids Outlook keeps stable; each notes where it comes from. Labels are those
// of the English UI.

import { addressNear, ancestorContaining, isCtrlOrCmdEnter, isShown, pressButton, uniqueRecipients } from "./common.js";

const SELECTORS = {
  // The body editor of a new message, inline reply or pop-out compose: a
  // contenteditable role=textbox labelled "Message body" (newer builds append
  // ", press Alt+F10 to exit").
  composeBody: 'div[contenteditable="true"][role="textbox"][aria-label^="Message body"]',
  // The Send button of the compose command bar: button aria-label="Send",
  // title "Send (Ctrl+Enter)".
  sendButton: 'button[aria-label="Send"], button[title^="Send ("]',
  // The subject input of a new message ("Add a subject"); inline replies have none.
  subject: 'input[aria-label="Add a subject"], input[placeholder="Add a subject"]',
  // Recipient wells are contenteditable boxes labelled To, Cc and Bcc; each person
  // is a Live Persona Card chip, span[data-lpc-hover-target-id], whose text is the
  // display name. The address sits in the chip's (or its wrapper's) title or label;
  // when a tenant shows neither, the display name alone is sent.
  recipientWell: '[role="textbox"][aria-label="To"], [role="textbox"][aria-label="Cc"], [role="textbox"][aria-label="Bcc"]',
  recipientChip: "[data-lpc-hover-target-id]",
  // Quoted history: Outlook inserts div#appendonsend, then an hr and
  // div#divRplyFwdMsg ("From: ... Sent: ..."), before the earlier message; the
  // newer editor wraps it in #mail-editor-reference-message-container.
  quoteStart: "#appendonsend, #divRplyFwdMsg, #mail-editor-reference-message-container",
  // A message open in the reading pane: its body is role=document labelled
  // "Message body"; the sender's persona chip sits in the "From" header; the
  // conversation subject is the pane's level-2 heading.
  messageBody: 'div[aria-label="Message body"]:not([contenteditable="true"])',
  messageSender: '[aria-label^="From"] [data-lpc-hover-target-id], [data-lpc-hover-target-id]',
  threadSubject: '[role="heading"][aria-level="2"]',
  replyButton: 'button[aria-label="Reply"]',
};

export const outlook = {
  name: "outlook",

  findComposes(doc = document) {
    const composes = [];
    for (const body of doc.querySelectorAll(SELECTORS.composeBody)) {
      const root = ancestorContaining(body, SELECTORS.sendButton);
      if (root) composes.push(compose(root, body, doc));
    }
    return composes;
  },

  sendButtonAt(target) {
    return target instanceof Element ? target.closest(SELECTORS.sendButton) : null;
  },

  /** Ctrl/Cmd+Enter, and Alt+S, Outlook's own send shortcut. */
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
      if (!isShown(body)) continue;
      const root = ancestorContaining(body, SELECTORS.replyButton);
      const chip = root?.querySelector(SELECTORS.messageSender);
      if (!root || !chip) continue;
      messages.push({
        root,
        body,
        sender: { name: chip.textContent.trim(), address: addressNear(chip, ["title", "aria-label", "data-lpc-hover-target-id"], root) },
        subject: doc.querySelector(SELECTORS.threadSubject)?.textContent.trim() || "",
        replyButton: () => root.querySelector(SELECTORS.replyButton),
      });
    }
    return messages;
  },

  pressButton,
};

function compose(root, body, doc) {
  return {
    root,
    body,
    // An inline reply has no subject field; it answers the open conversation.
    subject: () => {
      const input = root.querySelector(SELECTORS.subject);
      if (input) return input.value;
      const thread = doc.querySelector(SELECTORS.threadSubject)?.textContent.trim();
      return thread ? `RE: ${thread}` : "";
    },
    recipients: () =>
      uniqueRecipients(
        [...root.querySelectorAll(SELECTORS.recipientWell)].flatMap((well) =>
          [...well.querySelectorAll(SELECTORS.recipientChip)].map((chip) => ({
            name: chip.textContent.trim(),
            address: addressNear(chip, ["title", "aria-label", "data-lpc-hover-target-id"], well),
          })),
        ),
      ),
    sendButton: () => root.querySelector(SELECTORS.sendButton),
  };
}
