// The nightly aggregation: figures for every change not yet aggregated (imports aggregate their own
// changes before completing; this catches failed or cancelled ones, and anything an earlier run left).
import { aggregatePending } from "../src/analytics/aggregate";

export async function aggregation(env: Env): Promise<string> {
  const run = await aggregatePending(env.DB);
  if (!run.done) await env.IMPORTS.send({ kind: "aggregate" });
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  return `${plural(run.days, "meter-day")} of ${plural(run.meters, "meter")} aggregated${run.done ? "" : "; continuing from the queue"}`;
}
