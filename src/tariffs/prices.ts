// Dynamic (Agile-style) price series: a supplier's CSV (`valid_from,valid_to,value_exc_vat`) or JSON
// (`{"results":[{value_exc_vat, value_inc_vat, valid_from, valid_to}]}`) read into prices per settlement
// day and period, the shape they are stored and priced in. A row longer than a half-hour sets each
// half-hour it spans. Pure.
import Papa from "papaparse";
import { MS_PER_PERIOD, periodsInSettlementDay, settlementPeriodAt } from "../time/settlement";

export type PriceProblem = { line?: number; field: string; message: string };
/** Settlement date → one price per period (null = none). */
export type PriceDays = Map<string, (number | null)[]>;

/** At most this many half-hours per upload (a bit over five years). */
export const MAX_UPLOAD_HALF_HOURS = 100_000;

type Row = { validFrom: unknown; validTo: unknown; value: unknown; line: number };

/** ISO instant with an explicit zone ("Z" or ±hh:mm): a price series' times must not be ambiguous. */
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: unknown, field: string, line: number): number | PriceProblem {
  const text = typeof value === "string" ? value.trim() : "";
  const ms = ZONED.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms))
    return {
      line,
      field,
      message: `${field}: "${String(value ?? "")}" is not a time with a zone (e.g. 2026-01-05T00:00:00Z)`,
    };
  if (ms % MS_PER_PERIOD !== 0) return { line, field, message: `${field}: ${text} is not on a half-hour` };
  return ms;
}

/** Rows into prices by day, or the first problem, naming the line (1 = the CSV header or the first JSON result). */
function toDays(rows: Row[]): { days: PriceDays; from: string; to: string; stored: number } | PriceProblem {
  const days: PriceDays = new Map();
  let stored = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const row of rows) {
    const start = instant(row.validFrom, "valid_from", row.line);
    if (typeof start !== "number") return start;
    const end = instant(row.validTo, "valid_to", row.line);
    if (typeof end !== "number") return end;
    if (end <= start)
      return { line: row.line, field: "valid_to", message: "valid_to: must be after valid_from" };
    const value = typeof row.value === "string" && row.value.trim() !== "" ? Number(row.value) : row.value;
    if (typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > 100_000)
      return {
        line: row.line,
        field: "value_exc_vat",
        message: "value_exc_vat: not a price in pence per kWh",
      };
    for (let t = start; t < end; t += MS_PER_PERIOD) {
      if (++stored > MAX_UPLOAD_HALF_HOURS)
        return { field: "body", message: `at most ${MAX_UPLOAD_HALF_HOURS} half-hours per upload` };
      const { date, period } = settlementPeriodAt(t);
      let day = days.get(date);
      if (!day) days.set(date, (day = new Array<number | null>(periodsInSettlementDay(date)).fill(null)));
      day[period - 1] = value;
      if (t < first) first = t;
      if (t > last) last = t;
    }
  }
  if (stored === 0) return { field: "body", message: "no prices in the upload" };
  return {
    days,
    stored,
    from: new Date(first).toISOString(),
    to: new Date(last + MS_PER_PERIOD).toISOString(),
  };
}

export function parsePriceCsv(text: string) {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...rows] = parsed.data;
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  for (const name of ["valid_from", "valid_to", "value_exc_vat"])
    if (col(name) === -1)
      return { line: 1, field: name, message: `the header needs a ${name} column` } as PriceProblem;
  return toDays(
    rows.map((r, i) => ({
      validFrom: r[col("valid_from")],
      validTo: r[col("valid_to")],
      value: r[col("value_exc_vat")],
      line: i + 2,
    })),
  );
}

export function parsePriceJson(body: unknown) {
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results))
    return {
      field: "results",
      message: 'results: expected {"results":[{valid_from, valid_to, value_exc_vat}]}',
    } as PriceProblem;
  return toDays(
    results.map((r: Record<string, unknown> | null, i) => ({
      validFrom: r?.valid_from,
      validTo: r?.valid_to,
      value: r?.value_exc_vat,
      line: i + 1,
    })),
  );
}
