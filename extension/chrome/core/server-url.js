// Copied from extension/core/server-url.js by node scripts/client-core.mjs: edit that file, then run the command.
// The rules server's address as a user types it into a client's settings.

/** "https://coach.school.edu/" -> "https://coach.school.edu"; anything but an http(s) URL -> "". */
export function normaliseServerUrl(value) {
  const text = String(value || "").trim();
  if (!text) return "";
  let url;
  try {
    url = new URL(text);
  } catch (error) {
    return "";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "";
  return (url.origin + url.pathname).replace(/\/+$/, "");
}
