// The aggregation job: turns the spans of days imports changed (changed_spans) into meter-day figures
// and meter-month sums, then clears those spans. Run when an import finishes (before it says completed),
// by the nightly cron, by the admin rebuild and when a site's working hours change.
//
// Each chunk reads a snapshot (readings with their revs + site hours + a new sequence number) in one
// transaction, computes every day with figures.ts in the Worker (measured ~6× faster than the same figures
// in SQL over json_each), and writes in one transaction. A day's figures are written only into the row its
// snapshot read (the same rev), so a day an import rewrote meanwhile keeps what the import gave it, and
// runs racing over the same days each write figures of the row as it stands.
import { DEFAULT_WORKING_HOURS, HoursMasks, type WorkingHours } from "./hours";
import { BASELOAD_HALF_HOURS, dayFigures, LowestValues, type StoredDay } from "./figures";
import { refreshRollups } from "./rollups";
import { planChunks, type Chunk } from "./spans";
import {
  figureRow,
  figuresJson,
  figureStatements,
  markEverythingPending,
  pendingSpans,
  readSnapshot,
  type FigureWrite,
} from "./store";

/** Meter-days per chunk: a few MB of readings JSON in the isolate's 128 MB. */
export const CHUNK_DAYS = 12_000;
/** changed_spans rows read at a time. */
const PAGE_ROWS = 5_000;

/**
 * D1 allows 1,000 queries per Worker invocation: a run stops when its share is spent and says so
 * (`done: false`), and the caller continues it in a later invocation (a queue message).
 */
export const DEFAULT_STATEMENT_BUDGET = 600;
/** Statements one chunk costs: the snapshot (3) and the write (5, plus one per extra 1.5 MB of rows). */
const STATEMENTS_PER_CHUNK = 10;

export type AggregationRun = { done: boolean; meters: number; days: number; chunks: number };

type Snapshot = Awaited<ReturnType<typeof readSnapshot>>;

/** A chunk's figures from its snapshot, and the statements that store them. */
function figureWrites(db: D1Database, chunk: Chunk, snapshot: Snapshot, masks: HoursMasks) {
  const lowest = new LowestValues(BASELOAD_HALF_HOURS);
  let days = 0;
  const rows: FigureWrite[] = [];
  for (const [meterId, json] of snapshot.days) {
    const hoursText = snapshot.hours.get(meterId) ?? null;
    const hours: WorkingHours = hoursText ? (JSON.parse(hoursText) as WorkingHours) : DEFAULT_WORKING_HOURS;
    const key = hoursText ?? "default";
    for (const [date, totalKwh, periods, estimatedMask, rev] of JSON.parse(json) as [
      string,
      number,
      (number | null)[] | null,
      number,
      number,
    ][]) {
      days++;
      // A daily total has no figures (its row's stay NULL); its kWh and periods are the row's own.
      if (periods === null) continue;
      const day: StoredDay = { date, totalKwh, periods, estimatedMask };
      const figures = figuresJson(figureRow(meterId, dayFigures(day, masks.get(date, hours, key), lowest)));
      rows.push([meterId, date, figures!, rev]);
    }
  }
  return { days, statements: figureStatements(db, rows, chunk.spans, chunk.done) };
}

/**
 * Aggregates pending spans (one import batch's, or all) until none is left or the statement budget is
 * spent. Re-running changes nothing: figures are recomputed from the readings as they stand.
 */
export async function aggregatePending(
  db: D1Database,
  {
    batchId = null,
    budget = DEFAULT_STATEMENT_BUDGET,
    chunkDays = CHUNK_DAYS,
  }: { batchId?: string | null; budget?: number; chunkDays?: number } = {},
): Promise<AggregationRun> {
  const run: AggregationRun = { done: false, meters: 0, days: 0, chunks: 0 };
  const masks = new HoursMasks();
  const meters = new Set<number>();
  for (;;) {
    if (budget < 1 + STATEMENTS_PER_CHUNK) return { ...run, meters: meters.size };
    const rows = await pendingSpans(db, batchId, PAGE_ROWS);
    budget--;
    if (rows.length === 0) {
      // A run over everything (nightly, rebuild, queue) also brings the site roll-ups up to date; an
      // import's own run leaves them to the queue message it sends on completing (reads refresh them anyway).
      if (batchId === null) await refreshRollups(db);
      return { ...run, done: true, meters: meters.size };
    }
    // The next chunk's snapshot is read while this one's figures are computed and written (D1 works
    // while the isolate computes); chunks hold different meter-days, so the order of their reads and
    // writes does not matter (each month is recomputed from its days as they stand).
    const chunks = planChunks(rows, chunkDays);
    const read = (i: number) => {
      const p = readSnapshot(db, chunks[i].spans);
      p.catch(() => undefined); // awaited below, or dropped when the budget stops the run
      return p;
    };
    let written = 0;
    let next = budget >= STATEMENTS_PER_CHUNK ? read(0) : null;
    while (next) {
      const snapshot = await next;
      budget -= STATEMENTS_PER_CHUNK;
      const chunk = chunks[written];
      next = written + 1 < chunks.length && budget >= STATEMENTS_PER_CHUNK ? read(written + 1) : null;
      const writes = figureWrites(db, chunk, snapshot, masks);
      await db.batch(writes.statements);
      written++;
      run.days += writes.days;
      run.chunks++;
      for (const [m] of chunk.spans) meters.add(m);
    }
    // The budget ran out before the page was done: the rest stays pending for the caller to continue.
    if (written < chunks.length) return { ...run, meters: meters.size };
  }
}

/** A full rebuild: every meter's whole span of readings is aggregated again (and stale figures removed). */
export async function rebuildAll(db: D1Database, budget = DEFAULT_STATEMENT_BUDGET): Promise<AggregationRun> {
  await markEverythingPending(db);
  return aggregatePending(db, { budget: budget - 1 });
}

/** Marks a few meters' whole spans pending under a batch name and aggregates them (e.g. after their site's hours change). */
export async function reaggregateMeters(
  db: D1Database,
  meterIds: number[],
  reason: string,
): Promise<AggregationRun> {
  if (meterIds.length === 0) return { done: true, meters: 0, days: 0, chunks: 0 };
  await db
    .prepare(
      `INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date)
       SELECT ?2, meter_id, min(date), max(date) FROM readings
       WHERE meter_id IN (SELECT value FROM json_each(?1)) GROUP BY meter_id
       ON CONFLICT (batch_id, meter_id, first_date) DO UPDATE SET last_date = excluded.last_date,
         changed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    )
    .bind(JSON.stringify(meterIds), reason)
    .run();
  return aggregatePending(db, { batchId: reason });
}
