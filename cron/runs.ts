// Bookkeeping of each scheduled job's last run, read by /api/health.
import { sql } from "drizzle-orm";
import { database } from "../src/db/client";

export async function recordRun(
  env: Env,
  job: string,
  started: Date,
  status: "ok" | "failed",
  detail: string,
) {
  await database(env).run(sql`
    INSERT INTO cron_runs (job, last_started_at, last_finished_at, last_status, last_detail)
    VALUES (${job}, ${started.toISOString()}, ${new Date().toISOString()}, ${status}, ${detail})
    ON CONFLICT(job) DO UPDATE SET last_started_at = excluded.last_started_at,
      last_finished_at = excluded.last_finished_at, last_status = excluded.last_status, last_detail = excluded.last_detail`);
}
