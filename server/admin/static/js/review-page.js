// Review of a change named in the address: turn a rule on or off, delete a rule or a pack,
// roll back to a version, publish the rules a release shipped.

import { review } from "./review.js";

const params = new URLSearchParams(location.search);
const page = document.getElementById("review-page");
const status = document.getElementById("review-status");
const op = params.get("op");
const change = { op };
for (const key of ["file", "rule", "release"]) if (params.has(key)) change[key] = params.get(key);
if (params.has("version")) change.version = Number(params.get("version"));

review({
  box: document.getElementById("review"),
  problemBox: document.getElementById("problem"),
  body: () => ({ change }),
  onStatus: (text) => { status.textContent = text; },
  onPublished: (version) => setTimeout(() => location.assign(`${page.dataset.doneUrl}/${version.id}`), 1200),
});
