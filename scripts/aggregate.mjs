// `npm run aggregate [-- --full] [-- --url http://127.0.0.1:8787]`: bring the LOCAL database's consumption
// figures up to date. Figures are computed by the Worker (src/analytics), so this calls the admin rebuild
// endpoint of the running local server, or of one it starts on the local state for the purpose. It signs
// in with a short-lived admin API token written straight into the local D1 (and deleted after), acting
// for the first active admin, so it needs no password.
// (Not while an import runs: two processes writing the local database file can make it answer SQLITE_BUSY.
// `npm start` fires the nightly aggregation job through wrangler's scheduled route instead.)
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { localEnv, persistArgs, queryLocal } from "./local-d1.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function answers(base) {
  try {
    return (await fetch(`${base}/api/health`)).status < 500;
  } catch {
    return false;
  }
}

/** Starts `wrangler dev` on the local state and a free port; resolves once it answers. */
async function startServer() {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const child = spawn(
    "wrangler",
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      port,
      "--local",
      ...persistArgs,
      "--show-interactive-dev-session=false",
    ],
    { env: localEnv, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (await answers(base)) return { base, stop: () => process.kill(-child.pid, "SIGTERM") };
    if (child.exitCode !== null) break;
    await sleep(250);
  }
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  throw new Error(`the local server did not start:\n${log.slice(-2000)}`);
}

/** A throwaway admin token in the local D1: [headers, cleanup]. */
function temporaryToken() {
  const token = "eet_" + randomBytes(24).toString("base64url");
  const hash = createHash("sha256").update(token).digest("hex");
  queryLocal(`INSERT INTO api_tokens (name, token_hash, prefix, role, created_by)
    SELECT 'npm run aggregate', '${hash}', '${token.slice(0, 10)}', 'admin', id FROM users
    WHERE role = 'admin' AND active = 1 ORDER BY id LIMIT 1`);
  return [
    { Authorization: `Bearer ${token}` },
    () => queryLocal(`DELETE FROM api_tokens WHERE token_hash = '${hash}'`),
  ];
}

/**
 * Runs the rebuild (`full`) or the pending aggregation on the server at `base`, repeating the pending
 * run while the server answers 202 (work continuing in the background). Returns the last answer.
 * `auth` is [headers, cleanup] (a temporary token unless given).
 */
export async function aggregateLocal({ base, full, auth = temporaryToken() }) {
  const [headers, cleanup] = await auth;
  try {
    let mode = full ? "full" : "pending";
    for (;;) {
      const res = await fetch(`${base}/api/aggregates/rebuild?mode=${mode}`, { method: "POST", headers });
      const body = await res.json();
      if (res.status === 200) return body;
      if (res.status !== 202) throw new Error(`rebuild → ${res.status} ${JSON.stringify(body)}`);
      mode = "pending";
    }
  } finally {
    cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const full = argv.includes("--full");
  const urlAt = argv.indexOf("--url");
  let base = urlAt >= 0 ? argv[urlAt + 1] : `http://127.0.0.1:${process.env.PORT ?? "8787"}`;
  let server = null;
  if (!(await answers(base))) {
    server = await startServer();
    base = server.base;
  }
  try {
    const t0 = performance.now();
    const result = await aggregateLocal({ base, full });
    console.log(
      `${full ? "full rebuild" : "pending changes"}: ${result.days} meter-days of ${result.meters} meters in ${((performance.now() - t0) / 1000).toFixed(1)} s (server ${result.ms} ms)`,
    );
  } finally {
    server?.stop();
  }
}
