// What identifies a draft across its compose windows: its text (spacing aside) and its
// recipients' addresses. A send the student undoes comes back in a new window holding
// the same draft, and this is how the coach recognises it.

import { findAddress } from "../core/addresses.js";

export function draftKey({ text, to }) {
  const addresses = (to || []).map((recipient) => findAddress(recipient) || String(recipient).trim().toLowerCase()).sort();
  return `${(text || "").replace(/\s+/g, " ").trim()}\n${addresses.join(",")}`;
}
