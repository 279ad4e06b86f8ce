// Catches every way a compose window sends before the mail client sees it: its Send
// button (clicked, or pressed with Enter or Space, which Gmail acts on at keyup), the
// client's send shortcuts, and Schedule send (an item of the menu the arrow beside
// Send opens). With errors left it holds the send and asks; otherwise the event goes
// through untouched in the same task, so sending is never delayed. Every send that
// goes ahead is handed to the recorder once.
//
// The listeners sit on window in the capture phase, so they run before the client's
// own handlers, and they touch only events aimed at those controls or a send shortcut
// inside a compose window. Nothing here reads a label, so any UI language works.

import { isShown } from "./adapters/common.js";

// One press is several events (mousedown, mouseup, click; keydown, keyup, click).
const GESTURE_MS = 1000;
// After "Send anyway" reopens the send options menu, the student picks from it again.
const MENU_MS = 60_000;
// Longest wait for a check when Send comes before the answer for the latest text.
const CHECK_AT_SEND_MS = 1500;
const PRESS_KEYS = new Set(["Enter", " "]);
const MENU_ITEM = '[role="menuitem"], [role="menuitemradio"], [role="menuitemcheckbox"]';

export function installSendGuard({ adapter, sessionAt, dialog, recorder, win = window }) {
  let bypass = false;
  let held = null;
  const allowed = new WeakMap(); // session -> {path: until}
  const recorded = new WeakMap(); // session -> {path: at}
  let options = null; // the send options menu last opened: {session, trigger}

  /** What the event's target is: {path: "send" | "options" | "schedule", control, session}. */
  function controlAt(target) {
    if (!(target instanceof Element)) return null;
    const send = adapter.sendButtonAt(target);
    if (send) return at("send", send);
    const trigger = adapter.sendOptionsAt(target);
    if (trigger) return at("options", trigger);
    const item = adapter.scheduleSendAt(target) || openMenuItem(target);
    if (item) return at("schedule", item, sessionAt(item) || options?.session);
    return null;
  }

  function at(path, control, session = sessionAt(control)) {
    return session ? { path, control, session } : null;
  }

  // A menu item counts only while the send options button that opened it says so: its
  // menu (aria-controls or aria-owns) is open, or, without those, a menu is.
  function openMenuItem(target) {
    const item = target.closest(MENU_ITEM);
    const trigger = options?.trigger;
    if (!item || !trigger?.isConnected || trigger.getAttribute("aria-expanded") !== "true") return null;
    const menuId = trigger.getAttribute("aria-controls") || trigger.getAttribute("aria-owns");
    const menu = menuId ? trigger.ownerDocument.getElementById(menuId) : item.closest('[role="menu"]');
    return menu?.contains(item) ? item : null;
  }

  function onPointer(event) {
    if (bypass || event.button !== 0) return;
    const found = controlAt(event.target);
    if (found) decide(event, found);
  }

  function onKey(event) {
    if (bypass) return;
    const found = controlAt(event.target);
    if (found && PRESS_KEYS.has(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (event.type === "keydown" && event.repeat) return stopIfHeld(event, found);
      return decide(event, found);
    }
    if (event.type !== "keydown" || event.repeat || !adapter.isSendShortcut(event)) return;
    const session = sessionAt(event.target);
    if (session) decide(event, { path: "send", control: null, session });
  }

  function stopIfHeld(event, { session, path }) {
    if (isHeld(session, path, performance.now()) || dialog.isOpen()) stop(event);
  }

  function decide(event, { path, control, session }) {
    const now = performance.now();
    // Opening the menu sends nothing: it is only remembered, for its Schedule send.
    if (path === "options") {
      if (!dialog.isOpen()) options = { session, trigger: control };
      return;
    }
    if (dialog.isOpen() || isHeld(session, path, now)) return stop(event);
    if ((allowed.get(session)?.[path] || 0) > now) return went(session, path, now);
    const verdict = session.sendVerdict();
    if (verdict === "clean") {
      allow(session, path, now + GESTURE_MS);
      return went(session, path, now);
    }
    stop(event);
    held = { session, path, until: now + GESTURE_MS };
    const ask = () => confirmWithUser(session, path, control);
    if (verdict === "errors") ask();
    else session.verdictNow(CHECK_AT_SEND_MS).then((later) => (later === "errors" ? ask() : goAhead(session, path, control)));
  }

  function isHeld(session, path, now) {
    return held?.session === session && held.path === path && now < held.until;
  }

  function allow(session, path, until) {
    allowed.set(session, { ...allowed.get(session), [path]: until });
  }

  /** The send goes ahead: recorded once per press. */
  function went(session, path, now) {
    if (path === "options") return;
    const last = recorded.get(session)?.[path] || -Infinity;
    if (now - last < GESTURE_MS) return;
    recorded.set(session, { ...recorded.get(session), [path]: now });
    recorder.record(session, { scheduled: path === "schedule" });
  }

  function confirmWithUser(session, path, control) {
    const errors = session.errors();
    dialog.open({
      errors,
      onEdit: () => {
        held = null;
        session.focusWarning(errors[0]);
      },
      onSendAnyway: () => goAhead(session, path, control),
    });
  }

  /** Presses the client's own control for the student, past this guard. */
  function goAhead(session, path, control) {
    held = null;
    if (!session.isOpen()) return;
    const now = performance.now();
    let target = control;
    if (path === "send") target = session.compose.sendButton();
    // The menu the item was in may have closed meanwhile: open it again, and let the
    // student's next choice in it through.
    if (path === "schedule" && !isShown(control)) {
      target = session.compose.sendOptionsButton?.();
      path = "options";
    }
    if (!target) return;
    allow(session, path, now + GESTURE_MS);
    if (path === "options") {
      options = { session, trigger: target };
      allow(session, "schedule", now + MENU_MS);
    }
    went(session, path, now);
    bypass = true;
    try {
      adapter.pressButton(target);
    } finally {
      bypass = false;
    }
  }

  for (const type of ["mousedown", "mouseup", "click"]) win.addEventListener(type, onPointer, true);
  win.addEventListener("keydown", onKey, true);
  win.addEventListener("keyup", onKey, true);
}

function stop(event) {
  event.preventDefault();
  event.stopImmediatePropagation();
}
