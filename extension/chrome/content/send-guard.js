// Catches Send (the button, and the client's keyboard shortcuts) before the mail
// client sees it. With errors left it holds the send and asks; otherwise the
// event goes through untouched in the same task, so sending is never delayed.
// Every send that goes ahead is recorded for the ledger exactly once.
//
// The listeners sit on window in the capture phase, so they run before the
// client's own handlers, and they touch only events aimed at a Send button or a
// send shortcut inside a compose window.

import { ask } from "./service.js";

const GESTURE_MS = 1000;
// Longest wait for a check when Send comes before the answer for the latest text.
const CHECK_AT_SEND_MS = 1500;
const OUTCOME_POLL_MS = 200;
const OUTCOME_TIMEOUT_MS = 8000;

export function installSendGuard({ adapter, sessionAt, dialog, win = window }) {
  let bypass = false;
  let held = { session: null, until: 0 };
  const allowedUntil = new WeakMap();

  function onPointer(event) {
    if (bypass || event.button !== 0) return;
    const button = adapter.sendButtonAt(event.target);
    const session = button && sessionAt(button);
    if (session) decide(event, session);
  }

  function onKeydown(event) {
    if (bypass || event.repeat) return;
    const onButton = (event.key === "Enter" || event.key === " ") && adapter.sendButtonAt(event.target);
    if (!onButton && !adapter.isSendShortcut(event)) return;
    const session = sessionAt(event.target);
    if (session) decide(event, session);
  }

  // One press is several events (mousedown, mouseup, click): the first decides for all.
  function decide(event, session) {
    const now = performance.now();
    const restOfPress = event.type === "mouseup" || event.type === "click";
    if (restOfPress && held.session === session && now < held.until) return stop(event);
    if ((allowedUntil.get(session) || 0) > now) return;
    const verdict = session.sendVerdict();
    if (verdict === "clean") {
      allowedUntil.set(session, now + GESTURE_MS);
      record(session);
      return;
    }
    stop(event);
    held = { session, until: now + GESTURE_MS };
    if (verdict === "errors") confirmWithUser(session);
    else session.verdictNow(CHECK_AT_SEND_MS).then((later) => (later === "errors" ? confirmWithUser(session) : sendNow(session)));
  }

  function confirmWithUser(session) {
    const errors = session.errors();
    dialog.open({
      errors,
      onEdit: () => {
        held = { session: null, until: 0 };
        session.focusWarning(errors[0]);
      },
      onSendAnyway: () => sendNow(session),
    });
  }

  /** Presses the client's own Send button for the user, past this guard. */
  function sendNow(session) {
    const button = session.compose.sendButton();
    if (!button || !session.isOpen()) return;
    held = { session: null, until: 0 };
    record(session);
    bypass = true;
    try {
      adapter.pressButton(button);
    } finally {
      bypass = false;
    }
  }

  /**
   * Stores the send (read before the client clears the window), then watches the
   * compose window: it closing means the mail went; still open after a while
   * means the client refused (no recipient, say), and the record is withdrawn.
   */
  async function record(session) {
    const event = session.ledgerEvent();
    const stored = await ask("send.hold", { event });
    if (!stored.recorded) return;
    const closed = await closesWithin(session, OUTCOME_TIMEOUT_MS);
    ask(closed ? "send.confirm" : "send.cancel", { eventId: event.event_id });
  }

  win.addEventListener("mousedown", onPointer, true);
  win.addEventListener("mouseup", onPointer, true);
  win.addEventListener("click", onPointer, true);
  win.addEventListener("keydown", onKeydown, true);
}

function closesWithin(session, timeoutMs) {
  const started = performance.now();
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const closed = !session.isOpen();
      if (!closed && performance.now() - started < timeoutMs) return;
      clearInterval(poll);
      resolve(closed);
    }, OUTCOME_POLL_MS);
  });
}

function stop(event) {
  event.preventDefault();
  event.stopImmediatePropagation();
}
