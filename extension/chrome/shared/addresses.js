// "Dr Jane Smith <jsmith@uw.edu>" in both directions, the form the server's `to` takes.

const EMAIL = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[a-z]{2,}/i;

export function findAddress(text) {
  const match = EMAIL.exec(text || "");
  return match ? match[0].toLowerCase() : "";
}

export function formatRecipient({ name, address }) {
  const cleanName = (name || "").replace(/[<>"]/g, "").trim();
  if (!address) return cleanName;
  return cleanName && cleanName.toLowerCase() !== address ? `${cleanName} <${address}>` : address;
}

export function domainOf(address) {
  return (address || "").split("@")[1] || "";
}
