// Notices about what happened after a send, in the mail client's page: a send the
// ledger refused stays in the extension until the student fixes it, and this says so,
// with the server's reason, right when it happens.

import { PRODUCT } from "./product.js";
import { ask } from "./service.js";

export function createNotices(ui) {
  const { element } = ui;

  function show(...children) {
    const close = element("button", "", "Dismiss");
    const brand = element("p", "brand-line", element("span", "brand"), PRODUCT);
    const notice = ui.add(element("div", "notice pmc-font", brand, ...children, element("div", "actions", close)));
    notice.setAttribute("role", "alert");
    close.addEventListener("click", () => notice.remove());
    return notice;
  }

  return {
    /** A send the server refused: not in the ledger, why, and where to fix it. */
    unrecorded(event, rejected) {
      const fix = element("button", "primary", "Fix in settings");
      const to = (event.to || []).join(", ") || "no recipient";
      const notice = show(
        element("p", "", element("strong", "", "This email was sent, but it is not in your ledger yet.")),
        element("p", "", `“${event.subject || "(no subject)"}” to ${to}: ${rejected.message}`),
        element("p", "muted", "It is kept in the coach until you fix it, so your history with this program stays true."),
      );
      notice.querySelector(".actions").prepend(fix);
      fix.addEventListener("click", () => {
        notice.remove();
        ask("options.open");
      });
    },
  };
}
