// Built by node scripts/content-bundle.mjs from extension/chrome/content/main.js and the modules it imports: edit those, then run the command.
(() => {
  // extension/chrome/core/addresses.js
  var EMAIL = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[a-z]{2,}/i;
  function findAddress(text) {
    const match = EMAIL.exec(text || "");
    return match ? match[0].toLowerCase() : "";
  }
  function formatRecipient({ name, address }) {
    const cleanName = (name || "").replace(/[<>"]/g, "").trim();
    if (!address) return cleanName;
    return cleanName && cleanName.toLowerCase() !== address.toLowerCase() ? `${cleanName} <${address}>` : address;
  }

  // extension/chrome/content/adapters/common.js
  var MAX_DEPTH = 40;
  function composeRoot(body, { bodySelector, sendButton, fields, outer, foreign }) {
    let withSend = null;
    for (let element = body.parentElement, depth = 0; element && depth < MAX_DEPTH; element = element.parentElement, depth++) {
      if (element === element.ownerDocument.body || containsOutside(element, bodySelector, body)) break;
      if (foreign && containsOutside(element, foreign, body)) break;
      if (element.querySelector(sendButton)) {
        withSend = element;
        if (outer && element.matches(outer) || containsOutside(element, fields, body)) return element;
      }
    }
    return withSend;
  }
  function composeBodies(doc, { bodySelector, sendButton }) {
    const bodies = new Set(doc.querySelectorAll(bodySelector));
    for (const send of doc.querySelectorAll(sendButton)) {
      const body = editorNear(send);
      if (body) bodies.add(body);
    }
    return [...bodies].filter((body) => !body.parentElement?.closest('[contenteditable="true"]'));
  }
  function editorNear(control) {
    for (let element = control.parentElement, depth = 0; element && depth < MAX_DEPTH; element = element.parentElement, depth++) {
      const editors = [...element.querySelectorAll('[contenteditable="true"]')].filter(
        (editor) => !editor.parentElement?.closest('[contenteditable="true"]')
      );
      if (editors.length) return editors.reduce((tallest, e) => e.offsetHeight > tallest.offsetHeight ? e : tallest);
    }
    return null;
  }
  function optionsBesideSend(target, sendButton) {
    const trigger = target instanceof Element ? target.closest('[aria-haspopup]:not([aria-haspopup="false"])') : null;
    if (!trigger || trigger.matches(sendButton)) return null;
    for (const before of [trigger.previousElementSibling, trigger.parentElement?.previousElementSibling]) {
      if (before && (before.matches(sendButton) || before.querySelector(sendButton))) return trigger;
    }
    return null;
  }
  function containsOutside(root, selector, body) {
    for (const element of root.querySelectorAll(selector)) if (element !== body && !body.contains(element)) return true;
    return false;
  }
  function isShown(element) {
    return Boolean(element?.isConnected && element.getClientRects().length);
  }
  function isVisible(element) {
    if (!isShown(element)) return false;
    return element.checkVisibility ? element.checkVisibility({ visibilityProperty: true, opacityProperty: true }) : true;
  }
  function pressButton(button) {
    const rect = button.getBoundingClientRect();
    const init = {
      bubbles: true,
      cancelable: true,
      composed: true,
      view: window,
      button: 0,
      clientX: rect.left + rect.width / 2,
      clientY: rect.top + rect.height / 2
    };
    button.dispatchEvent(new MouseEvent("mousedown", { ...init, buttons: 1 }));
    button.dispatchEvent(new MouseEvent("mouseup", init));
    button.dispatchEvent(new MouseEvent("click", init));
  }
  function peopleIn(fields, { exclude, chips } = {}) {
    const people = [];
    for (const field of fields) {
      if (exclude && (field === exclude || exclude.contains(field))) continue;
      for (const element of [field, ...field.querySelectorAll("*")]) {
        if (exclude?.contains(element)) continue;
        if (element.matches("input[type=hidden]")) {
          const address = findAddress(element.value);
          if (address) people.push({ name: nameBefore(element.value), address });
        } else if (element.matches("textarea, input")) {
          for (const part of (element.value || "").split(/[,;]/)) {
            const address = findAddress(part);
            if (address) people.push({ name: nameBefore(part), address });
          }
        } else {
          const address = addressInAttributes(element);
          const isChip = address || chips && element.matches(chips);
          if (!isChip || insideChip(element, field, chips)) continue;
          people.push({ name: displayName(element, address), address: address || addressInAttributesBelow(element) });
        }
      }
    }
    return uniqueRecipients(people);
  }
  function addressInAttributes(element) {
    for (const attribute of element.attributes) {
      if (attribute.name === "class" || attribute.name === "style") continue;
      const address = findAddress(attribute.value);
      if (address) return address;
    }
    return "";
  }
  function addressInAttributesBelow(element) {
    for (const child of element.querySelectorAll("*")) {
      const address = addressInAttributes(child);
      if (address) return address;
    }
    return "";
  }
  function insideChip(element, field, chips) {
    if (element === field) return false;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (addressInAttributes(parent) || chips && parent.matches(chips)) return true;
      if (parent === field) return false;
    }
    return false;
  }
  function displayName(element, address) {
    const named = element.getAttribute("data-name") || element.hasAttribute("email") && element.getAttribute("name") || "";
    const text = named || element.textContent.replace(/\s+/g, " ").trim();
    return text && text.toLowerCase() !== address ? text.replace(/<[^>]*>/g, "").trim() : "";
  }
  function nameBefore(text) {
    const lessThan = text.indexOf("<");
    return lessThan > 0 ? text.slice(0, lessThan).replace(/["']/g, "").trim() : "";
  }
  function uniqueRecipients(recipients) {
    const seen = /* @__PURE__ */ new Set();
    return recipients.filter(({ address, name }) => {
      const key = address || name;
      if (!key || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  function repliedSender(root, messages) {
    let found = null;
    for (const message of messages) {
      const before = message.root.contains(root) || message.root.compareDocumentPosition(root) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (before && !root.contains(message.root) && message.sender.address) found = message.sender;
    }
    return found;
  }
  function replySubject(threadSubject3) {
    const subject = (threadSubject3 || "").trim();
    if (!subject) return "";
    return /^(re|aw|sv|vs|r|antw|odp|ynt|回复|答复|返信)\s*[:：]/i.test(subject) ? subject : `Re: ${subject}`;
  }
  function isCtrlOrCmdEnter(event) {
    return event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
  }

  // extension/chrome/content/adapters/gmail.js
  var SELECTORS = {
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
    undo: "#link_undo"
  };
  var UNDO_WINDOW_MS = 3e4;
  var gmail = {
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
          foreign: SELECTORS.foreign
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
      isQuote: (element) => element.matches(SELECTORS.quote)
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
            address: (sender.getAttribute("email") || "").toLowerCase()
          },
          subject: threadSubject(doc),
          replyButton: () => root.querySelector(SELECTORS.replyButton)
        });
      }
      return messages;
    },
    /** The shown undo link of the toast after a send, if any. */
    undoControl(doc = document) {
      const link = doc.querySelector(SELECTORS.undo);
      return isShown(link) ? link : null;
    },
    pressButton
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
      subject: () => root.querySelector(SELECTORS.subject)?.value.trim() || root.querySelector(SELECTORS.hiddenSubject)?.value.trim() || replySubject(threadSubject(doc)),
      recipients: () => {
        const fields = [...root.querySelectorAll(SELECTORS.recipientFields)];
        let people = peopleIn(fields, { exclude: body });
        if (!people.length) people = peopleIn([...root.querySelectorAll(SELECTORS.looseChips)], { exclude: body });
        if (people.length) return people;
        const sender = repliedSender(root, gmail.findOpenMessages(doc));
        return sender ? [sender] : [];
      },
      sendButton: () => root.querySelector(SELECTORS.primarySend),
      sendOptionsButton: () => root.querySelector(SELECTORS.sendOptions)
    };
  }

  // extension/chrome/content/adapters/outlook.js
  var SELECTORS2 = {
    // The body editor of a new message, inline reply or pop-out: the multi-line
    // contenteditable inside Outlook's editor container (#editorParent_N); the recipient
    // wells are contenteditable too, but single-line. The English label comes last.
    composeBody: '[id^="editorParent"] div[contenteditable="true"], div[contenteditable="true"][aria-multiline="true"], div[contenteditable="true"][role="textbox"][aria-label^="Message body"]',
    // Send: the primary half of the send split button, div[data-testid="ComposeSendButton"];
    // the other half (aria-haspopup) opens "Schedule send". English labels come last.
    sendButton: '[data-testid="ComposeSendButton"] button:not([aria-haspopup]):not([aria-expanded]), button[aria-label="Send"], button[title^="Send ("]',
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
    replyButton: 'button[aria-label="Reply"], [data-testid="ReplyButton"], button[name="Reply"]'
  };
  var UNDO_WINDOW_MS2 = 1e4;
  var outlook = {
    name: "outlook",
    undoWindowMs: UNDO_WINDOW_MS2,
    findComposes(doc = document) {
      const composes = [];
      for (const body of composeBodies(doc, { bodySelector: SELECTORS2.composeBody, sendButton: SELECTORS2.sendMarkers })) {
        const root = composeRoot(body, {
          bodySelector: SELECTORS2.composeBody,
          sendButton: SELECTORS2.sendButton,
          fields: SELECTORS2.fields,
          foreign: SELECTORS2.foreign
        });
        if (root) composes.push(compose2(root, body, doc));
      }
      return composes;
    },
    sendButtonAt: (target) => closest2(target, SELECTORS2.sendButton),
    sendOptionsAt: (target) => closest2(target, SELECTORS2.sendOptions) || optionsBesideSend(target, SELECTORS2.sendButton),
    // Outlook's Schedule send lives in a menu outside the form; the send guard finds it
    // as the menu the form's send options button opened.
    scheduleSendAt: () => null,
    /** Ctrl/Cmd+Enter, and Alt+S, Outlook's own send shortcut (by key position, any layout). */
    isSendShortcut(event) {
      return isCtrlOrCmdEnter(event) || event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyS";
    },
    quotes: {
      isQuote: (element) => element.tagName === "BLOCKQUOTE",
      startsQuote: (element) => element.matches(SELECTORS2.quoteStart)
    },
    findOpenMessages(doc = document) {
      const messages = [];
      for (const body of doc.querySelectorAll(SELECTORS2.messageBody)) {
        if (!isShown(body) || body.closest('[contenteditable="true"]')) continue;
        const root = messageRoot(body);
        const chip = root?.querySelector(SELECTORS2.personaChip);
        if (!root || !chip) continue;
        const [sender] = peopleIn([chip.parentElement], { chips: SELECTORS2.personaChip });
        messages.push({
          root,
          body,
          sender: sender || { name: chip.textContent.trim(), address: "" },
          subject: threadSubject2(doc),
          replyButton: () => root.querySelector(SELECTORS2.replyButton)
        });
      }
      return messages;
    },
    /** Outlook's notice after a send, "Sent · Undo", has no stable hook: the send guard finds it by role. */
    undoControl: () => null,
    pressButton
  };
  function closest2(target, selector) {
    return target instanceof Element ? target.closest(selector) : null;
  }
  function threadSubject2(doc) {
    return doc.querySelector(SELECTORS2.threadSubject)?.textContent.trim() || "";
  }
  function messageRoot(body) {
    for (let element = body.parentElement, depth = 0; element && depth < 20; element = element.parentElement, depth++) {
      if (element.querySelector(SELECTORS2.personaChip)) return element;
    }
    return null;
  }
  function compose2(root, body, doc) {
    return {
      root,
      body,
      // An inline reply has no subject field: it answers the open conversation.
      subject: () => {
        const input = root.querySelector(SELECTORS2.subject) || otherInput(root, body);
        return input ? input.value : replySubject(threadSubject2(doc));
      },
      recipients: () => {
        const wells = [...root.querySelectorAll(SELECTORS2.wells)].filter((well) => well !== body && !body.contains(well));
        const chips = [...root.querySelectorAll(SELECTORS2.personaChip)].filter((chip) => !body.contains(chip) && !wells.some((well) => well.contains(chip))).map((chip) => chip.parentElement);
        const people = peopleIn([...wells, ...chips], { exclude: body, chips: SELECTORS2.personaChip });
        if (people.length) return people;
        const sender = repliedSender(root, outlook.findOpenMessages(doc));
        return sender ? [sender] : [];
      },
      sendButton: () => root.querySelector(SELECTORS2.sendButton),
      sendOptionsButton: () => root.querySelector(SELECTORS2.sendOptions)
    };
  }
  function otherInput(root, body) {
    const inputs = [...root.querySelectorAll('input:not([type]), input[type="text"]')].filter((input) => !body.contains(input));
    return inputs.length === 1 ? inputs[0] : null;
  }

  // extension/chrome/content/adapters/index.js
  var OUTLOOK_HOSTS = ["outlook.office.com", "outlook.office365.com", "outlook.live.com", "outlook.cloud.microsoft"];
  function adapterFor(origin = self.origin) {
    const host = new URL(origin).hostname;
    if (host === "mail.google.com") return gmail;
    if (OUTLOOK_HOSTS.includes(host)) return outlook;
    return null;
  }

  // extension/chrome/core/warnings.js
  var SEVERITIES = Object.freeze(["error", "warning", "info"]);
  var LABELS = Object.freeze({ error: "Error", warning: "Warning", info: "Tip" });
  function severityLabel(severity) {
    return LABELS[severity] || severity;
  }
  function severityCount(count2, severity) {
    return `${count2} ${severityLabel(severity).toLowerCase()}${count2 === 1 ? "" : "s"}`;
  }
  function severityCounts(warnings) {
    return SEVERITIES.map((severity) => [severity, warnings.filter((warning) => warning.severity === severity).length]);
  }
  function sortWarnings(warnings) {
    return warnings.slice().sort((a, b) => (a.field === "subject" ? 0 : 1) - (b.field === "subject" ? 0 : 1) || a.offset - b.offset || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  }

  // extension/chrome/content/card.js
  var GAP = 6;
  var MARGIN = 8;
  var HIDE_DELAY_MS = 250;
  function createCard(ui, layout) {
    const card = ui.add(ui.element("div", "card pmc-font"));
    card.hidden = true;
    card.setAttribute("role", "dialog");
    card.tabIndex = -1;
    let current = null;
    let hideTimer = 0;
    const reposition = () => {
      if (!current) return;
      const anchor = current.anchor();
      if (!anchor) return hide();
      const { left, top } = placement(anchor, (current.avoid?.() || []).filter(Boolean), card.offsetWidth || 340, card.offsetHeight);
      card.style.left = `${left}px`;
      card.style.top = `${top}px`;
    };
    layout.subscribe(reposition);
    function show({ owner, warning, anchor, avoid, onApply, onIgnore, onClose }) {
      cancelHide();
      const same = current && current.owner === owner && current.warning.key === warning.key;
      const previous = current;
      const next = { owner, warning, anchor, avoid, onApply, onIgnore, onClose };
      current = same ? { ...previous, ...next } : next;
      if (same) return reposition();
      previous?.onClose?.();
      render(warning);
      card.hidden = false;
      reposition();
    }
    function render(warning) {
      const { element } = ui;
      const suggestions = (warning.suggestions || []).map((text) => {
        if (!warning.length) return element("p", "try", `Try: “${text}”`);
        const button = element("button", "suggestion", `Replace with “${text}”`);
        button.addEventListener("click", () => current?.onApply(text));
        return button;
      });
      const ignore = element("button", "ignore", "Ignore in this email");
      ignore.addEventListener("click", () => current?.onIgnore());
      const why = warning.explanation || warning.source ? element(
        "details",
        "why",
        element("summary", "", "Why"),
        warning.explanation ? element("p", "explanation", warning.explanation) : null,
        warning.source ? element("p", "source", `Source: ${warning.source}`) : null
      ) : null;
      ui.fill(
        card,
        element("span", `severity ${warning.severity}`, severityLabel(warning.severity)),
        element("p", "message", warning.message),
        suggestions.length ? element("div", "suggestions", ...suggestions) : null,
        element("div", "actions", ignore, element("span", "hint", "Alt+Enter to reach · Esc to close")),
        why
      );
      why?.addEventListener("toggle", reposition);
      card.setAttribute("aria-label", `${severityLabel(warning.severity)}: ${warning.message}`);
    }
    function hide() {
      cancelHide();
      if (!current) return;
      const { onClose } = current;
      current = null;
      card.hidden = true;
      onClose?.();
    }
    function hideSoon() {
      cancelHide();
      hideTimer = setTimeout(() => {
        if (!card.matches(":hover") && !card.contains(ui.shadow.activeElement)) hide();
      }, HIDE_DELAY_MS);
    }
    function cancelHide() {
      clearTimeout(hideTimer);
    }
    card.addEventListener("mouseenter", cancelHide);
    card.addEventListener("mouseleave", hideSoon);
    card.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        current?.onEscape?.();
        hide();
      }
    });
    return {
      show,
      hide,
      hideSoon,
      get warning() {
        return current?.warning || null;
      },
      get owner() {
        return current?.owner || null;
      },
      /** Moves keyboard focus into the card; Escape hands it back through `onEscape`. */
      focus(onEscape) {
        if (!current) return;
        current.onEscape = onEscape;
        (card.querySelector("button") || card).focus();
      }
    };
  }
  function placement(anchor, avoid, width, height) {
    const clampLeft = (left2) => Math.min(Math.max(MARGIN, left2), innerWidth - width - MARGIN);
    const below = anchor.bottom + GAP;
    const above = anchor.top - GAP - height;
    const fits = (top) => top >= MARGIN && top + height <= innerHeight - MARGIN;
    const clear = (left2, top) => !avoid.some((r) => left2 < r.right && left2 + width > r.left && top < r.bottom && top + height > r.top);
    const left = clampLeft(anchor.left);
    for (const top of [below, above]) if (fits(top) && clear(left, top)) return { left, top };
    for (const top of [below, above]) {
      if (!fits(top)) continue;
      for (const r of avoid) {
        for (const shifted of [clampLeft(r.right + GAP), clampLeft(r.left - GAP - width)]) {
          if (clear(shifted, top)) return { left: shifted, top };
        }
      }
    }
    return { left, top: fits(below) || !fits(above) ? below : above };
  }

  // extension/chrome/core/dom/plain-text.js
  var BLOCK_TAGS = /* @__PURE__ */ new Set([
    "ADDRESS",
    "ARTICLE",
    "ASIDE",
    "BLOCKQUOTE",
    "DD",
    "DIV",
    "DL",
    "DT",
    "FIGURE",
    "FOOTER",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "HEADER",
    "HR",
    "LI",
    "OL",
    "P",
    "PRE",
    "SECTION",
    "TABLE",
    "TR",
    "UL"
  ]);
  var SKIPPED_TAGS = /* @__PURE__ */ new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IMG", "svg"]);
  function readPlainText(root, quotes = {}) {
    const parts = [];
    const segments = [];
    let length = 0;
    let atLineStart = true;
    let quoteDepth = 0;
    let quotedFromHereOn = false;
    const push = (str) => {
      parts.push(str);
      length += str.length;
    };
    const endLine = () => {
      if (length > 0 && !atLineStart) {
        push("\n");
        atLineStart = true;
      }
    };
    const text = (node) => {
      const data = node.data;
      let from = 0;
      while (from <= data.length) {
        const newline = data.indexOf("\n", from);
        const to = newline === -1 ? data.length : newline;
        if (to > from) {
          if (atLineStart && (quoteDepth || quotedFromHereOn)) push("> ");
          segments.push({ node, start: length, nodeStart: from, length: to - from });
          push(data.slice(from, to));
          atLineStart = false;
        }
        if (newline === -1) break;
        push("\n");
        atLineStart = true;
        from = newline + 1;
      }
    };
    const walk = (element) => {
      for (let node = element.firstChild; node; node = node.nextSibling) {
        if (node.nodeType === Node.TEXT_NODE) {
          if (node.data) text(node);
          continue;
        }
        if (node.nodeType !== Node.ELEMENT_NODE || SKIPPED_TAGS.has(node.tagName) || node.hidden) continue;
        if (node.tagName === "BR") {
          push("\n");
          atLineStart = true;
          continue;
        }
        if (!quotedFromHereOn && quotes.startsQuote?.(node)) quotedFromHereOn = true;
        const block = BLOCK_TAGS.has(node.tagName);
        const quoted = quotes.isQuote?.(node) || false;
        if (block) endLine();
        if (quoted) quoteDepth++;
        walk(node);
        if (quoted) quoteDepth--;
        if (block) endLine();
      }
    };
    walk(root);
    return { text: parts.join(""), segments };
  }
  function rangeFor({ segments }, offset, length) {
    if (length <= 0 || !segments.length) return null;
    const start2 = locate(segments, offset, false);
    const end = locate(segments, offset + length, true);
    if (!start2 || !end) return null;
    const range = new Range();
    range.setStart(start2.node, start2.offset);
    range.setEnd(end.node, end.offset);
    return range.collapsed ? null : range;
  }
  function locate(segments, offset, isEnd) {
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = low + high + 1 >> 1;
      if (segments[mid].start < offset || !isEnd && segments[mid].start === offset) low = mid;
      else high = mid - 1;
    }
    let segment = segments[low];
    if (isEnd) {
      if (offset <= segment.start) return null;
      const within = Math.min(offset - segment.start, segment.length);
      return { node: segment.node, offset: segment.nodeStart + within };
    }
    if (offset >= segment.start + segment.length) {
      segment = segments[low + 1];
      if (!segment) return null;
      return { node: segment.node, offset: segment.nodeStart };
    }
    if (offset < segment.start) return { node: segment.node, offset: segment.nodeStart };
    return { node: segment.node, offset: segment.nodeStart + (offset - segment.start) };
  }

  // extension/chrome/content/product.js
  var PRODUCT = "Pre-Match Email Coach";

  // extension/chrome/content/badge.js
  var GAP2 = 4;
  var STATE_TEXT = {
    connected: "Connected",
    "signed-out": "Not signed in",
    offline: "Offline",
    unconfigured: "Set up needed",
    "no-permission": "Allow server access",
    checking: "Checking…"
  };
  var STATE_HINT = {
    "signed-out": "Checks work, but nothing is remembered: add your token in the coach's settings.",
    offline: "The coach's server cannot be reached. Your email is not checked, and sending works as usual.",
    unconfigured: "Open the coach's settings to enter your school's server address.",
    "no-permission": "Open the coach's settings to allow access to your school's server."
  };
  function createBadge(ui, layout, { body, root, avoid, onOpenWarning, onOpenSettings }) {
    const { element } = ui;
    const badge = ui.add(element("button", "badge"));
    badge.type = "button";
    badge.setAttribute("aria-haspopup", "dialog");
    badge.setAttribute("aria-expanded", "false");
    const panel = ui.add(element("div", "panel pmc-font"));
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", PRODUCT);
    let model = { warnings: [], state: "checking", history: [] };
    const reposition = () => {
      const rect = body.getBoundingClientRect();
      const visibleBottom = Math.min(rect.bottom, innerHeight);
      badge.hidden = rect.height === 0 || visibleBottom - rect.top < 24;
      if (badge.hidden) {
        panel.hidden = true;
        return;
      }
      const { left, top } = badgePlace(rect, root.getBoundingClientRect(), avoid().filter(Boolean), badge.offsetWidth, badge.offsetHeight);
      badge.style.left = `${left}px`;
      badge.style.top = `${top}px`;
      if (!panel.hidden) {
        const badgeRect = badge.getBoundingClientRect();
        panel.style.left = `${Math.max(8, badgeRect.right - 360)}px`;
        const above = badgeRect.top - panel.offsetHeight - 6;
        panel.style.top = `${above >= 8 ? above : badgeRect.bottom + 6}px`;
      }
    };
    const unsubscribe = layout.subscribe(reposition);
    const unwatch = layout.watch(body);
    badge.addEventListener("click", () => {
      panel.hidden = !panel.hidden;
      badge.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) renderPanel();
      layout.schedule();
    });
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        panel.hidden = true;
        badge.focus();
      }
    });
    function renderBadge() {
      const counts = severityCounts(model.warnings);
      const parts = counts.filter(([, count2]) => count2).map(([severity, count2]) => element("span", `count ${severity}`, String(count2)));
      if (!parts.length && model.state !== "offline") parts.push(element("span", "count zero", "No issues"));
      const headline = model.history[0];
      ui.fill(
        badge,
        element("span", "brand"),
        ...parts,
        element("span", `state ${model.state}`, STATE_TEXT[model.state] || model.state),
        headline ? element("span", `history${headline.alert ? " alert" : ""}`, headline.text) : null
      );
      const summary = counts.map(([severity, count2]) => severityCount(count2, severity));
      badge.setAttribute("aria-label", `${PRODUCT}: ${summary.join(", ")}; ${STATE_TEXT[model.state] || model.state}`);
      badge.title = STATE_HINT[model.state] || PRODUCT;
    }
    function renderPanel() {
      const items = model.warnings.map((warning) => {
        const button = element(
          "button",
          "item",
          element("strong", "", `${severityLabel(warning.severity)}: `),
          warning.message,
          warning.field === "subject" ? element("span", "muted", " (subject)") : null
        );
        button.addEventListener("click", () => {
          panel.hidden = true;
          onOpenWarning(warning);
        });
        return element("li", "", button);
      });
      const history = model.history.map((line) => element("li", line.alert ? "history alert" : "", line.text));
      const settings = STATE_HINT[model.state] ? element("button", "", "Open settings") : null;
      settings?.addEventListener("click", onOpenSettings);
      ui.fill(
        panel,
        element("h2", "", "This email"),
        items.length ? element("ul", "", ...items) : element("p", "muted", "No warnings."),
        history.length ? element("h2", "", "This program") : null,
        history.length ? element("ul", "", ...history) : null,
        element("p", "muted", STATE_HINT[model.state] || `Server: ${STATE_TEXT[model.state] || model.state}`),
        settings
      );
    }
    return {
      update(changes) {
        model = { ...model, ...changes };
        renderBadge();
        if (!panel.hidden) renderPanel();
        layout.schedule();
      },
      destroy() {
        unsubscribe();
        unwatch();
        badge.remove();
        panel.remove();
      }
    };
  }
  function badgePlace(editor, frame, avoid, width, height) {
    const right = Math.min(editor.right, innerWidth) - 8;
    const left = Math.max(editor.left + 4, right - width);
    const bottomLimit = Math.min(frame.bottom, innerHeight);
    const clear = (top) => !avoid.some((r) => left < r.right && left + width > r.left && top < r.bottom && top + height > r.top);
    const below = editor.bottom + GAP2;
    if (below + height <= bottomLimit && clear(below)) return { left, top: below };
    const above = editor.top - GAP2 - height;
    if (above >= Math.max(frame.top, 0) && clear(above)) return { left, top: above };
    return { left, top: Math.min(editor.bottom, innerHeight) - height - 6 };
  }

  // extension/chrome/content/history.js
  var KIND_LABEL = {
    pre_interview: "pre-interview note",
    thank_you: "thank-you note",
    update: "update letter",
    letter_of_interest: "letter of interest",
    letter_of_intent: "letter of intent",
    inquiry: "inquiry",
    reply: "reply",
    other: "email"
  };
  var dateFormat = new Intl.DateTimeFormat(void 0, { day: "numeric", month: "short" });
  function day(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? "" : dateFormat.format(date);
  }
  function historyLines(summary) {
    if (!summary) return [];
    const lines = [];
    const programKey = summary.program?.key;
    const track = summary.program?.track;
    const claims = (summary.first_choice || []).filter((claim) => !track || !claim.track || claim.track === track);
    for (const claim of claims) {
      const name = claim.program?.name || claim.program?.key || "another program";
      const where = track || !claim.track ? "this track" : claim.track;
      if (programKey && claim.program?.key === programKey) {
        lines.push({ text: `You already told ${name} it is your #1 (${day(claim.at)})`, alert: false });
      } else {
        lines.push({ text: `#1 letter in ${where}: sent to ${name}, ${day(claim.at)}`, alert: true });
      }
    }
    const history = summary.history || [];
    if (history.length) {
      const [last] = history;
      const count2 = history.length > 1 ? ` (${history.length} emails so far)` : "";
      lines.push({ text: `Last contact: ${KIND_LABEL[last.kind] || "email"}, ${day(last.at)}${count2}`, alert: false });
    } else if (summary.program) {
      lines.push({ text: `No earlier email to ${summary.program.name}`, alert: false });
    }
    return lines.sort((a, b) => Number(b.alert) - Number(a.alert));
  }

  // extension/chrome/content/perf.js
  var CLEAR_EVERY = 500;
  var names = /* @__PURE__ */ new Set();
  var count = 0;
  function measure(name, start2, end = performance.now()) {
    performance.measure(name, { start: start2, end });
    names.add(name);
    if (++count >= CLEAR_EVERY) {
      count = 0;
      for (const used of names) performance.clearMeasures(used);
    }
  }

  // extension/chrome/content/service.js
  async function ask(type, payload = {}) {
    try {
      return await chrome.runtime.sendMessage({ type, ...payload }) || { ok: false, state: "offline" };
    } catch {
      return { ok: false, state: "offline" };
    }
  }

  // extension/chrome/content/compose-session.js
  var DEBOUNCE_MS = 400;
  var OFFLINE_RETRY_MS = [5e3, 1e4, 2e4, 4e4, 6e4];
  var NO_CHECKS = /* @__PURE__ */ new Set(["offline", "unconfigured", "no-permission"]);
  var nextId = 1;
  var ComposeSession = class {
    constructor(compose3, { adapter, painter, card, ui, layout }) {
      Object.assign(this, { compose: compose3, adapter, painter, card, layout });
      this.id = nextId++;
      this.body = compose3.body;
      this.version = 0;
      this.requestSeq = 0;
      this.inFlight = null;
      this.answered = null;
      this.warnings = [];
      this.ignored = /* @__PURE__ */ new Set();
      this.state = "checking";
      this.offlineRetries = 0;
      this.recipientsKey = null;
      this.history = [];
      this.listeners = new AbortController();
      this.badge = createBadge(ui, layout, {
        body: this.body,
        root: compose3.root,
        avoid: () => [compose3.sendButton()?.getBoundingClientRect()],
        onOpenWarning: (warning) => this.openFromBadge(warning),
        onOpenSettings: () => ask("options.open")
      });
      this.listen();
      this.check();
    }
    listen() {
      const options = { signal: this.listeners.signal, passive: true };
      this.compose.root.addEventListener("input", (event) => this.onInput(event), options);
      this.compose.root.addEventListener("focusout", () => this.onRecipientsMaybeChanged(), options);
      this.body.addEventListener("mousemove", (event) => this.onPointer(event), options);
      this.body.addEventListener("mouseleave", () => this.card.hideSoon(), options);
      this.body.addEventListener("keydown", (event) => this.onKeydown(event), { signal: this.listeners.signal });
    }
    onInput(event) {
      const start2 = performance.now();
      this.version++;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.check(), DEBOUNCE_MS);
      if (this.ownsCard() && this.body.contains(event.target)) this.card.hide();
      this.layout.schedule();
      measure("pmcoach:input", start2);
    }
    onRecipientsMaybeChanged() {
      const key = this.recipientsNow().join("\n");
      if (this.recipientsKey !== null && key !== this.recipientsKey) this.check();
    }
    recipientsNow() {
      return this.compose.recipients().map(formatRecipient);
    }
    read() {
      const model = readPlainText(this.body, this.adapter.quotes);
      const to = this.recipientsNow();
      return { model, draft: { text: model.text, subject: this.compose.subject(), to } };
    }
    /** Checks the draft now; resolves once this check's answer is applied or dropped. */
    async check() {
      clearTimeout(this.debounce);
      clearTimeout(this.retryTimer);
      const start2 = performance.now();
      const version = this.version;
      const { model, draft } = this.read();
      measure("pmcoach:read", start2);
      if (model.text.trim() && this.untouched() && !this.openingReported) {
        this.openingReported = true;
        ask("send.reopened", { draft });
      }
      if (!model.text.trim()) {
        this.requestSeq++;
        this.inFlight = null;
        this.applyWarnings([], model);
        this.answered = { version };
        if (this.state === "checking") this.setState(await ask("status"));
        return;
      }
      const requestId = ++this.requestSeq;
      const pending = ask("check", { composeId: this.id, draft });
      this.inFlight = pending;
      const answer = await pending;
      const receivedAt = performance.now();
      if (requestId !== this.requestSeq || this.disposed) return;
      this.inFlight = null;
      if (answer.aborted) return;
      this.setState(answer);
      if (!answer.ok || !answer.result) {
        this.applyWarnings([], model);
        this.answered = null;
        this.retryWhileOffline();
        return;
      }
      this.offlineRetries = 0;
      if (version !== this.version) return;
      this.applyWarnings(answer.result.warnings || [], model);
      this.answered = { version, program: answer.result.message?.program || null };
      measure("pmcoach:apply", receivedAt);
      requestAnimationFrame(() => setTimeout(() => measure("pmcoach:answer-to-paint", receivedAt)));
      this.refreshHistory(draft.to);
    }
    retryWhileOffline() {
      if (this.state !== "offline") return;
      const delay = OFFLINE_RETRY_MS[Math.min(this.offlineRetries++, OFFLINE_RETRY_MS.length - 1)];
      this.retryTimer = setTimeout(() => this.check(), delay);
    }
    setState(answer) {
      this.state = answer.state === "connected" && !answer.signedIn ? "signed-out" : answer.state || "offline";
      this.badge.update({ state: this.state });
    }
    applyWarnings(warnings, model) {
      const visible = [];
      const marks = [];
      for (const warning of warnings) {
        const flagged = warning.field === "text" ? model.text.slice(warning.offset, warning.offset + warning.length) : "";
        const key = `${warning.rule}\0${warning.field}\0${flagged}`;
        if (this.ignored.has(key)) continue;
        const range = warning.field === "text" ? rangeFor(model, warning.offset, warning.length) : null;
        visible.push({ ...warning, key, flagged, range });
        if (range) marks.push({ range, severity: warning.severity });
      }
      const openKey = this.card.owner === this ? this.card.warning?.key : null;
      this.warnings = sortWarnings(visible);
      this.painter.paint(this, marks);
      if (openKey) {
        const same = this.warnings.find((w) => w.key === openKey);
        if (same) this.showCard(same);
        else this.card.hide();
      }
      this.badge.update({ warnings: this.warnings });
    }
    async refreshHistory(to) {
      const key = to.join("\n");
      if (key === this.recipientsKey) return;
      this.recipientsKey = key;
      const addresses = this.compose.recipients().map((r) => r.address).filter(Boolean);
      if (!addresses.length || this.state !== "connected") {
        this.badge.update({ history: [] });
        return;
      }
      const answer = await ask("summary", { to: addresses });
      if (this.recipientsKey === key && !this.disposed) this.badge.update({ history: answer.ok ? historyLines(answer.summary) : [] });
    }
    onPointer(event) {
      const { clientX: x, clientY: y } = event;
      if (this.pointerFrame) return;
      this.pointerFrame = requestAnimationFrame(() => {
        this.pointerFrame = 0;
        const hit = this.warnings.find((warning) => warning.range && containsPoint(warning.range, x, y));
        if (hit) this.showCard(hit);
        else if (this.ownsCard()) this.card.hideSoon();
      });
    }
    /** The caret moved inside this editor: open the card of the warning it sits in. */
    onCaret(node, offset) {
      const hit = this.warnings.find((warning) => warning.range && warning.range.comparePoint(node, offset) === 0);
      if (hit?.key === this.dismissedKey) return;
      this.dismissedKey = null;
      if (hit) this.showCard(hit);
      else if (this.ownsCard()) this.card.hide();
    }
    onKeydown(event) {
      if (event.key === "Enter" && event.altKey && !event.ctrlKey && !event.metaKey && this.ownsCard()) {
        event.preventDefault();
        const selection = this.body.ownerDocument.getSelection();
        const saved = selection.rangeCount ? selection.getRangeAt(0).cloneRange() : null;
        const key = this.card.warning.key;
        this.card.focus(() => {
          this.dismissedKey = key;
          this.restoreFocus(saved);
        });
      } else if (event.key === "Escape" && this.ownsCard()) {
        this.dismissedKey = this.card.warning.key;
        this.card.hide();
      }
    }
    /** Whether the open card is one of this window's warnings (by key: a re-check makes new objects). */
    ownsCard() {
      const key = this.card.owner === this ? this.card.warning?.key : null;
      return Boolean(key && this.warnings.some((warning) => warning.key === key));
    }
    /** No input since the window opened. */
    untouched() {
      return this.version === 0;
    }
    restoreFocus(range) {
      this.body.focus({ preventScroll: true });
      if (!range) return;
      const selection = this.body.ownerDocument.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    showCard(warning) {
      this.card.show({
        owner: this,
        warning,
        anchor: () => anchorOf(warning, this.body),
        // The card never covers the Send button.
        avoid: () => [this.compose.sendButton()?.getBoundingClientRect()],
        onApply: (text) => this.applySuggestion(warning, text),
        onIgnore: () => this.ignore(warning),
        onClose: () => this.painter.setActive(null)
      });
      this.painter.setActive(warning.range);
    }
    openFromBadge(warning) {
      if (warning.range) warning.range.startContainer.parentElement?.scrollIntoView({ block: "nearest" });
      this.showCard(warning);
      this.card.focus(() => this.body.focus({ preventScroll: true }));
    }
    /**
     * Replaces the flagged words as typing would: select them, then insertText. The
     * editor sees ordinary beforeinput/input events, so the mail client's undo
     * stack and draft saving keep working and no text is duplicated.
     */
    applySuggestion(warning, text) {
      this.card.hide();
      if (!warning.range || warning.range.toString() !== warning.flagged) {
        this.check();
        return;
      }
      this.replaceWithTyping(warning.range.cloneRange(), text);
    }
    /** Types `text` at the start of the editor (a neutral reply above the quoted message). */
    insertAtStart(text) {
      const range = new Range();
      range.setStart(this.body, 0);
      this.replaceWithTyping(range, text);
    }
    replaceWithTyping(range, text) {
      const doc = this.body.ownerDocument;
      this.body.focus({ preventScroll: true });
      const selection = doc.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      doc.execCommand("insertText", false, text);
    }
    ignore(warning) {
      this.ignored.add(warning.key);
      this.card.hide();
      this.warnings = this.warnings.filter((w) => w.key !== warning.key);
      this.painter.paint(this, this.warnings.filter((w) => w.range).map(({ range, severity }) => ({ range, severity })));
      this.badge.update({ warnings: this.warnings });
    }
    // --- what the send guard asks ---------------------------------------------
    /** "errors", "clean", or "unknown" when the last answer is older than the text. */
    sendVerdict() {
      if (NO_CHECKS.has(this.state)) return "clean";
      if (!this.answered || this.answered.version !== this.version || this.inFlight) return "unknown";
      return this.errors().length ? "errors" : "clean";
    }
    errors() {
      return this.warnings.filter((warning) => warning.severity === "error");
    }
    /** Checks now, waiting at most `timeoutMs`; then the verdict ("unknown" counts as clean). */
    async verdictNow(timeoutMs) {
      await Promise.race([this.check(), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
      const verdict = this.sendVerdict();
      return verdict === "unknown" ? "clean" : verdict;
    }
    focusWarning(warning) {
      if (!warning.range) {
        this.body.focus();
        return;
      }
      const range = warning.range.cloneRange();
      this.restoreFocus(range);
      range.startContainer.parentElement?.scrollIntoView({ block: "nearest" });
      this.showCard(warning);
    }
    ledgerEvent() {
      const { draft } = this.read();
      return { event_id: crypto.randomUUID(), type: "sent", ...draft, at: (/* @__PURE__ */ new Date()).toISOString() };
    }
    isOpen() {
      return this.body.isConnected && this.compose.root.isConnected && this.compose.root.getClientRects().length > 0;
    }
    dispose() {
      this.disposed = true;
      clearTimeout(this.debounce);
      clearTimeout(this.retryTimer);
      this.listeners.abort();
      if (this.ownsCard()) this.card.hide();
      this.painter.clear(this);
      this.badge.destroy();
    }
  };
  function containsPoint(range, x, y) {
    for (const rect of range.getClientRects()) {
      if (x >= rect.left && x <= rect.right && y >= rect.top - 2 && y <= rect.bottom + 3) return true;
    }
    return false;
  }
  function anchorOf(warning, body) {
    if (warning.range?.getClientRects().length) return warning.range.getBoundingClientRect();
    if (!body.isConnected) return null;
    const box = body.getBoundingClientRect();
    const bottom = Math.min(box.bottom, innerHeight) - 40;
    return new DOMRect(Math.max(box.left, box.right - 360), bottom - 10, 10, 10);
  }

  // extension/chrome/core/dom/highlight-painter.js
  function createHighlightPainter() {
    const layers = /* @__PURE__ */ new Map();
    SEVERITIES.forEach((severity, index) => {
      const highlight = new Highlight();
      highlight.priority = SEVERITIES.length - index;
      CSS.highlights.set(`pmcoach-${severity}`, highlight);
      layers.set(severity, highlight);
    });
    const active = new Highlight();
    active.priority = 10;
    CSS.highlights.set("pmcoach-active", active);
    const painted = /* @__PURE__ */ new Map();
    const clear = (owner) => {
      for (const { range, severity } of painted.get(owner) || []) layers.get(severity).delete(range);
      painted.delete(owner);
    };
    return {
      /** Replaces `owner`'s underlines with `marks` ({range, severity}). */
      paint(owner, marks) {
        clear(owner);
        for (const { range, severity } of marks) layers.get(severity).add(range);
        painted.set(owner, marks);
      },
      clear,
      /** Shades the warning whose card is open. */
      setActive(range) {
        active.clear();
        if (range) active.add(range);
      }
    };
  }

  // extension/chrome/content/inbound-banner.js
  var PRESSURE = "inbound.program-pressure";
  var NEUTRAL_REPLY = "Thank you for your message and for your interest in my application. I will be finalizing my rank list independently, as per NRMP guidelines, so I am not able to share how I will rank programs or where else I have applied. I remain very interested in your program.";
  function createInboundWatcher({ adapter, ui, openReply }) {
    const checked = /* @__PURE__ */ new WeakSet();
    const notes = /* @__PURE__ */ new Map();
    async function check(message) {
      const { text } = readPlainText(message.body, adapter.quotes);
      if (!text.trim()) return;
      checked.add(message.body);
      const answer = await ask("inbound", {
        draft: { text, subject: message.subject, from: formatRecipient(message.sender) }
      });
      const pressure = (answer.result?.warnings || []).filter((warning) => warning.category === PRESSURE);
      if (pressure.length && message.body.isConnected) show(message, pressure);
    }
    function show(message, warnings) {
      const { element } = ui;
      const reply = element("button", "primary", "Reply with this text");
      const dismiss = element("button", "", "Dismiss");
      const heading = warnings.length === 1 ? "This message asks for something NRMP rules do not allow" : `This message asks for ${warnings.length} things NRMP rules do not allow`;
      const banner = element(
        "div",
        "banner pmc-font",
        element("p", "brand-line", element("span", "brand"), PRODUCT),
        element("h2", "", heading),
        element(
          "ul",
          "issues",
          ...warnings.map(
            (warning) => element(
              "li",
              "",
              element("strong", "", warning.message),
              warning.explanation ? ` ${warning.explanation}` : "",
              warning.source ? element("span", "source", ` Source: ${warning.source}`) : null
            )
          )
        ),
        element("p", "", "You do not have to answer. A neutral reply: ", element("em", "", `“${NEUTRAL_REPLY}”`)),
        element("div", "actions", reply, dismiss)
      );
      banner.setAttribute("role", "region");
      banner.setAttribute("aria-label", `${PRODUCT}: about this message`);
      notes.set(message.body, { banner, note: ui.inFlow(message.body, banner) });
      const close = () => {
        notes.get(message.body)?.note.remove();
        notes.delete(message.body);
      };
      dismiss.addEventListener("click", close);
      reply.addEventListener("click", () => {
        close();
        openReply(message, NEUTRAL_REPLY);
      });
    }
    return {
      scan() {
        for (const [body, shown] of notes) {
          if (!body.isConnected) notes.delete(body);
          else if (!shown.note.isConnected) shown.note = ui.inFlow(body, shown.banner);
        }
        for (const message of adapter.findOpenMessages()) if (!checked.has(message.body)) check(message);
      }
    };
  }

  // extension/chrome/content/layout-loop.js
  function createLayoutLoop(win = window) {
    const subscribers = /* @__PURE__ */ new Set();
    let frame = 0;
    const run = () => {
      frame = 0;
      const start2 = performance.now();
      for (const subscriber of subscribers) subscriber();
      if (subscribers.size) measure("pmcoach:layout", start2);
    };
    const schedule = () => {
      if (!frame) frame = win.requestAnimationFrame(run);
    };
    const resizes = new ResizeObserver(schedule);
    win.addEventListener("scroll", schedule, { capture: true, passive: true });
    win.addEventListener("resize", schedule, { passive: true });
    win.addEventListener("transitionend", schedule, { capture: true, passive: true });
    win.addEventListener("animationend", schedule, { capture: true, passive: true });
    return {
      schedule,
      /** Calls `reposition` on every layout change until the returned function is called. */
      subscribe(reposition) {
        subscribers.add(reposition);
        schedule();
        return () => subscribers.delete(reposition);
      },
      watch(element) {
        resizes.observe(element);
        return () => resizes.unobserve(element);
      }
    };
  }

  // extension/chrome/content/overlay-painter.js
  function createOverlayPainter(ui, layout) {
    const layer = ui.add(ui.element("div", "layer"));
    const painted = /* @__PURE__ */ new Map();
    let activeBox = null;
    const draw = () => {
      const boxes = [];
      for (const { clip, marks } of painted.values()) {
        const visible = clip.getBoundingClientRect();
        for (const { range, severity } of marks) {
          for (const rect of range.getClientRects()) {
            if (rect.bottom < visible.top || rect.top > visible.bottom || rect.width === 0) continue;
            const left = Math.max(rect.left, visible.left);
            const right = Math.min(rect.right, visible.right);
            if (right <= left) continue;
            const box = ui.element("div", `underline ${severity}`);
            box.style.cssText = `left:${left}px;top:${rect.bottom - 2}px;width:${right - left}px`;
            boxes.push(box);
          }
        }
      }
      if (activeBox) boxes.push(...activeBox());
      layer.replaceChildren(...boxes);
    };
    layout.subscribe(draw);
    return {
      paint(owner, marks) {
        painted.set(owner, { clip: owner.body, marks });
        layout.schedule();
      },
      clear(owner) {
        painted.delete(owner);
        layout.schedule();
      },
      setActive(range) {
        activeBox = range ? () => [...range.getClientRects()].map((rect) => {
          const box = ui.element("div", "underline active");
          box.style.cssText = `left:${rect.left}px;top:${rect.top}px;width:${rect.width}px;height:${rect.height}px;background:rgba(26,115,232,.16)`;
          return box;
        }) : null;
        layout.schedule();
      }
    };
  }

  // extension/chrome/content/notices.js
  function createNotices(ui) {
    const { element } = ui;
    function show(...children) {
      const close = element("button", "", "Dismiss");
      const brand = element("p", "brand-line", element("span", "brand"), PRODUCT);
      const notice = ui.add(element("div", "notice pmc-font", brand, ...children, element("div", "actions", close)));
      notice.setAttribute("role", "alert");
      close.addEventListener("click", () => notice.remove());
      return notice;
    }
    return {
      /** A send the server refused: not in the ledger, why, and where to fix it. */
      unrecorded(event, rejected) {
        const fix = element("button", "primary", "Fix in settings");
        const to = (event.to || []).join(", ") || "no recipient";
        const notice = show(
          element("p", "", element("strong", "", "This email was sent, but it is not in your ledger yet.")),
          element("p", "", `“${event.subject || "(no subject)"}” to ${to}: ${rejected.message}`),
          element("p", "muted", "It is kept in the coach until you fix it, so your history with this program stays true.")
        );
        notice.querySelector(".actions").prepend(fix);
        fix.addEventListener("click", () => {
          notice.remove();
          ask("options.open");
        });
      }
    };
  }

  // extension/chrome/content/send-dialog.js
  function createSendDialog(ui) {
    const { element } = ui;
    let current = null;
    return {
      isOpen: () => Boolean(current?.isConnected),
      open({ errors, onEdit, onSendAnyway }) {
        const edit = element("button", "primary", "Edit");
        const sendAnyway = element("button", "danger", "Send anyway");
        const heading = element("h2", "", errors.length === 1 ? "This email still has 1 error" : `This email still has ${errors.length} errors`);
        heading.id = "pmcoach-send-title";
        const why = element("p", "muted", `${PRODUCT} held this email before it left. Nothing has been sent; you decide.`);
        why.id = "pmcoach-send-why";
        const dialog = element(
          "div",
          "dialog pmc-font",
          element("p", "brand-line", element("span", "brand"), PRODUCT),
          heading,
          why,
          element(
            "ul",
            "",
            ...errors.map(
              (error) => element("li", "", element("strong", "", error.message), error.flagged ? element("span", "quote", ` “${error.flagged}”`) : null)
            )
          ),
          element("div", "actions", sendAnyway, edit)
        );
        dialog.setAttribute("role", "alertdialog");
        dialog.setAttribute("aria-modal", "true");
        dialog.setAttribute("aria-labelledby", heading.id);
        dialog.setAttribute("aria-describedby", why.id);
        current = ui.add(element("div", "backdrop", dialog));
        const close = (then) => {
          current?.remove();
          current = null;
          then();
        };
        edit.addEventListener("click", () => close(onEdit));
        sendAnyway.addEventListener("click", () => close(onSendAnyway));
        dialog.addEventListener("keydown", (event) => {
          if (event.key === "Escape") close(onEdit);
          if (event.key === "Tab") {
            event.preventDefault();
            (ui.shadow.activeElement === edit ? sendAnyway : edit).focus();
          }
        });
        edit.focus();
      }
    };
  }

  // extension/chrome/content/send-guard.js
  var GESTURE_MS = 1e3;
  var MENU_MS = 6e4;
  var CHECK_AT_SEND_MS = 1500;
  var PRESS_KEYS = /* @__PURE__ */ new Set(["Enter", " "]);
  var MENU_ITEM = '[role="menuitem"], [role="menuitemradio"], [role="menuitemcheckbox"]';
  function installSendGuard({ adapter, sessionAt, dialog, recorder, win = window }) {
    let bypass = false;
    let held = null;
    const allowed = /* @__PURE__ */ new WeakMap();
    const recorded = /* @__PURE__ */ new WeakMap();
    let options = null;
    function controlAt(target) {
      if (!(target instanceof Element)) return null;
      const send = adapter.sendButtonAt(target);
      if (send) return at("send", send);
      const trigger = adapter.sendOptionsAt(target);
      if (trigger) return at("options", trigger);
      const item = adapter.scheduleSendAt(target) || openMenuItem(target);
      if (item) return at("schedule", item, sessionAt(item) || options?.session);
      return null;
    }
    function at(path, control, session = sessionAt(control)) {
      return session ? { path, control, session } : null;
    }
    function openMenuItem(target) {
      const item = target.closest(MENU_ITEM);
      const trigger = options?.trigger;
      if (!item || !trigger?.isConnected || trigger.getAttribute("aria-expanded") !== "true") return null;
      const menuId = trigger.getAttribute("aria-controls") || trigger.getAttribute("aria-owns");
      const menu = menuId ? trigger.ownerDocument.getElementById(menuId) : item.closest('[role="menu"]');
      return menu?.contains(item) ? item : null;
    }
    function onPointer(event) {
      if (bypass || event.button !== 0) return;
      const found = controlAt(event.target);
      if (found) decide(event, found);
    }
    function onKey(event) {
      if (bypass) return;
      const found = controlAt(event.target);
      if (found && PRESS_KEYS.has(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        if (event.type === "keydown" && event.repeat) return stopIfHeld(event, found);
        return decide(event, found);
      }
      if (event.type !== "keydown" || event.repeat || !adapter.isSendShortcut(event)) return;
      const session = sessionAt(event.target);
      if (session) decide(event, { path: "send", control: null, session });
    }
    function stopIfHeld(event, { session, path }) {
      if (isHeld(session, path, performance.now()) || dialog.isOpen()) stop(event);
    }
    function decide(event, { path, control, session }) {
      const now = performance.now();
      if (path === "options") {
        if (!dialog.isOpen()) options = { session, trigger: control };
        return;
      }
      if (dialog.isOpen() || isHeld(session, path, now)) return stop(event);
      if ((allowed.get(session)?.[path] || 0) > now) return went(session, path, now);
      const verdict = session.sendVerdict();
      if (verdict === "clean") {
        allow(session, path, now + GESTURE_MS);
        return went(session, path, now);
      }
      stop(event);
      held = { session, path, until: now + GESTURE_MS };
      const ask2 = () => confirmWithUser(session, path, control);
      if (verdict === "errors") ask2();
      else session.verdictNow(CHECK_AT_SEND_MS).then((later) => later === "errors" ? ask2() : goAhead(session, path, control));
    }
    function isHeld(session, path, now) {
      return held?.session === session && held.path === path && now < held.until;
    }
    function allow(session, path, until) {
      allowed.set(session, { ...allowed.get(session), [path]: until });
    }
    function went(session, path, now) {
      if (path === "options") return;
      const last = recorded.get(session)?.[path] || -Infinity;
      if (now - last < GESTURE_MS) return;
      recorded.set(session, { ...recorded.get(session), [path]: now });
      recorder.record(session, { scheduled: path === "schedule" });
    }
    function confirmWithUser(session, path, control) {
      const errors = session.errors();
      dialog.open({
        errors,
        onEdit: () => {
          held = null;
          session.focusWarning(errors[0]);
        },
        onSendAnyway: () => goAhead(session, path, control)
      });
    }
    function goAhead(session, path, control) {
      held = null;
      if (!session.isOpen()) return;
      const now = performance.now();
      let target = control;
      if (path === "send") target = session.compose.sendButton();
      if (path === "schedule" && !isShown(control)) {
        target = session.compose.sendOptionsButton?.();
        path = "options";
      }
      if (!target) return;
      allow(session, path, now + GESTURE_MS);
      if (path === "options") {
        options = { session, trigger: target };
        allow(session, "schedule", now + MENU_MS);
      }
      went(session, path, now);
      bypass = true;
      try {
        adapter.pressButton(target);
      } finally {
        bypass = false;
      }
    }
    for (const type of ["mousedown", "mouseup", "click"]) win.addEventListener(type, onPointer, true);
    win.addEventListener("keydown", onKey, true);
    win.addEventListener("keyup", onKey, true);
  }
  function stop(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  // extension/chrome/shared/same-draft.js
  function sameDraft(a, b) {
    if (textOf(a) !== textOf(b)) return false;
    const [first, second] = [addressesOf(a), addressesOf(b)];
    return !first.length || !second.length || first.join(",") === second.join(",");
  }
  function textOf({ text }) {
    return (text || "").replace(/\s+/g, " ").trim();
  }
  function addressesOf({ to }) {
    return (to || []).map((recipient) => findAddress(recipient)).filter(Boolean).sort();
  }

  // extension/chrome/content/send-record.js
  var POLL_MS = 100;
  var OUTCOME_MS = 8e3;
  var SCHEDULE_OUTCOME_MS = 12e4;
  var NOTICE_MS = 3e3;
  var REOPEN_MS = 600;
  var LIVE_REGION = '[role="alert"], [role="status"], [aria-live="assertive"], [aria-live="polite"]';
  var CONTROL = 'button, [role="button"], [role="link"], a[href]';
  function createSendRecorder({ adapter, openSessions, notices, doc = document }) {
    async function record(session, { scheduled = false } = {}) {
      const event = session.ledgerEvent();
      const outcomeMs = scheduled ? SCHEDULE_OUTCOME_MS : OUTCOME_MS;
      const before = new Set(noticeControls());
      const stored = await ask("send.hold", { event, holdMs: outcomeMs + NOTICE_MS + adapter.undoWindowMs + REOPEN_MS });
      if (!stored.recorded) return;
      const eventId = event.event_id;
      if (!await closesWithin(session, outcomeMs)) {
        ask("send.cancel", { eventId });
        return;
      }
      await undoWindowPassed(before);
      await wait(REOPEN_MS);
      if (reopened(event)) {
        ask("send.cancel", { eventId });
        return;
      }
      const outcome = await ask("send.confirm", { eventId });
      if (outcome.rejected) notices.unrecorded(event, outcome.rejected);
    }
    function undoControl(before) {
      return adapter.undoControl(doc) || noticeControls().find((control) => !before.has(control)) || null;
    }
    function noticeControls() {
      return [...doc.querySelectorAll(LIVE_REGION)].flatMap((region) => [...region.querySelectorAll(CONTROL)]).filter(isVisible);
    }
    async function undoWindowPassed(before) {
      const started = performance.now();
      let control = null;
      while (!(control = undoControl(before)) && performance.now() - started < NOTICE_MS) await wait(POLL_MS);
      while (control && isVisible(control) && performance.now() - started < adapter.undoWindowMs + NOTICE_MS) await wait(POLL_MS);
    }
    function reopened(event) {
      return openSessions().some((session) => session.untouched() && sameDraft(session.read().draft, event));
    }
    return { record };
  }
  function closesWithin(session, timeoutMs) {
    const started = performance.now();
    return new Promise((resolve) => {
      const poll = setInterval(() => {
        const closed = !session.isOpen();
        if (!closed && performance.now() - started < timeoutMs) return;
        clearInterval(poll);
        resolve(closed);
      }, POLL_MS * 2);
    });
  }
  function wait(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // extension/chrome/content/ui-root.js
  var HOST_ATTRIBUTE = "data-pmcoach-ui";
  var IN_FLOW_ATTRIBUTE = "data-pmcoach-note";
  async function createUiRoot(doc = document) {
    const host = doc.createElement("div");
    host.setAttribute(HOST_ATTRIBUTE, "");
    host.style.cssText = "all: initial; position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483000;";
    const shadow = host.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(await (await fetch(chrome.runtime.getURL("content/ui.css"))).text());
    shadow.adoptedStyleSheets = [sheet];
    doc.documentElement.prepend(host);
    return {
      shadow,
      /** A new element with `className` and children (nodes or text; null and undefined are left out). */
      element(tag, className, ...children) {
        const element = doc.createElement(tag);
        if (className) element.className = className;
        element.append(...present(children));
        return element;
      },
      /** Replaces an element's children, leaving out null and undefined. */
      fill(element, ...children) {
        element.replaceChildren(...present(children));
      },
      add(element) {
        shadow.append(element);
        return element;
      },
      /** Shows `content` in the page's flow just before `anchor`; returns the host element to remove. */
      inFlow(anchor, content) {
        const note = doc.createElement("div");
        note.setAttribute(HOST_ATTRIBUTE, "");
        note.setAttribute(IN_FLOW_ATTRIBUTE, "");
        note.style.cssText = "all: initial; display: block; margin: 0 0 12px;";
        const root = note.attachShadow({ mode: "open" });
        root.adoptedStyleSheets = [sheet];
        root.append(content);
        anchor.before(note);
        return note;
      }
    };
  }
  function present(children) {
    return children.filter((child) => child != null);
  }

  // extension/chrome/content/main.js
  var SCAN_INTERVAL_MS = 150;
  var REPLY_WAIT_MS = 5e3;
  start().catch((error) => {
    console.error(`${PRODUCT} did not start:`, error?.message || error);
  });
  async function start() {
    const adapter = adapterFor();
    if (!adapter) return;
    const ui = await createUiRoot();
    const layout = createLayoutLoop();
    const painter = "highlights" in CSS ? createHighlightPainter() : createOverlayPainter(ui, layout);
    const card = createCard(ui, layout);
    const sessions = /* @__PURE__ */ new Map();
    const sessionWaiters = /* @__PURE__ */ new Set();
    const knownSessionAt = (element) => {
      for (const session of sessions.values()) if (session.compose.root.contains(element)) return session;
      return null;
    };
    const sessionAt = (element) => {
      let session = knownSessionAt(element);
      if (!session) {
        scan();
        session = knownSessionAt(element);
      }
      return session;
    };
    const inbound = createInboundWatcher({
      adapter,
      ui,
      openReply: async (message, text) => {
        const button = message.replyButton();
        if (!button) return;
        const opened = nextSession();
        adapter.pressButton(button);
        (await opened)?.insertAtStart(text);
      }
    });
    function nextSession() {
      return new Promise((resolve) => {
        const waiter = (session) => {
          clearTimeout(timer);
          sessionWaiters.delete(waiter);
          resolve(session);
        };
        const timer = setTimeout(() => waiter(null), REPLY_WAIT_MS);
        sessionWaiters.add(waiter);
      });
    }
    function scan() {
      const found = new Map(adapter.findComposes().map((compose3) => [compose3.body, compose3]));
      for (const [body, session] of sessions) {
        if (!found.has(body) || !body.isConnected) {
          session.dispose();
          sessions.delete(body);
        }
      }
      for (const [body, compose3] of found) {
        if (sessions.has(body)) continue;
        const session = new ComposeSession(compose3, { adapter, painter, card, ui, layout });
        sessions.set(body, session);
        for (const waiter of [...sessionWaiters]) waiter(session);
      }
      inbound.scan();
    }
    let scanTimer = 0;
    const scheduleScan = () => {
      scanTimer ||= setTimeout(() => {
        scanTimer = 0;
        scan();
      }, SCAN_INTERVAL_MS);
    };
    const insideEditor = (node) => {
      for (const body of sessions.keys()) if (body.contains(node)) return true;
      return false;
    };
    new MutationObserver((records) => {
      const start2 = performance.now();
      if (!records.every((record) => insideEditor(record.target))) {
        scheduleScan();
        layout.schedule();
      }
      measure("pmcoach:observe", start2);
    }).observe(document.body, { childList: true, subtree: true });
    scan();
    document.addEventListener("selectionchange", () => {
      const start2 = performance.now();
      const selection = document.getSelection();
      if (!selection?.isCollapsed || !selection.focusNode) return;
      sessions.get(closestBody(selection.focusNode, sessions))?.onCaret(selection.focusNode, selection.focusOffset);
      measure("pmcoach:caret", start2);
    });
    const recorder = createSendRecorder({ adapter, openSessions: () => [...sessions.values()], notices: createNotices(ui) });
    installSendGuard({ adapter, sessionAt, dialog: createSendDialog(ui), recorder });
  }
  function closestBody(node, sessions) {
    for (let element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement; element; element = element.parentElement) {
      if (sessions.has(element)) return element;
    }
    return null;
  }
})();
