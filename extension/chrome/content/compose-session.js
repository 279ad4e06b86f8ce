// One open compose window: checks its draft about 400 ms after typing pauses,
// underlines what the server flags, keeps the badge current, opens cards, applies
// suggestions, and answers the send guard's questions about what is still wrong.

import { formatRecipient } from "../core/addresses.js";
import { rangeFor, readPlainText } from "../core/dom/plain-text.js";
import { sortWarnings } from "../core/warnings.js";
import { createBadge } from "./badge.js";
import { historyLines } from "./history.js";
import { measure } from "./perf.js";
import { ask } from "./service.js";

const DEBOUNCE_MS = 400;
const OFFLINE_RETRY_MS = [5_000, 10_000, 20_000, 40_000, 60_000];
// States in which the server cannot answer checks, so sending is never held up.
const NO_CHECKS = new Set(["offline", "unconfigured", "no-permission"]);

let nextId = 1;

export class ComposeSession {
  constructor(compose, { adapter, painter, card, ui, layout }) {
    Object.assign(this, { compose, adapter, painter, card, layout });
    this.id = nextId++;
    this.body = compose.body;
    this.version = 0;
    this.requestSeq = 0;
    this.inFlight = null;
    this.answered = null;
    this.warnings = [];
    this.ignored = new Set();
    this.state = "checking";
    this.offlineRetries = 0;
    this.recipientsKey = null;
    this.history = [];
    this.listeners = new AbortController();
    this.badge = createBadge(ui, layout, {
      body: this.body,
      root: compose.root,
      avoid: () => [compose.sendButton()?.getBoundingClientRect()],
      onOpenWarning: (warning) => this.openFromBadge(warning),
      onOpenSettings: () => ask("options.open"),
    });
    this.listen();
    this.check();
  }

  listen() {
    const options = { signal: this.listeners.signal, passive: true };
    // Body, subject and recipient fields all sit inside the compose root.
    this.compose.root.addEventListener("input", (event) => this.onInput(event), options);
    this.compose.root.addEventListener("focusout", () => this.onRecipientsMaybeChanged(), options);
    this.body.addEventListener("mousemove", (event) => this.onPointer(event), options);
    this.body.addEventListener("mouseleave", () => this.card.hideSoon(), options);
    this.body.addEventListener("keydown", (event) => this.onKeydown(event), { signal: this.listeners.signal });
  }

  onInput(event) {
    const start = performance.now();
    this.version++;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.check(), DEBOUNCE_MS);
    if (this.ownsCard() && this.body.contains(event.target)) this.card.hide();
    this.layout.schedule();
    measure("pmcoach:input", start);
  }

  onRecipientsMaybeChanged() {
    const key = this.recipientsNow().join("\n");
    if (this.recipientsKey !== null && key !== this.recipientsKey) this.check();
  }

  recipientsNow() {
    return this.compose.recipients().map(formatRecipient);
  }

  read() {
    const model = readPlainText(this.body, this.adapter.quotes);
    const to = this.recipientsNow();
    return { model, draft: { text: model.text, subject: this.compose.subject(), to } };
  }

  /** Checks the draft now; resolves once this check's answer is applied or dropped. */
  async check() {
    clearTimeout(this.debounce);
    clearTimeout(this.retryTimer);
    const start = performance.now();
    const version = this.version;
    const { model, draft } = this.read();
    measure("pmcoach:read", start);
    if (model.text.trim() && this.untouched() && !this.openingReported) {
      // A window that opens already holding a draft may be a send the student undid.
      this.openingReported = true;
      ask("send.reopened", { draft });
    }
    if (!model.text.trim()) {
      this.requestSeq++;
      this.inFlight = null;
      this.applyWarnings([], model);
      this.answered = { version };
      if (this.state === "checking") this.setState(await ask("status"));
      return;
    }
    const requestId = ++this.requestSeq;
    const pending = ask("check", { composeId: this.id, draft });
    this.inFlight = pending;
    const answer = await pending;
    const receivedAt = performance.now();
    // A newer check replaced this one, or the window closed meanwhile.
    if (requestId !== this.requestSeq || this.disposed) return;
    this.inFlight = null;
    if (answer.aborted) return;
    this.setState(answer);
    if (!answer.ok || !answer.result) {
      this.applyWarnings([], model);
      this.answered = null;
      this.retryWhileOffline();
      return;
    }
    this.offlineRetries = 0;
    // Typed into while the server answered: those offsets no longer fit, and the
    // pending debounce brings a fresh check.
    if (version !== this.version) return;
    this.applyWarnings(answer.result.warnings || [], model);
    this.answered = { version, program: answer.result.message?.program || null };
    measure("pmcoach:apply", receivedAt);
    requestAnimationFrame(() => setTimeout(() => measure("pmcoach:answer-to-paint", receivedAt)));
    this.refreshHistory(draft.to);
  }

  retryWhileOffline() {
    if (this.state !== "offline") return;
    const delay = OFFLINE_RETRY_MS[Math.min(this.offlineRetries++, OFFLINE_RETRY_MS.length - 1)];
    this.retryTimer = setTimeout(() => this.check(), delay);
  }

  setState(answer) {
    this.state = answer.state === "connected" && !answer.signedIn ? "signed-out" : answer.state || "offline";
    this.badge.update({ state: this.state });
  }

  applyWarnings(warnings, model) {
    const visible = [];
    const marks = [];
    for (const warning of warnings) {
      const flagged = warning.field === "text" ? model.text.slice(warning.offset, warning.offset + warning.length) : "";
      const key = `${warning.rule}\u0000${warning.field}\u0000${flagged}`;
      if (this.ignored.has(key)) continue;
      const range = warning.field === "text" ? rangeFor(model, warning.offset, warning.length) : null;
      visible.push({ ...warning, key, flagged, range });
      if (range) marks.push({ range, severity: warning.severity });
    }
    const openKey = this.card.owner === this ? this.card.warning?.key : null;
    this.warnings = sortWarnings(visible);
    this.painter.paint(this, marks);
    // A re-check that finds the same warning keeps its card, now on the fresh warning.
    if (openKey) {
      const same = this.warnings.find((w) => w.key === openKey);
      if (same) this.showCard(same);
      else this.card.hide();
    }
    this.badge.update({ warnings: this.warnings });
  }

  async refreshHistory(to) {
    const key = to.join("\n");
    if (key === this.recipientsKey) return;
    this.recipientsKey = key;
    const addresses = this.compose.recipients().map((r) => r.address).filter(Boolean);
    if (!addresses.length || this.state !== "connected") {
      this.badge.update({ history: [] });
      return;
    }
    const answer = await ask("summary", { to: addresses });
    if (this.recipientsKey === key && !this.disposed) this.badge.update({ history: answer.ok ? historyLines(answer.summary) : [] });
  }

  onPointer(event) {
    const { clientX: x, clientY: y } = event;
    if (this.pointerFrame) return;
    this.pointerFrame = requestAnimationFrame(() => {
      this.pointerFrame = 0;
      const hit = this.warnings.find((warning) => warning.range && containsPoint(warning.range, x, y));
      if (hit) this.showCard(hit);
      else if (this.ownsCard()) this.card.hideSoon();
    });
  }

  /** The caret moved inside this editor: open the card of the warning it sits in. */
  onCaret(node, offset) {
    const hit = this.warnings.find((warning) => warning.range && warning.range.comparePoint(node, offset) === 0);
    // A card closed with Escape stays closed while the caret stays in its words.
    if (hit?.key === this.dismissedKey) return;
    this.dismissedKey = null;
    if (hit) this.showCard(hit);
    else if (this.ownsCard()) this.card.hide();
  }

  onKeydown(event) {
    if (event.key === "Enter" && event.altKey && !event.ctrlKey && !event.metaKey && this.ownsCard()) {
      event.preventDefault();
      const selection = this.body.ownerDocument.getSelection();
      const saved = selection.rangeCount ? selection.getRangeAt(0).cloneRange() : null;
      const key = this.card.warning.key;
      this.card.focus(() => {
        this.dismissedKey = key;
        this.restoreFocus(saved);
      });
    } else if (event.key === "Escape" && this.ownsCard()) {
      this.dismissedKey = this.card.warning.key;
      this.card.hide();
    }
  }

  /** Whether the open card is one of this window's warnings (by key: a re-check makes new objects). */
  ownsCard() {
    const key = this.card.owner === this ? this.card.warning?.key : null;
    return Boolean(key && this.warnings.some((warning) => warning.key === key));
  }

  /** No input since the window opened. */
  untouched() {
    return this.version === 0;
  }

  restoreFocus(range) {
    this.body.focus({ preventScroll: true });
    if (!range) return;
    const selection = this.body.ownerDocument.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  showCard(warning) {
    this.card.show({
      owner: this,
      warning,
      anchor: () => anchorOf(warning, this.body),
      // The card never covers the Send button.
      avoid: () => [this.compose.sendButton()?.getBoundingClientRect()],
      onApply: (text) => this.applySuggestion(warning, text),
      onIgnore: () => this.ignore(warning),
      onClose: () => this.painter.setActive(null),
    });
    this.painter.setActive(warning.range);
  }

  openFromBadge(warning) {
    if (warning.range) warning.range.startContainer.parentElement?.scrollIntoView({ block: "nearest" });
    this.showCard(warning);
    this.card.focus(() => this.body.focus({ preventScroll: true }));
  }

  /**
   * Replaces the flagged words as typing would: select them, then insertText. The
   * editor sees ordinary beforeinput/input events, so the mail client's undo
   * stack and draft saving keep working and no text is duplicated.
   */
  applySuggestion(warning, text) {
    this.card.hide();
    if (!warning.range || warning.range.toString() !== warning.flagged) {
      this.check();
      return;
    }
    this.replaceWithTyping(warning.range.cloneRange(), text);
  }

  /** Types `text` at the start of the editor (a neutral reply above the quoted message). */
  insertAtStart(text) {
    const range = new Range();
    range.setStart(this.body, 0);
    this.replaceWithTyping(range, text);
  }

  replaceWithTyping(range, text) {
    const doc = this.body.ownerDocument;
    this.body.focus({ preventScroll: true });
    const selection = doc.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    doc.execCommand("insertText", false, text);
  }

  ignore(warning) {
    this.ignored.add(warning.key);
    this.card.hide();
    this.warnings = this.warnings.filter((w) => w.key !== warning.key);
    this.painter.paint(this, this.warnings.filter((w) => w.range).map(({ range, severity }) => ({ range, severity })));
    this.badge.update({ warnings: this.warnings });
  }

  // --- what the send guard asks ---------------------------------------------

  /** "errors", "clean", or "unknown" when the last answer is older than the text. */
  sendVerdict() {
    if (NO_CHECKS.has(this.state)) return "clean";
    if (!this.answered || this.answered.version !== this.version || this.inFlight) return "unknown";
    return this.errors().length ? "errors" : "clean";
  }

  errors() {
    return this.warnings.filter((warning) => warning.severity === "error");
  }

  /** Checks now, waiting at most `timeoutMs`; then the verdict ("unknown" counts as clean). */
  async verdictNow(timeoutMs) {
    await Promise.race([this.check(), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    const verdict = this.sendVerdict();
    return verdict === "unknown" ? "clean" : verdict;
  }

  focusWarning(warning) {
    if (!warning.range) {
      this.body.focus();
      return;
    }
    const range = warning.range.cloneRange();
    this.restoreFocus(range);
    range.startContainer.parentElement?.scrollIntoView({ block: "nearest" });
    this.showCard(warning);
  }

  ledgerEvent() {
    const { draft } = this.read();
    return { event_id: crypto.randomUUID(), type: "sent", ...draft, at: new Date().toISOString() };
  }

  isOpen() {
    return this.body.isConnected && this.compose.root.isConnected && this.compose.root.getClientRects().length > 0;
  }

  dispose() {
    this.disposed = true;
    clearTimeout(this.debounce);
    clearTimeout(this.retryTimer);
    this.listeners.abort();
    if (this.ownsCard()) this.card.hide();
    this.painter.clear(this);
    this.badge.destroy();
  }
}

function containsPoint(range, x, y) {
  for (const rect of range.getClientRects()) {
    if (x >= rect.left && x <= rect.right && y >= rect.top - 2 && y <= rect.bottom + 3) return true;
  }
  return false;
}

/** Where a card opens: by the flagged words (below, or above if there is no room), or near the badge. */
function anchorOf(warning, body) {
  if (warning.range?.getClientRects().length) return warning.range.getBoundingClientRect();
  if (!body.isConnected) return null;
  const box = body.getBoundingClientRect();
  const bottom = Math.min(box.bottom, innerHeight) - 40;
  return new DOMRect(Math.max(box.left, box.right - 360), bottom - 10, 10, 10);
}
