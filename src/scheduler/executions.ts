// Scheduled-job telemetry: every cron run and every on-demand run of a job writes one scheduler_executions
// row through `runExecution`, which times the work and records how it ended; any job can call it.
import type { ExecutionStatus } from "../enums";

/** What a job's work reports: how many items it went through, rows it wrote, and a line for people. */
export type JobOutcome = {
  items?: number;
  rowsWritten?: number;
  detail?: string;
  /** The run found nothing to do by design (a capability switched off, another run under way). */
  skipped?: boolean;
};

export type Execution = {
  id: number;
  status: ExecutionStatus;
  durationMs: number;
  error: string | null;
};

const ERROR_CHARS = 1000;

/**
 * Runs `work` as one execution of `job`: a row is written when it starts (so a run that dies midway is
 * visible as unfinished) and completed when it ends. `trigger` is "cron" or who asked ("user:3",
 * "import:<batch>"). The work's own error is recorded and rethrown; its result is returned beside the row.
 */
export async function runExecution<T extends JobOutcome>(
  db: D1Database,
  job: string,
  trigger: string,
  work: () => Promise<T>,
  startedAt = new Date(),
): Promise<{ execution: Execution; result: T }> {
  const started = await db
    .prepare("INSERT INTO scheduler_executions (job, trigger, started_at) VALUES (?1, ?2, ?3) RETURNING id")
    .bind(job, trigger, startedAt.toISOString())
    .first<{ id: number }>();
  const id = started!.id;
  const t0 = Date.now();
  let result: T | undefined;
  let error: string | null = null;
  try {
    result = await work();
  } catch (err) {
    error = (err instanceof Error ? err.message : String(err)).slice(0, ERROR_CHARS);
  }
  const status: ExecutionStatus = error !== null ? "failed" : result?.skipped ? "skipped" : "ok";
  const durationMs = Date.now() - t0;
  await db
    .prepare(
      `UPDATE scheduler_executions SET finished_at = ?2, duration_ms = ?3, items = ?4, rows_written = ?5,
         status = ?6, error = ?7, detail = ?8 WHERE id = ?1`,
    )
    .bind(
      id,
      new Date().toISOString(),
      durationMs,
      result?.items ?? 0,
      result?.rowsWritten ?? 0,
      status,
      error,
      result?.detail ?? null,
    )
    .run();
  const execution = { id, status, durationMs, error };
  if (error !== null) throw new ExecutionFailed(execution);
  return { execution, result: result! };
}

/** The work of an execution failed; the row is written and names the error. */
export class ExecutionFailed extends Error {
  constructor(readonly execution: Execution) {
    super(execution.error ?? "failed");
  }
}

/** The last runs of a job, newest first (health reads the last two). */
export async function lastExecutions(db: D1Database, job: string, n = 2) {
  const rows = await db
    .prepare(
      `SELECT status, finished_at AS finishedAt, started_at AS startedAt, error, detail
       FROM scheduler_executions WHERE job = ?1 AND status IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT ?2`,
    )
    .bind(job, n)
    .all<{
      status: ExecutionStatus;
      finishedAt: string;
      startedAt: string;
      error: string | null;
      detail: string | null;
    }>();
  return rows.results;
}

/** Whether the job's last two finished runs both failed: health is critical and admins are alerted. */
export async function failedTwiceInARow(db: D1Database, job: string): Promise<boolean> {
  const last = await lastExecutions(db, job, 2);
  return last.length === 2 && last.every((r) => r.status === "failed");
}
