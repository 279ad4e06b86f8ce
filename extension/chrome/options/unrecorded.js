// The options page's list of sends the server refused to record in the ledger (a
// missing or malformed recipient, say): each with the server's reason, a field to
// correct its recipients (the directory's program addresses offered), "Record" to
// deliver it again, and "Discard". The extension's icon shows how many there are.

import { callServer } from "../background/server-client.js";

const $ = (id) => document.getElementById(id);
const ask = (type, payload = {}) => chrome.runtime.sendMessage({ type, ...payload });
const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" });

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((child) => child != null));
  return node;
}

let done = "";

async function render() {
  const { sends = [] } = (await ask("unrecorded.list")) || {};
  $("unrecorded").hidden = !sends.length && !done;
  $("unrecorded-status").textContent = done;
  $("unrecorded-count").textContent = `(${sends.length})`;
  $("unrecorded-list").replaceChildren(...sends.map(item));
}

function item({ event, rejected }) {
  const id = `fix-${event.event_id}`;
  const recipients = element("input", { id, type: "text", value: (event.to || []).join(", "), spellcheck: false });
  recipients.setAttribute("list", "program-addresses");
  const status = element("p", { className: "problem", role: "status" }, `Not recorded: ${rejected.message}`);
  const record = element("button", { type: "button", className: "primary" }, "Record");
  const discard = element("button", { type: "button" }, "Discard");
  record.addEventListener("click", async () => {
    const to = recipients.value.split(/[,;]/).map((part) => part.trim()).filter(Boolean);
    const outcome = await ask("unrecorded.amend", { eventId: event.event_id, changes: { to } });
    if (outcome?.rejected) {
      status.textContent = `Not recorded: ${outcome.rejected.message}`;
      return;
    }
    done = outcome?.queued
      ? "Saved: it will be recorded when the server can be reached."
      : `Recorded in your ledger: “${event.subject || "(no subject)"}”.`;
    await render();
  });
  discard.addEventListener("click", async () => {
    await ask("unrecorded.discard", { eventId: event.event_id });
    await render();
  });
  const when = Number.isNaN(Date.parse(event.at)) ? "" : `, ${dateFormat.format(new Date(event.at))}`;
  return element(
    "li",
    {},
    element("strong", {}, event.subject || "(no subject)"),
    when,
    status,
    element("label", { htmlFor: id }, "Recipients (the program's email address)"),
    recipients,
    element("div", { className: "actions" }, record, discard),
  );
}

async function offerProgramAddresses() {
  const answer = await callServer("GET", "/api/v1/programs/senders", { timeoutMs: 4000 });
  const addresses = answer.ok && Array.isArray(answer.data?.addresses) ? answer.data.addresses : [];
  $("program-addresses").replaceChildren(...addresses.map((value) => element("option", { value })));
}

render();
offerProgramAddresses();
