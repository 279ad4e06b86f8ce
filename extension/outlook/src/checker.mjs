// The task pane's logic without Office.js or the DOM: asking the rules server about a
// draft, turning its answer into what the pane shows, and re-checking while the user writes.

import { createApiClient, ServerState } from "./core/api.js";
import { countsText, sortWarnings } from "./core/warnings.js";

const CHECK_TIMEOUT_MS = 5000;

/** Identifies a draft's content, so that an unchanged draft is not sent to the server again. */
export function draftKey(draft) {
  return JSON.stringify([draft.subject, draft.text, draft.to]);
}

/**
 * Asks the server about a draft. Never throws: the answer is the API client's, with the
 * warnings in the clients' one order when the check succeeded and, when it did not, a
 * detail for the status line.
 */
export async function checkDraft(settings, draft) {
  const server = createApiClient({ settings: () => settings });
  const answer = await server.call("POST", "/api/v1/check", {
    body: { ...draft, direction: "outbound" },
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  if (answer.ok && Array.isArray(answer.data?.warnings)) {
    return { ok: true, state: answer.state, warnings: sortWarnings(answer.data.warnings), message: answer.data.message ?? null };
  }
  return { ok: false, state: answer.state, tokenSent: Boolean(settings.token), detail: failureDetail(answer) };
}

function failureDetail(answer) {
  if (answer.timedOut) return "It did not answer in time.";
  return answer.data?.error?.message ?? (answer.httpStatus ? `The server answered ${answer.httpStatus}.` : "");
}

/** The words a warning is about, as the user wrote them (offsets count UTF-16 units, as JavaScript does). */
export function flaggedText(draft, warning) {
  const source = warning.field === "subject" ? draft.subject : draft.text;
  return warning.length > 0 ? source.slice(warning.offset, warning.offset + warning.length) : "";
}

/**
 * The value with a warning's span replaced by a suggestion, or null when the span no
 * longer holds the flagged words because the user has typed since the check.
 */
export function replaceSpan(value, warning, flagged, suggestion) {
  if (flagged && value.slice(warning.offset, warning.offset + warning.length) === flagged) {
    return value.slice(0, warning.offset) + suggestion + value.slice(warning.offset + warning.length);
  }
  const at = flagged ? value.indexOf(flagged) : -1;
  if (at === -1 || value.indexOf(flagged, at + 1) !== -1) {
    return null;
  }
  return value.slice(0, at) + suggestion + value.slice(at + flagged.length);
}

/** One line for the top of the pane: what the check found, or why there is no answer. */
export function statusLine(result) {
  if (result.ok) {
    if (result.warnings.length === 0) {
      return { tone: "clean", text: "No problems found in this email." };
    }
    const hasErrors = result.warnings.some((w) => w.severity === "error");
    return { tone: hasErrors ? "error" : "warning", text: `${countsText(result.warnings)} in this email.` };
  }
  switch (result.state) {
    case ServerState.OFFLINE:
      return {
        tone: "muted",
        text: `The coach's server cannot be reached. Your mail still sends, unchecked. ${result.detail}`.trim(),
      };
    case ServerState.SIGNED_OUT:
      return {
        tone: "muted",
        text: result.tokenSent
          ? "You are signed out: your sign-in expired or was revoked. Sign in again in Settings."
          : "The server needs you signed in: open Settings and sign in with your school account.",
      };
    default:
      return { tone: "muted", text: `The server could not check this email. ${result.detail}`.trim() };
  }
}

/**
 * Re-checks the draft while the pane is visible. Outlook has no body-changed event, so the
 * draft is read every intervalMs and sent to the server only when it has changed; a check
 * that got no answer is retried at the next tick.
 */
export function createRechecker({ readDraft, check, onResult, intervalMs = 3000,
  schedule = setTimeout, cancel = clearTimeout }) {
  let running = false;
  let timer = null;
  let pending = null;
  let lastKey = null;
  let generation = 0;

  async function tick() {
    const started = generation;
    try {
      const draft = await readDraft();
      const key = draftKey(draft);
      if (key !== lastKey) {
        const result = await check(draft);
        if (started === generation) {
          lastKey = result.ok ? key : null;
          onResult(result, draft);
        }
      }
    } catch {
      // The item went away mid-read (sent, closed, switched): the next tick reads the current one.
    }
    if (running && timer === null) {
      timer = schedule(fire, intervalMs);
    }
  }

  function run() {
    pending ??= tick().finally(() => { pending = null; });
    return pending;
  }

  function fire() {
    timer = null;
    run();
  }

  function unschedule() {
    if (timer !== null) {
      cancel(timer);
      timer = null;
    }
  }

  return {
    start() {
      if (!running) {
        running = true;
        run();
      }
    },
    stop() {
      running = false;
      unschedule();
    },
    /** Checks at once (the recipients changed), after any check under way. */
    async now() {
      unschedule();
      await pending;
      if (running) {
        unschedule();
        await run();
      }
    },
    /** Forgets the last answer: another item or new settings need a fresh check. */
    reset() {
      generation += 1;
      lastKey = null;
      return this.now();
    },
  };
}
