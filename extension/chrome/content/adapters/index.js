// Picks the adapter for the mail client this page belongs to. A Gmail pop-out
// compose is an about:blank window whose origin is Gmail's, hence self.origin.

import { gmail } from "./gmail.js";
import { outlook } from "./outlook.js";

const OUTLOOK_HOSTS = ["outlook.office.com", "outlook.office365.com", "outlook.live.com", "outlook.cloud.microsoft"];

export function adapterFor(origin = self.origin) {
  const host = new URL(origin).hostname;
  if (host === "mail.google.com") return gmail;
  if (OUTLOOK_HOSTS.includes(host)) return outlook;
  return null;
}
