// Import job rows in D1: the canonical summary that lists, the job page and /api/health read.
import { sql } from "drizzle-orm";
import { database } from "../db/client";
import { importJobs } from "../db/schema";
import type { JobStatus } from "../enums";
import type { ImportOptions } from "./options";

export type JobRow = typeof importJobs.$inferSelect;

/** Percent done: 100 once finished, else bytes done over bytes total, held at 99 until the end. */
export function progressPercent(status: JobStatus, bytesDone: number, bytesTotal: number): number {
  if (status === "completed" || status === "completed_with_errors") return 100;
  return bytesTotal > 0 ? Math.min(99, Math.floor((bytesDone / bytesTotal) * 100)) : 0;
}

/** Characters kept of a stored message (a job's `error`, a row error): a 5 MB line quoted whole would be
 * returned by every job list. */
export const MAX_STORED_MESSAGE = 1000;

/** A message cut to MAX_STORED_MESSAGE characters, ending with "…" when cut (never inside a surrogate pair). */
export function capMessage(message: string, max = MAX_STORED_MESSAGE): string {
  if (message.length <= max) return message;
  let end = max - 1;
  const last = message.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${message.slice(0, end)}…`;
}

export function newBatchId(): string {
  const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  return `imp_${stamp}_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
}

export async function createJob(
  env: Env,
  job: {
    batchId: string;
    options: ImportOptions;
    r2Key: string;
    fileName: string | null;
    fileOffset: number;
    fileEnd: number;
    createdBy: number | null;
    /** The company scope it was created in (a company-scoped token); null = unscoped. */
    companyId?: number | null;
    sourceId?: number | null;
  },
): Promise<void> {
  const { options } = job;
  await database(env)
    .insert(importJobs)
    .values({
      batchId: job.batchId,
      status: "queued",
      dryRun: options.dryRun,
      format: options.format,
      options: JSON.stringify(options),
      fileName: job.fileName,
      r2Key: job.r2Key,
      fileOffset: job.fileOffset,
      fileEnd: job.fileEnd,
      bytesTotal: job.fileEnd - job.fileOffset,
      priority: options.priority,
      notes: options.notes ?? null,
      tags: JSON.stringify(options.tags),
      createdBy: job.createdBy,
      companyId: job.companyId ?? null,
      sourceId: job.sourceId ?? null,
      progressAt: new Date().toISOString(),
    });
  await env.IMPORTS.send({ kind: "plan", batchId: job.batchId });
}

export async function getJob(env: Env, batchId: string): Promise<JobRow | undefined> {
  return database(env)
    .select()
    .from(importJobs)
    .where(sql`${importJobs.batchId} = ${batchId}`)
    .get();
}

export async function updateJob(env: Env, batchId: string, values: Partial<JobRow>): Promise<void> {
  await database(env)
    .update(importJobs)
    .set(values.error ? { ...values, error: capMessage(values.error) } : values)
    .where(sql`${importJobs.batchId} = ${batchId}`);
}

export function jobObject(env: Env, batchId: string) {
  return env.IMPORT_JOBS.get(env.IMPORT_JOBS.idFromName(batchId));
}
