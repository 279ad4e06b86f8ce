// A real rules server for the add-in's tests: `flask run` on a free port with its own
// instance folder (and so its own SQLite database), and the server's CLI beside it.

import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
export const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** $PYTHON, else the venv in the clone's root (where CI creates it). */
export function python() {
  if (process.env.PYTHON) {
    return process.env.PYTHON;
  }
  const candidates = [".venv/bin/python", ".venv/Scripts/python.exe"].map((p) => path.join(REPO, p));
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startServer({ timeoutMs = 30_000 } = {}) {
  const instance = await mkdtemp(path.join(os.tmpdir(), "coach-outlook-test-"));
  const port = await freePort();
  const env = { ...process.env, COACH_INSTANCE_PATH: instance };
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(python(), ["-m", "flask", "--app", "server", "run", "--port", String(port)],
    { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (chunk) => { log += chunk; });
  child.stderr.on("data", (chunk) => { log += chunk; });
  const exited = new Promise((resolve) => child.once("exit", resolve));

  async function stop() {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    await rm(instance, { recursive: true, force: true });
  }

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the rules server exited:\n${log.slice(-3000)}`);
    }
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the rules server did not answer /healthz in ${timeoutMs} ms:\n${log.slice(-3000)}`);
    }
    await sleep(100);
  }

  /** Runs `flask --app server ARGS` against this server's database; its standard output. */
  async function flask(...args) {
    const { stdout } = await promisify(execFile)(python(), ["-m", "flask", "--app", "server", ...args],
      { cwd: REPO, env, timeout: 120_000 });
    return stdout;
  }

  /** A new applicant's API token: the last line `create-user` prints. */
  async function createUser(email) {
    return (await flask("create-user", email)).trim().split("\n").at(-1).trim();
  }

  /** The applicant's own ledger, as GET /api/v1/ledger lists it. */
  async function ledger(token) {
    const response = await fetch(`${url}/api/v1/ledger`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) {
      throw new Error(`GET /api/v1/ledger answered ${response.status}: ${await response.text()}`);
    }
    return response.json();
  }

  /** What the server itself says about a draft. */
  async function check(draft, token) {
    const headers = { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(`${url}/api/v1/check`, { method: "POST", headers, body: JSON.stringify(draft) });
    return response.json();
  }

  return { url, port, instance, env, flask, createUser, ledger, check, stop, log: () => log };
}
