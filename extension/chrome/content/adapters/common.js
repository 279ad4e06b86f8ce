// DOM helpers both mail-client adapters share: how a compose window's root is found
// from its editor, how the people in its recipient fields are read, and how a reply
// falls back on its conversation. No selector of either client lives here.

import { findAddress } from "../../core/addresses.js";

const MAX_DEPTH = 40;

/**
 * The compose window an editor belongs to, found by structure rather than by labels:
 * the nearest ancestor that holds the editor, a Send button and the window's own
 * fields (recipients, subject) or is the client's compose container (`outer`). The
 * climb stops below anything that holds another editor or a received message
 * (`foreign`), so an inline reply never swallows its conversation. Without its fields
 * in reach, the largest container below that limit that holds a Send button is used.
 */
export function composeRoot(body, { bodySelector, sendButton, fields, outer, foreign }) {
  let withSend = null;
  for (let element = body.parentElement, depth = 0; element && depth < MAX_DEPTH; element = element.parentElement, depth++) {
    if (element === element.ownerDocument.body || containsOutside(element, bodySelector, body)) break;
    if (foreign && containsOutside(element, foreign, body)) break;
    if (element.querySelector(sendButton)) {
      withSend = element;
      if ((outer && element.matches(outer)) || containsOutside(element, fields, body)) return element;
    }
  }
  return withSend;
}

/**
 * The editors of the compose windows a page shows, found two ways: by the client's own
 * markers (`bodySelector`), and from each Send button, as the tallest contenteditable of
 * the nearest ancestor that has one (a window's body is taller than its recipient fields),
 * for builds where the markers differ.
 */
export function composeBodies(doc, { bodySelector, sendButton }) {
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
      (editor) => !editor.parentElement?.closest('[contenteditable="true"]'),
    );
    if (editors.length) return editors.reduce((tallest, e) => (e.offsetHeight > tallest.offsetHeight ? e : tallest));
  }
  return null;
}

/**
 * The arrow beside a Send button that opens more ways to send (Schedule send): a popup
 * button right after Send, or right after the group that holds it.
 */
export function optionsBesideSend(target, sendButton) {
  const trigger = target instanceof Element ? target.closest('[aria-haspopup]:not([aria-haspopup="false"])') : null;
  if (!trigger || trigger.matches(sendButton)) return null;
  for (const before of [trigger.previousElementSibling, trigger.parentElement?.previousElementSibling]) {
    if (before && (before.matches(sendButton) || before.querySelector(sendButton))) return trigger;
  }
  return null;
}

/** Whether `root` holds an element matching `selector` that is not `body` or inside it. */
export function containsOutside(root, selector, body) {
  for (const element of root.querySelectorAll(selector)) if (element !== body && !body.contains(element)) return true;
  return false;
}

/** Whether an element takes up space on screen (closed and minimised windows do not). */
export function isShown(element) {
  return Boolean(element?.isConnected && element.getClientRects().length);
}

/** Whether the student can see it: shown, and not made invisible or transparent (a toast fading out). */
export function isVisible(element) {
  if (!isShown(element)) return false;
  return element.checkVisibility ? element.checkVisibility({ visibilityProperty: true, opacityProperty: true }) : true;
}

/** Clicks the way a pointer does: both clients act on mousedown/mouseup as well as click. */
export function pressButton(button) {
  const rect = button.getBoundingClientRect();
  const init = {
    bubbles: true, cancelable: true, composed: true, view: window, button: 0,
    clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2,
  };
  button.dispatchEvent(new MouseEvent("mousedown", { ...init, buttons: 1 }));
  button.dispatchEvent(new MouseEvent("mouseup", init));
  button.dispatchEvent(new MouseEvent("click", init));
}

/**
 * The people in recipient fields, in order, as {name, address}. A person is an element
 * whose attributes hold an address (a chip: Gmail's data-hovercard-id or email, Outlook's
 * title or aria-label, whichever the build uses) with its display name from data-name,
 * name or its text; a hidden input holding "Name <address>" (Gmail's older chips); or an
 * address typed into a text field and not yet turned into a chip. `chips` also counts
 * elements that show a person without any address (Outlook's persona cards in some
 * tenants): they give the display name alone.
 */
export function peopleIn(fields, { exclude, chips } = {}) {
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
        const isChip = address || (chips && element.matches(chips));
        // A chip's wrapper and its inner parts often repeat the address: the outermost counts.
        if (!isChip || insideChip(element, field, chips)) continue;
        people.push({ name: displayName(element, address), address: address || addressInAttributesBelow(element) });
      }
    }
  }
  return uniqueRecipients(people);
}

/** The first address any attribute of the element holds (names vary by build and language). */
export function addressInAttributes(element) {
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
    if (addressInAttributes(parent) || (chips && parent.matches(chips))) return true;
    if (parent === field) return false;
  }
  return false;
}

function displayName(element, address) {
  const named = element.getAttribute("data-name") || (element.hasAttribute("email") && element.getAttribute("name")) || "";
  const text = named || element.textContent.replace(/\s+/g, " ").trim();
  return text && text.toLowerCase() !== address ? text.replace(/<[^>]*>/g, "").trim() : "";
}

function nameBefore(text) {
  const lessThan = text.indexOf("<");
  return lessThan > 0 ? text.slice(0, lessThan).replace(/["']/g, "").trim() : "";
}

export function uniqueRecipients(recipients) {
  const seen = new Set();
  return recipients.filter(({ address, name }) => {
    const key = address || name;
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Whom a reply without readable recipients answers: the sender of the conversation's
 * message it sits in or comes after, as the client's own reply would address it.
 */
export function repliedSender(root, messages) {
  let found = null;
  for (const message of messages) {
    const before = message.root.contains(root) || message.root.compareDocumentPosition(root) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (before && !root.contains(message.root) && message.sender.address) found = message.sender;
  }
  return found;
}

/** "Re: " and the conversation's subject, unless it already says so. */
export function replySubject(threadSubject) {
  const subject = (threadSubject || "").trim();
  if (!subject) return "";
  return /^(re|aw|sv|vs|r|antw|odp|ynt|回复|答复|返信)\s*[:：]/i.test(subject) ? subject : `Re: ${subject}`;
}

export function isCtrlOrCmdEnter(event) {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
}
