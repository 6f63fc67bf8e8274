// `npm start`: build the SPA, migrate the local D1, seed it when empty, then serve on 127.0.0.1 (PORT overrides 8787),
// and once it answers, recover the imports the previous server left unfinished (and aggregate freshly seeded
// demo readings).
// Everything stays local: no Cloudflare account, no network.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { applyMigrationsLocal, localEnv, persistArgs } from "./local-d1.mjs";
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seed } from "./seed.mjs";

const port = process.env.PORT ?? "8787";

execFileSync("vite", ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
  stdio: "inherit",
  env: localEnv,
});
applyMigrationsLocal();
const seeded = isEmpty();
if (seeded) {
  seed();
  console.log("Seeded demo data into the empty local database.");
}
console.log(`\nEclectyc Energy: http://127.0.0.1:${port}`);
console.log(
  `Demo sign-ins (local only): ${DEMO_USERS.map((u) => u[0]).join(", ")}; password ${DEMO_PASSWORD}\n`,
);

// Jobs that last progressed before this instant had their queue messages in the previous server's memory.
const launchedAt = Date.now();
const dev = spawn(
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
    // The benchmark reads the Worker isolate's heap through the inspector on a port of its own.
    ...(process.env.INSPECTOR_PORT ? ["--inspector-port", process.env.INSPECTOR_PORT] : []),
    // bench:aggregate imports once with and once without aggregation (see src/imports/pipeline.ts).
    ...(process.env.AGGREGATE_ON_IMPORT
      ? ["--var", `AGGREGATE_ON_IMPORT:${process.env.AGGREGATE_ON_IMPORT}`]
      : []),
  ],
  {
    stdio: "inherit",
    env: localEnv,
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

/**
 * The local queue lives in memory, so an import running when the last server stopped lost its messages.
 * Once this server answers, wrangler dev's scheduled-event route fires the import watchdog's start-up run
 * (cron/index.ts, LOCAL_START_UP) for every job that last progressed before `launchedAt`; the Worker logs
 * what it recovered. Locally the crons never fire on their own, so without this the job would wait.
 */
async function recoverUnfinishedImports() {
  const url = `http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("@start-up")}&time=${launchedAt}`;
  for (let i = 0; i < 480 && dev.exitCode === null; i++) {
    try {
      const res = await fetch(url);
      if (!res.ok) console.error(`import watchdog at start-up: ${res.status} ${await res.text()}`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250)); // not listening yet
    }
  }
}
/**
 * Seeded demo readings were written straight into D1 (with their changed spans): once the server answers,
 * the nightly aggregation job, fired the same way, turns them into consumption figures.
 */
async function aggregateDemoReadings() {
  const url = `http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("30 1 * * *")}`;
  for (let i = 0; i < 480 && dev.exitCode === null; i++) {
    try {
      const res = await fetch(url);
      if (!res.ok) console.error(`aggregating the demo readings: ${res.status} ${await res.text()}`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250)); // not listening yet
    }
  }
}
/**
 * Then the nightly data-quality job, fired the same way: the demo's issues and its alarms' triggers
 * (their emails appear in this server's log: wrangler simulates the EMAIL binding).
 */
async function checkDemoReadings() {
  const url = `http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("0 2 * * *")}`;
  const res = await fetch(url).catch((err) => ({ ok: false, status: 0, text: async () => String(err) }));
  if (!res.ok) console.error(`checking the demo readings: ${res.status} ${await res.text()}`);
}
await recoverUnfinishedImports();
if (seeded) {
  await aggregateDemoReadings();
  await checkDemoReadings();
}
