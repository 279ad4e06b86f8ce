// Whether two drafts are the same email: the same text (spacing aside) to the same
// addresses. A send the student undoes comes back in a new window holding the same
// draft, and this is how the coach recognises it; a window whose recipients cannot be
// read (yet) matches on its text alone.

import { findAddress } from "../core/addresses.js";

export function sameDraft(a, b) {
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
