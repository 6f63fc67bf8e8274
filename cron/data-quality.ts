// The nightly data-quality run: every rule over every meter (which covers whatever imports left pending),
// then the alarms over the recent weeks.
import { runQualityChecks } from "../src/quality/run";
import type { JobOutcome } from "../src/scheduler/executions";

export async function dataQuality(env: Env, now: Date): Promise<JobOutcome> {
  // Spans recorded from here on are checked by their own import; the full run covers the ones before.
  await env.DB.prepare("DELETE FROM checks_pending").run();
  return runQualityChecks(env, { mode: "full", now, evaluateAlarms: true });
}
