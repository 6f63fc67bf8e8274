// GET /api/health: D1, R2, the queue binding, each cron job's last run and the import backlog.
// The checks cost four D1 queries and an R2 call, so an isolate reuses its last report for a few seconds;
// an admin's `?deep=1` runs them afresh.
import { carbonFeedCheck } from "../carbon/health";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { CRON_JOBS } from "../../cron/index";
import { authenticate } from "../auth/middleware";
import type { AppEnv } from "../auth/principal";
import { database } from "../db/client";
import { describeStall, stallCutoff, stalledJobs, stallSeconds } from "../imports/recovery";
import { ApiError } from "../http/errors";
import { defineRoute, jsonResponse, router, z } from "../http/openapi";

// not_configured: a job of a capability not built yet; neither healthy nor failing, so it counts as neither.
const CHECK_STATUSES = ["ok", "warn", "fail", "not_configured"] as const;
type CheckStatus = (typeof CHECK_STATUSES)[number];
type Check = { status: CheckStatus; detail: string };

const CheckSchema = z.object({ status: z.enum(CHECK_STATUSES), detail: z.string() });
const HealthSchema = z
  .object({
    status: z.enum(["healthy", "degraded", "critical"]),
    checks: z.record(z.string(), CheckSchema),
    checkedAt: z.string().openapi({ description: "when the checks ran (the report may be reused for 5 s)" }),
  })
  .openapi("Health");

/**
 * How long an isolate reuses its report: long enough that a monitor, a dashboard or a load balancer
 * asking many times a second costs no query, short enough that an outage shows within seconds.
 */
export const HEALTH_CACHE_MS = 5_000;

async function timed(fn: () => Promise<string>, failStatus: CheckStatus = "fail"): Promise<Check> {
  const t = Date.now();
  try {
    const detail = await fn();
    return { status: "ok", detail: `${detail} (${Date.now() - t} ms)` };
  } catch (err) {
    return { status: failStatus, detail: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Each scheduled job from its last two runs (scheduler_executions, cron or on demand): `fail` (and the
 * report critical) when both failed, `warn` when the last failed or the job is overdue (more than
 * twice its interval, plus 10 minutes of slack, since its last run finished).
 */
async function cronChecks(env: Env, now: number): Promise<Record<string, Check>> {
  const jobs = Object.values(CRON_JOBS).filter((job) => !job.notBuilt);
  const runs = jobs.length
    ? await env.DB.batch<{ status: string; finishedAt: string; error: string | null; detail: string | null }>(
        jobs.map((job) =>
          env.DB.prepare(
            `SELECT status, finished_at AS finishedAt, error, detail FROM scheduler_executions
             WHERE job = ?1 AND status IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT 2`,
          ).bind(job.name),
        ),
      )
    : [];
  const lastRuns = new Map(jobs.map((job, i) => [job.name, runs[i].results]));
  const checks: Record<string, Check> = {};
  for (const job of Object.values(CRON_JOBS)) {
    const key = `cron.${job.name}`;
    if (job.notBuilt) {
      checks[key] = { status: "not_configured", detail: `${job.notBuilt}: not built yet` };
      continue;
    }
    const [last, before] = lastRuns.get(job.name) ?? [];
    if (!last) {
      checks[key] = { status: "ok", detail: "has not run yet" };
      continue;
    }
    const ageMin = (now - Date.parse(last.finishedAt)) / 60_000;
    if (last.status === "failed" && before?.status === "failed")
      checks[key] = { status: "fail", detail: `the last two runs failed: ${last.error}` };
    else if (last.status === "failed")
      checks[key] = { status: "warn", detail: `last run failed: ${last.error}` };
    else if (ageMin > job.everyMinutes * 2 + 10) {
      checks[key] = { status: "warn", detail: `overdue: last ran ${Math.round(ageMin)} minutes ago` };
    } else
      checks[key] = { status: "ok", detail: `last ran ${last.finishedAt}: ${last.detail ?? last.status}` };
  }
  return checks;
}

/** Stalled jobs named in the detail; the rest are counted. */
const STALLED_NAMED = 5;

async function importBacklog(env: Env, now: number): Promise<Check> {
  const db = database(env);
  const table = await db.get<{ n: number }>(
    sql`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'import_jobs'`,
  );
  if (!table?.n) return { status: "ok", detail: "no import jobs table yet" };
  const cutoff = stallCutoff(env, new Date(now));
  const row = await db.get<{ waiting: number; stuck: number; stalled: number }>(sql`
    SELECT COUNT(*) AS waiting,
      COALESCE(SUM(CASE WHEN created_at < strftime('%Y-%m-%dT%H:%M:%fZ','now','-1 hour') THEN 1 ELSE 0 END), 0) AS stuck,
      COALESCE(SUM(CASE WHEN COALESCE(progress_at, created_at) < ${cutoff} THEN 1 ELSE 0 END), 0) AS stalled
    FROM import_jobs WHERE status IN ('queued', 'processing')`);
  const waiting = row?.waiting ?? 0;
  const stuck = row?.stuck ?? 0;
  const stalled = row?.stalled ?? 0;
  // Stalled (no progress within the watchdog's threshold) is worse than slow: its work may be lost.
  if (stalled > 0) {
    const names = (await stalledJobs(env, cutoff, STALLED_NAMED)).map((j) => j.batchId);
    const more = stalled > names.length ? ` and ${stalled - names.length} more` : "";
    const threshold = describeStall(stallSeconds(env));
    return {
      status: "warn",
      detail: `${waiting} jobs waiting, ${stalled} stalled with no progress for ${threshold}: ${names.join(", ")}${more}`,
    };
  }
  return stuck > 0
    ? { status: "warn", detail: `${waiting} jobs waiting, ${stuck} for over an hour` }
    : { status: "ok", detail: `${waiting} jobs waiting` };
}

async function runChecks(env: Env, now: number) {
  const checks: Record<string, Check> = {
    d1: await timed(async () => {
      await env.DB.prepare("SELECT 1").first();
      return "query answered";
    }),
    r2: await timed(async () => {
      await env.UPLOADS.head("health-probe");
      return "bucket reachable";
    }, "warn"),
    queue: env.IMPORTS
      ? { status: "ok", detail: "IMPORTS producer bound" }
      : { status: "fail", detail: "IMPORTS queue binding missing" },
  };
  if (checks.d1.status === "ok") {
    Object.assign(checks, await cronChecks(env, now));
    checks.imports = await importBacklog(env, now).catch((err: Error): Check => ({
      status: "warn",
      detail: err.message,
    }));
    checks.carbon = await carbonFeedCheck(env.DB, now).catch((err: Error): Check => ({
      status: "warn",
      detail: err.message,
    }));
  }
  const statuses = Object.values(checks).map((c) => c.status);
  const status =
    checks.d1.status === "fail" ||
    checks.queue.status === "fail" ||
    Object.entries(checks).some(([key, c]) => key.startsWith("cron.") && c.status === "fail")
      ? "critical"
      : statuses.some((s) => s === "warn" || s === "fail")
        ? "degraded"
        : "healthy";
  return { status, checks, checkedAt: new Date(now).toISOString() } as const;
}

export type HealthReport = Awaited<ReturnType<typeof runChecks>>;

/**
 * This isolate's last report, when its checks ran, and the refresh under way if any: module state, kept
 * in sight so tests can reset it.
 */
export const lastReport: {
  report: HealthReport | null;
  at: number;
  refreshing: { since: number } | null;
} = { report: null, at: 0, refreshing: null };

/**
 * The last report while it is under HEALTH_CACHE_MS old, else (or when `fresh`) a new one. Once it is
 * older, one request runs the checks and the others keep getting the old report meanwhile, so that
 * callers arriving together do not all run them; a refresh that has not ended within HEALTH_CACHE_MS
 * (its request was cancelled, say) no longer holds the others back.
 */
export async function healthReport(
  env: Env,
  { fresh = false, now = Date.now() } = {},
): Promise<HealthReport> {
  const { report, at, refreshing } = lastReport;
  if (!fresh && report) {
    if (now - at < HEALTH_CACHE_MS) return report;
    if (refreshing && now - refreshing.since < HEALTH_CACHE_MS) return report;
  }
  const mine = { since: now };
  lastReport.refreshing = mine;
  try {
    const next = await runChecks(env, now);
    // Concurrent refreshes may finish out of order: keep the newest checks.
    if (now >= lastReport.at) Object.assign(lastReport, { report: next, at: now });
    return next;
  } finally {
    if (lastReport.refreshing === mine) lastReport.refreshing = null;
  }
}

/** Whether the caller is a signed-in admin or an admin token; anyone else (or no one) is not. */
async function isAdmin(c: Context<AppEnv>): Promise<boolean> {
  try {
    await authenticate(c, async () => {});
  } catch (err) {
    if (err instanceof ApiError) return false;
    throw err;
  }
  return c.get("principal").role === "admin";
}

export const healthRoutes = router().openapi(
  defineRoute({
    method: "get",
    path: "/api/health",
    role: "public",
    tags: ["health"],
    summary: "Health of the app and its bindings",
    description:
      "The report is reused for up to 5 s per isolate. `deep=1` from an admin (session or token) runs the checks afresh; from anyone else it is ignored.",
    request: { query: z.object({ deep: z.enum(["0", "1"]).optional() }) },
    responses: { 200: jsonResponse(HealthSchema, "health"), 503: jsonResponse(HealthSchema, "critical") },
  }),
  async (c) => {
    const fresh = c.req.valid("query").deep === "1" && (await isAdmin(c));
    const report = await healthReport(c.env, { fresh });
    return c.json(report, report.status === "critical" ? 503 : 200);
  },
);
