// Importing a YAML file: read it in the browser, then review it like any edit before publishing.

import { review } from "./review.js";

const form = document.getElementById("import-form");
const fileInput = document.getElementById("import-file");
const pathInput = document.getElementById("import-path");
const page = document.getElementById("import-page");

fileInput.addEventListener("change", () => {
  const name = fileInput.files[0]?.name.toLowerCase().replace(/\.yml$/, ".yaml").replace(/[^a-z0-9_.-]/g, "-");
  if (name && !pathInput.value) pathInput.value = name === "message.yaml" ? name : `packs/${name}`;
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = await fileInput.files[0].text();
  const change = { op: "put-file", file: pathInput.value.trim(), yaml: text, import: true };
  review({
    box: document.getElementById("review"),
    problemBox: document.getElementById("problem"),
    body: () => ({ change }),
    onPublished: (version) => setTimeout(() => location.assign(`${page.dataset.doneUrl}/${version.id}`), 1200),
  });
});
