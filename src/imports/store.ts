// D1 access for the imports API: job lists and status figures within the caller's scope, a job's stored
// row errors (inline and as a streamed CSV), the reset before a retry, and claiming a finished upload.
import { and, desc, eq, lte, sql } from "drizzle-orm";
import { inCompanyScope, visibleCompanyTag } from "../access/scope";
import type { Principal } from "../auth/principal";
import { database } from "../db/client";
import { containsTerm } from "../db/lists";
import { importErrors, importJobs, uploads } from "../db/schema";
import { csvLine } from "../http/csv";
import { badRequest } from "../http/errors";
import type { JobStatus } from "../enums";
import type { JobRow } from "./jobs";
import type { ErrorLines } from "./error-lines";

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

/** The first `limit` stored errors or warnings of a job, by file line, once their lines are known. */
export async function jobMessages(
  env: Env,
  job: JobRow,
  lines: ErrorLines,
  severity: "error" | "warning",
  limit: number,
) {
  const rows = await database(env)
    .select({ rangeIndex: importErrors.rangeIndex, line: importErrors.line, message: importErrors.message })
    .from(importErrors)
    .where(
      and(
        eq(importErrors.batchId, job.batchId),
        eq(importErrors.severity, severity),
        lte(importErrors.rangeIndex, lines.through),
      ),
    )
    .orderBy(importErrors.rangeIndex, importErrors.line)
    .limit(limit);
  return rows.map((r) => ({ line: lines.fileLine(r.rangeIndex, r.line), message: r.message }));
}

/** How many lines a grouped warning names. */
export const WARNING_LINES = 5;

/**
 * A job's stored warnings grouped by code: the first one's message, how many there are, and the file
 * lines of the first few (the grouping a reader wants instead of a hundred near-identical lines).
 */
export async function groupedWarnings(env: Env, job: JobRow, lines: ErrorLines) {
  const rows = await env.DB.prepare(
    `SELECT code, range_index, line, message, n FROM (
       SELECT code, range_index, line, message, count(*) OVER (PARTITION BY code) AS n,
              row_number() OVER (PARTITION BY code ORDER BY range_index, line) AS k
       FROM import_errors WHERE batch_id = ?1 AND severity = 'warning' AND range_index <= ?2)
     WHERE k <= ?3 ORDER BY range_index, line`,
  )
    .bind(job.batchId, lines.through, WARNING_LINES)
    .raw<[string, number, number, string, number]>();
  const groups = new Map<string, { code: string; message: string; count: number; lines: number[] }>();
  for (const [code, range, line, message, n] of rows) {
    const group = groups.get(code);
    if (group) group.lines.push(lines.fileLine(range, line));
    else groups.set(code, { code, message, count: n, lines: [lines.fileLine(range, line)] });
  }
  return [...groups.values()];
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
