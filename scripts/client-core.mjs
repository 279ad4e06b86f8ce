#!/usr/bin/env node
// Puts the clients' shared core (extension/core) where each client loads it without a
// build step, and builds the Outlook send handler from it:
//
//   extension/chrome/core/       a copy of the whole core: Chrome loads only files
//                                inside the extension's own folder
//   extension/outlook/src/core/  a copy of all but dom/ (Office.js cannot draw in the
//                                message editor), served under /addin/ with the pane
//   extension/outlook/src/launchevent.js
//                                extension/outlook/send-handler.js with the core modules
//                                it imports inlined: classic Outlook on Windows loads
//                                the handler as one classic script
//
// The admin's live panel needs no copy: the server serves extension/core itself.
//
//   node scripts/client-core.mjs          writes them all
//   node scripts/client-core.mjs --check  lists what differs, and exits 1 if anything does
//
// The add-in's Node tests run the check, so a core edited without this step fails them.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../", import.meta.url));
export const CORE = "extension/core";
const COMMAND = "node scripts/client-core.mjs";
// What a copy holds: the browser code, not the folder's package.json (it only tells Node
// these files are ES modules) or its README.
const SHIPPED = /\.(js|css)$/;
export const COPIES = [
  { dir: "extension/chrome/core", holds: () => true },
  { dir: "extension/outlook/src/core", holds: (file) => !file.startsWith("dom/") },
];
export const SEND_HANDLER = { source: "extension/outlook/send-handler.js", output: "extension/outlook/src/launchevent.js" };

const read = (file) => readFileSync(path.join(REPO, file), "utf8");

function filesUnder(dir) {
  const root = path.join(REPO, dir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join("/"))
    .sort();
}

export function coreFiles() {
  return filesUnder(CORE).filter((file) => SHIPPED.test(file));
}

function copied(file) {
  const note = `Copied from ${CORE}/${file} by ${COMMAND}: edit that file, then run the command.`;
  return `${file.endsWith(".css") ? `/* ${note} */` : `// ${note}`}\n${read(`${CORE}/${file}`)}`;
}

const IMPORT = /^import \{[^}]*\} from "([^"]+)";\n/gm;

/** A module's own code: its imports dropped and `export` taken off its declarations. */
function inlined(source) {
  return source.replace(IMPORT, "").replace(/^export /gm, "");
}

/** The core modules `file` imports, and theirs, each once, every one before what imports it. */
function dependencies(file, seen = new Set()) {
  const order = [];
  for (const [, specifier] of read(file).matchAll(IMPORT)) {
    const dependency = path.posix.join(path.posix.dirname(file), specifier);
    if (!dependency.startsWith(`${CORE}/`)) throw new Error(`${file} imports ${specifier}: only the core can be inlined`);
    if (seen.has(dependency)) continue;
    seen.add(dependency);
    order.push(...dependencies(dependency, seen), dependency);
  }
  return order;
}

export function sendHandler() {
  const parts = dependencies(SEND_HANDLER.source).map((file) => `// --- ${file}\n\n${inlined(read(file)).trim()}\n`);
  parts.push(`// --- ${SEND_HANDLER.source}\n\n${inlined(read(SEND_HANDLER.source)).trim()}\n`);
  return [
    `// Built by ${COMMAND} from ${SEND_HANDLER.source} and the client core it imports;`,
    "// edit those, then run the command. One classic script, no imports: see send-handler.js.",
    "(function () {",
    '"use strict";',
    "",
    parts.join("\n"),
    "})();",
    "",
  ].join("\n");
}

/** Every file this script writes, as it should be, by path from the repository's root. */
export function expected() {
  const files = new Map();
  for (const { dir, holds } of COPIES) {
    for (const file of coreFiles().filter(holds)) files.set(`${dir}/${file}`, copied(file));
  }
  files.set(SEND_HANDLER.output, sendHandler());
  return files;
}

/** What differs from `expected()`: files missing or changed, and stray files in a copy. */
export function differences() {
  const want = expected();
  const found = [];
  for (const [file, text] of want) {
    const full = path.join(REPO, file);
    if (!existsSync(full)) found.push(`missing: ${file}`);
    else if (readFileSync(full, "utf8") !== text) found.push(`differs: ${file}`);
  }
  for (const { dir } of COPIES) {
    for (const file of filesUnder(dir)) if (!want.has(`${dir}/${file}`)) found.push(`not in the core: ${dir}/${file}`);
  }
  return found;
}

function write() {
  for (const { dir } of COPIES) rmSync(path.join(REPO, dir), { recursive: true, force: true });
  for (const [file, text] of expected()) {
    mkdirSync(path.dirname(path.join(REPO, file)), { recursive: true });
    writeFileSync(path.join(REPO, file), text);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--check")) {
    const found = differences();
    for (const line of found) console.log(line);
    process.exitCode = found.length ? 1 : 0;
  } else {
    write();
  }
}
