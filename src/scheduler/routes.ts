// GET /api/scheduler/executions: every run of every job, newest first (Admin → Scheduled jobs).
import { EXECUTION_STATUSES } from "../enums";
import { defineRoute, jsonResponse, pageField, pageOf, pageWindow, router, z } from "../http/openapi";

const ExecutionSchema = z
  .object({
    id: z.number().int(),
    job: z.string(),
    trigger: z.string().openapi({ description: '"cron", "user:<id>" or "import:<batch>"' }),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    items: z.number().int(),
    rowsWritten: z.number().int(),
    status: z.enum(EXECUTION_STATUSES).nullable().openapi({ description: "null while running" }),
    error: z.string().nullable(),
    detail: z.string().nullable(),
  })
  .openapi("SchedulerExecution");

export const schedulerRoutes = router().openapi(
  defineRoute({
    method: "get",
    path: "/api/scheduler/executions",
    role: "admin",
    scope: "global",
    tags: ["scheduler"],
    summary: "Runs of the scheduled jobs (cron and on demand), newest first",
    request: {
      query: z.object({
        job: z.string().max(100).optional(),
        status: z.enum(EXECUTION_STATUSES).optional(),
        page: pageField,
        pageSize: z.coerce.number().int().min(1).max(500).default(50),
      }),
    },
    responses: { 200: jsonResponse(pageOf(ExecutionSchema), "executions") },
  }),
  async (c) => {
    const { job, status, page, pageSize } = c.req.valid("query");
    const { limit, offset } = pageWindow(page, pageSize);
    const [rows, total] = await c.env.DB.batch<Record<string, unknown>>([
      c.env.DB.prepare(
        `SELECT id, job, trigger, started_at AS startedAt, finished_at AS finishedAt, duration_ms AS durationMs,
           items, rows_written AS rowsWritten, status, error, detail FROM scheduler_executions
         WHERE (?1 IS NULL OR job = ?1) AND (?2 IS NULL OR status = ?2) ORDER BY started_at DESC, id DESC LIMIT ?3 OFFSET ?4`,
      ).bind(job ?? null, status ?? null, limit, offset),
      c.env.DB.prepare(
        "SELECT count(*) AS n FROM scheduler_executions WHERE (?1 IS NULL OR job = ?1) AND (?2 IS NULL OR status = ?2)",
      ).bind(job ?? null, status ?? null),
    ]);
    return c.json(
      { data: rows.results as z.infer<typeof ExecutionSchema>[], total: total.results[0].n as number },
      200,
    );
  },
);
