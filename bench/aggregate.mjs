// npm run bench:aggregate [-- --meters 1000 --days 365 --sites 20 --requests 200 --rounds 1]
// What keeping consumption figures current costs, measured locally in workerd on bench:import's
// generated readings (the wide file: N meters × D days from 2025-01-01) spread over --sites sites:
//   - the import's end-to-end time with aggregation (the job aggregates before it says completed) and
//     without (AGGREGATE_ON_IMPORT=false), each on fresh state;
//   - a full rebuild, and the incremental aggregation after a second file adds one new day per meter;
//   - p50/p95 over --requests requests (curl, one kept-alive connection) of the dashboard (portfolio,
//     30 days), the portfolio for a year by month, one meter's summary for a year, one meter's
//     half-hours for a year, and one site's consumption for a year (by month and by day);
//   - whether the figures kept current import by import equal those of the rebuild;
//   - with --rounds N > 1, N − 1 more pairs of the year's import without and with aggregation (fresh state
//     each), for the spread of that ratio on a shared machine.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { addDays, FIRST_DAY, mpan, readingsIn, writeWide } from "./files.mjs";
import { median, parseArgs, signInAsDemoAdmin, startAppOnFreePort } from "./server.mjs";
import { api, runPipeline } from "./upload.mjs";

const args = parseArgs();
const METERS = Number(args.meters ?? 1000);
const DAYS = Number(args.days ?? 365);
const SITES = Number(args.sites ?? 20);
const REQUESTS = Number(args.requests ?? 200);
const ROUNDS = Number(args.rounds ?? 1);
const LAST_DAY = addDays(FIRST_DAY, DAYS - 1);
const OUT = join(process.cwd(), "bench-out");
mkdirSync(OUT, { recursive: true });

const big = { wide: join(OUT, `wide-${METERS}x${DAYS}.csv`), readings: readingsIn(METERS, DAYS) };
if (!existsSync(big.wide)) await writeWide(big.wide, METERS, DAYS);
const newDay = { wide: join(OUT, `wide-${METERS}x1-after-${DAYS}.csv`) };
if (!existsSync(newDay.wide)) await writeWide(newDay.wide, METERS, 1, DAYS);
console.log(
  `readings: ${METERS} meters × ${DAYS} days on ${SITES} sites (${big.readings.toLocaleString()} half-hours), then one more day per meter`,
);

const seconds = (ms) => (ms / 1000).toFixed(2);

/** Serves the app like `npm start` on fresh state and registers the bench meters on SITES sites. */
async function serve(aggregateOnImport) {
  const state = join(OUT, `aggregate-state-${aggregateOnImport ? "on" : "off"}`);
  // The server's output stays in `${state}.log`, for a closer look at anything that went wrong.
  const server = await startAppOnFreePort({
    state,
    extraEnv: { AGGREGATE_ON_IMPORT: String(aggregateOnImport) },
  });
  const { base } = server;
  const cookie = await signInAsDemoAdmin(base);
  // npm start aggregates its demo readings once the server answers: wait until it has (figures have a
  // last-updated time), so that run neither overlaps the measurements nor picks up the bench's changes.
  for (let i = 0; ; i++) {
    const portfolio = await api(
      base,
      cookie,
      "GET",
      "/api/portfolio/consumption?from=2025-01-01&to=2025-01-01",
    );
    if (portfolio.updatedAt) break;
    if (i > 600) throw new Error("npm start did not aggregate its demo data");
    await new Promise((r) => setTimeout(r, 200));
  }
  const csv = [
    "name,mpan,fuel",
    ...Array.from({ length: METERS }, (_, m) => `Bench site ${m % SITES},${mpan(m)},electricity`),
  ].join("\n");
  const created = await api(base, cookie, "POST", "/api/sites/import", new TextEncoder().encode(csv), {
    "Content-Type": "text/csv",
  });
  if (created.metersCreated !== METERS) throw new Error(`created ${created.metersCreated} meters`);
  return { base, cookie, stop: server.stop };
}

/** Runs the rebuild endpoint (continuing while it answers 202): wall time and the server's own figures. */
async function aggregate(ctx, mode) {
  const t0 = performance.now();
  let body;
  for (let m = mode; ; m = "pending") {
    const res = await fetch(`${ctx.base}/api/aggregates/rebuild?mode=${m}`, {
      method: "POST",
      headers: { Cookie: ctx.cookie, Origin: ctx.base },
    });
    body = await res.json();
    if (res.status === 200) break;
    if (res.status !== 202) throw new Error(`rebuild → ${res.status} ${JSON.stringify(body)}`);
  }
  return { ms: performance.now() - t0, days: body.days };
}

/** p50 and p95 in ms of `n` GETs of one URL over one kept-alive connection, timed by curl. */
function latency(ctx, path, n = REQUESTS) {
  const url = ctx.base + path;
  execFileSync("curl", ["-s", "-o", "/dev/null", "-H", `Cookie: ${ctx.cookie}`, url]); // warm-up
  const perUrl = Array.from({ length: n }, () => ["-o", "/dev/null", url]).flat();
  const out = execFileSync(
    "curl",
    ["-s", "-w", "%{http_code} %{time_total}\\n", "-H", `Cookie: ${ctx.cookie}`, ...perUrl],
    {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    },
  );
  const lines = out.trim().split("\n");
  const failed = lines.filter((l) => !l.startsWith("200 ")).length;
  const ms = lines.map((l) => Number(l.split(" ")[1]) * 1000).sort((a, b) => a - b);
  return { p50: ms[Math.floor(n * 0.5)], p95: ms[Math.ceil(n * 0.95) - 1], failed };
}

const figures = (ctx) =>
  api(
    ctx.base,
    ctx.cookie,
    "GET",
    `/api/portfolio/consumption?from=${FIRST_DAY}&to=${addDays(LAST_DAY, 1)}&granularity=month`,
  ).then(({ updatedAt: _updatedAt, ...rest }) => JSON.stringify(rest));

const importLine = (label, r) =>
  console.log(
    `  ${label.padEnd(44)} ${seconds(r.totalS * 1000).padStart(7)} s end to end` +
      (r.job.status === "completed" ? "" : `  (job ${r.job.batchId} ended ${r.job.status})`),
  );

// 1. Without aggregation on import: the import, a full rebuild, the new day and the incremental run.
console.log("\nwithout aggregation on import (AGGREGATE_ON_IMPORT=false):");
const off = await serve(false);
let offImport, offDay, rebuiltFigures;
try {
  offImport = await runPipeline(off.base, off.cookie, big.wide);
  importLine(`import ${METERS} × ${DAYS} days`, offImport);
  const rebuild = await aggregate(off, "full");
  console.log(
    `  full rebuild (${rebuild.days.toLocaleString()} meter-days)`.padEnd(47) +
      `${seconds(rebuild.ms).padStart(7)} s`,
  );
  offDay = await runPipeline(off.base, off.cookie, newDay.wide);
  importLine("import one new day per meter", offDay);
  const incremental = await aggregate(off, "pending");
  console.log(
    `  incremental aggregation (${incremental.days.toLocaleString()} meter-days)`.padEnd(47) +
      `${seconds(incremental.ms).padStart(7)} s`,
  );
  rebuiltFigures = await figures(off);

  const site = (await api(off.base, off.cookie, "GET", "/api/sites?q=Bench%20site%200&pageSize=1")).data[0];
  const dashFrom = addDays(LAST_DAY, -29);
  const year = `from=${FIRST_DAY}&to=${addDays(FIRST_DAY, 364)}`;
  console.log(`\n  ${"endpoint".padEnd(46)} p50 ms  p95 ms   (${REQUESTS} requests each)`);
  for (const [label, path] of [
    ["(reference: any signed-in request, /auth/me)", "/api/auth/me"],
    [
      "dashboard: portfolio, 30 days by day",
      `/api/portfolio/consumption?from=${dashFrom}&to=${LAST_DAY}&granularity=day`,
    ],
    ["portfolio, a year by month", `/api/portfolio/consumption?${year}&granularity=month`],
    ["one meter's summary, a year", `/api/meters/${mpan(0)}/summary?${year}`],
    ["one meter's half-hours, a year", `/api/meters/${mpan(0)}/readings?${year}&granularity=hh`],
    ["one site, a year by month", `/api/sites/${site.id}/consumption?${year}&granularity=month`],
    ["one site, a year by day", `/api/sites/${site.id}/consumption?${year}&granularity=day`],
  ]) {
    const e = latency(off, path);
    console.log(
      `  ${label.padEnd(46)} ${e.p50.toFixed(1).padStart(6)}  ${e.p95.toFixed(1).padStart(6)}` +
        (e.failed ? `   ${e.failed} not 200: see bench-out/aggregate-state-off.log` : ""),
    );
  }
} finally {
  off.stop();
}

// 2. With aggregation on import (the default), on fresh state: the same two files.
console.log("\nwith aggregation on import (the default):");
const on = await serve(true);
let onImport, onDay, keptFigures;
try {
  onImport = await runPipeline(on.base, on.cookie, big.wide);
  importLine(`import ${METERS} × ${DAYS} days`, onImport);
  // The site roll-ups catch up after the job (a queue message); a read meanwhile recomputes what is still
  // stale. This read waits for both, so its time is what keeping roll-ups current costs after the import.
  const t0 = performance.now();
  await figures(on);
  console.log(
    `  first portfolio read after it (site roll-ups)`.padEnd(47) +
      `${seconds(performance.now() - t0).padStart(7)} s`,
  );
  onDay = await runPipeline(on.base, on.cookie, newDay.wide);
  importLine("import one new day per meter", onDay);
  keptFigures = await figures(on);
} finally {
  on.stop();
}

// 3. More rounds of the year's import alone, without and with aggregation, each on fresh state.
const without = [offImport.totalS];
const withAgg = [onImport.totalS];
for (let round = 2; round <= ROUNDS; round++) {
  console.log(`\nround ${round} of ${ROUNDS}:`);
  for (const [aggregateOnImport, times] of [
    [false, without],
    [true, withAgg],
  ]) {
    const ctx = await serve(aggregateOnImport);
    try {
      const r = await runPipeline(ctx.base, ctx.cookie, big.wide);
      importLine(`import ${METERS} × ${DAYS} days ${aggregateOnImport ? "with" : "without"} aggregation`, r);
      times.push(r.totalS);
    } finally {
      ctx.stop();
    }
  }
}

const spread = (xs) => `${xs.map((x) => x.toFixed(2)).join(", ")} s`;
// Each round's ratio (its two imports ran minutes apart, under the machine's load of the moment).
const ratios = withAgg.map((w, i) => w / without[i]);
console.log(
  `\nimport end to end with ÷ without aggregation: median ${median(ratios).toFixed(2)} over ${ROUNDS} round(s) ` +
    `(per round ${ratios.map((r) => r.toFixed(2)).join(", ")}; without: ${spread(without)}; with: ${spread(withAgg)}), ` +
    `${(onDay.totalS / offDay.totalS).toFixed(2)} (one new day per meter, just after the year's import)`,
);
console.log(
  `figures kept current import by import equal the rebuild's: ${keptFigures === rebuiltFigures ? "yes" : "NO"}`,
);
