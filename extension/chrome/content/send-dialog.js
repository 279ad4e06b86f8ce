// The in-page dialog shown when Send is pressed with errors left: it says it is the
// coach's (not the mail client's) and that the student decides, lists each error, then
// offers "Edit" (the default, and what Escape does) or "Send anyway".

import { PRODUCT } from "./product.js";

export function createSendDialog(ui) {
  const { element } = ui;
  let current = null;

  return {
    isOpen: () => Boolean(current?.isConnected),

    open({ errors, onEdit, onSendAnyway }) {
      const edit = element("button", "primary", "Edit");
      const sendAnyway = element("button", "danger", "Send anyway");
      const heading = element("h2", "", errors.length === 1 ? "This email still has 1 error" : `This email still has ${errors.length} errors`);
      heading.id = "pmcoach-send-title";
      const why = element("p", "muted", `${PRODUCT} held this email before it left. Nothing has been sent; you decide.`);
      why.id = "pmcoach-send-why";
      const dialog = element(
        "div",
        "dialog pmc-font",
        element("p", "brand-line", element("span", "brand"), PRODUCT),
        heading,
        why,
        element(
          "ul",
          "",
          ...errors.map((error) =>
            element("li", "", element("strong", "", error.message), error.flagged ? element("span", "quote", ` “${error.flagged}”`) : null),
          ),
        ),
        element("div", "actions", sendAnyway, edit),
      );
      dialog.setAttribute("role", "alertdialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.setAttribute("aria-labelledby", heading.id);
      dialog.setAttribute("aria-describedby", why.id);
      current = ui.add(element("div", "backdrop", dialog));

      const close = (then) => {
        current?.remove();
        current = null;
        then();
      };
      edit.addEventListener("click", () => close(onEdit));
      sendAnyway.addEventListener("click", () => close(onSendAnyway));
      dialog.addEventListener("keydown", (event) => {
        if (event.key === "Escape") close(onEdit);
        if (event.key === "Tab") {
          event.preventDefault();
          (ui.shadow.activeElement === edit ? sendAnyway : edit).focus();
        }
      });
      edit.focus();
    },
  };
}
