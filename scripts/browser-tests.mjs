// Browser tests: serve the app exactly as `npm start` does (fresh local state, its own port),
// wait until it is healthy, run test/browser/*.test.mjs in headless Chromium, then stop the server.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CHROMIUM = "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  console.error(`browser tests need ${CHROMIUM}: apt-get install -y chromium (.ci/run does this)`);
  process.exit(1);
}

const port = process.env.BROWSER_TEST_PORT ?? String(20000 + Math.floor(Math.random() * 20000));
const state = mkdtempSync(join(tmpdir(), "eclectyc-browser-"));
const baseUrl = `http://127.0.0.1:${port}`;
const server = spawn("node", ["scripts/start.mjs"], {
  env: { ...process.env, PORT: port, ECLECTYC_STATE_DIR: state },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let log = "";
server.stdout.on("data", (d) => (log += d));
server.stderr.on("data", (d) => (log += d));

function stop() {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {}
  rmSync(state, { recursive: true, force: true });
}

async function waitHealthy(timeoutMs) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok && (await res.json()).status === "healthy") return Date.now() - started;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not healthy after ${timeoutMs} ms`);
}

let code = 1;
try {
  const ms = await waitHealthy(120_000);
  console.log(`npm start: healthy with demo data at ${baseUrl} after ${(ms / 1000).toFixed(1)} s`);
  const run = spawn(
    "node",
    ["--test", "--test-concurrency=1", "test/e2e/**/*.test.mjs", "test/browser/**/*.test.mjs"],
    {
      env: { ...process.env, BASE_URL: baseUrl },
      stdio: "inherit",
    },
  );
  code = await new Promise((resolve) => run.on("exit", (c) => resolve(c ?? 1)));
} catch (err) {
  console.error(String(err));
  console.error(log.slice(-4000));
} finally {
  stop();
}
process.exit(code);
