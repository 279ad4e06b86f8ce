// The review of a change, LanguageTool-style: what it passed, which rules it touches, what it
// adds or loses on the examples and the example emails, the diff; then Publish, with a note.
// The same request body is sent to review and to publish, so what is published is what was reviewed.

import { severityLabel } from "../../core/warnings.js";
import { el } from "./dom.js";
import { errorMessage, postJSON } from "./http.js";

/** Shows why a change is refused: file, line (also within the edited text), rule and reason. */
export function showProblem(box, problem, message) {
  box.hidden = false;
  if (!problem) {
    box.replaceChildren(el("strong", {}, "Not accepted: "), message);
    return;
  }
  const where = [problem.file, problem.line && `line ${problem.line}`].filter(Boolean).join(", ");
  box.replaceChildren(
    el("strong", {}, "Refused. "),
    problem.document_line ? el("span", { class: "where" }, `Line ${problem.document_line} of your text`) : null,
    problem.document_line ? " · " : null,
    where ? el("span", { class: "where" }, where) : null,
    problem.rule ? el("span", {}, " · rule ", el("code", {}, problem.rule)) : null,
    el("p", { class: "reason" }, problem.reason),
    el("p", { class: "hint" }, "The rules in force stay as they were."),
  );
}

function warningLine(item, sign) {
  const words = item.words ? el("q", {}, item.words) : el("em", {}, item.field === "subject" ? "the subject" : "the whole email");
  return el("li", { class: sign === "+" ? "add" : "del" }, `${sign} `, el("code", {}, item.rule), ` ${severityLabel(item.severity)} `, words);
}

function regressionSection(report) {
  const changed = report.changes.map((change) => {
    const expectation = change.expectation;
    let badge = null;
    if (expectation && expectation.met_before && !expectation.met_after) {
      badge = el("span", { class: "badge sev-error" }, `no longer ${expectation.expect === "clean" ? "clean" : "as expected"}`);
    } else if (expectation && !expectation.met_before && expectation.met_after) {
      badge = el("span", { class: "badge on" }, "now as expected");
    }
    return el("li", { class: "regression-item" }, el("strong", {}, change.sample), " ", badge,
      el("ul", {}, change.added.map((w) => warningLine(w, "+")), change.lost.map((w) => warningLine(w, "−"))));
  });
  const summary = `Checked ${report.texts.corpus} example emails and ${report.texts.examples} rule examples: ` +
    `${report.added} warning${report.added === 1 ? "" : "s"} added, ${report.lost} lost, in ${report.changed_texts} text${report.changed_texts === 1 ? "" : "s"}.`;
  return el("section", { class: "regression" },
    el("h3", {}, "Effect on the example emails and rule examples"),
    el("p", {}, summary),
    report.corpus_broken ? el("p", { class: "error" }, `${report.corpus_broken} example email${report.corpus_broken === 1 ? "" : "s"} no longer get what they should: look before you publish.`) : null,
    changed.length ? el("ol", { class: "regression-list" }, changed) : el("p", { class: "hint" }, "No warning changes on any of them."));
}

function diffSection(files) {
  return el("section", { class: "diffs" }, el("h3", {}, "Changes to the files"),
    files.map((file) => el("details", { class: "diff-file", open: true },
      el("summary", {}, el("code", {}, file.file), ` (${file.status})`),
      el("pre", { class: "diff" }, file.diff.split("\n").map((line) => el("span", {
        class: line.startsWith("+") && !line.startsWith("+++") ? "add"
          : line.startsWith("-") && !line.startsWith("---") ? "del" : line.startsWith("@@") ? "hunk" : "",
      }, line || " "))))));
}

function rulesSection(rules) {
  const labels = [["added", "Added"], ["removed", "Removed"], ["changed", "Changed"], ["turned_off", "Turned off"], ["turned_on", "Turned on"]];
  const items = labels.filter(([key]) => rules[key].length)
    .map(([key, label]) => el("li", {}, el("strong", {}, `${label}: `), rules[key].map((id, i) => [i ? ", " : "", el("code", {}, id)])));
  return items.length ? el("ul", { class: "rule-changes" }, items) : null;
}

function checksSection(checks) {
  const items = [
    "The rules load: YAML, fields and every pattern.",
    `${checks.patterns_tested} new pattern${checks.patterns_tested === 1 ? "" : "s"} quick on long texts.`,
    checks.examples_checked
      ? `${checks.examples_checked} example${checks.examples_checked === 1 ? "" : "s"} of the affected rules pass.`
      : "No examples to run: no rule that is on changed.",
  ];
  return el("ul", { class: "checks" }, items.map((text) => el("li", {}, text)));
}

/**
 * Reviews the change `body()` describes in `box`, then offers to publish it.
 * onPublished(version) runs after a publish; problems go to `problemBox`.
 */
export async function review({ box, problemBox, body, onPublished, onStatus = () => {} }) {
  problemBox.hidden = true;
  box.hidden = true;
  onStatus("Checking the change and running the examples…");
  const result = await postJSON("api/changes/review", body());
  onStatus("");
  if (!result.ok) {
    showProblem(problemBox, result.data?.error?.problem, errorMessage(result));
    return result;
  }
  const data = result.data;
  const note = el("textarea", { id: "publish-note", rows: 2, required: true, maxlength: 500,
    placeholder: "Why the rules change (kept with the version)" });
  const publishButton = el("button", { type: "submit", class: "primary" }, "Publish");
  const outcome = el("p", { role: "status" });
  const form = el("form", { class: "publish stacked" }, el("label", {}, "Note ", note), publishButton, outcome);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    publishButton.disabled = true;
    outcome.textContent = "Publishing…";
    const published = await postJSON("api/changes/publish", { ...body(), base: data.base.id, note: note.value });
    publishButton.disabled = false;
    if (published.ok) {
      outcome.textContent = `Published as version ${published.data.version.id}. Every server uses it within a few seconds.`;
      onPublished?.(published.data.version);
    } else if (published.httpStatus === 409) {
      outcome.replaceChildren(errorMessage(published), " ", el("button", { type: "button", class: "link", onclick: () => review({ box, problemBox, body: () => ({ ...body(), base: null }), onPublished, onStatus }) }, "Review again"));
    } else {
      outcome.textContent = "";
      showProblem(problemBox, published.data?.error?.problem, errorMessage(published));
    }
  });
  box.replaceChildren(
    el("h2", {}, data.summary),
    el("p", { class: "hint" }, `From version ${data.base.id}; the new rules' digest would be `, el("code", {}, data.digest), "."),
    checksSection(data.checks),
    rulesSection(data.rules),
    regressionSection(data.regression),
    diffSection(data.files),
    form,
  );
  box.hidden = false;
  return result;
}
