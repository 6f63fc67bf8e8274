// Building test files for analytics: wide half-hourly rows (one column per settlement period) and
// daily totals, imported through the real pipeline.
import { env } from "cloudflare:test";
import { call, json } from "../helpers";

const HEADER = [
  "MPAN",
  "Date",
  ...Array.from({ length: 50 }, (_, i) => `HH${String(i + 1).padStart(2, "0")}`),
];

/** A wide file: each row a meter, a date and its periods' kWh (null = missing). */
export function wideFile(rows: [string, string, (number | null)[]][]): string {
  return [
    HEADER.join(","),
    ...rows.map(([mpan, date, values]) =>
      [mpan, date, ...Array.from({ length: 50 }, (_, i) => values[i] ?? "")].join(","),
    ),
  ].join("\n");
}

export const dailyFile = (rows: [string, string, number][]) =>
  ["MPAN,Date,kWh", ...rows.map((r) => r.join(","))].join("\n");

/** `n` half-hours of `kwh` each. */
export const flat = (kwh: number, n = 48) => Array.from({ length: n }, () => kwh);

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

export async function getJson(cookie: string, path: string, status = 200) {
  const res = await call("GET", path, undefined, { cookie });
  const body = await json(res);
  if (res.status !== status) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Everything the aggregation stores, but the snapshot numbers. */
export async function stored() {
  const days = await env.DB.prepare(
    `SELECT meter_id, date, kwh, periods, expected, estimated, baseload_kw, peak_kwh, peak_at, ooh_kwh
     FROM meter_days ORDER BY meter_id, date`,
  ).all();
  const months = await env.DB.prepare("SELECT * FROM meter_months ORDER BY meter_id, month").all();
  return { days: days.results, months: months.results };
}
export const pending = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM changed_spans").first<{ n: number }>())!.n;
