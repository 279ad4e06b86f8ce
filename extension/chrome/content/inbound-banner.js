// Received mail: a message from a program is checked as inbound; when it presses the
// applicant (asks how they will rank, wants a commitment, asks where else they
// interviewed), a note sits in the message's own flow, just above its text and below
// its subject, sender and date, explaining every such request and offering a neutral
// reply, which opens the client's own reply with that text typed in.

import { formatRecipient } from "../core/addresses.js";
import { readPlainText } from "../core/dom/plain-text.js";
import { PRODUCT } from "./product.js";
import { ask } from "./service.js";

const PRESSURE = "inbound.program-pressure";
const NEUTRAL_REPLY =
  "Thank you for your message and for your interest in my application. I will be finalizing my rank list " +
  "independently, as per NRMP guidelines, so I am not able to share how I will rank programs or where else I " +
  "have applied. I remain very interested in your program.";

export function createInboundWatcher({ adapter, ui, openReply }) {
  const checked = new WeakSet();
  // Message body -> its note, put back when the client re-renders the message without it.
  const notes = new Map();

  async function check(message) {
    const { text } = readPlainText(message.body, adapter.quotes);
    if (!text.trim()) return;
    checked.add(message.body);
    const answer = await ask("inbound", {
      draft: { text, subject: message.subject, from: formatRecipient(message.sender) },
    });
    const pressure = (answer.result?.warnings || []).filter((warning) => warning.category === PRESSURE);
    if (pressure.length && message.body.isConnected) show(message, pressure);
  }

  function show(message, warnings) {
    const { element } = ui;
    const reply = element("button", "primary", "Reply with this text");
    const dismiss = element("button", "", "Dismiss");
    const heading = warnings.length === 1
      ? "This message asks for something NRMP rules do not allow"
      : `This message asks for ${warnings.length} things NRMP rules do not allow`;
    const banner = element(
      "div",
      "banner pmc-font",
      element("p", "brand-line", element("span", "brand"), PRODUCT),
      element("h2", "", heading),
      element(
        "ul",
        "issues",
        ...warnings.map((warning) =>
          element(
            "li",
            "",
            element("strong", "", warning.message),
            warning.explanation ? ` ${warning.explanation}` : "",
            warning.source ? element("span", "source", ` Source: ${warning.source}`) : null,
          ),
        ),
      ),
      element("p", "", "You do not have to answer. A neutral reply: ", element("em", "", `“${NEUTRAL_REPLY}”`)),
      element("div", "actions", reply, dismiss),
    );
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-label", `${PRODUCT}: about this message`);
    notes.set(message.body, { banner, note: ui.inFlow(message.body, banner) });
    const close = () => {
      notes.get(message.body)?.note.remove();
      notes.delete(message.body);
    };
    dismiss.addEventListener("click", close);
    reply.addEventListener("click", () => {
      close();
      openReply(message, NEUTRAL_REPLY);
    });
  }

  return {
    scan() {
      for (const [body, shown] of notes) {
        if (!body.isConnected) notes.delete(body);
        else if (!shown.note.isConnected) shown.note = ui.inFlow(body, shown.banner);
      }
      for (const message of adapter.findOpenMessages()) if (!checked.has(message.body)) check(message);
    },
  };
}
