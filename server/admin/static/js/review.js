// The review of a change, LanguageTool-style: what it passed, which rules it touches, what it
// adds or loses on the examples and the example emails, the diff; then Publish, with a note.
// The same request body is sent to review and to publish, so what is published is what was reviewed.

import { severityLabel } from "../../core/warnings.js";
import { el } from "./dom.js";
import { errorMessage, postJSON } from "./http.js";
import { plural } from "./words.js";

/** Shows why a change is refused: where (the line of the edited text, the file), the rule and the reason. */
export function showProblem(box, problem, message) {
  box.hidden = false;
  if (!problem) {
    box.replaceChildren(el("strong", {}, "Not accepted: "), message);
  } else {
    // Within what the admin edited, its line is enough; elsewhere, the file and line say where.
    const where = [
      problem.document_line ? `line ${problem.document_line} of what you edited`
        : problem.file ? `${problem.file}${problem.line ? `, line ${problem.line}` : ""}` : null,
      problem.rule ? `rule ${problem.rule}` : null,
    ].filter(Boolean);
    box.replaceChildren(
      el("strong", {}, "Not accepted"), where.length ? el("span", { class: "where" }, ` (${where.join(" · ")})`) : null,
      el("p", { class: "reason" }, problem.reason),
      el("p", { class: "hint" }, "Nothing was published: the rules in force stay as they were."),
    );
  }
  box.scrollIntoView({ block: "nearest" });
  box.focus({ preventScroll: true });
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
    } else if (change.clean_flagged) {
      badge = el("span", { class: "badge sev-error" }, "a good example, now flagged");
    }
    return el("li", { class: "regression-item" }, el("strong", {}, change.sample), " ", badge,
      el("ul", {}, change.added.map((w) => warningLine(w, "+")), change.lost.map((w) => warningLine(w, "−"))));
  });
  const fresh = report.texts.new_examples
    ? ` The ${plural(report.texts.new_examples, "new example")} of the changed rules ${report.texts.new_examples === 1 ? "is" : "are"} checked above, not counted here.` : "";
  const summary = `Checked ${plural(report.texts.corpus, "example email")} and ${plural(report.texts.examples, "rule example")}: ` +
    `${plural(report.added, "warning")} added, ${report.lost} lost, in ${plural(report.changed_texts, "text")}.${fresh}`;
  return el("section", { class: "regression" },
    el("h3", {}, "Effect on the example emails and rule examples"),
    el("p", {}, summary),
    changed.length ? el("ol", { class: "regression-list" }, changed) : el("p", { class: "hint" }, "No warning changes on any of them."));
}

/** What publishing would cost, said in full, with the box to tick to accept it; null when nothing. */
function consequencesSection(consequences, onAccept) {
  const lines = [];
  if (consequences.corpus_broken) {
    const one = consequences.corpus_broken === 1;
    lines.push(`${plural(consequences.corpus_broken, "example email")} would no longer get what ${one ? "it" : "they"} should: ` +
      `a warning expected on ${one ? "it" : "them"} is lost, or a good email is now flagged.`);
  }
  if (consequences.clean_flagged) {
    lines.push(`${plural(consequences.clean_flagged, "sentence")} kept as good examples would now be flagged: applicants writing well would be warned.`);
  }
  if (!lines.length) return null;
  const box = el("input", { type: "checkbox", id: "accept-consequences" });
  box.addEventListener("change", () => onAccept(box.checked));
  return el("section", { class: "consequences", role: "group", "aria-labelledby": "consequences-title" },
    el("h3", { id: "consequences-title" }, "Before you publish"),
    el("ul", {}, lines.map((line) => el("li", {}, line))),
    el("p", { class: "hint" }, "They are marked in the list above. Change the rule, or accept this on purpose."),
    el("label", { class: "choice" }, box, " I have read this and want to publish anyway"));
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
    `${plural(checks.patterns_tested, "new pattern")} quick on long texts.`,
    checks.examples_checked
      ? `${plural(checks.examples_checked, "example")} of the affected rules pass.`
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
  const costs = data.consequences || {};
  const note = el("textarea", { id: "publish-note", rows: 2, required: true, maxlength: 500,
    placeholder: "Why the rules change (kept with the version)" });
  const publishButton = el("button", { type: "submit", class: "primary" }, "Publish");
  const outcome = el("p", { role: "status" });
  const consequences = consequencesSection(costs, (accepted) => { publishButton.disabled = !accepted; });
  publishButton.disabled = Boolean(consequences);
  const form = el("form", { class: "publish stacked" }, el("label", {}, "Note ", note), publishButton, outcome);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    publishButton.disabled = true;
    outcome.textContent = "Publishing…";
    const confirm = Object.keys(costs).length ? costs : undefined;
    const published = await postJSON("api/changes/publish", { ...body(), base: data.base.id, note: note.value, confirm });
    publishButton.disabled = false;
    const again = () => el("button", { type: "button", class: "link", onclick: () => review({ box, problemBox, body: () => ({ ...body(), base: null }), onPublished, onStatus }) }, "Review again");
    if (published.ok) {
      outcome.textContent = `Published as version ${published.data.version.id}. Every server uses it within a few seconds.`;
      onPublished?.(published.data.version);
    } else if (published.httpStatus === 409 || published.httpStatus === 428) {
      outcome.replaceChildren(errorMessage(published), " ", again());
    } else {
      outcome.textContent = "";
      showProblem(problemBox, published.data?.error?.problem, errorMessage(published));
    }
  });
  box.replaceChildren(
    el("h2", { tabindex: "-1" }, data.summary),
    el("p", { class: "hint" }, `The change starts from ${data.base.described}.`),
    checksSection(data.checks),
    rulesSection(data.rules),
    regressionSection(data.regression),
    diffSection(data.files),
    consequences,
    form,
  );
  box.hidden = false;
  box.scrollIntoView({ block: "start" });
  box.querySelector("h2").focus({ preventScroll: true });
  return result;
}
