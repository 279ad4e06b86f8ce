// Small DOM helpers both mail-client adapters share; no selectors live here.

import { findAddress } from "../../core/addresses.js";

/** The nearest ancestor of `start` that also contains a `selector` match: a compose or message root. */
export function ancestorContaining(start, selector, maxDepth = 30) {
  let element = start.parentElement;
  for (let depth = 0; element && depth < maxDepth; depth++, element = element.parentElement) {
    if (element.querySelector(selector)) return element;
  }
  return null;
}

/** Whether an element takes up space on screen (closed and minimised windows do not). */
export function isShown(element) {
  return Boolean(element?.isConnected && element.getClientRects().length);
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

/** The address in the first of `attributes` (on the element or its ancestors up to `limit`) that holds one. */
export function addressNear(element, attributes, limit) {
  for (let node = element; node && node !== limit?.parentElement; node = node.parentElement) {
    for (const attribute of attributes) {
      const address = findAddress(node.getAttribute(attribute));
      if (address) return address;
    }
    if (node === limit) break;
  }
  return findAddress(element.textContent);
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

export function isCtrlOrCmdEnter(event) {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
}
