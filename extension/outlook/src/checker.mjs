// The task pane's logic without Office.js or the DOM: asking the rules server about a
// draft, turning its answer into what the pane shows, and re-checking while the user writes.

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };
const CHECK_TIMEOUT_MS = 5000;

/** A server URL as typed in the settings, without trailing slashes; null if it is not http(s). */
export function normalizeServerUrl(value) {
  let url;
  try {
    url = new URL(String(value).trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return null;
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** Identifies a draft's content, so that an unchanged draft is not sent to the server again. */
export function draftKey(draft) {
  return JSON.stringify([draft.subject, draft.text, draft.to]);
}

/** Errors first, then warnings, then notes; within each, in the order they appear. */
export function sortWarnings(warnings) {
  const fieldRank = (warning) => (warning.field === "subject" ? 0 : 1);
  return [...warnings].sort((a, b) =>
    (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3)
    || fieldRank(a) - fieldRank(b)
    || a.offset - b.offset);
}

/**
 * Asks the server about a draft. Never throws: the answer says whether the server was
 * reachable, accepted the token, and what it found.
 */
export async function checkDraft(settings, draft) {
  const headers = { "Content-Type": "application/json" };
  if (settings.token) {
    headers.Authorization = `Bearer ${settings.token}`;
  }
  // AbortController rather than AbortSignal.timeout, which the WebKit of older Macs lacks.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CHECK_TIMEOUT_MS);
  let response;
  let body;
  try {
    response = await fetch(`${settings.serverUrl}/api/v1/check`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ...draft, direction: "outbound" }),
      signal: controller.signal,
    });
    body = await response.json().catch(() => null);
  } catch (error) {
    return { state: "offline", detail: error.name === "AbortError" ? "It did not answer in time." : "" };
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 401) {
    return { state: "unauthorized", tokenSent: Boolean(settings.token) };
  }
  if (!response.ok || !Array.isArray(body?.warnings)) {
    return { state: "error", detail: body?.error?.message ?? `The server answered ${response.status}.` };
  }
  return { state: "ok", warnings: sortWarnings(body.warnings), message: body.message ?? null };
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

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** One line for the top of the pane: what the check found, or why there is no answer. */
export function statusLine(result) {
  switch (result.state) {
    case "ok": {
      if (result.warnings.length === 0) {
        return { tone: "clean", text: "No problems found in this email." };
      }
      const count = (severity) => result.warnings.filter((w) => w.severity === severity).length;
      const parts = [];
      if (count("error")) parts.push(plural(count("error"), "problem"));
      if (count("warning")) parts.push(plural(count("warning"), "warning"));
      if (count("info")) parts.push(plural(count("info"), "tip"));
      return { tone: count("error") ? "error" : "warning", text: `${parts.join(", ")} in this email.` };
    }
    case "offline":
      return {
        tone: "muted",
        text: `The coach's server cannot be reached. Your mail still sends, unchecked. ${result.detail}`.trim(),
      };
    case "unauthorized":
      return {
        tone: "muted",
        text: result.tokenSent
          ? "The server did not accept your access token. Check it in Settings."
          : "The server needs an access token. Ask your advising office for one and enter it in Settings.",
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
          lastKey = result.state === "ok" ? key : null;
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
