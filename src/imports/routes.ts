// Imports API (admin): create jobs from a streamed upload or a finished multipart upload, list and
// inspect them, download every row error, cancel, retry, and watch progress live over a WebSocket.
import { and, desc, eq, like, lte, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import { audit } from "../audit/log";
import { authenticate, requireRole, requireScope } from "../auth/middleware";
import { inCompanyScope, visibleCompanyTag } from "../access/scope";
import type { AppEnv, Principal } from "../auth/principal";
import { database } from "../db/client";
import { IMPORT_FORMATS, JOB_PRIORITIES, JOB_STATUSES, isTerminalJobStatus, type JobStatus } from "../enums";
import { importErrors, importJobs, uploads } from "../db/schema";
import { csvLine } from "../http/csv";
import { ApiError, badRequest, conflict, notFound } from "../http/errors";
import { defineRoute, errorResponse, jsonResponse, pageField, pageWindow, router, z } from "../http/openapi";
import { createJob, getJob, jobObject, newBatchId, progressPercent, updateJob, type JobRow } from "./jobs";
import { errorLines } from "./error-lines";
import { ImportOptionsSchema, type ImportOptions } from "./options";
import { assertTextFile, locateUploadedForm, maxUploadBytes, streamToR2, tooLarge } from "./storage";

export const INLINE_ERRORS = 100;

const JobSchema = z
  .object({
    batchId: z.string(),
    status: z.enum(JOB_STATUSES),
    dryRun: z.boolean(),
    format: z.enum(IMPORT_FORMATS),
    fileName: z.string().nullable(),
    rowsProcessed: z.number().int(),
    rowsImported: z.number().int(),
    rowsFailed: z.number().int(),
    readingsWritten: z.number().int(),
    bytesTotal: z.number().int(),
    bytesDone: z.number().int(),
    progress: z.number().int(),
    errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
    warnings: z.array(z.object({ line: z.number().int(), message: z.string() })),
    error: z.string().nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    createdAt: z.string(),
    attempts: z.number().int(),
    priority: z.enum(JOB_PRIORITIES),
    notes: z.string().nullable(),
    tags: z.array(z.string()),
  })
  .openapi("ImportJob");
const JobListItem = JobSchema.omit({ errors: true, warnings: true });
const BatchParam = z.object({ batchId: z.string().min(1).max(80) });

function jobSummary(job: JobRow) {
  return {
    batchId: job.batchId,
    status: job.status,
    dryRun: job.dryRun,
    format: job.format,
    fileName: job.fileName,
    rowsProcessed: job.rowsProcessed,
    rowsImported: job.rowsImported,
    rowsFailed: job.rowsFailed,
    readingsWritten: job.readingsWritten,
    bytesTotal: job.bytesTotal,
    bytesDone: job.bytesDone,
    progress: progressPercent(job.status, job.bytesDone, job.bytesTotal),
    error: job.error,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    createdAt: job.createdAt,
    attempts: job.attempts,
    priority: job.priority,
    notes: job.notes,
    tags: JSON.parse(job.tags) as string[],
  };
}

function parseOptions(fields: Record<string, unknown>): ImportOptions {
  const result = ImportOptionsSchema.safeParse(fields);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join(".");
    throw badRequest(`${field}: ${issue.message}`, field);
  }
  return result.data;
}

/** POST /api/import/jobs: a multipart upload streamed to R2, or JSON/multipart naming a finished upload. */
async function createImportJob(c: Context<AppEnv>) {
  const env = c.env;
  const contentType = c.req.header("Content-Type") ?? "";
  const batchId = newBatchId();
  const limit = maxUploadBytes(env);
  const principal = c.get("principal");
  const createdBy = principal.userId;
  let source: { r2Key: string; fileName: string | null; start: number; end: number };
  let options: ImportOptions;

  if (contentType.startsWith("application/json")) {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body.uploadId !== "string")
      throw badRequest("uploadId: give the id of a completed upload", "uploadId");
    options = parseOptions(body);
    source = await claimUpload(env, principal, body.uploadId);
  } else if (contentType.startsWith("multipart/form-data")) {
    const key = `imports/${batchId}`;
    const size = await streamToR2(env, key, c.req.raw, limit + 64 * 1024);
    try {
      const form = await locateUploadedForm(env, key, size, contentType);
      options = parseOptions(form.fields);
      if (form.fields.uploadId) {
        await env.UPLOADS.delete(key);
        source = await claimUpload(env, principal, form.fields.uploadId);
      } else {
        if (!form.file) throw badRequest("file: attach the CSV as the `file` field", "file");
        if (form.file.end - form.file.start > limit) throw tooLarge(limit);
        if (form.file.end <= form.file.start)
          throw badRequest("file: the file is empty", "file", "empty_file");
        await assertTextFile(env, key, form.file.start, form.file.end);
        source = { r2Key: key, fileName: form.file.name, start: form.file.start, end: form.file.end };
      }
    } catch (err) {
      await env.UPLOADS.delete(key); // nothing is kept from a refused upload
      throw err;
    }
  } else {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "send multipart/form-data with a `file`, or JSON with an `uploadId`",
    );
  }
  if (options.meter === "") options.meter = undefined;
  await createJob(env, {
    batchId,
    options,
    r2Key: source.r2Key,
    fileName: source.fileName,
    fileOffset: source.start,
    fileEnd: source.end,
    createdBy,
    companyId: principal.scope.companyId,
  });
  await audit(c, "import.create", {
    entity: "import_job",
    entityId: batchId,
    detail: { fileName: source.fileName, bytes: source.end - source.start, dryRun: options.dryRun },
  });
  return c.json({ batchId, status: "queued" as const }, 202);
}

/** A completed multipart upload becomes a job's file once. */
async function claimUpload(env: Env, principal: Principal, uploadId: string) {
  const db = database(env);
  const upload = await db.select().from(uploads).where(eq(uploads.id, uploadId)).get();
  if (!upload || !inCompanyScope(principal, upload.companyId))
    throw badRequest(`uploadId: upload ${uploadId} not found`, "uploadId");
  if (upload.status !== "complete")
    throw badRequest(`uploadId: upload ${uploadId} is ${upload.status}, not complete`, "uploadId");
  await assertTextFile(env, upload.r2Key, 0, upload.size);
  await db.update(uploads).set({ status: "used" }).where(eq(uploads.id, uploadId));
  return { r2Key: upload.r2Key, fileName: upload.fileName, start: 0, end: upload.size };
}

/** A job the caller may see: a company-scoped principal sees only the jobs made in its company. */
async function jobOr404(c: Context<AppEnv>, batchId: string): Promise<JobRow> {
  const job = await getJob(c.env, batchId);
  if (!job || !inCompanyScope(c.get("principal"), job.companyId)) throw notFound("import job");
  return job;
}

export const importRoutes = router()
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/import/jobs",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary:
        "Start an import: multipart `file` (streamed to R2) or `uploadId` of a finished multipart upload",
      description:
        "Multipart fields (all optional but file): file, meter, dryRun, format auto|narrow|wide|daily|register, timestampLabels start|end, columns (JSON mapping), onConflict replace|keep, autoCreateMeters, notes, tags, priority high|normal|low. Or JSON `{uploadId, ...same options}`.",
      responses: {
        202: jsonResponse(z.object({ batchId: z.string(), status: z.literal("queued") }), "queued"),
        413: errorResponse("over the size limit"),
        415: errorResponse("not a text file"),
      },
    }),
    createImportJob,
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/import/jobs",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary:
        "Import jobs, newest first, filtered by status and searched by file name, notes, tags or batch id",
      request: {
        query: z.object({
          status: z.enum(JOB_STATUSES).optional(),
          q: z.string().max(200).optional(),
          page: pageField,
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(JobListItem), total: z.number().int(), page: z.number().int() }),
          "jobs",
        ),
      },
    }),
    async (c) => {
      const { status, q, page } = c.req.valid("query");
      const { limit, offset } = pageWindow(page, 50);
      const like_ = q ? `%${q}%` : undefined;
      const where = and(
        visibleCompanyTag(c.get("principal"), sql`${importJobs.companyId}`),
        status ? eq(importJobs.status, status) : undefined,
        like_
          ? or(
              like(importJobs.fileName, like_),
              like(importJobs.notes, like_),
              like(importJobs.tags, like_),
              like(importJobs.batchId, like_),
            )
          : undefined,
      );
      const db = database(c.env);
      const [rows, total] = await Promise.all([
        db
          .select()
          .from(importJobs)
          .where(where)
          .orderBy(desc(importJobs.createdAt), desc(importJobs.batchId))
          .limit(limit)
          .offset(offset),
        db.$count(importJobs, where),
      ]);
      return c.json({ data: rows.map(jobSummary), total, page }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/import/jobs/{batchId}",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary: "One job with its first 100 row errors",
      request: { params: BatchParam },
      responses: { 200: jsonResponse(JobSchema, "the job") },
    }),
    async (c) => {
      const job = await jobOr404(c, c.req.valid("param").batchId);
      const lines = await errorLines(c.env.DB, job.batchId, job.plan);
      const pick = async (severity: "error" | "warning") => {
        const rows = await database(c.env)
          .select({
            rangeIndex: importErrors.rangeIndex,
            line: importErrors.line,
            message: importErrors.message,
          })
          .from(importErrors)
          .where(
            and(
              eq(importErrors.batchId, job.batchId),
              eq(importErrors.severity, severity),
              lte(importErrors.rangeIndex, lines.through),
            ),
          )
          .orderBy(importErrors.rangeIndex, importErrors.line)
          .limit(INLINE_ERRORS);
        return rows.map((r) => ({ line: lines.fileLine(r.rangeIndex, r.line), message: r.message }));
      };
      return c.json(
        { ...jobSummary(job), errors: await pick("error"), warnings: await pick("warning") },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/import/jobs/{batchId}/errors.csv",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary: "Every stored row error and warning of a job as CSV",
      request: { params: BatchParam },
      responses: {
        200: {
          description: "CSV: line,severity,code,message",
          content: { "text/csv": { schema: z.string() } },
        },
      },
    }),
    async (c) => {
      const job = await jobOr404(c, c.req.valid("param").batchId);
      const db = c.env.DB;
      const lines = await errorLines(db, job.batchId, job.plan);
      const encoder = new TextEncoder();
      // Streamed page by page: a job may have up to 100,000 stored errors.
      const stream = new ReadableStream<Uint8Array>({
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
      return new Response(stream, {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${job.batchId}-errors.csv"`,
        },
      });
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/import/jobs/{batchId}/cancel",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary: "Cancel a queued or running job (rows already written stay)",
      request: { params: BatchParam },
      responses: {
        200: jsonResponse(JobListItem, "cancelled"),
        409: errorResponse("already finished"),
      },
    }),
    async (c) => {
      const job = await jobOr404(c, c.req.valid("param").batchId);
      if (isTerminalJobStatus(job.status)) throw conflict(`the job is already ${job.status}`);
      await updateJob(c.env, job.batchId, { status: "cancelled", finishedAt: new Date().toISOString() });
      await jobObject(c.env, job.batchId).setStatus("cancelled");
      await audit(c, "import.cancel", { entity: "import_job", entityId: job.batchId });
      return c.json(jobSummary((await getJob(c.env, job.batchId))!), 200);
    },
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/import/jobs/{batchId}/retry",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary:
        "Run a failed or cancelled job again from the start; writes are idempotent, so nothing duplicates",
      request: { params: BatchParam },
      responses: {
        202: jsonResponse(JobListItem, "queued again"),
        409: errorResponse("not failed or cancelled"),
      },
    }),
    async (c) => {
      const job = await jobOr404(c, c.req.valid("param").batchId);
      if (job.status !== "failed" && job.status !== "cancelled") {
        throw conflict(`only failed or cancelled jobs can be retried; this one is ${job.status}`);
      }
      if (!(await c.env.UPLOADS.head(job.r2Key)))
        throw conflict("the uploaded file has been cleaned up; upload it again");
      await c.env.DB.batch([
        c.env.DB.prepare("DELETE FROM import_errors WHERE batch_id = ?").bind(job.batchId),
        c.env.DB.prepare("DELETE FROM import_ranges WHERE batch_id = ?").bind(job.batchId),
        c.env.DB.prepare(
          `UPDATE import_jobs SET status = 'queued', attempts = attempts + 1, error = NULL, finished_at = NULL,
            rows_processed = 0, rows_imported = 0, rows_failed = 0, readings_written = 0, bytes_done = 0, ranges_done = 0
           WHERE batch_id = ?`,
        ).bind(job.batchId),
      ]);
      await c.env.IMPORTS.send({ kind: "plan", batchId: job.batchId });
      await audit(c, "import.retry", { entity: "import_job", entityId: job.batchId });
      return c.json(jobSummary((await getJob(c.env, job.batchId))!), 202);
    },
  )
  .openapi(
    defineRoute({
      method: "get",
      path: "/api/import/status",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary: "Jobs by status, the backlog and recent throughput",
      responses: {
        200: jsonResponse(
          z.object({
            counts: z.record(z.enum(JOB_STATUSES), z.number().int()),
            backlog: z.object({ jobs: z.number().int(), bytesRemaining: z.number().int() }),
            throughput: z.object({
              lastHour: z.object({
                jobs: z.number().int(),
                rows: z.number().int(),
                readings: z.number().int(),
              }),
              readingsPerSecond: z.number().nullable(),
            }),
          }),
          "status",
        ),
      },
    }),
    async (c) => {
      // The same figures over the jobs the caller may see (a company-scoped token: its company's jobs).
      const scope = c.get("principal").scope;
      const visible =
        scope.grantsOf !== null
          ? "SELECT * FROM import_jobs WHERE 0"
          : scope.companyId === null
            ? "SELECT * FROM import_jobs"
            : `SELECT * FROM import_jobs WHERE company_id = ${Number(scope.companyId)}`;
      const db = c.env.DB;
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
      const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
      for (const r of counts.results as { status: JobStatus; n: number }[]) byStatus[r.status] = r.n;
      const b = backlog.results[0] as { jobs: number; bytes: number };
      const h = hour.results[0] as { jobs: number; rows: number; readings: number };
      const s = speed.results[0] as { readings: number | null; seconds: number | null };
      return c.json(
        {
          counts: byStatus,
          backlog: { jobs: b.jobs, bytesRemaining: b.bytes },
          throughput: {
            lastHour: { jobs: h.jobs, rows: h.rows, readings: h.readings },
            readingsPerSecond: s.readings && s.seconds ? Math.round(s.readings / s.seconds) : null,
          },
        },
        200,
      );
    },
  );

/** GET /api/import/jobs/:batchId/live: a WebSocket to the job's Durable Object (admin, same origin). */
importRoutes.get(
  "/api/import/jobs/:batchId/live",
  authenticate,
  requireRole("admin"),
  requireScope("filtered"),
  async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError(426, "upgrade_required", "open this URL as a WebSocket");
    }
    const origin = c.req.header("Origin");
    if (origin && origin !== new URL(c.req.url).origin)
      throw new ApiError(403, "csrf", "cross-origin WebSocket refused");
    const job = await jobOr404(c, c.req.param("batchId"));
    return jobObject(c.env, job.batchId).fetch(c.req.raw);
  },
);
