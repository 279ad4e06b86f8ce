// The core as each client loads it: the copies in the Chrome extension and the add-in,
// and the send handler built from it, are what scripts/client-core.mjs makes of the
// core as it is now; and every file a client imports is there.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { differences } from "../../../scripts/client-core.mjs";
import { REPO } from "./server.mjs";

test("the core's copies and the send handler match the core (else run: node scripts/client-core.mjs)", () => {
  assert.deepEqual(differences(), []);
});

// import ... from "./x.js", export ... from "./x.js", import("./x.js")
const IMPORTS = /(?:^(?:import|export)\b[^"]*|\bimport\()"(\.{1,2}\/[^"]+)"/gm;

function modulesUnder(dir) {
  return readdirSync(path.join(REPO, dir), { recursive: true })
    .filter((file) => /\.m?js$/.test(file) && !file.includes("node_modules"))
    .map((file) => path.join(dir, file));
}

test("every module the extension and the add-in import is where the import says", () => {
  const files = [...modulesUnder("extension/chrome"), ...modulesUnder("extension/outlook/src")];
  assert.ok(files.length > 20);
  const missing = [];
  for (const file of files) {
    for (const [, specifier] of readFileSync(path.join(REPO, file), "utf8").matchAll(IMPORTS)) {
      const target = path.join(path.dirname(file), specifier);
      if (!existsSync(path.join(REPO, target))) missing.push(`${file} imports ${specifier}`);
    }
  }
  assert.deepEqual(missing, []);
});

test("every file the extension's manifest names is in the extension", () => {
  const root = path.join(REPO, "extension/chrome");
  const manifest = JSON.parse(readFileSync(path.join(root, "manifest.json"), "utf8"));
  const named = [
    manifest.background.service_worker,
    manifest.options_ui.page,
    manifest.storage.managed_schema,
    ...Object.values(manifest.icons),
    ...manifest.content_scripts.flatMap((script) => [...(script.js || []), ...(script.css || [])]),
  ];
  assert.deepEqual(named.filter((file) => !existsSync(path.join(root, file))), []);
});
