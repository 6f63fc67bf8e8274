// Imports API (admin): create jobs from a streamed upload or a finished multipart upload, list and
// inspect them, download every row error, cancel, retry, and watch progress live over a WebSocket.
import type { Context } from "hono";
import { audit } from "../audit/log";
import { authenticate, requireRole, requireScope } from "../auth/middleware";
import { inCompanyScope } from "../access/scope";
import type { AppEnv, Principal } from "../auth/principal";
import { IMPORT_FORMATS, JOB_PRIORITIES, JOB_STATUSES, isTerminalJobStatus, type JobStatus } from "../enums";
import { ApiError, badRequest, conflict, notFound } from "../http/errors";
import { lookup, recordKey } from "../http/record";
import {
  defineRoute,
  errorResponse,
  invalidInput,
  jsonBody,
  jsonResponse,
  pageField,
  pageWindow,
  router,
  z,
} from "../http/openapi";
import { createJob, getJob, jobObject, newBatchId, progressPercent, updateJob, type JobRow } from "./jobs";
import type { ImportPlan } from "./domain";
import { DetectedSchema, detectedOf } from "./detected";
import { locateForm, MultipartError, boundaryOf } from "./multipart";
import { HEAD_BYTES } from "./pipeline";
import { previewHead, PreviewSchema } from "./preview";
import { errorLines } from "./error-lines";
import { ImportOptionsSchema, type ImportOptions } from "./options";
import {
  claimUploadRow,
  errorsCsv,
  importStatus,
  jobReport,
  listJobs,
  markUploadUsed,
  removeBatchReadings,
  resetForRetry,
} from "./store";
import { describeStall, isStalled, lastProgress, stallCutoff, stallSeconds } from "./recovery";
import {
  assertTextFile,
  locateUploadedForm,
  maxUploadBytes,
  readRange,
  streamToR2,
  tooLarge,
} from "./storage";

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
    /** Warnings grouped by kind: the first message, how many, and the first few file lines (none for a note on the whole file). */
    warnings: z.array(
      z.object({
        code: z.string(),
        message: z.string(),
        count: z.number().int(),
        lines: z.array(z.number().int()),
      }),
    ),
    /** What the importer detected in the file (null until its head has been read). */
    detected: DetectedSchema.nullable(),
    error: z.string().nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    /**
     * When the quality rules and alarms finished checking the days this import changed: they run right
     * after it completes, so null for a while after `completed` (and for an unfinished or failed job).
     */
    checkedAt: z.string().nullable(),
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
const JobListItem = JobSchema.omit({ errors: true, warnings: true, detected: true });
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
    checkedAt: job.checkedAt,
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
  if (result.data.meter === "") result.data.meter = undefined;
  return result.data;
}

const unsupportedBody = () =>
  new ApiError(
    415,
    "unsupported_media_type",
    "send multipart/form-data with a `file`, or JSON with an `uploadId`",
  );

/** POST /api/import/jobs: a multipart upload streamed to R2, or JSON/multipart naming a finished upload. */
/** A JSON body naming a finished multipart upload (`uploadId`) and the job's options. */
async function uploadBody(c: Context<AppEnv>) {
  const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body.uploadId !== "string")
    throw badRequest("uploadId: give the id of a completed upload", "uploadId");
  return body as Record<string, unknown> & { uploadId: string };
}

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
    const body = await uploadBody(c);
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
  } else throw unsupportedBody();
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

const RerunBody = z
  .object({
    meter: z.string().optional(),
    dryRun: z.union([z.boolean(), z.string()]).optional(),
    format: z.string().optional(),
    timestampLabels: z.string().optional(),
    unit: z.string().optional(),
    dateOrder: z.string().optional(),
    calorificValue: z.union([z.number(), z.string()]).optional(),
    columns: z.union([z.record(z.string(), z.union([z.string(), z.number()])), z.string()]).optional(),
    onConflict: z.string().optional(),
    autoCreateMeters: z.union([z.boolean(), z.string()]).optional(),
    priority: z.string().optional(),
  })
  .openapi("ImportRerun");

/** Bytes of a preview's multipart body read at most: the option fields and the head of the file. */
const PREVIEW_BODY_BYTES = HEAD_BYTES + 16 * 1024;

/** The first `limit` bytes of a request body; the rest is never read. */
async function bodyHead(request: Request, limit: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!request.body) return { bytes: new Uint8Array(), truncated: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= limit) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes, truncated };
}

/** POST /api/import/preview: the head of an uploaded file, or of a finished multipart upload. */
async function previewImport(c: Context<AppEnv>) {
  const env = c.env;
  const contentType = c.req.header("Content-Type") ?? "";
  const principal = c.get("principal");
  let options: ImportOptions;
  let head: Uint8Array;
  let wholeFile: boolean;
  if (contentType.startsWith("application/json")) {
    const body = await uploadBody(c);
    options = parseOptions(body);
    const upload = await claimUploadRow(env, principal, body.uploadId);
    head = await readRange(env, upload.r2Key, { offset: 0, length: Math.min(upload.size, HEAD_BYTES) });
    wholeFile = upload.size <= HEAD_BYTES;
  } else if (contentType.startsWith("multipart/form-data")) {
    const boundary = boundaryOf(contentType);
    if (!boundary) throw badRequest("multipart body without a boundary", "file");
    const { bytes, truncated } = await bodyHead(c.req.raw, PREVIEW_BODY_BYTES);
    let form;
    try {
      form = locateForm(bytes, new Uint8Array(), bytes.length, boundary, truncated);
    } catch (err) {
      if (err instanceof MultipartError) throw badRequest(err.message, "file");
      throw err;
    }
    options = parseOptions(form.fields);
    if (!form.file) throw badRequest("file: attach the CSV as the `file` field", "file");
    if (form.file.end <= form.file.start) throw badRequest("file: the file is empty", "file", "empty_file");
    head = bytes.subarray(form.file.start, form.file.end);
    wholeFile = !truncated;
  } else throw unsupportedBody();
  return c.json(await previewHead(env, head, wholeFile, options, principal.scope.companyId), 200);
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
  return visibleOr404(c, await getJob(c.env, batchId));
}

function visibleOr404(c: Context<AppEnv>, job: JobRow | undefined): JobRow {
  if (!job || !inCompanyScope(c.get("principal"), job.companyId)) throw notFound("import job");
  return job;
}

/** A job as GET /api/import/jobs/{batchId} answers it: its summary, first errors, notes and warnings. */
async function jobDetail(c: Context<AppEnv>, batchId: string) {
  const report = await jobReport(c.env, batchId, INLINE_ERRORS);
  const job = visibleOr404(c, report?.job);
  const { errors, warnings: grouped } = report!; // there is a report: visibleOr404 found its job
  const plan = job.plan ? (JSON.parse(job.plan) as ImportPlan) : null;
  // Notes on the whole file (an assumed date order, hourly data split) come first, without lines.
  const notes = (plan?.notes ?? []).map((n) => ({
    code: n.code,
    message: n.message,
    count: 1,
    lines: n.lines ?? [],
  }));
  return {
    ...jobSummary(job, c.env),
    errors,
    warnings: [...notes, ...grouped],
    detected: plan ? detectedOf(plan) : null,
  };
}

/**
 * A POST on one job (cancel, retry, rerun): the job the caller may see or 404, the action (throwing its
 * 409), an audit entry `import.<action>` (with the body as detail), and the job as it now stands.
 */
function jobAction<B extends z.ZodType = z.ZodUndefined>(
  action: "cancel" | "retry" | "rerun",
  summary: string,
  answer: { status: 200 | 202; description: string; refusal: string },
  act: (c: Context<AppEnv>, job: JobRow, body: z.infer<B>) => Promise<void>,
  { description, body }: { description?: string; body?: B } = {},
) {
  const route = defineRoute({
    method: "post",
    path: `/api/import/jobs/{batchId}/${action}`,
    role: "admin",
    scope: "filtered",
    tags: ["imports"],
    summary,
    ...(description ? { description } : {}),
    request: { params: BatchParam, ...(body ? { body: jsonBody(body) } : {}) },
    responses: {
      [answer.status]: jsonResponse(JobListItem, answer.description),
      409: errorResponse(answer.refusal),
    },
  });
  const handler = async (c: Context<AppEnv>) => {
    const job = await jobOr404(c, recordKey<typeof BatchParam>(c).batchId);
    const changes = body
      ? (c.req as unknown as { valid(target: "json"): z.infer<B> }).valid("json")
      : undefined;
    await act(c, job, changes as z.infer<B>);
    await audit(c, `import.${action}`, { entity: "import_job", entityId: job.batchId, detail: changes });
    return c.json(jobSummary((await getJob(c.env, job.batchId))!, c.env), answer.status);
  };
  return [route, handler] as const;
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
        "Multipart fields (all optional but file): file, meter, dryRun, format auto|narrow|wide|daily|register, timestampLabels start|end (unset: detected), unit kWh|Wh|MWh|m3|ft3|hcf (unset: from the header, else kWh), dateOrder dmy|mdy|ymd (unset: decided from the file's dates), calorificValue (MJ/m³, gas volume files; overrides the meter's), columns (JSON: role → header name or 1-based column number; roles meter, date, time, timestamp, start, end, period, value, firstValue, register, status, total, unit), onConflict replace|keep, autoCreateMeters, notes, tags, priority high|normal|low. Or JSON `{uploadId, ...same options}`.",
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
    ...lookup("/api/import/jobs/{batchId}", "One job with its first 100 row errors", JobSchema, {
      role: "admin",
      scope: "filtered",
      tag: "imports",
      params: BatchParam,
      what: "import job",
      answers: "the job",
      find: async (c, { batchId }) => jobDetail(c, batchId),
    }),
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
      const lines = await errorLines(c.env, job.batchId, job.plan);
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
    ...jobAction(
      "cancel",
      "Cancel a queued or running job (rows already written stay)",
      { status: 200, description: "cancelled", refusal: "already finished" },
      async (c, job) => {
        if (isTerminalJobStatus(job.status)) throw conflict(`the job is already ${job.status}`);
        await updateJob(c.env, job.batchId, { status: "cancelled", finishedAt: new Date().toISOString() });
        await jobObject(c.env, job.batchId).setStatus("cancelled");
      },
    ),
  )
  .openapi(
    ...jobAction(
      "retry",
      "Run a failed, cancelled or stalled job again from the start; writes are idempotent, so nothing duplicates",
      { status: 202, description: "queued again", refusal: "finished, or still progressing" },
      async (c, job) => {
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
      },
    ),
  )
  .openapi(
    ...jobAction(
      "rerun",
      "Run a finished or failed job again on its stored file with changed options (no upload); the rows its earlier run wrote are removed first",
      { status: 202, description: "queued again", refusal: "still running, or the file is gone" },
      async (c, job, changes) => {
        if (!isTerminalJobStatus(job.status))
          throw conflict(
            `the job is ${job.status}: cancel it or wait for it to finish before running it again`,
          );
        if (!job.r2Key || !(await c.env.UPLOADS.head(job.r2Key)))
          throw conflict("the uploaded file has been cleaned up; upload it again");
        const options = parseOptions({ ...JSON.parse(job.options), ...changes });
        // Figures the earlier run wrote under other options (a wrong unit or date order) must not linger.
        if (!job.dryRun) await removeBatchReadings(c.env, job.batchId);
        const now = new Date();
        await resetForRetry(c.env, job.batchId, now);
        await updateJob(c.env, job.batchId, {
          options: JSON.stringify(options),
          dryRun: options.dryRun,
          format: options.format,
          priority: options.priority,
          plan: null,
          startedAt: null,
          rangesTotal: 0,
        });
        await jobObject(c.env, job.batchId).setStatus("queued");
        await c.env.IMPORTS.send({ kind: "plan", batchId: job.batchId });
      },
      {
        description:
          "JSON body: any job options (unit, dateOrder, timestampLabels, columns, meter, calorificValue, format, onConflict, dryRun, autoCreateMeters…), merged over the job's own.",
        body: RerunBody,
      },
    ),
  )
  .openapi(
    defineRoute({
      method: "post",
      path: "/api/import/preview",
      role: "admin",
      scope: "filtered",
      tags: ["imports"],
      summary:
        "What an import would detect and store, from the head of the file only (same body as POST /api/import/jobs)",
      description:
        "Multipart with `file` (put the option fields before the file: only the first 64 KB of the file are read) or JSON `{uploadId, ...options}`. Answers the detected settings and the first 20 readings as they would be stored; 422 with the reason when the file cannot be read as it stands.",
      responses: {
        200: jsonResponse(PreviewSchema, "the preview"),
        415: errorResponse("not a text file"),
        422: errorResponse(
          "the file cannot be read with these options: the reason, and the option to change",
        ),
      },
    }),
    previewImport,
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
