// The rule as a form: what applicants read (message, explanation, source, suggestions), its
// category (with what the rulebook says of it) and severity, what it catches (plain phrases,
// concepts, and for other rules a note of the keys only the YAML view shows), and the example
// sentences it must flag and leave alone. The server turns the fields into YAML
// (/admin/api/rule-form), so nobody needs to know how YAML quotes a colon.

import { el } from "./dom.js";
import { listField } from "./list-field.js";

/**
 * form: the <form id="rule-form">; categories: [{id, severity, catches, authority, reads}].
 * Returns {fields(), setFields(fields)}; onChange() runs after each edit of a field.
 */
export function ruleForm(form, { categories, onChange = () => {} }) {
  const $ = (id) => form.querySelector(`#${id}`);
  const lists = {
    suggestions: listField($("rf-suggestions"), { onChange }),
    phrases: listField($("rf-phrases"), { onChange }),
    flag: listField($("rf-flag"), { multiline: true, onChange }),
    clean: listField($("rf-clean"), { multiline: true, onChange }),
  };
  const byId = Object.fromEntries(categories.map((c) => [c.id, c]));
  let kept = {}; // what the form shows but does not edit: the type, and the keys only YAML shows

  function describeCategory() {
    const entry = byId[$("rf-category").value];
    const box = $("rf-category-meaning");
    if (!entry) return box.replaceChildren("Choose the category the rule belongs to.");
    const severity = { error: "an error", warning: "a warning", info: "a tip" }[entry.severity] || entry.severity;
    box.replaceChildren(
      el("span", {}, entry.catches ? entry.catches[0].toUpperCase() + entry.catches.slice(1) + "." : "No description in the rulebook yet."), " ",
      el("span", { class: "hint" }, `Usually ${severity}. Authority: ${entry.authority || "not given"}.`), " ",
      el("a", { href: `${form.dataset.rulebookUrl}#category-${entry.id}`, target: "_blank", rel: "noopener" },
        "All categories (opens in a new tab)"));
  }

  function showKind(type, others) {
    const examples = type === "examples";
    const also = others.length ? ` It also has ${others.join(", ")}, changed in the YAML view.` : "";
    $("rf-kind").replaceChildren(examples
      ? `It flags sentences that read like its examples to flag and unlike its examples to leave alone, and any sentence holding one of its phrases.${also}`
      : `A ${type} rule.${also}`);
  }

  // Pattern rules mark in each flag example the words they underline: <marker>…</marker>.
  let flagBox = null;
  $("rf-flag").addEventListener("focusin", (event) => {
    if (event.target.classList.contains("item-text")) flagBox = event.target;
  });
  $("rf-mark").addEventListener("click", () => {
    if (!flagBox || flagBox.selectionStart === flagBox.selectionEnd) {
      $("rf-mark-status").textContent = "Select the words to underline in an example to flag first.";
      return;
    }
    // One mark per example: an earlier one goes.
    const { selectionStart: start, selectionEnd: end, value } = flagBox;
    const plain = (text) => text.replaceAll(/<\/?marker>/g, "");
    const words = plain(value.slice(start, end));
    flagBox.value = `${plain(value.slice(0, start))}<marker>${words}</marker>${plain(value.slice(end))}`;
    $("rf-mark-status").textContent = `Marked: ${words}`;
    flagBox.focus();
    onChange();
  });

  form.addEventListener("input", (event) => {
    if (!event.target.closest(".list-field")) onChange();
  });
  form.addEventListener("change", (event) => {
    if (event.target.id === "rf-category") describeCategory();
    if (!event.target.closest(".list-field")) onChange();
  });

  return {
    fields() {
      return {
        ...kept,
        id: $("rf-id").value,
        message: $("rf-message").value,
        explanation: $("rf-explanation").value,
        source: $("rf-source").value,
        category: $("rf-category").value,
        severity: form.querySelector("input[name=severity]:checked")?.value || "",
        enabled: $("rf-enabled").checked,
        suggestions: lists.suggestions.values(),
        phrases: lists.phrases.values(),
        about: [...form.querySelectorAll("input[name=about]:checked")].map((box) => box.value),
        examples: { flag: lists.flag.values(), clean: lists.clean.values() },
      };
    },
    setFields(fields) {
      kept = { type: fields.type };
      for (const key of ["id", "message", "explanation", "source"]) $(`rf-${key}`).value = fields[key];
      const select = $("rf-category");
      if (![...select.options].some((option) => option.value === fields.category)) {
        select.append(el("option", { value: fields.category }, `${fields.category} (not a category of the rulebook)`));
      }
      select.value = fields.category;
      for (const radio of form.querySelectorAll("input[name=severity]")) radio.checked = radio.value === fields.severity;
      $("rf-enabled").checked = fields.enabled;
      for (const key of ["suggestions", "phrases"]) lists[key].setValues(fields[key]);
      lists.flag.setValues(fields.examples.flag);
      lists.clean.setValues(fields.examples.clean);
      for (const box of form.querySelectorAll("input[name=about]")) box.checked = fields.about.includes(box.value);
      const unknown = fields.about.filter((name) => !form.querySelector(`input[name=about][value="${CSS.escape(name)}"]`));
      $("rf-about-unknown").textContent = unknown.length ? `Also: ${unknown.join(", ")} (not a word list; correct it in the YAML view).` : "";
      $("rf-marker-help").hidden = fields.type === "examples";
      showKind(fields.type, fields.other_keys);
      describeCategory();
    },
  };
}
