// D1 access for alarms: definitions (always through the caller's scope), the day figures an alarm
// watches (meter_days, summed per day over its meters) and its triggers, stored once per span.
import { and, desc, eq, or, sql, type SQL } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import { updateStamped } from "../db/changes";
import type { Db } from "../db/client";
import { equalTo, pageWithTotal, visibleTo } from "../db/lists";
import { alarms, alarmTriggers, meters, sites } from "../db/schema";
import type { PricedMeter } from "../tariffs/store";
import type { DaySums } from "./domain";

export type AlarmRow = typeof alarms.$inferSelect;

/**
 * The meters an alarm watches: its meter, or its site's meters of one fuel (electricity when the site
 * has an electricity meter, else gas: electricity and gas kWh are never added).
 */
const watched = `(SELECT m.id FROM meters m WHERE m.id = ?1 OR (m.site_id = ?2 AND m.fuel = (
  SELECT CASE WHEN EXISTS (SELECT 1 FROM meters e WHERE e.site_id = ?2 AND e.fuel = 'electricity')
  THEN 'electricity' ELSE 'gas' END)))`;

/** Per day from `from` to `to`, the watched meters' figures summed, and the last day any of them has. */
export async function daySums(
  db: D1Database,
  alarm: { meterId: number | null; siteId: number | null },
  from: string,
  to: string,
): Promise<{ days: DaySums[]; lastDate: string | null }> {
  const [days, last] = await db.batch<DaySums & { lastDate: string | null }>([
    db
      .prepare(
        `SELECT date, sum(kwh) AS kwh, sum(baseload_kw) AS baseloadKw, sum(peak_kwh) AS peakKwh
         FROM meter_days WHERE meter_id IN ${watched} AND date BETWEEN ?3 AND ?4 GROUP BY date ORDER BY date`,
      )
      .bind(alarm.meterId, alarm.siteId, from, to),
    db
      .prepare(`SELECT max(date) AS lastDate FROM meter_days WHERE meter_id IN ${watched}`)
      .bind(alarm.meterId, alarm.siteId),
  ]);
  return { days: days.results, lastDate: last.results[0]?.lastDate ?? null };
}

/** The watched meters themselves, for pricing them (all of one fuel). */
export async function watchedMeters(
  db: D1Database,
  alarm: { meterId: number | null; siteId: number | null },
): Promise<PricedMeter[]> {
  const rows = await db
    .prepare(`SELECT id, mpan, fuel, site_id AS siteId FROM meters WHERE id IN ${watched} ORDER BY mpan`)
    .bind(alarm.meterId, alarm.siteId)
    .all<PricedMeter>();
  return rows.results;
}

/** Active alarms on any of the meters or sites (all active alarms when both are null). */
export async function activeAlarms(db: Db, meterIds: number[] | null, siteIds: number[] | null) {
  const where =
    meterIds === null || siteIds === null
      ? undefined
      : or(
          sql`${alarms.meterId} IN (SELECT value FROM json_each(${JSON.stringify(meterIds)}))`,
          sql`${alarms.siteId} IN (SELECT value FROM json_each(${JSON.stringify(siteIds)}))`,
        );
  return db
    .select()
    .from(alarms)
    .where(and(eq(alarms.active, true), where));
}

/** Stores a trigger unless the alarm already triggered on that span: the new row's id, else null. */
export async function insertTrigger(
  db: D1Database,
  alarmId: number,
  t: { from: string; to: string; value: number; threshold: number },
  at: string,
): Promise<number | null> {
  const row = await db
    .prepare(
      `INSERT INTO alarm_triggers (alarm_id, span_from, span_to, value, threshold, triggered_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (alarm_id, span_from) DO NOTHING RETURNING id`,
    )
    .bind(alarmId, t.from, t.to, t.value, t.threshold, at)
    .first<{ id: number }>();
  return row?.id ?? null;
}

export async function setNotified(db: D1Database, triggerId: number, channels: string[]) {
  await db
    .prepare("UPDATE alarm_triggers SET notified = ?2 WHERE id = ?1")
    .bind(triggerId, JSON.stringify(channels))
    .run();
}

// ---------------------------------------------------------------------------------------------
// the API's reads and writes, within the caller's scope

const alarmColumns = {
  id: alarms.id,
  name: alarms.name,
  mpan: meters.mpan,
  siteId: sql<number>`COALESCE(${alarms.siteId}, ${meters.siteId})`,
  siteName: sites.name,
  scope: sql<"meter" | "site">`CASE WHEN ${alarms.meterId} IS NULL THEN 'site' ELSE 'meter' END`,
  metric: alarms.metric,
  period: alarms.period,
  operator: alarms.operator,
  threshold: alarms.threshold,
  pctAbovePrevious: alarms.pctAbovePrevious,
  recipients: alarms.recipients,
  webhook: alarms.webhook,
  active: alarms.active,
  createdAt: alarms.createdAt,
  updatedAt: alarms.updatedAt,
  lastTriggeredAt: sql<
    string | null
  >`(SELECT max(triggered_at) FROM alarm_triggers t WHERE t.alarm_id = ${alarms.id})`,
  triggers: sql<number>`(SELECT count(*) FROM alarm_triggers t WHERE t.alarm_id = ${alarms.id})`,
};

const alarmQuery = (db: Db, p: Principal, where?: SQL) =>
  visibleTo(db.select(alarmColumns).from(alarms), p, sites.id, where)
    .leftJoin(meters, eq(meters.id, alarms.meterId))
    .innerJoin(sites, eq(sites.id, sql`COALESCE(${alarms.siteId}, ${meters.siteId})`));

const parsed = <T extends { recipients: string }>(row: T) => ({
  ...row,
  recipients: JSON.parse(row.recipients) as string[],
});

export async function listAlarms(db: Db, p: Principal, f: { mpan?: string; siteId?: number }) {
  const where = equalTo(f, { mpan: meters.mpan, siteId: sites.id });
  const rows = await alarmQuery(db, p, where).orderBy(alarms.name, alarms.id);
  return rows.map(parsed);
}

export async function getAlarm(db: Db, p: Principal, id: number) {
  const row = await alarmQuery(db, p, eq(alarms.id, id)).get();
  return row && parsed(row);
}

export type AlarmFields = Omit<typeof alarms.$inferInsert, "id" | "createdAt" | "updatedAt">;

export async function createAlarm(db: Db, fields: AlarmFields) {
  const row = await db.insert(alarms).values(fields).returning({ id: alarms.id }).get();
  return row.id;
}

export const updateAlarm = (db: Db, id: number, fields: Partial<AlarmFields>) =>
  updateStamped(db, alarms, eq(alarms.id, id), fields);

export async function deleteAlarm(db: Db, id: number) {
  await db.delete(alarms).where(eq(alarms.id, id));
}

export async function alarmRow(db: Db, id: number) {
  return db.select().from(alarms).where(eq(alarms.id, id)).get();
}

export async function listTriggers(db: Db, alarmId: number, window: { limit: number; offset: number }) {
  const triggers = () =>
    db
      .select({
        id: alarmTriggers.id,
        from: alarmTriggers.spanFrom,
        to: alarmTriggers.spanTo,
        value: alarmTriggers.value,
        threshold: alarmTriggers.threshold,
        triggeredAt: alarmTriggers.triggeredAt,
        notified: alarmTriggers.notified,
      })
      .from(alarmTriggers)
      .where(eq(alarmTriggers.alarmId, alarmId));
  const page = await pageWithTotal(db, triggers, [desc(alarmTriggers.spanFrom)], window);
  return { ...page, data: page.data.map((r) => ({ ...r, notified: JSON.parse(r.notified) as string[] })) };
}
