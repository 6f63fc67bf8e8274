// The half-hourly carbon-intensity poll (src/carbon/poll.ts). A failed poll is recorded in the feed's
// state; the run fails (so runScheduled records it) from the third failed poll in a row, and the third
// raises the alert itself: runScheduled's own alert (a job's second failed run in a row) would come a
// poll later than the "alert after three failed runs in a row".
import { sendAlert } from "../src/alerts/notify";
import { pollCarbon } from "../src/carbon/poll";

export const FAILURES_BEFORE_ALERT = 3;

export async function carbonPoll(env: Env, now: Date): Promise<string> {
  const run = await pollCarbon(env, now);
  const summary = `stored ${run.stored}, updated ${run.updated} in ${run.requests} requests`;
  if (run.failures.length === 0) return summary;
  const detail = `${summary}; ${run.failures.length} failed: ${run.failures.join("; ")}`;
  if (run.consecutiveFailures >= FAILURES_BEFORE_ALERT) {
    const message = `carbon-intensity poll failed ${run.consecutiveFailures} times in a row: ${detail}`;
    if (run.consecutiveFailures === FAILURES_BEFORE_ALERT)
      await sendAlert(env, { title: "scheduled job carbon failed", detail: message, severity: "critical" });
    throw new Error(message);
  }
  return `${detail} (${run.consecutiveFailures} in a row; alert at ${FAILURES_BEFORE_ALERT})`;
}
