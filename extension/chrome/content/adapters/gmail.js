// Gmail (mail.google.com): where its compose windows and open messages are.
//
// Gmail's class names are generated and change without notice, so these selectors
// key on the attributes Gmail keeps for accessibility, tooltips and its own
// features; each notes where it comes from. Labels are those of Gmail's English UI.

import { addressNear, ancestorContaining, isCtrlOrCmdEnter, isShown, pressButton, uniqueRecipients } from "./common.js";

const SELECTORS = {
  // The message body of every compose (new message dialog, full screen, pop-out
  // window, inline reply/forward): a contenteditable with role=textbox and Gmail's
  // own g_editable attribute; its aria-label "Message Body" is the fallback.
  composeBody: 'div[contenteditable="true"][g_editable="true"], div[contenteditable="true"][role="textbox"][aria-label="Message Body"]',
  // The Send button: a div role=button whose tooltip and aria-label read "Send (Ctrl-Enter)"
  // (Gmail wraps the shortcut in bidi marks, so only the prefix is matched).
  sendButton: '[role="button"][data-tooltip^="Send"], [role="button"][aria-label^="Send"]',
  // The subject: input name="subjectbox", present (hidden) in inline replies too.
  subject: 'input[name="subjectbox"]',
  // Recipient chips in To/Cc/Bcc carry the address in data-hovercard-id and the
  // display name in data-name (people chips since the 2022 compose); older builds
  // used span[email][name].
  recipientChip: "[data-hovercard-id*='@'], span[email]",
  // Quoted history inside the editor: Gmail wraps it in div.gmail_quote (with the
  // "On ... wrote:" line in div.gmail_attr) and blockquote.
  quote: ".gmail_quote, blockquote",
  // An expanded message in a conversation: div[data-message-id]; its body is div.a3s
  // (unchanged since 2013 and what every Gmail extension reads); the sender is
  // span[email][name] in the header; the subject is the thread's h2 heading.
  message: "div[data-message-id]",
  messageBody: "div.a3s",
  messageSender: "h3 span[email], span[email][name]",
  threadSubject: "h2[data-thread-perm-id], h2.hP",
  replyButton: '[role="button"][aria-label="Reply"], [role="button"][data-tooltip="Reply"]',
};

export const gmail = {
  name: "gmail",

  findComposes(doc = document) {
    const composes = [];
    for (const body of doc.querySelectorAll(SELECTORS.composeBody)) {
      const root = body.closest('[role="dialog"]') || ancestorContaining(body, SELECTORS.sendButton);
      if (root) composes.push(compose(root, body));
    }
    return composes;
  },

  /** The Send button an event happened on, if any. */
  sendButtonAt(target) {
    return target instanceof Element ? target.closest(SELECTORS.sendButton) : null;
  },

  isSendShortcut: isCtrlOrCmdEnter,

  quotes: {
    isQuote: (element) => element.matches(SELECTORS.quote),
  },

  findOpenMessages(doc = document) {
    const messages = [];
    for (const root of doc.querySelectorAll(SELECTORS.message)) {
      const body = root.querySelector(SELECTORS.messageBody);
      const sender = root.querySelector(SELECTORS.messageSender);
      if (!body || !sender || !isShown(body)) continue;
      messages.push({
        root,
        body,
        sender: { name: sender.getAttribute("name") || sender.textContent.trim(), address: sender.getAttribute("email") || "" },
        subject: doc.querySelector(SELECTORS.threadSubject)?.textContent.trim() || "",
        replyButton: () => root.querySelector(SELECTORS.replyButton),
      });
    }
    return messages;
  },

  pressButton,
};

function compose(root, body) {
  return {
    root,
    body,
    subject: () => root.querySelector(SELECTORS.subject)?.value || "",
    recipients: () =>
      uniqueRecipients(
        [...root.querySelectorAll(SELECTORS.recipientChip)]
          .filter((chip) => !body.contains(chip))
          .map((chip) => ({
            name: chip.getAttribute("data-name") || chip.getAttribute("name") || "",
            address: addressNear(chip, ["data-hovercard-id", "email"], chip),
          })),
      ),
    sendButton: () => root.querySelector(SELECTORS.sendButton),
  };
}
