// Unit slips (Wh read as kWh, or the reverse): read off the head of a file before any range is written,
// against each meter's stored readings from other imports, so the check costs the ranges nothing.
import Papa from "papaparse";
import { DayAccumulator, parseRows, toInsertRows, type ImportPlan, type ParseResult } from "./domain";

/** A file's values this many times larger or smaller than a meter's stored readings look like a unit slip. */
export const UNIT_SLIP_RATIO = 300;

/** The complete data rows of a head parsed as the ranges will be. */
export function parseHead(
  text: string,
  plan: ImportPlan,
  calorificValue: (meter: string) => number,
): ParseResult & { acc: DayAccumulator } {
  const lines = text
    .replace(/^\ufeff/, "")
    .split("\n")
    .slice(plan.headerLine);
  if (!text.endsWith("\n")) lines.pop(); // a last line the head cut short
  const rows = Papa.parse<string[]>(lines.join("\n"), {
    delimiter: plan.delimiter,
    skipEmptyLines: false,
  }).data;
  const acc = new DayAccumulator();
  const parsed = parseRows(plan, rows, plan.headerLine + 1, acc, { calorificValue });
  acc.finishIntervals();
  return { ...parsed, acc };
}

/**
 * A warning for each meter whose mean half-hour in `acc` is UNIT_SLIP_RATIO times or more above or below
 * the median half-hour of its latest 60 stored days from other imports (`batchId`: this job's own rows,
 * from an earlier run, do not count).
 */
export async function unitSlips(
  env: Env,
  batchId: string | null,
  acc: DayAccumulator,
  meterLines: Map<string, number>,
): Promise<{ code: string; message: string; lines: number[] }[]> {
  const { halfHourly, daily } = toInsertRows(acc);
  // Each meter's kWh and half-hours (a daily total counts as 48).
  const mean = new Map<string, { kwh: number; halfHours: number }>();
  const add = (meter: string, kwh: number, halfHours: number) => {
    const m = mean.get(meter) ?? { kwh: 0, halfHours: 0 };
    m.kwh += kwh;
    m.halfHours += halfHours;
    mean.set(meter, m);
  };
  for (const r of halfHourly) if (r[3] > 0) add(r[0], r[2], r[3]);
  for (const r of daily) add(r[0], r[2], 48);
  if (mean.size === 0) return [];
  const stored = await env.DB.prepare(
    `SELECT j.value, (SELECT json_group_array(x) FROM (
       SELECT r.total_kwh / COALESCE(NULLIF(r.period_count, 0), 48) AS x FROM readings r
       WHERE r.meter_id = (SELECT id FROM meters WHERE mpan = j.value) AND r.batch_id IS NOT ?2
       ORDER BY r.date DESC LIMIT 60))
     FROM json_each(?1) j`,
  )
    .bind(JSON.stringify([...mean.keys()]), batchId)
    .raw<[string, string]>();
  const slips: { code: string; message: string; lines: number[] }[] = [];
  for (const [meter, values] of stored) {
    // The median: one wrong day among them (an earlier slip) does not move it.
    const before = median(JSON.parse(values) as number[]);
    const m = mean.get(meter)!;
    const now = m.kwh / m.halfHours;
    if (!before || !now) continue;
    const ratio = now / before;
    if (ratio < UNIT_SLIP_RATIO && ratio > 1 / UNIT_SLIP_RATIO) continue;
    const times =
      ratio >= 1
        ? `${Math.round(ratio).toLocaleString("en-GB")}× more than`
        : `1/${Math.round(1 / ratio).toLocaleString("en-GB")} of`;
    const line = meterLines.get(meter);
    slips.push({
      code: "unit_slip",
      message: `meter ${meter}: this file averages ${round4(now)} kWh a half-hour, about ${times} its stored readings for other days (${round4(before)} kWh): is the unit right? (the unit option: kWh, Wh, MWh, m3, ft3, hcf)`,
      lines: line === undefined ? [] : [line],
    });
  }
  return slips;
}

const round4 = (x: number) => Number(x.toPrecision(4));

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
