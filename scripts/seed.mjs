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
  return lines.join("\n");
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

export function isEmpty() {
  return Number(queryLocal("SELECT COUNT(*) AS n FROM users")[0].n) === 0;
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
