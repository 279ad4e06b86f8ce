#!/usr/bin/env node
// Builds the Chrome extension's content script, extension/chrome/content/coach.js, from
// its ES modules (extension/chrome/content/main.js and what it imports) with esbuild.
//
// A content script cannot be a module, and the modules it could import() would have to
// be web-accessible to the mail client's page, where any script can probe for them.
// Chrome can hide such files behind a per-session URL (use_dynamic_url), but a module
// loaded from it resolves its own imports against the extension's fixed URL, which that
// hides: so the modules are bundled into one classic script the manifest injects, and
// the page can reach nothing but the stylesheet the coach's shadow root loads.
//
//   node scripts/content-bundle.mjs          writes the bundle
//   node scripts/content-bundle.mjs --check  exits 1 if the bundle differs from what it would write
//
// Run `node scripts/client-core.mjs` first when the core changed: the bundle takes the
// extension's copy of it.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const ENTRY = "extension/chrome/content/main.js";
export const BUNDLE = "extension/chrome/content/coach.js";
const COMMAND = "node scripts/content-bundle.mjs";

export async function bundle() {
  const result = await build({
    absWorkingDir: REPO,
    entryPoints: [ENTRY],
    bundle: true,
    format: "iife",
    target: "chrome116",
    charset: "utf8",
    legalComments: "none",
    write: false,
    banner: { js: `// Built by ${COMMAND} from ${ENTRY} and the modules it imports: edit those, then run the command.` },
  });
  return result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundle();
  const file = path.join(REPO, BUNDLE);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(file, "utf8");
    } catch {
      // missing: it differs
    }
    if (current !== text) console.log(`differs: ${BUNDLE} (run ${COMMAND})`);
    process.exitCode = current === text ? 0 : 1;
  } else {
    writeFileSync(file, text);
  }
}
