// The card for one warning, as writing assistants lay theirs out: what is wrong, then
// the one-click fix and "ignore in this email", with the reasons ("Why": the
// explanation and its source) folded at the bottom until asked for. Opened by hovering
// an underline, by the caret entering one (Alt+Enter then moves focus into the card),
// or from the badge. It opens below or above the flagged words, never over them or
// over the Send button.

import { severityLabel } from "../core/warnings.js";

const GAP = 6;
const MARGIN = 8;
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
    const { left, top } = placement(anchor, (current.avoid?.() || []).filter(Boolean), card.offsetWidth || 340, card.offsetHeight);
    card.style.left = `${left}px`;
    card.style.top = `${top}px`;
  };
  layout.subscribe(reposition);

  /**
   * Opens the card for `warning` of `owner` (a compose window). The same warning shown
   * again, as a re-check makes it, keeps the card as it is (and focus in it) and only
   * takes the new warning's words and actions.
   */
  function show({ owner, warning, anchor, avoid, onApply, onIgnore, onClose }) {
    cancelHide();
    const same = current && current.owner === owner && current.warning.key === warning.key;
    const previous = current;
    const next = { owner, warning, anchor, avoid, onApply, onIgnore, onClose };
    current = same ? { ...previous, ...next } : next;
    if (same) return reposition();
    previous?.onClose?.();
    render(warning);
    card.hidden = false;
    reposition();
  }

  function render(warning) {
    const { element } = ui;
    const suggestions = (warning.suggestions || []).map((text) => {
      if (!warning.length) return element("p", "try", `Try: “${text}”`);
      const button = element("button", "suggestion", `Replace with “${text}”`);
      button.addEventListener("click", () => current?.onApply(text));
      return button;
    });
    const ignore = element("button", "ignore", "Ignore in this email");
    ignore.addEventListener("click", () => current?.onIgnore());
    const why =
      warning.explanation || warning.source
        ? element(
            "details",
            "why",
            element("summary", "", "Why"),
            warning.explanation ? element("p", "explanation", warning.explanation) : null,
            warning.source ? element("p", "source", `Source: ${warning.source}`) : null,
          )
        : null;
    ui.fill(
      card,
      element("span", `severity ${warning.severity}`, severityLabel(warning.severity)),
      element("p", "message", warning.message),
      suggestions.length ? element("div", "suggestions", ...suggestions) : null,
      element("div", "actions", ignore, element("span", "hint", "Alt+Enter to reach · Esc to close")),
      why,
    );
    why?.addEventListener("toggle", reposition);
    card.setAttribute("aria-label", `${severityLabel(warning.severity)}: ${warning.message}`);
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
    get owner() {
      return current?.owner || null;
    },
    /** Moves keyboard focus into the card; Escape hands it back through `onEscape`. */
    focus(onEscape) {
      if (!current) return;
      current.onEscape = onEscape;
      (card.querySelector("button") || card).focus();
    },
  };
}

/**
 * Where the card goes: below the flagged words, else above them, in the viewport and
 * clear of `avoid` (the Send button); sideways off it when neither is; below as a last resort.
 */
export function placement(anchor, avoid, width, height) {
  const clampLeft = (left) => Math.min(Math.max(MARGIN, left), innerWidth - width - MARGIN);
  const below = anchor.bottom + GAP;
  const above = anchor.top - GAP - height;
  const fits = (top) => top >= MARGIN && top + height <= innerHeight - MARGIN;
  const clear = (left, top) => !avoid.some((r) => left < r.right && left + width > r.left && top < r.bottom && top + height > r.top);
  const left = clampLeft(anchor.left);
  for (const top of [below, above]) if (fits(top) && clear(left, top)) return { left, top };
  for (const top of [below, above]) {
    if (!fits(top)) continue;
    for (const r of avoid) {
      for (const shifted of [clampLeft(r.right + GAP), clampLeft(r.left - GAP - width)]) {
        if (clear(shifted, top)) return { left: shifted, top };
      }
    }
  }
  return { left, top: fits(below) || !fits(above) ? below : above };
}
