// D1 access for consumption analytics: the snapshot the aggregation reads, the figures it writes (each
// day's in its readings row, read through the meter_days view: migrations/0017; meter_months: 0009), and
// the span reads behind the API. Bulk statements take
// one JSON parameter (D1 allows 100 bound parameters a statement, about 2 MB a string).
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { jsonChunks } from "../readings/store";
import type { DayFigures } from "./figures";
import { markStaleStatements, refreshRollups } from "./rollups";
import { meterMonths, monthSpans, type MeterSpan, type PendingSpan } from "./spans";

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

// ---------------------------------------------------------------------------------------------
// aggregation: pending work, snapshot, write

/** Pending changed_spans rows (of one import batch, or all), a meter's rows together. */
export async function pendingSpans(db: D1Database, batchId: string | null, limit: number) {
  const where = batchId === null ? "" : "WHERE batch_id = ?2";
  const rows = await db
    .prepare(
      `SELECT batch_id, meter_id, first_date, last_date, changed_at FROM changed_spans ${where}
       ORDER BY meter_id, first_date LIMIT ?1`,
    )
    .bind(limit, ...(batchId === null ? [] : [batchId]))
    .raw<[string, number, string, string, string]>();
  return rows.map(([batchId, meterId, first, last, changedAt]): PendingSpan => ({
    batchId,
    meterId,
    first,
    last,
    changedAt,
  }));
}

/** Every meter's whole span of readings becomes pending (a full rebuild); month sums of meters without readings go. */
export async function markEverythingPending(db: D1Database): Promise<void> {
  await db.batch([
    db.prepare(`INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date)
      SELECT 'rebuild', meter_id, min(date), max(date) FROM readings WHERE true GROUP BY meter_id
      ON CONFLICT (batch_id, meter_id, first_date) DO UPDATE SET last_date = excluded.last_date, changed_at = ${NOW}`),
    db.prepare("DELETE FROM meter_months WHERE meter_id NOT IN (SELECT DISTINCT meter_id FROM readings)"),
    // Every site-month recomputed, including those of sites whose meters have gone.
    db.prepare(`INSERT INTO site_months_stale (site_id, month)
      SELECT DISTINCT site_id, month FROM site_months WHERE true ON CONFLICT DO NOTHING`),
  ]);
}

/** A meter's readings in the snapshot, one row per meter and year: [meterId, JSON of [date, total, periods, mask, rev][]]. */
export type SnapshotRow = [number, string];

/**
 * What the aggregation reads, in one transaction: a new snapshot number (so every row written after this
 * has a larger rev than any it reads: readings/store.ts REV), the readings of the spans with their revs (as
 * JSON text built by SQLite, so D1 hands over a few cells rather than a cell per value), and each
 * meter's site working hours.
 */
export async function readSnapshot(db: D1Database, spans: MeterSpan[]) {
  const json = JSON.stringify(spans);
  const [seq, days, hours] = await db.batch<unknown>([
    db.prepare(`INSERT INTO aggregation_state (id, seq) VALUES (1, 1)
      ON CONFLICT (id) DO UPDATE SET seq = seq + 1 RETURNING seq`),
    db
      .prepare(
        `SELECT r.meter_id, '[' || group_concat('["' || r.date || '",' || r.total_kwh || ',' ||
           coalesce(r.periods, 'null') || ',' || r.estimated_mask || ',' || r.rev || ']', ',' ORDER BY r.date) || ']'
         FROM json_each(?1) s JOIN readings r
           ON r.meter_id = s.value->>0 AND r.date BETWEEN s.value->>1 AND s.value->>2
         GROUP BY r.meter_id, substr(r.date, 1, 4)`,
      )
      .bind(json),
    db
      .prepare(
        `SELECT m.id, s.working_hours FROM json_each(?1) j JOIN meters m ON m.id = j.value->>0
         JOIN sites s ON s.id = m.site_id`,
      )
      .bind(json),
  ]);
  // batch() answers objects; the readings column has no usable name, so read the rows by position.
  const values = (r: D1Result<unknown>) =>
    (r.results as Record<string, unknown>[]).map((o) => Object.values(o));
  return {
    seq: (seq.results[0] as { seq: number }).seq,
    days: values(days) as SnapshotRow[],
    hours: new Map(values(hours) as [number, string | null][]),
  };
}

/** A meter-day's stored row: [meterId, date, kwh, periods, expected, estimated, baseloadKw, peakKwh, peakAt, oohKwh]. */
export type FigureRow = [
  number,
  string,
  number,
  number | null,
  number,
  0 | 1,
  number | null,
  number | null,
  number | null,
  number | null,
];

/**
 * The stored form of a half-hourly day's figures (readings.figures, read as meter_days' last four columns):
 * JSON `[baseloadKw, peakKwh, peakAt, oohKwh]`; null for a daily total, which has none. Numbers as
 * JavaScript writes them, which SQLite reads back as the same doubles.
 */
export const figuresJson = (row: FigureRow): string | null =>
  row[3] === null ? null : `[${row[6]},${row[7]},${row[8]},${row[9]}]`;

export const figureRow = (meterId: number, d: DayFigures): FigureRow => [
  meterId,
  d.date,
  d.kwh,
  d.periods,
  d.expected,
  d.estimated ? 1 : 0,
  d.baseloadKw,
  d.peakKwh,
  d.peakAt,
  d.outOfHoursKwh,
];

const WRITE = {
  // [meterId, date, figures, rev]: only into a row still as the snapshot read it (rev), so a day rewritten
  // since keeps the figures its writer gave it (or stays pending for the next run).
  days: `UPDATE readings SET figures = s.value->>2 FROM json_each(?1) s
WHERE readings.meter_id = s.value->>0 AND readings.date = s.value->>1 AND readings.rev = s.value->>3`,
  // ?1 holds whole months (monthSpans): each month's sums from its days as they now stand.
  months: `INSERT INTO meter_months (meter_id, month, days, kwh, periods)
SELECT d.meter_id, substr(d.date, 1, 7), count(*), total(d.kwh), sum(coalesce(d.periods, d.expected))
FROM json_each(?1) s JOIN meter_days d ON d.meter_id = s.value->>0 AND d.date BETWEEN s.value->>1 AND s.value->>2
WHERE true GROUP BY d.meter_id, substr(d.date, 1, 7)
ON CONFLICT (meter_id, month) DO UPDATE SET days = excluded.days, kwh = excluded.kwh, periods = excluded.periods`,
  emptyMonths: `DELETE FROM meter_months WHERE (meter_id, month) IN (
  SELECT mm.meter_id, mm.month FROM json_each(?1) s JOIN meter_months mm
    ON mm.meter_id = s.value->>0 AND mm.month BETWEEN substr(s.value->>1, 1, 7) AND substr(s.value->>2, 1, 7)
  WHERE NOT EXISTS (SELECT 1 FROM meter_days d
    WHERE d.meter_id = mm.meter_id AND d.date BETWEEN mm.month || '-01' AND mm.month || '-31'))`,
  // Only the rows as they were read: a row an import touched again since then stays pending.
  doneSpans: `DELETE FROM changed_spans WHERE (batch_id, meter_id, first_date, changed_at) IN (
  SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?1))`,
  touched: `INSERT INTO aggregation_state (id, seq, updated_at) VALUES (1, 0, ${NOW})
ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at`,
};

/** A day's figures as the aggregation writes them: [meterId, date, figuresJson, the rev its snapshot read]. */
export type FigureWrite = [number, string, string, number];

/** The statements that store a chunk's figures and month sums and clear the spans it finished: one transaction. */
export function figureStatements(
  db: D1Database,
  rows: FigureWrite[],
  spans: MeterSpan[],
  done: PendingSpan[],
): D1PreparedStatement[] {
  const months = JSON.stringify(monthSpans(spans));
  return [
    ...jsonChunks(rows).map((json) => db.prepare(WRITE.days).bind(json)),
    db.prepare(WRITE.months).bind(months),
    db.prepare(WRITE.emptyMonths).bind(months),
    ...markStaleStatements(db, meterMonths(spans)),
    ...jsonChunks(done.map((d) => [d.batchId, d.meterId, d.first, d.changedAt])).map((json) =>
      db.prepare(WRITE.doneSpans).bind(json),
    ),
    db.prepare(WRITE.touched),
  ];
}

// An import's own figures (import-figures.ts) stand only if every meter's site still has the working
// hours they were computed with (?3: [meterId, hours] pairs). A change of hours meanwhile re-aggregates
// those meters, so then the range's days go back to pending instead: one check per statement (a check per
// row was about 6 % of the statement's time in node:sqlite on 133,000 day rows).
const SAME_HOURS = `ok AS MATERIALIZED (SELECT h.value->>0 AS id FROM json_each(?3) h
  JOIN meters m ON m.id = h.value->>0 JOIN sites s ON s.id = m.site_id WHERE s.working_hours IS h.value->>1)`;
const ALL_SAME = "(SELECT count(*) FROM ok) = json_array_length(?3)";
const IMPORTED = {
  // ?1 holds the days' spans: pending when the figures do not stand.
  otherHours: `WITH ${SAME_HOURS}
INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date)
SELECT ?2, value->>0, value->>1, value->>2 FROM json_each(?1) WHERE NOT ${ALL_SAME}
ON CONFLICT (batch_id, meter_id, first_date) DO UPDATE SET last_date = max(last_date, excluded.last_date),
  changed_at = ${NOW}`,
  dropFigures: `WITH ${SAME_HOURS}
UPDATE readings SET figures = NULL FROM json_each(?1) s
WHERE NOT ${ALL_SAME} AND readings.meter_id = s.value->>0 AND readings.date BETWEEN s.value->>1 AND s.value->>2`,
};

/**
 * The statements that go with the figures an import range wrote in its readings rows (complete days under
 * `replace`), to run in the same transaction, after them: the check of the hours they were computed with,
 * and the months of their days recomputed as they stand. `spans`: each meter's first and last such day
 * (spansOf); `hoursUsed` names each meter once.
 */
export function importedFigureStatements(
  db: D1Database,
  batchId: string,
  spans: [number, string, string][],
  hoursUsed: [number, string | null][],
): D1PreparedStatement[] {
  if (spans.length === 0) return [];
  const hours = JSON.stringify(hoursUsed);
  const months = JSON.stringify(monthSpans(spans));
  return [
    ...jsonChunks(spans).flatMap((json) => [
      db.prepare(IMPORTED.otherHours).bind(json, batchId, hours),
      db.prepare(IMPORTED.dropFigures).bind(json, batchId, hours),
    ]),
    db.prepare(WRITE.months).bind(months),
    ...markStaleStatements(db, meterMonths(spans)),
    db.prepare(WRITE.touched),
  ];
}

// ---------------------------------------------------------------------------------------------
// reads

/** A stored meter-day as the read side gets it: a FigureRow without the meter. */
type DayCells = FigureRow extends [number, ...infer Cells] ? Cells : never;

const toDay = (c: DayCells): DayFigures => ({
  date: c[0],
  kwh: c[1],
  periods: c[2],
  expected: c[3],
  estimated: c[4] === 1,
  baseloadKw: c[5],
  peakKwh: c[6],
  peakAt: c[7],
  outOfHoursKwh: c[8],
});

export type MeterRef = { id: number; mpan: string; fuel: "electricity" | "gas"; siteId: number };

/**
 * The meter with this MPAN/MPRN if `visible` (a condition on `meters`) lets the caller see it, and its
 * stored days in each span: one query, each span's days as one JSON cell.
 */
export async function meterDays(
  db: Db,
  mpanKey: string,
  visible: SQL,
  spans: { from: string; to: string }[],
): Promise<{ meter: MeterRef; days: DayFigures[][] } | null> {
  const columns = spans.map(
    (s) => sql`(SELECT json_group_array(json_array(date, kwh, periods, expected, estimated, baseload_kw,
      peak_kwh, peak_at, ooh_kwh) ORDER BY date) FROM meter_days
      WHERE meter_id = meters.id AND date BETWEEN ${s.from} AND ${s.to})`,
  );
  const rows = await db.values<[number, string, "electricity" | "gas", number, ...string[]]>(
    sql`SELECT meters.id, meters.mpan, meters.fuel, meters.site_id, ${sql.join(columns, sql`, `)}
        FROM meters WHERE meters.mpan = ${mpanKey} AND ${visible}`,
  );
  if (rows.length === 0) return null;
  const [id, mpan, fuel, siteId, ...cells] = rows[0];
  return {
    meter: { id, mpan, fuel, siteId },
    days: cells.map((c) => (JSON.parse(c) as DayCells[]).map(toDay)),
  };
}

/**
 * A span as the stored rows that sum to it: a run of whole calendar months from meter_months (null when
 * it holds none) and up to two runs of days from meter_days (its ragged ends). See calendar.spanParts.
 */
export type SpanParts = {
  months: [string, string] | null;
  days: [string, string][];
};

const partsJson = (parts: SpanParts[]) =>
  JSON.stringify(
    parts.map((p) => [
      ...(p.months ?? [null, null]),
      ...(p.days[0] ?? [null, null]),
      ...(p.days[1] ?? [null, null]),
    ]),
  );

/** [kWh, periods] summed over a span's stored rows, per arm (months, first days, last days), null for an empty arm. */
type Arms = [[number, number] | null, [number, number] | null, [number, number] | null];
const armsTotal = (arms: Arms, from = 0) =>
  arms.reduce<[number, number]>((t, a) => (a ? [t[0] + a[from], t[1] + a[from + 1]] : t), [0, 0]);
/** Per fuel: [electricity kWh, periods, gas kWh, periods] of an arm. */
type FuelArms = [
  [number, number, number, number] | null,
  [number, number, number, number] | null,
  [number, number, number, number] | null,
];
const byFuel = (arms: FuelArms) => ({
  electricity: armsTotal(arms as unknown as Arms, 0),
  gas: armsTotal(arms as unknown as Arms, 2),
});

/**
 * Sums over the sites and meters `filters` pick. Per fuel, each of `buckets` over all the sites and each
 * of `spans` per site, from the site roll-ups (site_months for whole months, site_days for the edges);
 * per meter, the first `meterSpans` of `spans` from meter_months and meter_days. Correlated subqueries
 * over primary keys, with each span's bounds read once into a materialised table: a join of every (span,
 * meter, day) row grouped afterwards made SQLite sort them all, several times slower. With
 * `baseloadSpan`, also the estate's baseload trend over it (baseloadsSql). Stale site roll-ups are
 * recomputed before sums are taken from them (see rollups.ts): the same statement says whether any is
 * stale, and only then are they refreshed and the sums read again (a D1 round trip saved on every read,
 * 3–4 ms of the dashboard's 30 ms in bench:aggregate).
 */
export async function sumSpans(
  db: Db,
  filters: { meters: SQL; sites: SQL },
  buckets: SpanParts[],
  spans: SpanParts[],
  meterSpans: number,
  baseloadSpan?: { from: string; to: string },
) {
  const arm = (select: string, from: string, bounds: [string, string], key: string) =>
    sql.raw(`CASE WHEN ${bounds[0]} IS NULL THEN NULL ELSE json((SELECT json_array(${select}) FROM ${from}
      ${key} BETWEEN ${bounds[0]} AND ${bounds[1]})) END`);
  const fuelTotals = (t: string) =>
    ["electricity", "gas"]
      .map(
        (f) =>
          `total(CASE WHEN ${t}.fuel = '${f}' THEN ${t}.kwh END), total(CASE WHEN ${t}.fuel = '${f}' THEN ${t}.periods END)`,
      )
      .join(", ");
  /** The three arms of a span `b` (its bounds table) over site roll-ups `from` … (ending in a join condition). */
  const siteArms = (b: string, from: (table: string, alias: string) => string) => [
    arm(fuelTotals("sm"), from("site_months", "sm"), [`${b}.ma`, `${b}.mz`], "sm.month"),
    ...(["1", "2"] as const).map((n) =>
      arm(fuelTotals("sd"), from("site_days", "sd"), [`${b}.a${n}`, `${b}.z${n}`], "sd.date"),
    ),
  ];
  const bucketArms = siteArms("b", (t, a) => `ss CROSS JOIN ${t} ${a} ON ${a}.site_id = ss.id AND`);
  const siteSpanArms = siteArms("s", (t, a) => `${t} ${a} WHERE ${a}.site_id = ss.id AND`);
  const meterArms = [
    arm("total(kwh), total(periods)", "meter_months WHERE meter_id = ms.id AND", ["s.ma", "s.mz"], "month"),
    ...(["1", "2"] as const).map((n) =>
      arm(
        "total(kwh), total(coalesce(periods, expected))",
        "meter_days WHERE meter_id = ms.id AND",
        [`s.a${n}`, `s.z${n}`],
        "date",
      ),
    ),
  ];
  const bounds = (json: string) =>
    sql`SELECT key AS i, value->>0 AS ma, value->>1 AS mz, value->>2 AS a1, value->>3 AS z1, value->>4 AS a2, value->>5 AS z2
        FROM json_each(${json})`;
  const baseloads = baseloadSpan
    ? sql`(SELECT json_group_array(json_array(date, fuel, kw)) FROM (${baseloadsSql(sql`ss`, baseloadSpan)}))`
    : sql`NULL`;
  // One statement: a D1 round trip costs more locally than these sums.
  const read = () =>
    db.values<[string, string, string, string | null, number, string | null]>(sql`
    WITH ms AS MATERIALIZED (
      SELECT meters.id, meters.fuel, meters.mpan, meters.site_id FROM meters WHERE ${filters.meters}),
    ss AS MATERIALIZED (SELECT sites.id, sites.name, sites.floor_area_m2, sites.normalisers FROM sites WHERE ${filters.sites}),
    b AS MATERIALIZED (${bounds(partsJson(buckets))}),
    s AS MATERIALIZED (${bounds(partsJson(spans))}),
    mspans AS MATERIALIZED (SELECT * FROM s WHERE i < ${meterSpans})
    SELECT
      (SELECT json_group_array(json_array(${sql.join(bucketArms, sql`, `)}) ORDER BY b.i) FROM b),
      (SELECT json_group_array(json_array(ms.id, ms.mpan, ms.fuel, ms.site_id,
        json((SELECT json_group_array(json_array(${sql.join(meterArms, sql`, `)}) ORDER BY s.i) FROM mspans s)))
        ORDER BY ms.mpan)
       FROM ms),
      (SELECT json_group_array(json_array(ss.id, ss.name, ss.floor_area_m2, json(ss.normalisers),
        json((SELECT json_group_array(json_array(${sql.join(siteSpanArms, sql`, `)}) ORDER BY s.i) FROM s)))
        ORDER BY ss.name, ss.id) FROM ss),
      (SELECT updated_at FROM aggregation_state WHERE id = 1),
      EXISTS (SELECT 1 FROM site_months_stale),
      ${baseloads}`);
  let [row] = await read();
  if (row[4] === 1) {
    await refreshRollups(db.$client);
    [row] = await read();
  }
  const series = (JSON.parse(row[0]) as FuelArms[]).map(byFuel);
  const meters = (JSON.parse(row[1]) as [number, string, MeterRef["fuel"], number, Arms[]][]).map(
    ([id, mpan, fuel, siteId, perSpan]) => ({
      id,
      mpan,
      fuel,
      siteId,
      spans: perSpan.map((arms) => armsTotal(arms)),
    }),
  );
  const sites = (
    JSON.parse(row[2]) as [number, string, number | null, SiteRef["normalisers"], FuelArms[]][]
  ).map(([id, name, floorAreaM2, normalisers, perSpan]) => ({
    id,
    name,
    floorAreaM2,
    normalisers,
    spans: perSpan.map(byFuel),
  }));
  const baseloadRows = row[5] === null ? [] : (JSON.parse(row[5]) as [string, MeterRef["fuel"], number][]);
  return {
    series,
    meters,
    sites,
    updatedAt: row[3],
    baseloads: new Map(baseloadRows.map(([date, fuel, kw]) => [`${date}|${fuel}`, kw])),
  };
}

export type SiteRef = {
  id: number;
  name: string;
  floorAreaM2: number | null;
  normalisers: { name: string; value: number }[];
};

/**
 * Per day and fuel of a span, the sum of the stored daily baseloads (kW) of the meters of the sites
 * `sites` (a table or subquery of sites with `id`) holds: the estate's baseload trend, `date, fuel, kw`
 * rows. Days without half-hours have none. From the site roll-ups: 20 sites' days, not 1,000 meters'
 * (summing meter_days took 0.26 s for a portfolio year); sumSpans reads it once they are current.
 */
const baseloadsSql = (sites: SQL, span: { from: string; to: string }) => sql`
    SELECT d.date AS date, d.fuel AS fuel, total(d.baseload_kw) AS kw
    FROM ${sites} JOIN site_days d ON d.site_id = ${sites}.id AND d.date BETWEEN ${span.from} AND ${span.to}
    WHERE d.baseload_kw IS NOT NULL
    GROUP BY d.date, d.fuel`;
