// Every 5 minutes, and once when `npm start` brings the local server up: import jobs with no progress get
// their lost work sent again, or fail after src/imports/recovery.ts's MAX_RECOVERIES with the reason.
import { recoverJob, stalledJobs, type Recovery } from "../src/imports/recovery";

function describe(r: Recovery): string {
  switch (r.action) {
    case "plan":
      return `${r.batchId}: sent the plan again`;
    case "ranges": {
      const shown = r.ranges.slice(0, 10).join(", ") + (r.ranges.length > 10 ? ", …" : "");
      return `${r.batchId}: sent ${r.ranges.length} uncounted ranges again (${shown})`;
    }
    case "finish":
      return `${r.batchId}: every range was counted; finished it`;
    case "fail":
      return `${r.batchId}: failed it (${r.reason})`;
    case "none":
      return `${r.batchId}: progressed meanwhile`;
  }
}

/** Recovers the jobs whose last progress is before `stalledBefore` (an ISO instant). */
export async function importWatchdog(env: Env, stalledBefore: string): Promise<string> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const job of await stalledJobs(env, stalledBefore)) {
    try {
      const recovery = await recoverJob(env, job, stalledBefore);
      if (recovery.action !== "none") done.push(describe(recovery));
    } catch (err) {
      // One job's trouble (its object or the queue refusing) must not keep the others stuck.
      failed.push(`could not recover ${job.batchId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (failed.length > 0) throw new Error([...done, ...failed].join("; "));
  return done.length > 0 ? done.join("; ") : "no stalled imports";
}
