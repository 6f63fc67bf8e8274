// npm run bench:tariffs [-- --runs 50 --site-runs 20 --tariffs 50 --meters 20]
// What a switching analysis costs through the API, measured locally in workerd on `npm start`'s app:
//   - one meter-year of half-hourly readings (imported from bench:import's wide file) against --tariffs
//     active tariffs (flat, time-of-use and dynamic with a year of half-hourly prices, mixed), as one
//     POST /api/analyses/switching, --runs times: p50 and p95 (goal: p95 ≤ 100 ms);
//   - a --meters-meter site against the same tariffs (goal: ≤ 1 s);
//   - references in the same run: a signed-in request's floor (/api/auth/me), the meter's year of
//     half-hours (/readings?granularity=hh, the same rows the analysis reads) and its bill under one
//     tariff (/costs), so the analysis's own share can be read off on a noisy machine.
import { mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { addDays, FIRST_DAY, mpan, writeWide } from "./files.mjs";
import { median, parseArgs, signInAsDemoAdmin, startAppOnFreePort } from "./server.mjs";
import { api, runPipeline } from "./upload.mjs";

const args = parseArgs();
const RUNS = Number(args.runs ?? 50);
const SITE_RUNS = Number(args["site-runs"] ?? 20);
const TARIFFS = Number(args.tariffs ?? 50);
const METERS = Number(args.meters ?? 20);
const DAYS = 365;
const LAST_DAY = addDays(FIRST_DAY, DAYS - 1);
const OUT = join(process.cwd(), "bench-out");
mkdirSync(OUT, { recursive: true });
const wide = join(OUT, `wide-${METERS}x${DAYS}.csv`);
if (!existsSync(wide)) await writeWide(wide, METERS, DAYS);

const server = await startAppOnFreePort({ state: join(OUT, "tariffs-state") });
const base = server.base;

const pctl = (xs, q) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * q) - 1];
async function timed(n, fn) {
  // The first run warms up: an isolate's first analysis also parses the dynamic tariffs' price series
  // (kept in memory until an upload changes them); it is shown apart.
  const t = performance.now();
  await fn();
  const first = performance.now() - t;
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { first, p50: median(ms), p95: pctl(ms, 0.95) };
}

/** The i-th bench tariff: a third flat, a third time-of-use (four shapes), a third dynamic. */
function tariffBody(i) {
  const common = {
    name: `Bench ${String(i).padStart(2, "0")}`,
    fuel: "electricity",
    validFrom: "2024-01-01",
    standingChargePence: 30 + (i % 7) * 5,
    vatRate: i % 2 ? 0.2 : 0.05,
    ccl: i % 3 === 0,
    active: true,
  };
  const rate = (x) => Math.round((x + (i % 5) * 0.7) * 100) / 100;
  switch (i % 3) {
    case 0:
      return { ...common, type: "flat", unitRatePence: rate(24) };
    case 1: {
      const shapes = [
        [
          ["Night", 10, "00:00", "07:00"],
          ["Day", 30, "07:00", "00:00"],
        ],
        [
          ["Go", 8, "00:30", "05:30"],
          ["Standard", 28, "05:30", "00:30"],
        ],
        [
          ["Cheap", 12, "04:00", "07:00"],
          ["Standard", 26, "07:00", "13:00"],
          ["Cheap", 12, "13:00", "16:00"],
          ["Peak", 38, "16:00", "19:00"],
          ["Standard", 26, "19:00", "04:00"],
        ],
      ];
      const bands = shapes[i % shapes.length].map(([name, p, start, end]) => ({
        name,
        pencePerKwh: rate(p),
        start,
        end,
      }));
      if (i % 4 === 1) {
        // Weekday red/amber/green and a green weekend: days matter too.
        const weekdays = ["mon", "tue", "wed", "thu", "fri"];
        return {
          ...common,
          type: "tou",
          clock: i % 8 === 1 ? "utc" : "local",
          bands: [
            { name: "Green", pencePerKwh: rate(14), start: "23:00", end: "07:00", days: weekdays },
            { name: "Amber", pencePerKwh: rate(24), start: "07:00", end: "16:00", days: weekdays },
            { name: "Red", pencePerKwh: rate(45), start: "16:00", end: "19:00", days: weekdays },
            { name: "Amber", pencePerKwh: rate(24), start: "19:00", end: "23:00", days: weekdays },
            { name: "Green", pencePerKwh: rate(14), start: "00:00", end: "00:00", days: ["sat", "sun"] },
          ],
        };
      }
      return { ...common, type: "tou", bands };
    }
    default:
      return { ...common, type: "dynamic" };
  }
}

/** A year of half-hourly prices in the supplier's JSON shape (one half-hour a week left unpriced). */
function agileYear(seed) {
  const results = [];
  const start = Date.parse(`${FIRST_DAY}T00:00:00Z`);
  const end = Date.parse(`${addDays(LAST_DAY, 1)}T00:00:00Z`);
  for (let t = start, k = 0; t < end; t += 1_800_000, k++) {
    if (k % 336 === 100) continue;
    const v = Math.round((15 + 10 * Math.sin(k / 7 + seed) + ((k * 31 + seed) % 9)) * 100) / 100;
    results.push({
      value_exc_vat: v,
      value_inc_vat: Math.round(v * 105) / 100,
      valid_from: new Date(t).toISOString().replace(".000", ""),
      valid_to: new Date(t + 1_800_000).toISOString().replace(".000", ""),
    });
  }
  return { count: results.length, next: null, previous: null, results };
}

try {
  const cookie = await signInAsDemoAdmin(base);
  const csv = [
    "name,mpan,fuel",
    ...Array.from({ length: METERS }, (_, m) => `Tariff bench site,${mpan(m)},electricity`),
  ].join("\n");
  await api(base, cookie, "POST", "/api/sites/import", new TextEncoder().encode(csv), {
    "Content-Type": "text/csv",
  });
  const site = (await api(base, cookie, "GET", "/api/sites?q=Tariff%20bench%20site&pageSize=1")).data[0];
  const imported = await runPipeline(base, cookie, wide);
  if (imported.job.status !== "completed") throw new Error(`import ended ${imported.job.status}`);
  // The demo seed's electricity tariffs stay active: switch them off so exactly TARIFFS are compared.
  for (const t of (await api(base, cookie, "GET", "/api/tariffs?fuel=electricity&active=true")).data)
    await api(base, cookie, "PATCH", `/api/tariffs/${t.id}`, { active: false });
  const ids = [];
  for (let i = 0; i < TARIFFS; i++) {
    const t = await api(base, cookie, "POST", "/api/tariffs", tariffBody(i));
    if (t.type === "dynamic") await api(base, cookie, "POST", `/api/tariffs/${t.id}/prices`, agileYear(i));
    ids.push(t.id);
  }
  for (let m = 0; m < METERS; m++)
    await api(base, cookie, "POST", `/api/meters/${mpan(m)}/tariffs`, { tariffId: ids[0], from: FIRST_DAY });
  const kinds = ids.map((_, i) => tariffBody(i).type);
  console.log(
    `readings: ${METERS} meters × ${DAYS} days (${FIRST_DAY}…${LAST_DAY}); ${TARIFFS} active tariffs: ` +
      `${kinds.filter((k) => k === "flat").length} flat, ${kinds.filter((k) => k === "tou").length} time-of-use, ` +
      `${kinds.filter((k) => k === "dynamic").length} dynamic (a year of half-hourly prices each)`,
  );

  const year = { from: FIRST_DAY, to: LAST_DAY };
  const coldStart = performance.now();
  const one = await api(base, cookie, "POST", "/api/analyses/switching", { mpan: mpan(1), ...year });
  const cold = performance.now() - coldStart;
  if (one.alternatives.length !== TARIFFS - 1) throw new Error(`${one.alternatives.length} alternatives`);
  const post = (body) => () => api(base, cookie, "POST", "/api/analyses/switching", body);
  const get = (path) => () => api(base, cookie, "GET", path);
  const rows = [
    ["(reference) signed-in floor: GET /api/auth/me", RUNS, get("/api/auth/me")],
    [
      "(reference) the meter's year of half-hours",
      RUNS,
      get(`/api/meters/${mpan(0)}/readings?from=${FIRST_DAY}&to=${LAST_DAY}&granularity=hh`),
    ],
    [
      "(reference) the meter's year under one tariff (/costs)",
      RUNS,
      get(`/api/meters/${mpan(0)}/costs?from=${FIRST_DAY}&to=${LAST_DAY}&granularity=month`),
    ],
    [`one meter-year vs ${TARIFFS} tariffs (goal p95 ≤ 100 ms)`, RUNS, post({ mpan: mpan(0), ...year })],
    [
      `${METERS}-meter site, a year vs ${TARIFFS} tariffs (goal ≤ 1 s)`,
      SITE_RUNS,
      post({ siteId: site.id, ...year }),
    ],
  ];
  console.log(`\n  ${"request".padEnd(58)} runs first ms  p50 ms  p95 ms`);
  for (const [label, n, fn] of rows) {
    const r = await timed(n, fn);
    console.log(
      `  ${label.padEnd(58)} ${String(n).padStart(4)} ${r.first.toFixed(1).padStart(8)} ${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(7)}`,
    );
  }
  console.log(`  first analysis after the uploads (every price series read from D1): ${cold.toFixed(1)} ms`);
  const best = one.alternatives[0];
  console.log(
    `\n  best for ${mpan(1)}: ${best.name} saves £${(best.savingPence / 100).toFixed(2)} on £${(one.current.totalPence / 100).toFixed(2)} (${best.savingPct} %)`,
  );
} finally {
  server.stop();
}
