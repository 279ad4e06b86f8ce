// The compose badge: warning counts by severity, the server's state, and what the
// ledger remembers about this program. It floats over the editor's bottom-right
// corner; clicking it opens a panel listing every warning, including those about
// the subject or the whole message that have no words to underline.

import { severityCount, severityCounts, severityLabel } from "../core/warnings.js";

const STATE_TEXT = {
  connected: "Connected",
  "signed-out": "Not signed in",
  offline: "Offline",
  unconfigured: "Set up needed",
  "no-permission": "Allow server access",
  checking: "Checking…",
};
const STATE_HINT = {
  "signed-out": "Checks work, but nothing is remembered: add your token in the coach's settings.",
  offline: "The coach's server cannot be reached. Your email is not checked, and sending works as usual.",
  unconfigured: "Open the coach's settings to enter your school's server address.",
  "no-permission": "Open the coach's settings to allow access to your school's server.",
};

export function createBadge(ui, layout, { body, onOpenWarning, onOpenSettings }) {
  const { element } = ui;
  const badge = ui.add(element("button", "badge"));
  badge.type = "button";
  badge.setAttribute("aria-haspopup", "dialog");
  badge.setAttribute("aria-expanded", "false");
  const panel = ui.add(element("div", "panel pmc-font"));
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Pre-Match Email Coach");
  let model = { warnings: [], state: "checking", history: [] };

  const reposition = () => {
    const rect = body.getBoundingClientRect();
    const visibleBottom = Math.min(rect.bottom, innerHeight);
    badge.hidden = rect.height === 0 || visibleBottom - rect.top < 24;
    if (badge.hidden) {
      panel.hidden = true;
      return;
    }
    const width = badge.offsetWidth;
    badge.style.left = `${Math.max(rect.left + 4, Math.min(rect.right, innerWidth) - width - 8)}px`;
    badge.style.top = `${visibleBottom - badge.offsetHeight - 6}px`;
    if (!panel.hidden) {
      const badgeRect = badge.getBoundingClientRect();
      panel.style.left = `${Math.max(8, badgeRect.right - 360)}px`;
      panel.style.top = `${Math.max(8, badgeRect.top - panel.offsetHeight - 6)}px`;
    }
  };
  const unsubscribe = layout.subscribe(reposition);
  const unwatch = layout.watch(body);

  badge.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    badge.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) renderPanel();
    layout.schedule();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      panel.hidden = true;
      badge.focus();
    }
  });

  function renderBadge() {
    const counts = severityCounts(model.warnings);
    const parts = counts
      .filter(([, count]) => count)
      .map(([severity, count]) => element("span", `count ${severity}`, String(count)));
    if (!parts.length && model.state !== "offline") parts.push(element("span", "count zero", "No issues"));
    const headline = model.history[0];
    ui.fill(
      badge,
      element("span", "brand"),
      ...parts,
      element("span", `state ${model.state}`, STATE_TEXT[model.state] || model.state),
      headline ? element("span", `history${headline.alert ? " alert" : ""}`, headline.text) : null,
    );
    const summary = counts.map(([severity, count]) => severityCount(count, severity));
    badge.setAttribute("aria-label", `Pre-Match Email Coach: ${summary.join(", ")}; ${STATE_TEXT[model.state] || model.state}`);
    badge.title = STATE_HINT[model.state] || "Pre-Match Email Coach";
  }

  function renderPanel() {
    const items = model.warnings.map((warning) => {
      const button = element(
        "button",
        "item",
        element("strong", "", `${severityLabel(warning.severity)}: `),
        warning.message,
        warning.field === "subject" ? element("span", "muted", " (subject)") : null,
      );
      button.addEventListener("click", () => {
        panel.hidden = true;
        onOpenWarning(warning);
      });
      return element("li", "", button);
    });
    const history = model.history.map((line) => element("li", line.alert ? "history alert" : "", line.text));
    const settings = STATE_HINT[model.state] ? element("button", "", "Open settings") : null;
    settings?.addEventListener("click", onOpenSettings);
    ui.fill(
      panel,
      element("h2", "", "This email"),
      items.length ? element("ul", "", ...items) : element("p", "muted", "No warnings."),
      history.length ? element("h2", "", "This program") : null,
      history.length ? element("ul", "", ...history) : null,
      element("p", "muted", STATE_HINT[model.state] || `Server: ${STATE_TEXT[model.state] || model.state}`),
      settings,
    );
  }

  return {
    update(changes) {
      model = { ...model, ...changes };
      renderBadge();
      if (!panel.hidden) renderPanel();
      layout.schedule();
    },
    destroy() {
      unsubscribe();
      unwatch();
      badge.remove();
      panel.remove();
    },
  };
}
