// The half-hourly carbon-intensity poll (src/carbon/poll.ts). A failed poll is recorded in the feed's
// state; the run fails (so runScheduled records it and alerts) from the third failed poll in a row.
import { pollCarbon } from "../src/carbon/poll";

export const FAILURES_BEFORE_ALERT = 3;

export async function carbonPoll(env: Env, now: Date): Promise<string> {
  const run = await pollCarbon(env, now);
  const summary = `stored ${run.stored}, updated ${run.updated} in ${run.requests} requests`;
  if (run.failures.length === 0) return summary;
  const detail = `${summary}; ${run.failures.length} failed: ${run.failures.join("; ")}`;
  if (run.consecutiveFailures >= FAILURES_BEFORE_ALERT)
    throw new Error(`carbon-intensity poll failed ${run.consecutiveFailures} times in a row: ${detail}`);
  return `${detail} (${run.consecutiveFailures} in a row; alert at ${FAILURES_BEFORE_ALERT})`;
}
