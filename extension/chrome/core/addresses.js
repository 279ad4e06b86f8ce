// Copied from extension/core/addresses.js by node scripts/client-core.mjs: edit that file, then run the command.
// Addresses and recipients in the one form the server's `to` and `from` take:
// "Dr Jane Smith <jsmith@uw.edu>", or the bare address when there is no other name.
// Each host reads its own recipient objects and hands them over as {name, address}.

const EMAIL = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[a-z]{2,}/i;

/** The first address in a text (a chip's tooltip, a "From" header), lower-cased; "" if none. */
export function findAddress(text) {
  const match = EMAIL.exec(text || "");
  return match ? match[0].toLowerCase() : "";
}

/** "Dr Jane Smith <jsmith@uw.edu>"; the address alone when the name is missing or is the address. */
export function formatRecipient({ name, address }) {
  // Angle brackets and quotes in a display name would make the server read another address.
  const cleanName = (name || "").replace(/[<>"]/g, "").trim();
  if (!address) return cleanName;
  return cleanName && cleanName.toLowerCase() !== address.toLowerCase() ? `${cleanName} <${address}>` : address;
}

export function domainOf(address) {
  return (address || "").split("@")[1] || "";
}
