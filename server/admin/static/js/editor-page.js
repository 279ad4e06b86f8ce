// The rule editor: the YAML of one rule (or a whole word list), the live panel trying the
// draft as it is typed, and Check and review → Publish.

import { livePanel } from "./live-panel.js";
import { review } from "./review.js";
import { yamlEditor } from "./yaml-editor.js";

const page = document.getElementById("editor-page");
const { base, mode, rule } = page.dataset;
const problemBox = document.getElementById("problem");
const reviewBox = document.getElementById("review");
const original = document.getElementById("yaml").value;
const packInput = document.getElementById("pack");
const DRAFT_DELAY_MS = 700;

const editor = yamlEditor(document.getElementById("yaml"), {
  onInput: () => {
    editor.clearMark();
    problemBox.hidden = true;
    reviewBox.hidden = true;
    panel.refresh(DRAFT_DELAY_MS);
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

const panel = livePanel(document.getElementById("live-panel"), {
  // Until the text changes, the live panel tries the rules in force.
  draft: () => ({ base: Number(base), change: mode !== "add-rule" && editor.value === original ? null : change() }),
});
packInput?.addEventListener("input", () => panel.refresh(DRAFT_DELAY_MS));

document.getElementById("review-button").addEventListener("click", async () => {
  const result = await review({
    box: reviewBox,
    problemBox,
    body: () => ({ base: Number(base), change: change() }),
    onPublished: (version) => {
      const published = change();
      const next = published.op === "put-file"
        ? page.dataset.fileUrl.replace("__FILE__", published.file)
        : page.dataset.editorUrl.replace("__RULE__", encodeURIComponent(ruleId() || rule));
      setTimeout(() => location.assign(`${next}?published=${version.id}`), 1200);
    },
  });
  const line = result?.data?.error?.problem?.document_line;
  if (line) {
    editor.markLine(line);
    editor.focusLine(line);
  }
});

document.getElementById("revert-button").addEventListener("click", () => {
  editor.setValue(original);
  editor.clearMark();
  problemBox.hidden = true;
  reviewBox.hidden = true;
  panel.refresh(0);
});

/** The id the edited rule has now (it may have been renamed). */
function ruleId() {
  return editor.value.match(/^id:\s*["']?([^"'\s#]+)/m)?.[1];
}

const published = new URLSearchParams(location.search).get("published");
if (published) {
  const notice = document.getElementById("published");
  notice.textContent = `Published as version ${published}. Every server uses it within a few seconds.`;
  notice.hidden = false;
}
panel.refresh(0);
