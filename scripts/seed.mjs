// `npm run seed`: demo users, a demo company with sites and meters (valid MPANs), into the LOCAL database only.
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  addDays,
  clockChangeDays,
  dateOfEpochDay,
  periodStartUtc,
  periodsInSettlementDay,
  settlementDayStartUtc,
} from "../src/time/settlement.ts";
import { applyMigrationsLocal, executeFileLocal, queryLocal } from "./local-d1.mjs";

export const DEMO_PASSWORD = "admin123";
export const DEMO_USERS = [
  ["admin@eclectyc.energy", "Ada Admin", "admin"],
  ["manager@eclectyc.energy", "Max Manager", "manager"],
  ["viewer@eclectyc.energy", "Vic Viewer", "viewer"],
];

// Must match src/auth/crypto.ts: pbkdf2-sha256$iterations$salt$hash, base64.
function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, 100_000, 32, "sha256");
  return `pbkdf2-sha256$100000$${salt.toString("base64")}$${hash.toString("base64")}`;
}

const q = (v) =>
  v === null || v === undefined
    ? "NULL"
    : typeof v === "number"
      ? String(v)
      : `'${String(v).replace(/'/g, "''")}'`;

export function seedSql() {
  const lines = [];
  const users = DEMO_USERS.map(
    ([email, name, role], i) =>
      `(${i + 1}, ${q(email)}, ${q(name)}, ${q(hashPassword(DEMO_PASSWORD))}, ${q(role)})`,
  );
  lines.push(`INSERT INTO users (id, email, name, password_hash, role) VALUES ${users.join(", ")};`);
  lines.push(
    `INSERT INTO companies (id, name, is_default) VALUES (1, 'Default company', 1), (2, 'Demo Estates Ltd', 0);`,
  );
  lines.push(`INSERT INTO regions (id, company_id, name) VALUES (1, 2, 'London'), (2, 2, 'North West');`);
  lines.push(
    `INSERT INTO suppliers (id, name) VALUES (1, 'British Gas Business'), (2, 'EDF Energy'), (3, 'Octopus Energy for Business');`,
  );
  const sites = [
    [1, 2, 1, "Head Office", "1 Canada Square, London", "E14 5AB", "office", 4200],
    [2, 2, 1, "Camden Depot", "12 Royal College St, London", "NW1 0TH", "warehouse", 2800],
    [3, 2, 2, "Manchester Works", "Trafford Park Rd, Manchester", "M17 1AA", "industrial", 9600],
    [4, 2, 2, "Salford Quays Build", "Pier 8, Salford", "M50 3AZ", "construction", 1500],
  ];
  lines.push(
    `INSERT INTO sites (id, company_id, region_id, name, address, postcode, site_type, floor_area_m2) VALUES ${sites
      .map((s) => `(${s.map(q).join(", ")})`)
      .join(", ")};`,
  );
  // MPAN cores with valid check digits (checked by test/meters/seed.test.ts); the gas meter has a 10-digit MPRN.
  const meters = [
    ["1200000000011", "electricity", 1, 2, "E10BG12345", "Main incomer"],
    ["1200000000020", "electricity", 1, 2, "E10BG12346", "Data centre"],
    ["1200000000030", "electricity", 2, 3, "E10BG22001", "Depot supply"],
    ["1600000000010", "electricity", 3, 1, "K05A001234", "Works main"],
    ["1600000000029", "electricity", 4, 3, "K05A009876", "Site compound"],
    ["3212345678", "gas", 1, 1, "G4A123456", "Boiler house"],
  ];
  lines.push(
    `INSERT INTO meters (mpan, fuel, site_id, supplier_id, serial, name) VALUES ${meters
      .map((m) => `(${m.map(q).join(", ")})`)
      .join(", ")};`,
  );
  lines.push(`INSERT INTO access_grants (user_id, company_id) VALUES (2, 2), (3, 2);`);
  // The gas meter's own calorific value (MJ/m³): a volume file imported for it (try
  // test/fixtures/imports/gas-m3.csv with meter 3212345678) converts at 39.2, not the default 39.5.
  lines.push(`UPDATE meters SET calorific_value = 39.2 WHERE mpan = '3212345678';`);
  // What consumption is divided by besides floor area, and a site that keeps longer hours than the
  // default Monday–Friday 08:00–18:00 (out-of-hours figures follow it).
  lines.push(`UPDATE sites SET normalisers = '[{"name":"staff","value":350}]' WHERE id = 1;`);
  lines.push(`UPDATE sites SET normalisers = '[{"name":"tonnes","value":1200}]' WHERE id = 3;`);
  lines.push(
    `UPDATE sites SET working_hours = '{"weekday":{"open":"06:00","close":"22:00"},"weekend":{"open":"08:00","close":"12:00"}}' WHERE id = 2;`,
  );
  lines.push(...demoReadings(meters.length, DEMO_DAYS));
  // The demo gas was read as a volume at that calorific value: its days keep the m³ (site and portfolio
  // figures show gas in m³ beside kWh).
  lines.push(
    `UPDATE readings SET calorific_value = 39.2 WHERE meter_id = (SELECT id FROM meters WHERE mpan = '3212345678');`,
  );
  lines.push(...demoCarbon(Date.now(), DEMO_DAYS));
  lines.push(...demoAlarmsAndRuns());
  lines.push(...demoTariffs());
  return lines.join("\n");
}

/**
 * Synthetic grid carbon intensity (src/carbon) so the carbon pages and emissions are not empty offline:
 * national and regional half-hours over the demo readings' days and 48 h ahead, and the generation mix,
 * all marked `demo` (never counted as stored; the first real poll replaces them), and each demo site's grid
 * region without an outward code, so that poll looks the real one up from the postcode.
 */
export function demoCarbon(nowMs, days) {
  const HH = 1_800_000;
  const now = Math.floor(nowMs / HH) * HH;
  const stamp = new Date(nowMs).toISOString();
  const random = mulberry32(14);
  const national = [];
  const regional = [];
  const generation = [];
  let wind = 0.5;
  for (let t = now - days * 86_400_000; t < now + 96 * HH; t += HH) {
    // A daily swing (cleanest overnight, dirtiest around 18:00 UTC) and wind that drifts over days.
    wind = Math.min(0.9, Math.max(0.1, wind + (random() - 0.5) * 0.06));
    const hour = (t % 86_400_000) / 3_600_000;
    const forecast = Math.round(200 - 150 * wind + 35 * Math.sin(((hour - 12) / 24) * 2 * Math.PI));
    const actual = t < now ? Math.max(5, Math.round(forecast + (random() - 0.5) * 20)) : null;
    national.push(`(${t}, ${forecast}, ${actual ?? "NULL"}, NULL, 1, ${q(stamp)})`);
    // London's grid runs a little dirtier than the nation's, the North West's cleaner (wind, nuclear).
    regional.push(`(13, ${t}, ${Math.round(forecast * 1.1)}, NULL, NULL, 1, ${q(stamp)})`);
    regional.push(`(3, ${t}, ${Math.round(forecast * 0.8)}, NULL, NULL, 1, ${q(stamp)})`);
    if (t < now) {
      const w = Math.round(wind * 60 * 10) / 10;
      const mix = [
        ["gas", Math.round((70 - w) * 0.6 * 10) / 10],
        ["wind", w],
        ["nuclear", 14],
        ["biomass", 6],
        ["imports", Math.round((70 - w) * 0.4 * 10) / 10],
        ["solar", Math.max(0, Math.round(10 * Math.sin(((hour - 6) / 12) * Math.PI) * 10) / 10)],
      ].map(([fuel, perc]) => ({ fuel, perc }));
      generation.push(`(${t}, ${q(JSON.stringify(mix))}, 1)`);
    }
  }
  const chunks = (rows, head) => {
    const out = [];
    for (let i = 0; i < rows.length; i += 500)
      out.push(`${head} VALUES ${rows.slice(i, i + 500).join(", ")};`);
    return out;
  };
  return [
    ...chunks(national, "INSERT INTO carbon_national (start, forecast, actual, idx, demo, updated_at)"),
    ...chunks(
      regional,
      "INSERT INTO carbon_regional (region_id, start, forecast, idx, mix, demo, updated_at)",
    ),
    ...chunks(generation, "INSERT INTO carbon_generation (start, mix, demo)"),
    `INSERT INTO site_grid_regions (site_id, region_id, source, outward, updated_at) VALUES ${[
      [1, 13],
      [2, 13],
      [3, 3],
      [4, 3],
    ]
      .map(([site, region]) => `(${site}, ${region}, 'postcode', NULL, ${q(stamp)})`)
      .join(", ")};`,
  ];
}

/** A deterministic pseudo-random sequence, so every seeded database holds the same demo readings. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The last spring (46 periods) and autumn (50 periods) clock-change days before `today`. */
export function lastClockChanges(today) {
  const year = Number(today.slice(0, 4));
  const days = [year - 1, year].flatMap((y) => Object.values(clockChangeDays(y)).map(dateOfEpochDay));
  const latest = (month) =>
    days
      .filter((d) => d < today && d.slice(5, 7) === month)
      .sort()
      .at(-1);
  return { spring: latest("03"), autumn: latest("10") };
}

/** Two half-hours of the demo meter's autumn clock-change day left without readings, to show as gaps. */
export const DEMO_GAP_PERIODS = [29, 30];

/** Demo readings cover the last DEMO_DAYS days, so a 30-day range has its previous span to compare with. */
export const DEMO_DAYS = 60;

/** The same date a year earlier, 29 February becoming 28 February (as src/analytics/calendar.ts). */
function sameDateLastYear(date) {
  const shifted = `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
  return shifted.endsWith("-02-29") ? shifted.replace(/29$/, "28") : shifted;
}

/**
 * Half-hourly readings for the last `days` settlement days up to yesterday and the same days a year
 * earlier (so ranges have last year to compare with), and for the last spring and autumn clock-change
 * days (46 and 50 periods) so the charts show both: a base load, a working-day bump between 07:00 and
 * 19:00, weekends lower, and some noise. Each day has its true number of periods; the first meter's
 * autumn clock-change day misses DEMO_GAP_PERIODS. Each meter's span of days is recorded in
 * changed_spans, as an import would, so the first aggregation (scripts/start.mjs fires it) turns the
 * readings into consumption figures.
 */
function demoReadings(meterCount, days) {
  const random = mulberry32(20261123);
  const today = new Date().toISOString().slice(0, 10);
  const changes = lastClockChanges(today);
  const window = Array.from({ length: days }, (_, i) => addDays(today, i - days));
  const dates = [
    ...new Set([changes.spring, changes.autumn, ...window, ...window.map(sameDateLastYear)]),
  ].sort();
  const rows = [];
  for (let meterId = 1; meterId <= meterCount; meterId++) {
    const scale = [0, 18, 9, 4, 30, 6, 12][meterId] ?? 5;
    for (const date of dates) {
      const n = periodsInSettlementDay(date);
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
      const working = weekday >= 1 && weekday <= 5;
      const values = [];
      const gaps = meterId === 1 && date === changes.autumn ? DEMO_GAP_PERIODS : [];
      for (let p = 1; p <= n; p++) {
        const hour = (periodStartUtc(date, p) - settlementDayStartUtc(date)) / 3_600_000;
        const busy = working && hour >= 7 && hour < 19 ? 1.8 : working ? 0.25 : 0.1;
        const value = Math.round(scale * (0.6 + busy + random() * 0.3) * 1000) / 1000;
        values.push(gaps.includes(p) ? null : value);
      }
      const present = values.filter((v) => v !== null);
      const total = Math.round(present.reduce((a, b) => a + b, 0) * 1000) / 1000;
      rows.push(
        `INSERT INTO readings (meter_id, date, total_kwh, period_count, estimated_mask, batch_id, periods) VALUES (${meterId}, '${date}', ${total}, ${present.length}, 0, 'demo', '${JSON.stringify(values)}');`,
      );
    }
    rows.push(
      `INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date) VALUES ('demo', ${meterId}, '${dates[0]}', '${dates.at(-1)}');`,
    );
  }
  return rows;
}

/**
 * Alarms on the demo estate (the first run of the nightly data-quality job, which scripts/start.mjs
 * fires, evaluates them and emails their recipients through the local EMAIL simulation), and a week of
 * past runs of the daily jobs for Admin → Scheduled jobs (one failure, followed by a good run).
 */
function demoAlarmsAndRuns() {
  const rows = [
    `INSERT INTO alarms (name, meter_id, site_id, metric, period, operator, threshold, pct_above_previous, recipients, webhook) VALUES
      ('Main incomer over 1,550 kWh a day', 1, NULL, 'kwh', 'day', 'gt', 1550, NULL, '["energy.manager@demo-estates.example"]', 1),
      ('Head Office week up 3 %', NULL, 1, 'kwh', 'week', 'gt', NULL, 3, '["facilities@demo-estates.example"]', 0),
      ('Works main baseload over 55 kW', 4, NULL, 'baseloadKw', 'day', 'gt', 55, NULL, '[]', 0),
      ('Main incomer costs over £500 a day', 1, NULL, 'costPence', 'day', 'gt', 50000, NULL, '["energy.manager@demo-estates.example"]', 0);`,
  ];
  const now = Date.now();
  for (let d = 7; d >= 1; d--) {
    const at = (hours, ms) => new Date(now - d * 86_400_000 + hours * 3_600_000 + ms).toISOString();
    const days = 6 * 60 * (1 + (d % 3));
    rows.push(
      `INSERT INTO scheduler_executions (job, trigger, started_at, finished_at, duration_ms, items, rows_written, status, error, detail) VALUES ('aggregation', 'cron', '${at(-22.5, 0)}', '${at(-22.5, 800 + d * 90)}', ${800 + d * 90}, 6, ${days}, 'ok', NULL, '${days} meter-days of 6 meters aggregated');`,
      d === 4
        ? `INSERT INTO scheduler_executions (job, trigger, started_at, finished_at, duration_ms, items, rows_written, status, error, detail) VALUES ('data-quality', 'cron', '${at(-22, 0)}', '${at(-22, 30_000)}', 30000, 0, 0, 'failed', 'D1_ERROR: timed out (demo)', NULL);`
        : `INSERT INTO scheduler_executions (job, trigger, started_at, finished_at, duration_ms, items, rows_written, status, error, detail) VALUES ('data-quality', 'cron', '${at(-22, 0)}', '${at(-22, 1200 + d * 150)}', ${1200 + d * 150}, 6, ${d % 3}, 'ok', NULL, '6 meters checked: ${d % 3} issues opened, 0 updated, 0 resolved');`,
    );
  }
  return rows;
}

export function isEmpty() {
  return Number(queryLocal("SELECT COUNT(*) AS n FROM users")[0].n) === 0;
}

/**
 * Demo tariffs (src/tariffs), so costs and switching analyses work offline: a fixed business rate, Economy 7,
 * Octopus Go, DUoS red/amber/green, Agile (dynamic, with prices for the demo days, one half-hour a day
 * unpriced) and a gas rate; every meter has a tariff, and the data centre changed tariff 30 days ago.
 */
function demoTariffs() {
  const today = new Date().toISOString().slice(0, 10);
  const weekdays = ["mon", "tue", "wed", "thu", "fri"];
  const tou = (bands) => JSON.stringify(bands);
  // id, name, supplier, fuel, type, standing p/day, VAT, CCL, unit rate, bands, clock
  const tariffs = [
    [1, "Business Fixed 2026", 2, "electricity", "flat", 52, 0.2, 1, 26.4, null, "local"],
    [
      2,
      "Economy 7 Business",
      1,
      "electricity",
      "tou",
      48,
      0.2,
      1,
      null,
      tou([
        { name: "Night", pencePerKwh: 14.2, start: "00:00", end: "07:00" },
        { name: "Day", pencePerKwh: 31.8, start: "07:00", end: "00:00" },
      ]),
      "local",
    ],
    [
      3,
      "Octopus Go Business",
      3,
      "electricity",
      "tou",
      55,
      0.2,
      1,
      null,
      tou([
        { name: "Go", pencePerKwh: 9.5, start: "00:30", end: "05:30" },
        { name: "Standard", pencePerKwh: 27.6, start: "05:30", end: "00:30" },
      ]),
      "local",
    ],
    [
      4,
      "DUoS RAG (Eastern)",
      2,
      "electricity",
      "tou",
      60,
      0.2,
      1,
      null,
      tou([
        { name: "Green", pencePerKwh: 17.5, start: "23:00", end: "07:00", days: weekdays },
        { name: "Amber", pencePerKwh: 23.9, start: "07:00", end: "16:00", days: weekdays },
        { name: "Red", pencePerKwh: 41.2, start: "16:00", end: "19:00", days: weekdays },
        { name: "Amber", pencePerKwh: 23.9, start: "19:00", end: "23:00", days: weekdays },
        { name: "Green", pencePerKwh: 17.5, start: "00:00", end: "00:00", days: ["sat", "sun"] },
      ]),
      "local",
    ],
    [5, "Agile Business", 3, "electricity", "dynamic", 47, 0.2, 1, null, null, "local"],
    [6, "Gas Fixed 2026", 1, "gas", "flat", 31, 0.2, 1, 6.1, null, "local"],
  ];
  const rows = [
    `INSERT INTO tariffs (id, name, supplier_id, fuel, type, valid_from, standing_charge_pence, vat_rate, ccl, unit_rate_pence, bands, clock) VALUES ${tariffs
      .map(
        ([id, name, supplier, fuel, type, standing, vat, ccl, rate, bands, clock]) =>
          `(${[id, name, supplier, fuel, type, "2024-01-01", standing, vat, ccl, rate, bands, clock].map(q).join(", ")})`,
      )
      .join(", ")};`,
  ];
  // Agile-style prices: cheap overnight, dear at the evening peak, some day-to-day noise.
  const random = mulberry32(20260401);
  const dates = Array.from({ length: DEMO_DAYS + 2 }, (_, i) => addDays(today, i - DEMO_DAYS - 1));
  for (const date of dates) {
    const prices = [];
    for (let p = 1; p <= periodsInSettlementDay(date); p++) {
      const hour = (periodStartUtc(date, p) - settlementDayStartUtc(date)) / 3_600_000;
      const base = hour < 6 ? 12 : hour >= 16 && hour < 19 ? 36 : 22;
      prices.push(p === 20 ? null : Math.round((base + random() * 6) * 100) / 100);
    }
    rows.push(
      `INSERT INTO tariff_prices (tariff_id, date, prices) VALUES (5, '${date}', '${JSON.stringify(prices)}');`,
    );
  }
  const changed = addDays(today, -30);
  rows.push(
    `INSERT INTO meter_tariffs (meter_id, tariff_id, from_date, to_date) VALUES (1, 1, '2020-01-01', NULL), (2, 2, '2020-01-01', '${addDays(changed, -1)}'), (2, 1, '${changed}', NULL), (3, 3, '2020-01-01', NULL), (4, 4, '2020-01-01', NULL), (5, 1, '2020-01-01', NULL), (6, 6, '2020-01-01', NULL);`,
  );
  return rows;
}

export function seed() {
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(".wrangler/seed.sql", seedSql());
  executeFileLocal(".wrangler/seed.sql");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  applyMigrationsLocal();
  if (!isEmpty()) {
    console.log(
      "The local database already has users; seed skipped (delete .wrangler/state to start afresh).",
    );
  } else {
    seed();
    console.log(
      `Seeded demo data. Sign in as ${DEMO_USERS.map((u) => u[0]).join(", ")} with password ${DEMO_PASSWORD}.`,
    );
  }
}
