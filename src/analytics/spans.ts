// Planning aggregation work: the spans of days imports changed (changed_spans rows), merged per meter and
// cut into chunks small enough for one D1 read and one write. Pure.
import { addDays, daysBetween } from "../time/settlement";
import { bucketOf } from "./calendar";

/** A changed_spans row; `changedAt` lets the aggregation clear exactly the rows it read. */
export type PendingSpan = {
  batchId: string;
  meterId: number;
  first: string;
  last: string;
  changedAt: string;
};
/** [meterId, firstDate, lastDate], inclusive. */
export type MeterSpan = [number, string, string];

/** Each meter's spans with overlapping or adjacent ones joined, by meter then date. */
export function mergeSpans(spans: readonly MeterSpan[]): MeterSpan[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const merged: MeterSpan[] = [];
  for (const [meter, first, last] of sorted) {
    const prev = merged[merged.length - 1];
    if (prev && prev[0] === meter && first <= addDays(prev[2], 1)) {
      if (last > prev[2]) prev[2] = last;
    } else merged.push([meter, first, last]);
  }
  return merged;
}

/** The spans widened to whole calendar months and merged again: the months whose sums need recomputing. */
export function monthSpans(spans: readonly MeterSpan[]): MeterSpan[] {
  return mergeSpans(
    spans.map(([m, first, last]) => [m, bucketOf(first, "month").from, bucketOf(last, "month").to]),
  );
}

export type Chunk = {
  /** Non-overlapping spans to aggregate. */
  spans: MeterSpan[];
  days: number;
  /** Rows finished once this chunk is written: each row goes with the chunk holding its meter's last days. */
  done: PendingSpan[];
};

/** Merges the rows' spans per meter and cuts them into chunks of at most `maxDays` meter-days. */
export function planChunks(rows: readonly PendingSpan[], maxDays: number): Chunk[] {
  const rowsByMeter = new Map<number, PendingSpan[]>();
  for (const r of rows) {
    const list = rowsByMeter.get(r.meterId);
    if (list) list.push(r);
    else rowsByMeter.set(r.meterId, [r]);
  }
  const chunks: Chunk[] = [];
  let chunk: Chunk = { spans: [], days: 0, done: [] };
  const take = (span: MeterSpan, days: number) => {
    if (chunk.days + days > maxDays && chunk.spans.length > 0) {
      chunks.push(chunk);
      chunk = { spans: [], days: 0, done: [] };
    }
    chunk.spans.push(span);
    chunk.days += days;
  };
  const merged = mergeSpans(rows.map((r) => [r.meterId, r.first, r.last]));
  merged.forEach(([meter, first, last], i) => {
    for (let start = first; start <= last;) {
      const remaining = daysBetween(start, last) + 1;
      const days = Math.min(remaining, maxDays);
      const end = addDays(start, days - 1);
      take([meter, start, end], days);
      start = addDays(end, 1);
    }
    // The meter's last span: its rows are done once the chunk now open is written.
    const next = merged[i + 1];
    if (!next || next[0] !== meter) chunk.done.push(...rowsByMeter.get(meter)!);
  });
  if (chunk.spans.length > 0) chunks.push(chunk);
  return chunks;
}

/** Each meter's calendar months the spans touch, as [meterId, "YYYY-MM"] (the site-months to mark stale). */
export function meterMonths(spans: readonly MeterSpan[]): [number, string][] {
  const pairs: [number, string][] = [];
  for (const [meter, first, last] of monthSpans(spans)) {
    // The 28th plus 4 days is always in the next month.
    for (
      let month = first.slice(0, 7);
      month <= last.slice(0, 7);
      month = addDays(`${month}-28`, 4).slice(0, 7)
    )
      pairs.push([meter, month]);
  }
  return pairs;
}
