// Weekly cleanup: uploaded files and row-error detail older than RETENTION_DAYS (job summaries stay),
// abandoned multipart uploads, expired sessions and stale sign-in throttling rows.
import { lt } from "drizzle-orm";
import { THROTTLE } from "../src/auth/throttle";
import { database } from "../src/db/client";
import { loginAttempts, sessions } from "../src/db/schema";

export async function cleanup(env: Env, now: Date): Promise<string> {
  const db = database(env);
  const t = now.getTime();
  const days = Number(env.RETENTION_DAYS) || 30;
  const cutoff = new Date(t - days * 86_400_000).toISOString();

  const old = await env.DB.prepare(
    "SELECT batch_id, r2_key FROM import_jobs WHERE created_at < ?1 AND status IN ('completed', 'completed_with_errors', 'failed', 'cancelled') AND r2_key != ''",
  )
    .bind(cutoff)
    .all<{ batch_id: string; r2_key: string }>();
  for (let i = 0; i < old.results.length; i += 1000) {
    const slice = old.results.slice(i, i + 1000);
    await env.UPLOADS.delete(slice.map((r) => r.r2_key));
    const ids = JSON.stringify(slice.map((r) => r.batch_id));
    await env.DB.batch([
      env.DB.prepare("DELETE FROM import_errors WHERE batch_id IN (SELECT value FROM json_each(?1))").bind(
        ids,
      ),
      env.DB.prepare("DELETE FROM import_ranges WHERE batch_id IN (SELECT value FROM json_each(?1))").bind(
        ids,
      ),
      env.DB.prepare(
        "UPDATE import_jobs SET r2_key = '' WHERE batch_id IN (SELECT value FROM json_each(?1))",
      ).bind(ids),
    ]);
  }
  const abandoned = await env.DB.prepare(
    "SELECT id, r2_key, r2_upload_id FROM uploads WHERE status = 'open' AND created_at < ?1",
  )
    .bind(new Date(t - 7 * 86_400_000).toISOString())
    .all<{ id: string; r2_key: string; r2_upload_id: string }>();
  for (const u of abandoned.results) {
    await env.UPLOADS.resumeMultipartUpload(u.r2_key, u.r2_upload_id)
      .abort()
      .catch(() => undefined);
    await env.DB.prepare("UPDATE uploads SET status = 'aborted' WHERE id = ?").bind(u.id).run();
  }

  const expired = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, t))
    .returning({ h: sessions.tokenHash });
  const stale = await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.windowStart, t - THROTTLE.windowMs - THROTTLE.lockMs))
    .returning({ k: loginAttempts.key });
  return `removed ${old.results.length} old import files, ${abandoned.results.length} abandoned uploads, ${expired.length} expired sessions, ${stale.length} stale throttle rows`;
}
