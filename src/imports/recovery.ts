// Stalled imports: what "no progress" means, and how a stalled job's lost work is sent again. A queue
// message can be lost (in production a crash between delivery and acknowledgement; locally every message
// dies with the `wrangler dev` process, whose queue lives in memory), and then nothing retries it. Ranges
// are idempotent and the job's Durable Object counts each once, so sending the uncounted ones again is
// always safe, even when they were only slow.
import { and, inArray, lt, sql } from "drizzle-orm";
import { database } from "../db/client";
import { importJobs } from "../db/schema";
import { isTerminalJobStatus } from "../enums";
import { jobObject, updateJob, type JobRow } from "./jobs";
import { failJob, finishJob, progressColumns, sendRanges, type ImportMessage } from "./pipeline";

/** No progress for this long means stalled (IMPORT_STALL_SECONDS overrides); a 4 MB range takes seconds. */
export const DEFAULT_STALL_SECONDS = 300;
/** Recoveries before a stalled job fails: three losses in a row are not a passing restart. */
export const MAX_RECOVERIES = 3;

export function stallSeconds(env: Env): number {
  const seconds = Number(env.IMPORT_STALL_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_STALL_SECONDS;
}

/** The threshold as people read it: "5 minutes", "90 s". */
export function describeStall(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} s`;
  return seconds === 60 ? "1 minute" : `${seconds / 60} minutes`;
}

/** At `now`, an unfinished job whose last progress is before this instant is stalled. */
export function stallCutoff(env: Env, now: Date): string {
  return new Date(now.getTime() - stallSeconds(env) * 1000).toISOString();
}

/** Jobs created before progress_at existed count from their creation. */
export const lastProgress = (job: Pick<JobRow, "progressAt" | "createdAt">) =>
  job.progressAt ?? job.createdAt;

export function isStalled(job: JobRow, cutoff: string): boolean {
  return !isTerminalJobStatus(job.status) && lastProgress(job) < cutoff;
}

const progressAtOrCreated = sql`COALESCE(${importJobs.progressAt}, ${importJobs.createdAt})`;

/** Unfinished jobs whose last progress is before `cutoff`, oldest first. */
export async function stalledJobs(env: Env, cutoff: string, limit = 50): Promise<JobRow[]> {
  return database(env)
    .select()
    .from(importJobs)
    .where(and(inArray(importJobs.status, ["queued", "processing"]), lt(progressAtOrCreated, cutoff)))
    .orderBy(importJobs.createdAt)
    .limit(limit);
}

export type Recovery = { batchId: string } & (
  | { action: "plan" }
  | { action: "ranges"; ranges: number[] }
  | { action: "finish" }
  | { action: "fail"; reason: string }
  /** It progressed, or another watchdog run took it, since it was found. */
  | { action: "none" }
);

/**
 * Takes the job for this recovery: only if it is still unfinished, still stalled and not taken by another
 * run meanwhile. Its progress time moves to now, so it is judged again a whole threshold later.
 */
async function claim(env: Env, job: JobRow, cutoff: string, countRecovery: boolean): Promise<boolean> {
  const result = await env.DB.prepare(
    `UPDATE import_jobs SET recoveries = recoveries + ?5, progress_at = ?4
     WHERE batch_id = ?1 AND status IN ('queued', 'processing') AND recoveries = ?2
       AND COALESCE(progress_at, created_at) < ?3`,
  )
    .bind(job.batchId, job.recoveries, cutoff, new Date().toISOString(), countRecovery ? 1 : 0)
    .run();
  return result.meta.changes > 0;
}

/**
 * Sends a stalled job's lost work again: the plan when the job was never split into ranges (its first
 * message was lost), else the ranges its Durable Object has not counted; a job whose every range was
 * counted but which never heard so is finished. After MAX_RECOVERIES the job fails with the reason.
 */
export async function recoverJob(env: Env, job: JobRow, cutoff: string): Promise<Recovery> {
  const { batchId } = job;
  const object = jobObject(env, batchId);
  if (job.recoveries >= MAX_RECOVERIES) {
    const { planned, progress } = await object.outstanding();
    const counted =
      job.status === "queued" || planned === 0
        ? "never split into ranges"
        : `${progress.rangesDone} of ${progress.rangesTotal} ranges counted`;
    const reason = `stalled: no progress for ${describeStall(stallSeconds(env))} after ${MAX_RECOVERIES} automatic recoveries (${counted})`;
    if (!(await claim(env, job, cutoff, false))) return { batchId, action: "none" };
    await failJob(env, batchId, reason);
    return { batchId, action: "fail", reason };
  }
  if (!(await claim(env, job, cutoff, true))) return { batchId, action: "none" };
  const { planned, uncounted, progress } = await object.outstanding();
  // Not planned in the object (or a Retry reset it): the plan runs again and sends every range.
  if (job.status === "queued" || planned === 0 || progress.status !== "processing") {
    await env.IMPORTS.send({ kind: "plan", batchId } satisfies ImportMessage);
    return { batchId, action: "plan" };
  }
  if (uncounted.length === 0) {
    await updateJob(env, batchId, progressColumns(progress));
    await finishJob(env, batchId, progress);
    return { batchId, action: "finish" };
  }
  await sendRanges(env, batchId, uncounted);
  return { batchId, action: "ranges", ranges: uncounted.map((r) => r.index) };
}
