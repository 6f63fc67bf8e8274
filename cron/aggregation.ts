// The nightly aggregation: figures for every change not yet aggregated (imports aggregate their own
// changes before completing; this catches failed or cancelled ones, and anything an earlier run left).
import { aggregatePending } from "../src/analytics/aggregate";

export async function aggregation(env: Env): Promise<string> {
  const run = await aggregatePending(env.DB);
  if (!run.done) await env.IMPORTS.send({ kind: "aggregate" });
  return `${run.days} meter-days of ${run.meters} meters aggregated${run.done ? "" : "; continuing from the queue"}`;
}
