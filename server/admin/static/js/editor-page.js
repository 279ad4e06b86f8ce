// The rule editor: the rule as a form, or as YAML ("advanced"), the two kept the same; the live
// panel trying the draft as it is typed; the sentences of the example emails the draft now
// catches or stops catching; then Check and review → Publish. Unsaved edits are not lost
// silently: leaving the page with them asks first.

import { errorMessage, postJSON } from "./http.js";
import { livePanel } from "./live-panel.js";
import { reachPanel } from "./reach-panel.js";
import { review } from "./review.js";
import { ruleForm } from "./rule-form.js";
import { yamlEditor } from "./yaml-editor.js";

const page = document.getElementById("editor-page");
const { base, mode, rule } = page.dataset;
const problemBox = document.getElementById("problem");
const reviewBox = document.getElementById("review");
const original = document.getElementById("yaml").value;
const packInput = document.getElementById("pack");
const DRAFT_DELAY_MS = 700;
const FORM_DELAY_MS = 250;
let published = false;

/** What the server put on the page for this script: data-fields, data-categories, data-family-packs. */
const data = (name) => JSON.parse(page.dataset[name] || "null");

const editor = yamlEditor(document.getElementById("yaml"), {
  onInput: () => {
    formStale = true;
    edited();
  },
  onEscape: () => {
    document.getElementById("yaml-announce").textContent = "Tab now leaves the YAML box.";
  },
});

function file() {
  return packInput ? packInput.value.trim() : page.dataset.file;
}

/** The change the editor holds, as /admin/api/changes/* take it. */
function change() {
  if (mode === "put-rule") return { op: "put-rule", file: file(), rule, yaml: editor.value };
  if (mode === "add-rule") return { op: "add-rule", file: file(), yaml: editor.value };
  return { op: "put-file", file: file(), yaml: editor.value };
}

const changed = () => mode === "add-rule" || editor.value !== original;

const panel = livePanel(document.getElementById("live-panel"), {
  // Until the text changes, the live panel tries the rules in force.
  draft: () => ({ base: Number(base), change: changed() ? change() : null }),
});
const reachBox = document.getElementById("reach");
const reach = reachBox ? reachPanel(reachBox, { draft: () => (changed() ? { base: Number(base), change: change() } : null) }) : null;

function edited() {
  editor.clearMark();
  problemBox.hidden = true;
  reviewBox.hidden = true;
  document.getElementById("unsaved").textContent = editor.value !== original && !published
    ? "Unsaved edits: applicants get the rule as it was until you check, review and publish." : "";
  panel.refresh(DRAFT_DELAY_MS);
  reach?.refresh();
}

addEventListener("beforeunload", (event) => {
  if (editor.value !== original && !published) event.preventDefault();
});
packInput?.addEventListener("input", () => {
  packInput.dataset.typed = "1";
  edited();
});

// The form, and the YAML written from it by the server.

const formElement = document.getElementById("rule-form");
const formProblem = document.getElementById("form-problem");
let formStale = false; // the YAML was edited since the form was filled from it
let formTimer = 0;
let formSequence = 0;
let formSync = Promise.resolve();

const form = formElement && ruleForm(formElement, {
  categories: data("categories"),
  onChange: () => {
    suggestNames();
    clearTimeout(formTimer);
    formTimer = setTimeout(() => { formSync = writeForm(); }, FORM_DELAY_MS);
  },
});

async function writeForm() {
  formTimer = 0;
  const mine = ++formSequence;
  const result = await postJSON("api/rule-form", { yaml: editor.value, fields: form.fields() });
  if (mine !== formSequence) return;
  if (!result.ok) {
    formProblem.textContent = errorMessage(result);
    formProblem.hidden = false;
    return;
  }
  formProblem.hidden = true;
  if (result.data.yaml !== editor.value) {
    editor.setValue(result.data.yaml);
    edited();
  }
}

/** Waits until the form's last edit is in the YAML. */
async function flush() {
  if (!form) return;
  if (formTimer) {
    clearTimeout(formTimer);
    formSync = writeForm();
  }
  await formSync;
}

// A new rule gets a name from its category and message, the pack of its category's family and
// the category's usual severity, until the admin chooses their own.
const idInput = document.getElementById("rf-id");
idInput?.addEventListener("input", () => { idInput.dataset.typed = "1"; });
let severityChosen = false;
formElement?.addEventListener("change", (event) => {
  if (event.target.name === "severity") severityChosen = true;
});
const usualSeverity = Object.fromEntries((data("categories") || []).map((c) => [c.id, c.severity]));

function suggestNames() {
  if (mode !== "add-rule") return;
  const category = document.getElementById("rf-category").value;
  if (!idInput.dataset.typed) {
    const words = document.getElementById("rf-message").value.toLowerCase().match(/[a-z0-9]+/g) || ["new", "rule"];
    idInput.value = `${category}.${words.slice(0, 5).join("-")}`;
  }
  if (!severityChosen) {
    for (const radio of formElement.querySelectorAll("input[name=severity]")) radio.checked = radio.value === usualSeverity[category];
  }
  const pack = data("familyPacks")[category.split(".")[0]];
  if (packInput && pack && !packInput.dataset.typed) packInput.value = pack;
}

async function readForm() {
  const result = await postJSON("api/rule-form", { yaml: editor.value });
  if (!result.ok) return errorMessage(result);
  form.setFields(result.data.fields);
  formStale = false;
  formProblem.hidden = true;
  return null;
}

// The two views, as tabs (arrow keys move between them).

const tabs = [...document.querySelectorAll("[role=tab]")];

async function show(tab) {
  const formTab = tab.id === "form-tab";
  if (formTab && formStale) {
    const problem = await readForm();
    if (problem) {
      problemBox.replaceChildren(`The form cannot show the rule yet: ${problem}`);
      problemBox.hidden = false;
      return;
    }
  }
  if (!formTab) await flush();
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
  }
  tab.focus();
}

for (const tab of tabs) {
  tab.addEventListener("click", () => show(tab));
  tab.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    show(tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]);
  });
}

function showLine(line) {
  const yamlTab = document.getElementById("yaml-tab");
  if (yamlTab && yamlTab.getAttribute("aria-selected") !== "true") {
    problemBox.append(" ", Object.assign(document.createElement("button"), {
      type: "button", className: "link", textContent: `Show line ${line} in the YAML view`,
      onclick: async () => {
        await show(yamlTab);
        editor.markLine(line);
        editor.focusLine(line);
      },
    }));
    return;
  }
  editor.markLine(line);
  editor.focusLine(line);
}

// Check and review → Publish.

document.getElementById("review-button").addEventListener("click", async () => {
  await flush();
  const result = await review({
    box: reviewBox,
    problemBox,
    body: () => ({ base: Number(base), change: change() }),
    onPublished: (version) => {
      published = true;
      const done = change();
      const next = done.op === "put-file"
        ? page.dataset.fileUrl.replace("__FILE__", done.file)
        : page.dataset.editorUrl.replace("__RULE__", encodeURIComponent(ruleId() || rule));
      setTimeout(() => location.assign(`${next}?published=${version.id}`), 1200);
    },
  });
  const line = result?.data?.error?.problem?.document_line;
  if (line) showLine(line);
});

document.getElementById("revert-button").addEventListener("click", async () => {
  clearTimeout(formTimer);
  formTimer = 0;
  formSequence++;
  editor.setValue(original);
  if (form) await readForm();
  edited();
});

/** The id the edited rule has now (it may have been renamed). */
function ruleId() {
  return editor.value.match(/^id:\s*["']?([^"'\s#]+)/m)?.[1];
}

const justPublished = new URLSearchParams(location.search).get("published");
if (justPublished) {
  const notice = document.getElementById("published");
  notice.textContent = `Published as version ${justPublished}. Every server uses it within a few seconds.`;
  notice.hidden = false;
}
const fields = data("fields");
if (form && fields) form.setFields(fields);
else if (form) show(document.getElementById("yaml-tab"));
if (mode === "add-rule") suggestNames();
panel.refresh(0);
page.dataset.ready = "1"; // the form holds the rule: what is typed from now on is kept
