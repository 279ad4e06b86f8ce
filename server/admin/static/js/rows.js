// "Add a row" under a table of a form's repeated rows (dates, stages, policies, tracks): a blank
// copy of the last row, numbered next, so several can be added before one Save. The server
// reads prefix-N-field for N below the hidden count, and leaves blank rows out.
for (const button of document.querySelectorAll("button[data-add-row]")) {
  const name = button.dataset.addRow;
  const body = document.getElementById(name);
  const count = document.querySelector(`input[data-row-count="${name}"]`);
  button.addEventListener("click", () => {
    const number = Number(count.value);
    const row = body.lastElementChild.cloneNode(true);
    for (const field of row.querySelectorAll("input, select, textarea")) {
      field.name = field.name.replace(/-\d+-/, `-${number}-`);
      field.setAttribute("aria-label", (field.getAttribute("aria-label") || "").replace(/\d+/, String(number + 1)));
      if (field.tagName === "SELECT") field.selectedIndex = 0;
      else field.value = "";
    }
    for (const note of row.querySelectorAll(".hint, .note, a")) note.remove();
    body.append(row);
    count.value = String(number + 1);
    row.querySelector("input, select, textarea").focus();
  });
}
