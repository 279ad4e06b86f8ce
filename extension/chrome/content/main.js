// Starts the coach in a Gmail or Outlook on the web page: finds every compose
// window (new, inline reply, pop-out; several at once) and every opened message as
// the client adds and removes them, and wires each to the shared UI, the send guard
// and the recorder of sends.

import { adapterFor } from "./adapters/index.js";
import { createCard } from "./card.js";
import { ComposeSession } from "./compose-session.js";
import { createHighlightPainter } from "../core/dom/highlight-painter.js";
import { createInboundWatcher } from "./inbound-banner.js";
import { createLayoutLoop } from "./layout-loop.js";
import { createOverlayPainter } from "./overlay-painter.js";
import { createNotices } from "./notices.js";
import { measure } from "./perf.js";
import { createSendDialog } from "./send-dialog.js";
import { installSendGuard } from "./send-guard.js";
import { PRODUCT } from "./product.js";
import { createSendRecorder } from "./send-record.js";
import { createUiRoot } from "./ui-root.js";

// Mail clients mutate their DOM constantly; look for windows at most this often.
const SCAN_INTERVAL_MS = 150;
const REPLY_WAIT_MS = 5000;

start().catch((error) => {
  console.error(`${PRODUCT} did not start:`, error?.message || error);
});

async function start() {
  const adapter = adapterFor();
  if (!adapter) return;
  const ui = await createUiRoot();
  const layout = createLayoutLoop();
  const painter = "highlights" in CSS ? createHighlightPainter() : createOverlayPainter(ui, layout);
  const card = createCard(ui, layout);
  const sessions = new Map();
  const sessionWaiters = new Set();

  const knownSessionAt = (element) => {
    for (const session of sessions.values()) if (session.compose.root.contains(element)) return session;
    return null;
  };
  // A Send in a window the next scan would only now find is still guarded.
  const sessionAt = (element) => {
    let session = knownSessionAt(element);
    if (!session) {
      scan();
      session = knownSessionAt(element);
    }
    return session;
  };

  const inbound = createInboundWatcher({
    adapter,
    ui,
    openReply: async (message, text) => {
      const button = message.replyButton();
      if (!button) return;
      const opened = nextSession();
      adapter.pressButton(button);
      (await opened)?.insertAtStart(text);
    },
  });

  function nextSession() {
    return new Promise((resolve) => {
      const waiter = (session) => {
        clearTimeout(timer);
        sessionWaiters.delete(waiter);
        resolve(session);
      };
      const timer = setTimeout(() => waiter(null), REPLY_WAIT_MS);
      sessionWaiters.add(waiter);
    });
  }

  function scan() {
    const found = new Map(adapter.findComposes().map((compose) => [compose.body, compose]));
    for (const [body, session] of sessions) {
      if (!found.has(body) || !body.isConnected) {
        session.dispose();
        sessions.delete(body);
      }
    }
    for (const [body, compose] of found) {
      if (sessions.has(body)) continue;
      const session = new ComposeSession(compose, { adapter, painter, card, ui, layout });
      sessions.set(body, session);
      for (const waiter of [...sessionWaiters]) waiter(session);
    }
    inbound.scan();
  }

  let scanTimer = 0;
  const scheduleScan = () => {
    scanTimer ||= setTimeout(() => {
      scanTimer = 0;
      scan();
    }, SCAN_INTERVAL_MS);
  };
  // Typing changes only the editor, which cannot open or close a window, so those
  // mutations are skipped. Our own shadow host is outside <body> and never wakes it.
  const insideEditor = (node) => {
    for (const body of sessions.keys()) if (body.contains(node)) return true;
    return false;
  };
  new MutationObserver((records) => {
    const start = performance.now();
    if (!records.every((record) => insideEditor(record.target))) {
      scheduleScan();
      // Windows opening or closing move the others without resizing them.
      layout.schedule();
    }
    measure("pmcoach:observe", start);
  }).observe(document.body, { childList: true, subtree: true });
  scan();

  document.addEventListener("selectionchange", () => {
    const start = performance.now();
    const selection = document.getSelection();
    if (!selection?.isCollapsed || !selection.focusNode) return;
    sessions.get(closestBody(selection.focusNode, sessions))?.onCaret(selection.focusNode, selection.focusOffset);
    measure("pmcoach:caret", start);
  });

  const recorder = createSendRecorder({ adapter, openSessions: () => [...sessions.values()], notices: createNotices(ui) });
  installSendGuard({ adapter, sessionAt, dialog: createSendDialog(ui), recorder });
}

function closestBody(node, sessions) {
  for (let element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement; element; element = element.parentElement) {
    if (sessions.has(element)) return element;
  }
  return null;
}
