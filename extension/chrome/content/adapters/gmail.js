// Gmail (mail.google.com): where its compose windows and open messages are.
//
// Nothing here depends on the UI language: Gmail's labels are translated (and its
// class names are generated), so these selectors key on the attributes and class names
// Gmail keeps for its own features, the ones the maintained Gmail libraries read
// (InboxSDK's gmail-compose-view.ts and page-parser.ts, gmail.js's api.dom.compose),
// and on the structure of a compose window. English labels are only a last fallback.

import {
  composeBodies, composeRoot, isCtrlOrCmdEnter, isShown, optionsBesideSend, peopleIn, pressButton, repliedSender, replySubject,
} from "./common.js";

const SELECTORS = {
  // The message body of every compose (dialog, full screen, pop-out window, inline
  // reply or forward): the contenteditable Gmail marks g_editable (InboxSDK:
  // ".Ap [g_editable=true]"); the English label is the last resort.
  composeBody: 'div[contenteditable="true"][g_editable="true"], div[contenteditable="true"][role="textbox"][aria-label="Message Body"]',
  // Send: the compose's primary button, class aoO in the send group (InboxSDK
  // getSendButton: ".IZ .Up div > div[role=button]:not(.Uo):not([aria-haspopup=true])"),
  // Send + archive beside it in replies (.Uo); the English tooltip is the last resort.
  sendButton: '.IZ .Up div > div[role="button"]:not([aria-haspopup="true"]), div[role="button"].aoO, [role="button"][data-tooltip^="Send"]:not([aria-haspopup="true"])',
  primarySend: 'div[role="button"].aoO, .IZ .Up div > div[role="button"]:not(.Uo):not([aria-haspopup="true"]), [role="button"][data-tooltip^="Send"]:not([aria-haspopup="true"])',
  // The same without the English fallback: where an editor is looked for near a Send button.
  sendMarkers: 'div[role="button"].aoO, .IZ .Up div > div[role="button"]:not(.Uo):not([aria-haspopup="true"])',
  // "More send options", the arrow beside Send that opens Schedule send (InboxSDK
  // getMoreSendOptionsButton ".hG", getSendButtonGroup "[role=button][aria-haspopup=true]").
  sendOptions: '.IZ .Up div > [role="button"][aria-haspopup="true"], [role="button"].hG',
  // Schedule send, the menu item (InboxSDK getScheduleSendButton '[selector="scheduledSend"]').
  scheduleSend: '[selector="scheduledSend"]',
  // What makes an element the compose window itself: the recipient fields (InboxSDK
  // page-parser: div.anm[name="to"], textarea.vO[name=to]), the subject box and the
  // hidden form fields every compose carries (gmail.js dom(): composeid, draft, subject).
  fields: '[name="to"], [name="cc"], [name="bcc"], input[name="subjectbox"], input[name="subject"], input[name="composeid"], input[name="draft"]',
  // The compose containers themselves: the dialog of a new message and gmail.js's div.M9.
  outer: '[role="dialog"], div.M9',
  // A received message (gmail.js api.dom.email: div.a3s; InboxSDK: [data-message-id]):
  // an inline reply's root never reaches into its conversation.
  foreign: "div.a3s, [data-message-id]",
  recipientFields: '[name="to"], [name="cc"], [name="bcc"]',
  // Chips outside those fields, as older builds drew them (span[email]) and the people
  // chips of the 2021 compose (div[role=option][data-hovercard-id]).
  looseChips: "[data-hovercard-id*='@'], span[email]",
  subject: 'input[name="subjectbox"]',
  // The subject an inline reply keeps in its hidden form (gmail.js: input[name=subject]).
  hiddenSubject: 'input[name="subject"]',
  // Quoted history inside the editor: div.gmail_quote (with div.gmail_attr) and blockquote.
  quote: ".gmail_quote, blockquote",
  // An expanded message in a conversation: div[data-message-id]; its body is div.a3s;
  // the sender is span[email][name] in its h3 (InboxSDK getSender: "td.gF span[email]",
  // gmail.js: "span[email].gD"); the subject is the thread's h2 (gmail.js: "h2.hP").
  message: "div[data-message-id]",
  messageBody: "div.a3s",
  messageSender: "h3 span[email], span.gD[email], span[email][name]",
  threadSubject: "h2[data-thread-perm-id], h2.hP",
  // The message's Reply: gmail.js "div[role=button].aaq", the reply chip under the
  // message (.ams.bkH); the English label last.
  replyButton: '[role="button"].aaq, [role="button"].ams.bkH, [role="link"].ams.bkH, [role="button"][aria-label="Reply"], [role="button"][data-tooltip="Reply"]',
  // The toast after a send: "Message sent · Undo · View message", with the undo link
  // span#link_undo (as Meru, zoidsh/meru, reads it: ".vh:has(span#link_undo)").
  undo: "#link_undo",
};

// Gmail lets a user cancel a send for up to 30 seconds (Settings > Undo send).
const UNDO_WINDOW_MS = 30_000;

export const gmail = {
  name: "gmail",
  undoWindowMs: UNDO_WINDOW_MS,

  findComposes(doc = document) {
    const composes = [];
    for (const body of composeBodies(doc, { bodySelector: SELECTORS.composeBody, sendButton: SELECTORS.sendMarkers })) {
      const root = composeRoot(body, {
        bodySelector: SELECTORS.composeBody,
        sendButton: SELECTORS.sendButton,
        fields: SELECTORS.fields,
        outer: SELECTORS.outer,
        foreign: SELECTORS.foreign,
      });
      if (root) composes.push(compose(root, body, doc));
    }
    return composes;
  },

  /** The Send (or Send + archive) button an event happened on, if any. */
  sendButtonAt: (target) => closest(target, SELECTORS.sendButton),
  sendOptionsAt: (target) => closest(target, SELECTORS.sendOptions) || optionsBesideSend(target, SELECTORS.primarySend),
  scheduleSendAt: (target) => closest(target, SELECTORS.scheduleSend),

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
        sender: {
          name: sender.getAttribute("name") || sender.textContent.trim(),
          address: (sender.getAttribute("email") || "").toLowerCase(),
        },
        subject: threadSubject(doc),
        replyButton: () => root.querySelector(SELECTORS.replyButton),
      });
    }
    return messages;
  },

  /** The shown undo link of the toast after a send, if any. */
  undoControl(doc = document) {
    const link = doc.querySelector(SELECTORS.undo);
    return isShown(link) ? link : null;
  },

  pressButton,
};

function closest(target, selector) {
  return target instanceof Element ? target.closest(selector) : null;
}

function threadSubject(doc) {
  return doc.querySelector(SELECTORS.threadSubject)?.textContent.trim() || "";
}

function compose(root, body, doc) {
  return {
    root,
    body,
    // An inline reply's subject box is hidden and may be empty: its hidden form field,
    // then the conversation's subject, as Gmail sends it.
    subject: () =>
      root.querySelector(SELECTORS.subject)?.value.trim() ||
      root.querySelector(SELECTORS.hiddenSubject)?.value.trim() ||
      replySubject(threadSubject(doc)),
    recipients: () => {
      const fields = [...root.querySelectorAll(SELECTORS.recipientFields)];
      let people = peopleIn(fields, { exclude: body });
      if (!people.length) people = peopleIn([...root.querySelectorAll(SELECTORS.looseChips)], { exclude: body });
      if (people.length) return people;
      const sender = repliedSender(root, gmail.findOpenMessages(doc));
      return sender ? [sender] : [];
    },
    sendButton: () => root.querySelector(SELECTORS.primarySend),
    sendOptionsButton: () => root.querySelector(SELECTORS.sendOptions),
  };
}
