// The card for one warning: what is wrong, why, the source, suggested wording,
// and "ignore in this email". Opened by hovering an underline, by the caret
// entering one (Alt+Enter then moves focus into the card), or from the badge.

import { severityLabel } from "../core/warnings.js";

const GAP = 6;
const HIDE_DELAY_MS = 250;

export function createCard(ui, layout) {
  const card = ui.add(ui.element("div", "card pmc-font"));
  card.hidden = true;
  card.setAttribute("role", "dialog");
  card.tabIndex = -1;
  let current = null;
  let hideTimer = 0;

  const reposition = () => {
    if (!current) return;
    const anchor = current.anchor();
    if (!anchor) return hide();
    const width = card.offsetWidth || 340;
    const height = card.offsetHeight;
    const left = Math.min(Math.max(8, anchor.left), innerWidth - width - 8);
    const below = anchor.bottom + GAP;
    const top = below + height > innerHeight - 8 && anchor.top - GAP - height > 8 ? anchor.top - GAP - height : below;
    card.style.left = `${left}px`;
    card.style.top = `${top}px`;
  };
  layout.subscribe(reposition);

  function show({ warning, anchor, onApply, onIgnore, onClose }) {
    cancelHide();
    if (current?.warning === warning) return;
    current = { warning, anchor, onClose };
    const { element } = ui;
    const suggestions = (warning.suggestions || []).map((text) => {
      if (!warning.length) return element("p", "why", `Try: “${text}”`);
      const button = element("button", "suggestion", `Replace with “${text}”`);
      button.addEventListener("click", () => onApply(text));
      return button;
    });
    const ignore = element("button", "ignore", "Ignore in this email");
    ignore.addEventListener("click", onIgnore);
    ui.fill(
      card,
      element("span", `severity ${warning.severity}`, severityLabel(warning.severity)),
      element("p", "message", warning.message),
      warning.explanation ? element("p", "why", element("strong", "", "Why: "), warning.explanation) : null,
      warning.source ? element("p", "source", `Source: ${warning.source}`) : null,
      suggestions.length ? element("div", "suggestions", ...suggestions) : null,
      element("div", "actions", ignore, element("span", "hint", "Alt+Enter to reach · Esc to close")),
    );
    card.setAttribute("aria-label", `${severityLabel(warning.severity)}: ${warning.message}`);
    card.hidden = false;
    reposition();
  }

  function hide() {
    cancelHide();
    if (!current) return;
    const { onClose } = current;
    current = null;
    card.hidden = true;
    onClose?.();
  }

  function hideSoon() {
    cancelHide();
    hideTimer = setTimeout(() => {
      if (!card.matches(":hover") && !card.contains(ui.shadow.activeElement)) hide();
    }, HIDE_DELAY_MS);
  }

  function cancelHide() {
    clearTimeout(hideTimer);
  }

  card.addEventListener("mouseenter", cancelHide);
  card.addEventListener("mouseleave", hideSoon);
  card.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      current?.onEscape?.();
      hide();
    }
  });

  return {
    show,
    hide,
    hideSoon,
    get warning() {
      return current?.warning || null;
    },
    /** Moves keyboard focus into the card; Escape hands it back through `onEscape`. */
    focus(onEscape) {
      if (!current) return;
      current.onEscape = onEscape;
      (card.querySelector("button") || card).focus();
    },
  };
}
