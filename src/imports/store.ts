// D1 access for the imports API: job lists and status figures within the caller's scope, a job's stored
// row errors (inline and as a streamed CSV), the reset before a retry, and claiming a finished upload.
import { and, count, desc, eq, lte, sql } from "drizzle-orm";
import { inCompanyScope, visibleCompanyTag } from "../access/scope";
import type { Principal } from "../auth/principal";
import { database } from "../db/client";
import { containsTerm } from "../db/lists";
import { importErrors, importJobs, uploads } from "../db/schema";
import { csvLine } from "../http/csv";
import { badRequest } from "../http/errors";
import type { JobStatus } from "../enums";
import type { JobRow } from "./jobs";
import { countedRanges, errorLinesOf, type ErrorLines } from "./error-lines";

export async function listJobs(
  env: Env,
  p: Principal,
  filter: { status?: JobStatus; q?: string; limit: number; offset: number },
) {
  const where = and(
    visibleCompanyTag(p, sql`${importJobs.companyId}`),
    filter.status ? eq(importJobs.status, filter.status) : undefined,
    containsTerm(filter.q, [importJobs.fileName, importJobs.notes, importJobs.tags, importJobs.batchId]),
  );
  const db = database(env);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(importJobs)
      .where(where)
      .orderBy(desc(importJobs.createdAt), desc(importJobs.batchId))
      .limit(filter.limit)
      .offset(filter.offset),
    db.$count(importJobs, where),
  ]);
  return { rows, total };
}

/** How many lines a grouped warning names. */
export const WARNING_LINES = 5;

export type JobMessage = { line: number; message: string };
export type WarningGroup = { code: string; message: string; count: number; lines: number[] };

/**
 * What GET /api/import/jobs/{batchId} shows, read in one D1 round trip: the job, its counted ranges (for
 * file lines), its first `errorLimit` errors, and its warnings grouped by code (the first one's message,
 * how many, the file lines of the first few: what a reader wants instead of a hundred near-identical
 * lines). The job page polls this while the import runs, when each D1 call may wait behind a range's write
 * transaction: one round trip instead of the four it took read one after another. (Locally the wait is
 * the Worker's one thread: during a 1,000-meter import GET /api/auth/me takes as long, about 3 s.)
 *
 * Only issues of ranges whose file lines are known (0..through, errorLinesOf) are shown. The reads are not
 * cut at `through` (it is known only from the ranges read beside them) but ordered by range first, so the
 * first rows of ranges 0..through are the first rows overall, and the cut is made here.
 */
export async function jobReport(env: Env, batchId: string, errorLimit: number) {
  const db = database(env);
  const ofJob = (severity: "error" | "warning") =>
    and(eq(importErrors.batchId, batchId), eq(importErrors.severity, severity));
  const ranked = db
    .select({
      code: importErrors.code,
      range: importErrors.rangeIndex,
      line: importErrors.line,
      message: importErrors.message,
      k: sql<number>`row_number() OVER (PARTITION BY ${importErrors.code} ORDER BY ${importErrors.rangeIndex}, ${importErrors.line})`.as(
        "k",
      ),
    })
    .from(importErrors)
    .where(ofJob("warning"))
    .as("ranked");
  const [jobs, counted, errorRows, warningCounts, warningRows] = await db.batch([
    db.select().from(importJobs).where(eq(importJobs.batchId, batchId)),
    countedRanges(db, batchId),
    db
      .select({ range: importErrors.rangeIndex, line: importErrors.line, message: importErrors.message })
      .from(importErrors)
      .where(ofJob("error"))
      .orderBy(importErrors.rangeIndex, importErrors.line)
      .limit(errorLimit),
    db
      .select({ code: importErrors.code, range: importErrors.rangeIndex, n: count() })
      .from(importErrors)
      .where(ofJob("warning"))
      .groupBy(importErrors.code, importErrors.rangeIndex),
    db.select().from(ranked).where(lte(ranked.k, WARNING_LINES)).orderBy(ranked.range, ranked.line),
  ]);
  const job = jobs[0];
  if (!job) return undefined;
  const lines = errorLinesOf(counted, job.plan);
  const errors: JobMessage[] = [];
  for (const { range, line, message } of errorRows)
    if (range <= lines.through) errors.push({ line: lines.fileLine(range, line), message });
  const counts = new Map<string, number>();
  for (const { code, range, n } of warningCounts)
    if (range <= lines.through) counts.set(code, (counts.get(code) ?? 0) + n);
  const groups = new Map<string, WarningGroup>();
  for (const { code, range, line, message } of warningRows) {
    if (range > lines.through) continue;
    const group = groups.get(code);
    if (group) group.lines.push(lines.fileLine(range, line));
    else groups.set(code, { code, message, count: counts.get(code)!, lines: [lines.fileLine(range, line)] });
  }
  return { job, errors, warnings: [...groups.values()] };
}

/** Every stored error and warning of a job as CSV, streamed with keyset paging (up to 100,000 rows). */
export function errorsCsv(env: Env, job: JobRow, lines: ErrorLines): ReadableStream<Uint8Array> {
  const db = env.DB;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(csvLine(["line", "severity", "code", "message"])));
      let after: [number, number, string] = [-1, 0, ""];
      for (;;) {
        const page = await db
          .prepare(
            `SELECT range_index, line, severity, code, message FROM import_errors
             WHERE batch_id = ?1 AND range_index <= ?2 AND (range_index, line, code) > (?3, ?4, ?5)
             ORDER BY range_index, line, code LIMIT 5000`,
          )
          .bind(job.batchId, lines.through, ...after)
          .raw<[number, number, string, string, string]>();
        if (page.length === 0) break;
        const csv = page.map(([range, line, ...rest]) => csvLine([lines.fileLine(range, line), ...rest]));
        controller.enqueue(encoder.encode(csv.join("")));
        const [range, line, , code] = page[page.length - 1];
        after = [range, line, code];
      }
      controller.close();
    },
  });
}

/**
 * Removes the readings a job wrote (a re-run with other options writes its own), recording each meter's
 * span as changed so its figures are brought up to date.
 */
export async function removeBatchReadings(env: Env, batchId: string): Promise<void> {
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO changed_spans (batch_id, meter_id, first_date, last_date)
       SELECT ?1, meter_id, min(date), max(date) FROM readings WHERE batch_id = ?1 GROUP BY meter_id
       ON CONFLICT (batch_id, meter_id, first_date) DO UPDATE SET last_date = max(last_date, excluded.last_date),
         changed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    ).bind(batchId),
    env.DB.prepare("DELETE FROM readings WHERE batch_id = ?1").bind(batchId),
  ]);
}

/** Back to queued with nothing counted: the errors and range counts of the earlier run are dropped. */
export async function resetForRetry(env: Env, batchId: string, now: Date): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM import_errors WHERE batch_id = ?").bind(batchId),
    env.DB.prepare("DELETE FROM import_ranges WHERE batch_id = ?").bind(batchId),
    env.DB.prepare(
      `UPDATE import_jobs SET status = 'queued', attempts = attempts + 1, error = NULL, finished_at = NULL, checked_at = NULL,
        rows_processed = 0, rows_imported = 0, rows_failed = 0, readings_written = 0, bytes_done = 0, ranges_done = 0,
        progress_at = ?2, recoveries = 0
       WHERE batch_id = ?1`,
    ).bind(batchId, now.toISOString()),
  ]);
}

/** Jobs by status, the backlog and recent throughput, over the jobs the caller may see. */
export async function importStatus(env: Env, p: Principal) {
  const { grantsOf, companyId } = p.scope;
  // Same rule as visibleCompanyTag, as a subquery the four figures share.
  const visible =
    grantsOf !== null
      ? "SELECT * FROM import_jobs WHERE 0"
      : companyId === null
        ? "SELECT * FROM import_jobs"
        : `SELECT * FROM import_jobs WHERE company_id = ${Number(companyId)}`;
  const db = env.DB;
  const [counts, backlog, hour, speed] = await db.batch([
    db.prepare(`SELECT status, COUNT(*) AS n FROM (${visible}) GROUP BY status`),
    db.prepare(
      `SELECT COUNT(*) AS jobs, COALESCE(SUM(bytes_total - bytes_done), 0) AS bytes FROM (${visible}) WHERE status IN ('queued', 'processing')`,
    ),
    db.prepare(
      `SELECT COUNT(*) AS jobs, COALESCE(SUM(rows_processed), 0) AS rows, COALESCE(SUM(readings_written), 0) AS readings
       FROM (${visible}) WHERE finished_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour')`,
    ),
    db.prepare(
      `SELECT SUM(readings_written) AS readings, SUM((julianday(finished_at) - julianday(started_at)) * 86400.0) AS seconds
       FROM (SELECT * FROM (${visible}) WHERE status IN ('completed', 'completed_with_errors') AND dry_run = 0
             ORDER BY finished_at DESC LIMIT 10)`,
    ),
  ]);
  return {
    counts: counts.results as { status: string; n: number }[],
    backlog: backlog.results[0] as { jobs: number; bytes: number },
    lastHour: hour.results[0] as { jobs: number; rows: number; readings: number },
    recent: speed.results[0] as { readings: number | null; seconds: number | null },
  };
}

/** A completed multipart upload in the caller's scope becomes a job's file once. */
export async function claimUploadRow(env: Env, p: Principal, uploadId: string) {
  const db = database(env);
  const upload = await db.select().from(uploads).where(eq(uploads.id, uploadId)).get();
  if (!upload || !inCompanyScope(p, upload.companyId))
    throw badRequest(`uploadId: upload ${uploadId} not found`, "uploadId");
  if (upload.status !== "complete")
    throw badRequest(`uploadId: upload ${uploadId} is ${upload.status}, not complete`, "uploadId");
  return upload;
}

export async function markUploadUsed(env: Env, uploadId: string): Promise<void> {
  await database(env).update(uploads).set({ status: "used" }).where(eq(uploads.id, uploadId));
}
