// The compose badge: warning counts by severity, the server's state, and what the
// ledger remembers about this program. It sits just outside the editor, at its bottom
// right (or top right when the window has no room there), never over the text being
// written or the Send button; clicking it opens a panel listing every warning,
// including those about the subject or the whole message that have no words to underline.

import { severityCount, severityCounts, severityLabel } from "../core/warnings.js";
import { PRODUCT } from "./product.js";

const GAP = 4;

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

export function createBadge(ui, layout, { body, root, avoid, onOpenWarning, onOpenSettings }) {
  const { element } = ui;
  const badge = ui.add(element("button", "badge"));
  badge.type = "button";
  badge.setAttribute("aria-haspopup", "dialog");
  badge.setAttribute("aria-expanded", "false");
  const panel = ui.add(element("div", "panel pmc-font"));
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", PRODUCT);
  let model = { warnings: [], state: "checking", history: [] };

  const reposition = () => {
    const rect = body.getBoundingClientRect();
    const visibleBottom = Math.min(rect.bottom, innerHeight);
    badge.hidden = rect.height === 0 || visibleBottom - rect.top < 24;
    if (badge.hidden) {
      panel.hidden = true;
      return;
    }
    const { left, top } = badgePlace(rect, root.getBoundingClientRect(), avoid().filter(Boolean), badge.offsetWidth, badge.offsetHeight);
    badge.style.left = `${left}px`;
    badge.style.top = `${top}px`;
    if (!panel.hidden) {
      const badgeRect = badge.getBoundingClientRect();
      panel.style.left = `${Math.max(8, badgeRect.right - 360)}px`;
      const above = badgeRect.top - panel.offsetHeight - 6;
      panel.style.top = `${above >= 8 ? above : badgeRect.bottom + 6}px`;
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
    badge.setAttribute("aria-label", `${PRODUCT}: ${summary.join(", ")}; ${STATE_TEXT[model.state] || model.state}`);
    badge.title = STATE_HINT[model.state] || PRODUCT;
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

/**
 * Right-aligned just below the editor, inside its compose window (the window's own
 * chrome: the toolbar row); else just above it; inside the editor's corner only when
 * the window leaves no room outside it. Never over `avoid` (the Send button).
 */
export function badgePlace(editor, frame, avoid, width, height) {
  const right = Math.min(editor.right, innerWidth) - 8;
  const left = Math.max(editor.left + 4, right - width);
  const bottomLimit = Math.min(frame.bottom, innerHeight);
  const clear = (top) => !avoid.some((r) => left < r.right && left + width > r.left && top < r.bottom && top + height > r.top);
  const below = editor.bottom + GAP;
  if (below + height <= bottomLimit && clear(below)) return { left, top: below };
  const above = editor.top - GAP - height;
  if (above >= Math.max(frame.top, 0) && clear(above)) return { left, top: above };
  return { left, top: Math.min(editor.bottom, innerHeight) - height - 6 };
}
