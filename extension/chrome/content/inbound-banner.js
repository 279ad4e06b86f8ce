// Received mail: a message from a program is checked as inbound; when it presses
// the applicant (asks how they will rank, wants a commitment, asks where else they
// interviewed), a banner above the message explains the rule and offers a neutral
// reply, which opens the client's own reply with that text typed in.

import { formatRecipient } from "../core/addresses.js";
import { readPlainText } from "../core/dom/plain-text.js";
import { ask } from "./service.js";

const PRESSURE = "inbound.program-pressure";
const NEUTRAL_REPLY =
  "Thank you for your message and for your interest in my application. I will be finalizing my rank list " +
  "independently, as per NRMP guidelines, so I am not able to share how I will rank programs or where else I " +
  "have applied. I remain very interested in your program.";

export function createInboundWatcher({ adapter, ui, layout, openReply }) {
  const checked = new WeakSet();

  async function check(message) {
    const { text } = readPlainText(message.body, adapter.quotes);
    if (!text.trim()) return;
    checked.add(message.body);
    const answer = await ask("inbound", {
      draft: { text, subject: message.subject, from: formatRecipient(message.sender) },
    });
    const pressure = (answer.result?.warnings || []).filter((warning) => warning.category === PRESSURE);
    if (pressure.length && message.body.isConnected) showBanner(message, pressure);
  }

  function showBanner(message, warnings) {
    const { element } = ui;
    const [first] = warnings;
    const reply = element("button", "primary", "Reply with this text");
    const dismiss = element("button", "", "Dismiss");
    const banner = ui.add(
      element(
        "div",
        "banner pmc-font",
        element("h2", "", "This message asks for something NRMP rules do not allow"),
        element("p", "", element("strong", "", first.message), " ", first.explanation || ""),
        first.source ? element("p", "source", `Source: ${first.source}`) : null,
        element("p", "", "You do not have to answer. A neutral reply: ", element("em", "", `“${NEUTRAL_REPLY}”`)),
        element("div", "actions", reply, dismiss),
      ),
    );
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-label", "Pre-Match Email Coach: about this message");
    const reposition = () => {
      if (!message.body.isConnected) return close();
      const rect = message.body.getBoundingClientRect();
      banner.hidden = rect.height === 0 || rect.bottom < 0 || rect.top > innerHeight;
      banner.style.left = `${rect.left}px`;
      banner.style.width = `${Math.max(320, Math.min(rect.width, 720))}px`;
      banner.style.top = `${Math.max(8, rect.top - banner.offsetHeight - 8)}px`;
    };
    const unsubscribe = layout.subscribe(reposition);
    const close = () => {
      unsubscribe();
      banner.remove();
    };
    dismiss.addEventListener("click", close);
    reply.addEventListener("click", () => {
      close();
      openReply(message, NEUTRAL_REPLY);
    });
  }

  return {
    scan() {
      for (const message of adapter.findOpenMessages()) if (!checked.has(message.body)) check(message);
    },
  };
}
