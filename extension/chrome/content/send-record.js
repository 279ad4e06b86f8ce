// Records a send for the ledger once it is final. The event is read when Send is
// pressed (before the client clears the window) and stored in the outbox at once;
// then the compose window is watched: it closing means the mail went, still open after
// a while means the client refused (no recipient, say) and the record is withdrawn.
// A send the client can still undo is not final either: the record waits until the
// client's undo notice is gone (or its longest undo window has passed), and is
// withdrawn when the same draft opens again, which is what Undo does.

import { sameDraft } from "../shared/same-draft.js";
import { isVisible } from "./adapters/common.js";
import { ask } from "./service.js";

const POLL_MS = 100;
// The client closes the window within this after a send it accepts...
const OUTCOME_MS = 8000;
// ...or, for Schedule send, after the student has picked a time.
const SCHEDULE_OUTCOME_MS = 120_000;
// Its notice after the send ("Sent · Undo") appears within this, if the client shows one.
const NOTICE_MS = 3000;
// An undone send's window opens again within this.
const REOPEN_MS = 600;
// Where a client announces a send, and what in there the student can act on.
const LIVE_REGION = '[role="alert"], [role="status"], [aria-live="assertive"], [aria-live="polite"]';
const CONTROL = 'button, [role="button"], [role="link"], a[href]';

export function createSendRecorder({ adapter, openSessions, notices, doc = document }) {
  async function record(session, { scheduled = false } = {}) {
    const event = session.ledgerEvent();
    const outcomeMs = scheduled ? SCHEDULE_OUTCOME_MS : OUTCOME_MS;
    const before = new Set(noticeControls());
    const stored = await ask("send.hold", { event, holdMs: outcomeMs + NOTICE_MS + adapter.undoWindowMs + REOPEN_MS });
    if (!stored.recorded) return;
    const eventId = event.event_id;
    if (!(await closesWithin(session, outcomeMs))) {
      ask("send.cancel", { eventId });
      return;
    }
    await undoWindowPassed(before);
    await wait(REOPEN_MS);
    if (reopened(event)) {
      ask("send.cancel", { eventId });
      return;
    }
    const outcome = await ask("send.confirm", { eventId });
    if (outcome.rejected) notices.unrecorded(event, outcome.rejected);
  }

  /** The client's own undo control (Gmail's), else one that a live region gained with the send. */
  function undoControl(before) {
    return adapter.undoControl(doc) || noticeControls().find((control) => !before.has(control)) || null;
  }

  function noticeControls() {
    return [...doc.querySelectorAll(LIVE_REGION)].flatMap((region) => [...region.querySelectorAll(CONTROL)]).filter(isVisible);
  }

  async function undoWindowPassed(before) {
    const started = performance.now();
    let control = null;
    while (!(control = undoControl(before)) && performance.now() - started < NOTICE_MS) await wait(POLL_MS);
    while (control && isVisible(control) && performance.now() - started < adapter.undoWindowMs + NOTICE_MS) await wait(POLL_MS);
  }

  function reopened(event) {
    return openSessions().some((session) => session.untouched() && sameDraft(session.read().draft, event));
  }

  return { record };
}

function closesWithin(session, timeoutMs) {
  const started = performance.now();
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const closed = !session.isOpen();
      if (!closed && performance.now() - started < timeoutMs) return;
      clearInterval(poll);
      resolve(closed);
    }, POLL_MS * 2);
  });
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
