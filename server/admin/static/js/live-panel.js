// The live panel: an email the admin pastes, checked against the draft rules and underlined
// exactly as the extension underlines it in Gmail and Outlook. The painter, the mapping from
// the server's UTF-16 offsets to DOM ranges, the colours, the severity labels and the order
// of the warnings come from the clients' shared core (extension/core, served under
// /admin/core/), so what the admin sees is what applicants get.

import { createHighlightPainter } from "../../core/dom/highlight-painter.js";
import { rangeFor, readPlainText } from "../../core/dom/plain-text.js";
import { countsText, severityLabel, sortWarnings } from "../../core/warnings.js";
import { el } from "./dom.js";
import { errorMessage, postJSON } from "./http.js";

const TYPING_DELAY_MS = 350;

function localNow() {
  const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
  return now.toISOString().slice(0, 16);
}

/**
 * root: the panel's element. draft(): {base, change} for the rules to try (change null: the base's).
 * Returns {refresh(delay)} to call when the draft changes.
 */
export function livePanel(root, { draft }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const textBox = $("live-text");
  const status = $("live-status");
  const list = $("live-warnings");
  const gone = $("live-gone");
  const card = $("live-card");
  const direction = $("live-direction");
  const painter = createHighlightPainter();
  let marks = [];
  let sequence = 0;
  let timer = 0;
  $("live-at").value = localNow();

  const email = (text) => {
    const fields = { text, subject: $("live-subject").value, direction: direction.value,
      at: new Date($("live-at").value || Date.now()).toISOString() };
    const party = $("live-to").value.trim();
    if (party) fields[direction.value === "inbound" ? "from" : "to"] = direction.value === "inbound" ? party : [party];
    if ($("live-track").value) fields.track = $("live-track").value;
    return fields;
  };

  function describe(warning, mark) {
    const where = warning.field === "subject" ? "subject" : warning.length ? null : "whole email";
    const item = el("li", { class: `item sev-${warning.severity}` },
      el("span", { class: `severity ${warning.severity}` }, severityLabel(warning.severity)),
      warning.status === "new" ? el("span", { class: "badge new" }, "new with this draft") : null,
      where ? el("span", { class: "badge" }, where) : null,
      el("p", { class: "message" }, warning.message),
      el("p", { class: "rule" }, el("code", {}, warning.rule)));
    if (mark) {
      item.addEventListener("mouseenter", () => painter.setActive(mark.range));
      item.addEventListener("mouseleave", () => painter.setActive(null));
    }
    return item;
  }

  function showCard(warning, rect) {
    card.replaceChildren(
      el("span", { class: `severity ${warning.severity}` }, severityLabel(warning.severity)),
      el("p", { class: "message" }, warning.message),
      warning.explanation ? el("p", { class: "why" }, el("strong", {}, "Why: "), warning.explanation) : null,
      warning.source ? el("p", { class: "source" }, `Source: ${warning.source}`) : null,
      (warning.suggestions || []).length
        ? el("div", { class: "suggestions" }, warning.suggestions.map((s) => el("p", { class: "suggestion" }, `Try: “${s}”`)))
        : null,
      el("p", { class: "hint" }, el("code", {}, warning.rule)));
    card.hidden = false;
    const width = card.offsetWidth || 340;
    card.style.left = `${Math.min(Math.max(8, rect.left), innerWidth - width - 8)}px`;
    card.style.top = `${rect.bottom + 6}px`;
  }

  textBox.addEventListener("mousemove", (event) => {
    const hit = marks.find(({ range }) => [...range.getClientRects()].some((r) =>
      event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top - 2 && event.clientY <= r.bottom + 2));
    if (hit) {
      painter.setActive(hit.range);
      showCard(hit.warning, hit.range.getBoundingClientRect());
    } else {
      painter.setActive(null);
      card.hidden = true;
    }
  });
  textBox.addEventListener("mouseleave", () => {
    painter.setActive(null);
    card.hidden = true;
  });

  function clear(message) {
    marks = [];
    painter.clear("live");
    list.replaceChildren();
    gone.hidden = true;
    status.textContent = message;
  }

  async function run() {
    const mapped = readPlainText(textBox);
    if (!mapped.text.trim()) return clear("Paste or type an email above to see what the coach says about it.");
    const mine = ++sequence;
    status.textContent = "Checking…";
    const result = await postJSON("api/changes/try", { ...draft(), email: email(mapped.text), ledger: $("live-ledger").value });
    if (mine !== sequence) return; // a newer check is on its way
    if (!result.ok) {
      const problem = result.data?.error?.problem;
      return clear(problem ? `The draft does not load${problem.document_line ? ` (line ${problem.document_line})` : ""}: ${problem.reason}`
        : errorMessage(result));
    }
    const answer = result.data;
    const warnings = sortWarnings(answer.warnings);
    marks = warnings.filter((w) => w.field === "text" && w.length > 0)
      .map((warning) => ({ warning, severity: warning.severity, range: rangeFor(mapped, warning.offset, warning.length) }))
      .filter((mark) => mark.range);
    painter.paint("live", marks);
    list.replaceChildren(...warnings.map((w) => describe(w, marks.find((m) => m.warning === w))));
    gone.querySelector("ol").replaceChildren(...sortWarnings(answer.gone).map((w) => describe(w, null)));
    gone.hidden = !answer.gone.length;
    const kind = answer.message.kind.replaceAll("_", " ");
    status.textContent = `${countsText(warnings) || "Nothing to warn about"}` +
      ` · read as: ${kind}${answer.message.claims.length ? ` claiming ${answer.message.claims.map((c) => c.replaceAll("_", " ")).join(", ")}` : ""}` +
      `${answer.message.program ? ` · to ${answer.message.program.name}` : ""}${answer.incomplete ? " · some rules ran out of time" : ""}`;
  }

  function refresh(delay = TYPING_DELAY_MS) {
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  }

  direction.addEventListener("change", () => {
    $("live-to-label").textContent = direction.value === "inbound" ? "From" : "To";
    refresh(0);
  });
  root.addEventListener("input", (event) => {
    if (event.target.closest(".live-fields, #live-text, #live-ledger-box")) refresh();
  });
  root.addEventListener("change", (event) => {
    if (event.target.closest(".live-fields")) refresh(0);
  });
  textBox.addEventListener("paste", () => refresh(0));
  return { refresh };
}
