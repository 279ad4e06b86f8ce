// Which sentences of the example emails (and of the other rules' examples) the draft now
// catches, or no longer catches, compared with the rules in force: the words it underlines
// are marked in each sentence, so an advisor sees at once whether a new phrase reaches too far.

import { severityLabel } from "../../core/warnings.js";
import { el } from "./dom.js";
import { errorMessage, postJSON } from "./http.js";
import { plural } from "./words.js";

const DELAY_MS = 900;

/** root: the #reach section; draft(): {base, change} or null when nothing is edited. */
export function reachPanel(root, { draft }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const status = $("reach-status");
  const idle = status.textContent;
  let sequence = 0;
  let timer = 0;

  const item = (found) => el("li", { class: `sentence sev-${found.severity}` },
    found.sentence === null
      ? el("em", {}, "the whole email")
      : el("q", {}, found.before, el("mark", {}, found.words), found.after),
    el("span", { class: "hint" }, ` ${severityLabel(found.severity)} · ${found.text}`));

  function show(box, found, count) {
    box.hidden = !count;
    box.querySelector("ol").replaceChildren(...found.map(item));
    const more = count > found.length ? ` (the first ${found.length} shown)` : "";
    box.querySelector("h3").textContent = `${box.id === "reach-caught" ? "Now caught" : "No longer caught"}: ${plural(count, "sentence")}${more}`;
  }

  async function run() {
    const body = draft();
    const mine = ++sequence;
    if (!body) {
      status.textContent = idle;
      $("reach-caught").hidden = $("reach-released").hidden = true;
      return;
    }
    status.textContent = "Reading the example emails…";
    const result = await postJSON("api/changes/sentences", body);
    if (mine !== sequence) return;
    if (!result.ok) {
      const problem = result.data?.error?.problem;
      status.textContent = problem ? `Not read: the draft does not load (${problem.reason}).` : errorMessage(result);
      $("reach-caught").hidden = $("reach-released").hidden = true;
      return;
    }
    const answer = result.data;
    show($("reach-caught"), answer.caught, answer.caught_count);
    show($("reach-released"), answer.released, answer.released_count);
    const part = answer.incomplete ? " (only part of them: the draft's rules took too long to read them all)" : "";
    status.textContent = answer.caught_count || answer.released_count
      ? `Of ${plural(answer.texts, "text")}${part}, this draft changes what is caught in these sentences.`
      : `No change in what is caught, in ${plural(answer.texts, "text")}${part}.`;
  }

  return {
    refresh(delay = DELAY_MS) {
      clearTimeout(timer);
      timer = setTimeout(run, delay);
    },
  };
}
