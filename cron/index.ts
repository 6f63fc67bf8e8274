// The table from cron expression to job. Each job records its run for /api/health and alerts on failure.
import { stallCutoff } from "../src/imports/recovery";
import { alertRepeatedFailure } from "../src/notifications/alerts";
import {
  ExecutionFailed,
  failedTwiceInARow,
  runExecution,
  type JobOutcome,
} from "../src/scheduler/executions";
import { aggregation } from "./aggregation";
import { carbonPoll } from "./carbon";
import { cleanup } from "./cleanup";
import { dataQuality } from "./data-quality";
import { importWatchdog } from "./import-watchdog";
import { recordRun } from "./runs";

type Job = {
  name: string;
  everyMinutes: number;
  /** A line for the run record, or counts for scheduler_executions (src/scheduler/executions.ts). */
  run: (env: Env, now: Date) => Promise<string | JobOutcome>;
  /** Set for a capability not built yet: /api/health shows the job as not configured. */
  notBuilt?: string;
};

export const CRON_JOBS: Record<string, Job> = {
  "*/30 * * * *": { name: "carbon", everyMinutes: 30, run: carbonPoll },
  "30 1 * * *": { name: "aggregation", everyMinutes: 1440, run: aggregation },
  "0 2 * * *": { name: "data-quality", everyMinutes: 1440, run: dataQuality },
  "0 3 * * 0": { name: "cleanup", everyMinutes: 10080, run: cleanup },
  "*/5 * * * *": {
    name: "import-watchdog",
    everyMinutes: 5,
    run: (env, now) => importWatchdog(env, stallCutoff(env, now)),
  },
};

/**
 * Not a trigger: `npm start` fires it once through wrangler dev's /cdn-cgi/local/scheduled with `time` =
 * when it launched the server. The local queue lives in memory, so every job that last progressed before
 * then lost its messages with the previous process and is recovered at once, without waiting out the
 * threshold. Not recorded as a cron run: locally the crons never fire, and health would call it overdue.
 */
export const LOCAL_START_UP = "@start-up";

export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  if (controller.cron === LOCAL_START_UP) {
    const detail = await importWatchdog(env, new Date(controller.scheduledTime).toISOString());
    console.log(`import watchdog at start-up: ${detail}`);
    return;
  }
  const job = CRON_JOBS[controller.cron];
  if (!job) {
    console.error(`no job for cron "${controller.cron}"`);
    return;
  }
  const started = new Date(controller.scheduledTime);
  try {
    const { result } = await runExecution(env.DB, job.name, "cron", async () => {
      const outcome = await job.run(env, started);
      return typeof outcome === "string" ? { detail: outcome, skipped: job.notBuilt !== undefined } : outcome;
    });
    await recordRun(env, job.name, started, "ok", result.detail ?? "");
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    await recordRun(env, job.name, started, "failed", detail);
    console.error(`scheduled job ${job.name} failed: ${detail}`);
    // One failure may be a blip; the second in a row goes to the webhook and the admins' email.
    if (err instanceof ExecutionFailed && (await failedTwiceInARow(env.DB, job.name)))
      await alertRepeatedFailure(env, job.name, detail);
  }
}
