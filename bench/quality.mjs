// npm run bench:quality [-- --meters 1000 --days 365 --sites 20]
// What the data-quality checks cost, measured locally in workerd on bench:import's generated readings
// (the wide file: N meters × D days from 2025-01-01), imported through the app like any file:
//   - the checks that run when that import completes, over every day it wrote (a full run that opens
//     the issues), and two full runs on demand after it (POST /api/quality/run: re-runs, idempotent);
//   - the incremental checks after a second and a third file each add one new day per meter;
//   - as the reference in the same run, a full rebuild of the consumption figures over the same readings.
// Durations are the server's own, from scheduler_executions. Targets: full ≤ 30 s, incremental ≤ 2 s.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { mpan, readingsIn, writeWide } from "./files.mjs";
import { median, parseArgs, signInAsDemoAdmin, startAppOnFreePort } from "./server.mjs";
import { api, runPipeline } from "./upload.mjs";

const args = parseArgs();
const METERS = Number(args.meters ?? 1000);
const DAYS = Number(args.days ?? 365);
const SITES = Number(args.sites ?? 20);
const OUT = join(process.cwd(), "bench-out");
mkdirSync(OUT, { recursive: true });

const year = join(OUT, `wide-${METERS}x${DAYS}.csv`);
if (!existsSync(year)) await writeWide(year, METERS, DAYS);
const newDays = [0, 1].map((i) => join(OUT, `wide-${METERS}x1-after-${DAYS + i}.csv`));
for (const [i, file] of newDays.entries()) if (!existsSync(file)) await writeWide(file, METERS, 1, DAYS + i);
console.log(
  `readings: ${METERS} meters × ${DAYS} days on ${SITES} sites (${readingsIn(METERS, DAYS).toLocaleString()} half-hours), then one more day per meter, twice`,
);

const state = join(OUT, "quality-state");
// The import's own aggregation is not what is measured here; the rebuild below is the reference.
const server = await startAppOnFreePort({ state, extraEnv: { AGGREGATE_ON_IMPORT: "false" } });
const { base } = server;
try {
  const cookie = await signInAsDemoAdmin(base);
  const call = (method, path, body, headers) => api(base, cookie, method, path, body, headers);
  // npm start checks its demo readings once it answers: wait for that run, so it overlaps nothing.
  for (let i = 0; ; i++) {
    const runs = await call("GET", "/api/scheduler/executions?job=data-quality&status=ok");
    if (
      runs.data.some(
        (r) => r.trigger === "cron" && r.startedAt > new Date(Date.now() - 3_600_000).toISOString(),
      )
    )
      break;
    if (i > 600) throw new Error("npm start did not check its demo data");
    await new Promise((r) => setTimeout(r, 200));
  }
  const csv = [
    "name,mpan,fuel",
    ...Array.from({ length: METERS }, (_, m) => `Bench site ${m % SITES},${mpan(m)},electricity`),
  ].join("\n");
  const created = await call("POST", "/api/sites/import", new TextEncoder().encode(csv), {
    "Content-Type": "text/csv",
  });
  if (created.metersCreated !== METERS) throw new Error(`created ${created.metersCreated} meters`);

  /** The server's record of the checks an import ran. */
  const importChecks = async (batchId) => {
    const runs = await call("GET", "/api/scheduler/executions?job=data-quality&pageSize=20");
    const run = runs.data.find((r) => r.trigger === `import:${batchId}`);
    if (!run || run.status !== "ok")
      throw new Error(`no successful checks for ${batchId}: ${JSON.stringify(run)}`);
    return run;
  };
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const line = (label, ms, detail = "") =>
    console.log(`  ${label.padEnd(52)} ${s(ms).padStart(9)}  ${detail}`);

  const imported = await runPipeline(base, cookie, year);
  if (imported.job.status !== "completed") throw new Error(`the year's import ended ${imported.job.status}`);
  const first = await importChecks(imported.job.batchId);
  console.log(`\nfull runs (target ≤ 30 s):`);
  line("checks after the year's import (opens the issues)", first.durationMs, first.detail);
  const reruns = [];
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const answer = await call("POST", "/api/quality/run", {});
    const wall = performance.now() - t0;
    const run = (await call("GET", `/api/scheduler/executions?job=data-quality&pageSize=1`)).data[0];
    if (run.id !== answer.executionId) throw new Error("unexpected execution");
    reruns.push(run.durationMs);
    line(`POST /api/quality/run #${i + 1} (a re-run)`, run.durationMs, `${s(wall)} wall; ${run.detail}`);
  }

  const t0 = performance.now();
  const rebuild = await call("POST", "/api/aggregates/rebuild?mode=full");
  const rebuildMs = performance.now() - t0;
  console.log(`\nreference: full rebuild of the consumption figures over the same readings`);
  line(
    "POST /api/aggregates/rebuild?mode=full",
    rebuildMs,
    `${rebuild.days} meter-days, done: ${rebuild.done}`,
  );

  console.log(`\nincremental runs after one new day per meter (target ≤ 2 s):`);
  const incremental = [];
  for (const [i, file] of newDays.entries()) {
    const day = await runPipeline(base, cookie, file);
    const run = await importChecks(day.job.batchId);
    incremental.push(run.durationMs);
    line(`checks after new day ${i + 1} (${METERS} meters)`, run.durationMs, run.detail);
  }
  const fullMedian = median([first.durationMs, ...reruns]);
  console.log(
    `\nsummary: full ${s(fullMedian)} (median of 3) = ${(fullMedian / rebuildMs).toFixed(2)} × the rebuild; incremental ${s(median(incremental))} (median of 2)`,
  );
} finally {
  server.stop();
}
