// The in-app bell: a notification row per user who may see what it is about (an alarm's site, an
// issue's meter), and the reads and marks behind /api/notifications.
import { sql } from "drizzle-orm";
import { usersSeeingSite } from "../access/scope";
import { database } from "../db/client";
import type { Finding } from "../quality/rules";

export type InAppNotice = {
  kind: "alarm" | "quality" | "scheduler";
  title: string;
  body: string;
  link: string;
  /** Everyone who may see this site gets it; null = admins only. */
  siteId: number | null;
};

/** One row per notice and user who may see it, all in one statement. */
export async function notifyUsers(env: Pick<Env, "DB">, notices: InAppNotice[]): Promise<void> {
  if (notices.length === 0) return;
  // A notice without a site reaches admins only: no grant matches a NULL site, and admins see all.
  await database(env).run(sql`INSERT INTO notifications (user_id, kind, title, body, link)
    SELECT x.id, n.value->>'kind', n.value->>'title', n.value->>'body', n.value->>'link'
    FROM json_each(${JSON.stringify(notices)}) n, users x
    WHERE x.id IN ${usersSeeingSite(sql`(n.value->>'siteId')`)}`);
}

/** Quality issues that became critical reach the bell of everyone who may see their meter. */
export async function notifyCriticalIssues(
  env: Pick<Env, "DB">,
  issues: { meterId: number; siteId: number; issueId: number | null; finding: Finding }[],
): Promise<void> {
  const mpans = await env.DB.prepare(
    "SELECT id, mpan FROM meters WHERE id IN (SELECT value FROM json_each(?1))",
  )
    .bind(JSON.stringify(issues.map((i) => i.meterId)))
    .all<{ id: number; mpan: string }>();
  const mpanOf = new Map(mpans.results.map((m) => [m.id, m.mpan]));
  await notifyUsers(
    env,
    issues.map(({ meterId, siteId, issueId, finding }) => ({
      kind: "quality",
      title: `Critical data-quality issue on ${mpanOf.get(meterId) ?? `meter ${meterId}`}`,
      body: `${finding.type.replace("_", " ")}: ${finding.detail}`,
      link: issueId === null ? "/quality" : `/quality?issue=${issueId}`,
      siteId,
    })),
  );
}

export async function listNotifications(db: D1Database, userId: number, unreadOnly: boolean, limit: number) {
  const [rows, unread] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT id, kind, title, body, link, created_at AS createdAt, read_at AS readAt FROM notifications
         WHERE user_id = ?1 AND (?2 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT ?3`,
      )
      .bind(userId, unreadOnly ? 1 : 0, limit),
    db.prepare("SELECT count(*) AS n FROM notifications WHERE user_id = ?1 AND read_at IS NULL").bind(userId),
  ]);
  return { data: rows.results, unread: (unread.results[0]?.n as number) ?? 0 };
}

/** Marks the caller's own notifications read (ids of others' are ignored); answers how many changed. */
export async function markRead(db: D1Database, userId: number, ids: number[] | "all"): Promise<number> {
  const res = await db
    .prepare(
      `UPDATE notifications SET read_at = ?3 WHERE user_id = ?1 AND read_at IS NULL
       AND (?2 IS NULL OR id IN (SELECT value FROM json_each(?2)))`,
    )
    .bind(userId, ids === "all" ? null : JSON.stringify(ids), new Date().toISOString())
    .run();
  return res.meta.changes ?? 0;
}
