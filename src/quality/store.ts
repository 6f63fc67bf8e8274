// D1 access for data quality: what the checks read (readings, gaps, pending spans, existing issues), the
// writes that keep quality_issues current, and the scoped reads and changes behind the API.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { visibleSites } from "../access/scope";
import type { Principal } from "../auth/principal";
import type { Db } from "../db/client";
import { equalTo, pageWithTotal, visibleTo } from "../db/lists";
import { meters, qualityIssues, users } from "../db/schema";
import type { QualitySeverity, QualityStatus, QualityType } from "../enums";
import type { Finding, StoredReading } from "./rules";

/** A meter to check: its site, whether it is active, its zero_run switch and its stored range. */
export type MeterToCheck = {
  id: number;
  siteId: number;
  mpan: string;
  active: boolean;
  zeroRun: boolean;
  first: string | null;
  last: string | null;
};

const meterColumns = `m.id, m.site_id AS siteId, m.mpan, m.status = 'active' AS active,
  COALESCE(q.zero_run, 1) AS zeroRun`;

/** Every meter (or the ones named) with the first and last day it has readings for. */
export async function metersWithRange(db: D1Database, meterIds: number[] | null): Promise<MeterToCheck[]> {
  const rows = await db
    .prepare(
      `SELECT ${meterColumns},
         (SELECT min(date) FROM readings r WHERE r.meter_id = m.id) AS first,
         (SELECT max(date) FROM readings r WHERE r.meter_id = m.id) AS last
       FROM meters m LEFT JOIN meter_quality_settings q ON q.meter_id = m.id
       WHERE ?1 IS NULL OR m.id IN (SELECT value FROM json_each(?1)) ORDER BY m.id`,
    )
    .bind(meterIds === null ? null : JSON.stringify(meterIds))
    .all<MeterToCheck>();
  return rows.results.map((r) => ({ ...r, active: Boolean(r.active), zeroRun: Boolean(r.zeroRun) }));
}

/**
 * The spans imports changed that the checks have not seen (one batch's, or all), merged per meter, and
 * the last pending row they include: the run deletes up to it, not rows recorded since.
 */
export async function pendingChecks(db: D1Database, batchId: string | null) {
  const [last, spans] = await db.batch<Record<string, unknown>>([
    db
      .prepare("SELECT max(rowid) AS last FROM checks_pending WHERE ?1 IS NULL OR batch_id = ?1")
      .bind(batchId),
    db
      .prepare(
        `SELECT meter_id AS meterId, min(first_date) AS "from", max(last_date) AS "to" FROM checks_pending
         WHERE (?1 IS NULL OR batch_id = ?1) AND rowid <= (SELECT max(rowid) FROM checks_pending) GROUP BY meter_id`,
      )
      .bind(batchId),
  ]);
  return {
    last: (last.results[0]?.last as number | null) ?? null,
    spans: spans.results as { meterId: number; from: string; to: string }[],
  };
}

/** Deletes the pending rows a run read (up to `last`), not ones recorded since. */
export function deletePendingStatement(db: D1Database, batchId: string | null, last: number) {
  return db
    .prepare("DELETE FROM checks_pending WHERE (?1 IS NULL OR batch_id = ?1) AND rowid <= ?2")
    .bind(batchId, last);
}

/**
 * Each meter's stored days within its span, in date order, and the stored days just outside the span
 * (`before`, `after`: null when there is none), which bound any gap touching it. The days come as JSON
 * text SQLite concatenates (as the aggregation reads them): D1 hands over a cell per meter and year
 * instead of a row per day, and the Worker parses one string.
 */
export async function readDays(
  db: D1Database,
  spans: [meterId: number, from: string, to: string][],
): Promise<Map<number, { days: StoredReading[]; before: string | null; after: string | null }>> {
  const json = JSON.stringify(spans);
  const [days, edges] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT r.meter_id AS m, '[' || group_concat('["' || r.date || '",' || r.estimated_mask || ',' ||
           coalesce(r.periods, 'null') || ']', ',' ORDER BY r.date) || ']' AS days
         FROM json_each(?1) s CROSS JOIN readings r
         WHERE r.meter_id = s.value->>0 AND r.date BETWEEN s.value->>1 AND s.value->>2
         GROUP BY r.meter_id, substr(r.date, 1, 4) ORDER BY r.meter_id, substr(r.date, 1, 4)`,
      )
      .bind(json),
    db
      .prepare(
        `SELECT s.value->>0 AS m,
           (SELECT max(date) FROM readings r WHERE r.meter_id = s.value->>0 AND r.date < s.value->>1) AS before,
           (SELECT min(date) FROM readings r WHERE r.meter_id = s.value->>0 AND r.date > s.value->>2) AS after
         FROM json_each(?1) s`,
      )
      .bind(json),
  ]);
  const out = new Map<number, { days: StoredReading[]; before: string | null; after: string | null }>();
  for (const e of edges.results as { m: number; before: string | null; after: string | null }[])
    out.set(Number(e.m), { days: [], before: e.before, after: e.after });
  for (const row of days.results as { m: number; days: string }[]) {
    const list = out.get(row.m)!.days;
    for (const [date, estimatedMask, periods] of JSON.parse(row.days) as [
      string,
      number,
      (number | null)[] | null,
    ][])
      list.push({ date, estimatedMask, periods });
  }
  return out;
}

/** A stored issue as the checks compare it: the table's row, its span named `from`–`to`. */
export type StoredIssue = Pick<
  typeof qualityIssues.$inferSelect,
  "id" | "meterId" | "type" | "key" | "periods" | "severity" | "detail" | "status"
> & { from: string; to: string };

/**
 * The issues a check of the spans can find again or resolve, any status (a resolved one found again is
 * reopened, not duplicated): those touching each span, and each meter's missing_days and stale ones.
 */
export async function existingIssues(
  db: D1Database,
  spans: [meterId: number, from: string, to: string][],
): Promise<StoredIssue[]> {
  const rows = await db
    .prepare(
      `SELECT q.id, q.meter_id AS meterId, q.type, q.key, q.from_date AS "from", q.to_date AS "to", q.periods,
         q.severity, q.detail, q.status
       FROM json_each(?1) s CROSS JOIN quality_issues q
       WHERE q.meter_id = s.value->>0 AND (q.type IN ('missing_days', 'stale')
         OR (q.to_date >= s.value->>1 AND q.from_date <= s.value->>2))`,
    )
    .bind(JSON.stringify(spans))
    .all<StoredIssue>();
  return rows.results;
}

export type IssueWrites = {
  /** New findings and changed or reopened ones: one upsert on the issue's identity. */
  upserts: { meterId: number; finding: Finding }[];
  resolves: { id: number; note: string }[];
  /** Issues found again unchanged: only their last-seen time moves. */
  seen: number[];
};

/** The statements that apply a chunk's changes, as one batch; the upsert answers the ids it wrote. */
export function issueStatements(db: D1Database, writes: IssueWrites, now: string): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  if (writes.upserts.length > 0) {
    const rows = writes.upserts.map(({ meterId, finding: f }) => [
      f.type,
      meterId,
      f.key,
      f.from,
      f.to,
      f.periods === null ? null : JSON.stringify(f.periods),
      f.severity,
      f.detail,
    ]);
    statements.push(
      db
        .prepare(
          `INSERT INTO quality_issues (type, meter_id, key, from_date, to_date, periods, severity, detail,
             status, first_seen, last_seen)
           SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7,
             'open', ?2, ?2 FROM json_each(?1) WHERE true
           ON CONFLICT (meter_id, type, key) DO UPDATE SET from_date = excluded.from_date,
             to_date = excluded.to_date, periods = excluded.periods, severity = excluded.severity,
             detail = excluded.detail, last_seen = excluded.last_seen,
             note = CASE WHEN status = 'resolved' THEN 'reopened: found again by a later check' ELSE note END,
             changed_by = CASE WHEN status = 'resolved' THEN NULL ELSE changed_by END,
             changed_at = CASE WHEN status = 'resolved' THEN excluded.last_seen ELSE changed_at END,
             status = CASE WHEN status = 'resolved' THEN 'open' ELSE status END
           RETURNING id, meter_id AS meterId, type, key`,
        )
        .bind(JSON.stringify(rows), now),
    );
  }
  if (writes.resolves.length > 0) {
    statements.push(
      db
        .prepare(
          `UPDATE quality_issues SET status = 'resolved', note = j.value->>1, changed_by = NULL,
             changed_at = ?2, last_seen = ?2
           FROM json_each(?1) j WHERE quality_issues.id = j.value->>0 AND quality_issues.status != 'resolved'`,
        )
        .bind(JSON.stringify(writes.resolves.map((r) => [r.id, r.note])), now),
    );
  }
  if (writes.seen.length > 0) {
    statements.push(
      db
        .prepare("UPDATE quality_issues SET last_seen = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
        .bind(JSON.stringify(writes.seen), now),
    );
  }
  return statements;
}

// ---------------------------------------------------------------------------------------------
// the API's reads and changes, always within the caller's scope

export const issueColumns = {
  id: qualityIssues.id,
  type: qualityIssues.type,
  mpan: meters.mpan,
  siteId: meters.siteId,
  from: qualityIssues.fromDate,
  to: qualityIssues.toDate,
  periods: qualityIssues.periods,
  severity: qualityIssues.severity,
  detail: qualityIssues.detail,
  status: qualityIssues.status,
  note: qualityIssues.note,
  changedBy: users.email,
  changedAt: qualityIssues.changedAt,
  firstSeen: qualityIssues.firstSeen,
  lastSeen: qualityIssues.lastSeen,
};

type IssueFilter = {
  status?: QualityStatus;
  type?: QualityType;
  mpan?: string;
  siteId?: number;
  severity?: QualitySeverity;
};

const issueQuery = (db: Db, p: Principal, where?: SQL) =>
  visibleTo(db.select(issueColumns).from(qualityIssues), p, meters.siteId, where)
    .innerJoin(meters, eq(meters.id, qualityIssues.meterId))
    .leftJoin(users, eq(users.id, qualityIssues.changedBy));

const filterOf = (f: IssueFilter) =>
  equalTo(f, {
    status: qualityIssues.status,
    type: qualityIssues.type,
    mpan: meters.mpan,
    siteId: meters.siteId,
    severity: qualityIssues.severity,
  });

export async function listIssues(db: Db, p: Principal, f: IssueFilter & { limit: number; offset: number }) {
  const order = [
    sql`CASE ${qualityIssues.status} WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END`,
    sql`CASE ${qualityIssues.severity} WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END`,
    desc(qualityIssues.toDate),
    desc(qualityIssues.id),
  ];
  const page = await pageWithTotal(db, () => issueQuery(db, p, filterOf(f)), order, f);
  return { ...page, data: page.data.map(withPeriods) };
}

/** Open and acknowledged issues in scope by severity, for badges and the dashboard's count. */
export async function issueCounts(db: Db, p: Principal, f: { mpan?: string; siteId?: number }) {
  const rows = await db
    .select({ severity: qualityIssues.severity, n: sql<number>`count(*)` })
    .from(qualityIssues)
    .innerJoin(meters, eq(meters.id, qualityIssues.meterId))
    .where(
      and(visibleSites(p, sql`${meters.siteId}`), sql`${qualityIssues.status} != 'resolved'`, filterOf(f)),
    )
    .groupBy(qualityIssues.severity);
  const counts = { info: 0, warning: 0, critical: 0 };
  for (const r of rows) counts[r.severity] = r.n;
  return { ...counts, total: counts.info + counts.warning + counts.critical };
}

const withPeriods = <T extends { periods: string | null }>(row: T) => ({
  ...row,
  periods: row.periods === null ? null : (JSON.parse(row.periods) as number[]),
});

export async function getIssue(db: Db, p: Principal, id: number) {
  const row = await issueQuery(db, p, eq(qualityIssues.id, id)).get();
  return row && withPeriods(row);
}

export async function setIssueStatus(
  db: Db,
  id: number,
  status: QualityStatus,
  note: string | null,
  by: number,
) {
  await db
    .update(qualityIssues)
    .set({ status, note, changedBy: by, changedAt: new Date().toISOString() })
    .where(eq(qualityIssues.id, id));
}

/** Switches a meter's zero_run rule on or off. */
export async function setZeroRun(db: D1Database, meterId: number, on: boolean) {
  await db
    .prepare(
      "INSERT INTO meter_quality_settings (meter_id, zero_run) VALUES (?1, ?2) ON CONFLICT (meter_id) DO UPDATE SET zero_run = excluded.zero_run",
    )
    .bind(meterId, on ? 1 : 0)
    .run();
}
