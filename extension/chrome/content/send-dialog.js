// The in-page dialog shown when Send is pressed with errors left: each error,
// then "Edit" (the default, and what Escape does) or "Send anyway".

export function createSendDialog(ui) {
  const { element } = ui;

  return {
    open({ errors, onEdit, onSendAnyway }) {
      const edit = element("button", "primary", "Edit");
      const sendAnyway = element("button", "danger", "Send anyway");
      const heading = element("h2", "", errors.length === 1 ? "This email still has 1 error" : `This email still has ${errors.length} errors`);
      heading.id = "pmcoach-send-title";
      const dialog = element(
        "div",
        "dialog pmc-font",
        heading,
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
      const backdrop = ui.add(element("div", "backdrop", dialog));

      const close = (then) => {
        backdrop.remove();
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
