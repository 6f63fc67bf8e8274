// Imports API (admin): create jobs from a streamed upload or a finished multipart upload, list and
// inspect them, download every row error, cancel, retry, and watch progress live over a WebSocket.
import type { Context } from "hono";
import { audit } from "../audit/log";
import { authenticate, requireRole, requireScope } from "../auth/middleware";
import { inCompanyScope } from "../access/scope";
import type { AppEnv, Principal } from "../auth/principal";
import { IMPORT_FORMATS, JOB_PRIORITIES, JOB_STATUSES, isTerminalJobStatus, type JobStatus } from "../enums";
import { ApiError, badRequest, conflict, notFound } from "../http/errors";
import {
  defineRoute,
  errorResponse,
  invalidInput,
  jsonResponse,
  pageField,
  pageWindow,
  router,
  z,
} from "../http/openapi";
import { createJob, getJob, jobObject, newBatchId, progressPercent, updateJob, type JobRow } from "./jobs";
import { errorLines } from "./error-lines";
import { ImportOptionsSchema, type ImportOptions } from "./options";
import {
  claimUploadRow,
  errorsCsv,
  importStatus,
  jobMessages,
  listJobs,
  markUploadUsed,
  resetForRetry,
} from "./store";
import { describeStall, isStalled, lastProgress, stallCutoff, stallSeconds } from "./recovery";
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
    /** Last progress: created, planned, a range counted, or lost work sent again by the watchdog. */
    progressAt: z.string(),
    /** Unfinished with no progress for IMPORT_STALL_SECONDS: the watchdog will send its work again. */
    stalled: z.boolean(),
    recoveries: z.number().int(),
    priority: z.enum(JOB_PRIORITIES),
    notes: z.string().nullable(),
    tags: z.array(z.string()),
  })
  .openapi("ImportJob");
const JobListItem = JobSchema.omit({ errors: true, warnings: true });
const BatchParam = z.object({ batchId: z.string().min(1).max(80) });

function jobSummary(job: JobRow, env: Env) {
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
    progressAt: lastProgress(job),
    stalled: isStalled(job, stallCutoff(env, new Date())),
    recoveries: job.recoveries,
    priority: job.priority,
    notes: job.notes,
    tags: JSON.parse(job.tags) as string[],
  };
}

function parseOptions(fields: Record<string, unknown>): ImportOptions {
  const result = ImportOptionsSchema.safeParse(fields);
  if (!result.success) throw invalidInput(result.error);
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
  const upload = await claimUploadRow(env, principal, uploadId);
  await assertTextFile(env, upload.r2Key, 0, upload.size);
  await markUploadUsed(env, uploadId);
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
      const { rows, total } = await listJobs(c.env, c.get("principal"), {
        status,
        q,
        ...pageWindow(page, 50),
      });
      return c.json({ data: rows.map((j) => jobSummary(j, c.env)), total, page }, 200);
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
      const [errors, warnings] = await Promise.all([
        jobMessages(c.env, job, lines, "error", INLINE_ERRORS),
        jobMessages(c.env, job, lines, "warning", INLINE_ERRORS),
      ]);
      return c.json({ ...jobSummary(job, c.env), errors, warnings }, 200);
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
      const lines = await errorLines(c.env.DB, job.batchId, job.plan);
      const stream = errorsCsv(c.env, job, lines);
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
      return c.json(jobSummary((await getJob(c.env, job.batchId))!, c.env), 200);
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
        "Run a failed, cancelled or stalled job again from the start; writes are idempotent, so nothing duplicates",
      request: { params: BatchParam },
      responses: {
        202: jsonResponse(JobListItem, "queued again"),
        409: errorResponse("finished, or still progressing"),
      },
    }),
    async (c) => {
      const job = await jobOr404(c, c.req.valid("param").batchId);
      const now = new Date();
      const stalled = isStalled(job, stallCutoff(c.env, now));
      if (job.status !== "failed" && job.status !== "cancelled" && !stalled) {
        const ago = Math.max(0, Math.round((now.getTime() - Date.parse(lastProgress(job))) / 1000));
        throw conflict(
          isTerminalJobStatus(job.status)
            ? `only failed, cancelled or stalled jobs can be retried; this one is ${job.status}`
            : `only failed, cancelled or stalled jobs can be retried; this one is ${job.status} and last progressed ${ago} s ago (stalled after ${describeStall(stallSeconds(c.env))})`,
        );
      }
      if (!(await c.env.UPLOADS.head(job.r2Key)))
        throw conflict("the uploaded file has been cleaned up; upload it again");
      await resetForRetry(c.env, job.batchId, now);
      // A stalled job's object is still counting: stop it, so a late message of the old run counts nothing
      // until the new plan starts the count afresh.
      await jobObject(c.env, job.batchId).setStatus("queued");
      await c.env.IMPORTS.send({ kind: "plan", batchId: job.batchId });
      await audit(c, "import.retry", { entity: "import_job", entityId: job.batchId });
      return c.json(jobSummary((await getJob(c.env, job.batchId))!, c.env), 202);
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
      const { counts, backlog: b, lastHour: h, recent: s } = await importStatus(c.env, c.get("principal"));
      const byStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<
        JobStatus,
        number
      >;
      for (const r of counts) byStatus[r.status as JobStatus] = r.n;
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
