// A list the admin edits item by item: suggestions, phrases, example sentences. Each item is
// a labelled text box with a Remove button; "Add" appends one and puts the cursor in it.
// An item that is an object (an example with recipients or earlier sends) keeps everything
// but its text as it was: the form changes the text, the YAML view the rest.

import { el } from "./dom.js";

/**
 * root: an element with data-label ("Flag example") and data-add ("Add an example").
 * Returns {values(), setValues(items)}; onChange() runs after every edit.
 */
export function listField(root, { multiline = false, onChange = () => {} } = {}) {
  const list = el("ol", { class: "list-field-items" });
  const add = el("button", { type: "button", class: "add-item" }, root.dataset.add || "Add one");
  root.append(list, add);

  const renumber = () => {
    [...list.children].forEach((row, index) => {
      const label = `${root.dataset.label} ${index + 1}`;
      row.querySelector(".item-text").setAttribute("aria-label", label);
      row.querySelector(".remove-item").setAttribute("aria-label", `Remove ${label.toLowerCase()}`);
    });
  };

  function row(item) {
    const text = typeof item === "string" ? item : item.text;
    const box = multiline
      ? el("textarea", { class: "item-text", rows: Math.min(6, Math.max(1, Math.ceil(text.length / 70), text.split("\n").length)) })
      : el("input", { class: "item-text", type: "text" });
    box.value = text;
    const remove = el("button", { type: "button", class: "remove-item link" }, "Remove");
    const node = el("li", {}, box, remove,
      typeof item === "object" ? el("p", { class: "hint" }, "Written with ",
        Object.keys(item).filter((key) => key !== "text").join(", "), ": change those in the YAML view.") : null);
    if (typeof item === "object") node.dataset.item = JSON.stringify(item);
    remove.addEventListener("click", () => {
      const next = node.nextElementSibling || node.previousElementSibling;
      node.remove();
      renumber();
      (next?.querySelector(".item-text") || add).focus();
      onChange();
    });
    box.addEventListener("input", onChange);
    return node;
  }

  add.addEventListener("click", () => {
    list.append(row(""));
    renumber();
    list.lastElementChild.querySelector(".item-text").focus();
  });

  return {
    values() {
      return [...list.children].map((node) => {
        const text = node.querySelector(".item-text").value;
        return node.dataset.item ? { ...JSON.parse(node.dataset.item), text } : text;
      }).filter((item) => (typeof item === "string" ? item : item.text).trim());
    },
    setValues(items) {
      list.replaceChildren(...items.map(row));
      renumber();
    },
  };
}
