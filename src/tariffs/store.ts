// D1 access for tariffs (global configuration: no visibility filter), their price series, meters'
// dated assignments and stored analyses (both seen through the caller's visible sites).
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { visibleSites } from "../access/scope";
import type { Principal } from "../auth/principal";
import { updateStamped } from "../db/changes";
import type { Db } from "../db/client";
import { equalTo, visibleTo } from "../db/lists";
import { meters, meterTariffs, sites, suppliers, switchingAnalyses, tariffs } from "../db/schema";
import type { Fuel } from "../enums";
import type { DayPrices, ReadingDay } from "./bill";
import type { Band, Tariff, TariffInput } from "./model";
import type { PriceDays } from "./prices";

const tariffColumns = {
  id: tariffs.id,
  name: tariffs.name,
  supplierId: tariffs.supplierId,
  supplierName: suppliers.name,
  fuel: tariffs.fuel,
  type: tariffs.type,
  validFrom: tariffs.validFrom,
  validTo: tariffs.validTo,
  standingChargePence: tariffs.standingChargePence,
  vatRate: tariffs.vatRate,
  ccl: tariffs.ccl,
  unitRatePence: tariffs.unitRatePence,
  bands: tariffs.bands,
  clock: tariffs.clock,
  active: tariffs.active,
};
type TariffRow = Omit<Tariff, "bands"> & { bands: string | null };
const asTariff = (row: TariffRow): Tariff => ({
  ...row,
  bands: row.bands === null ? null : (JSON.parse(row.bands) as Band[]),
});

function tariffQuery(db: Db, where?: SQL) {
  return db
    .select(tariffColumns)
    .from(tariffs)
    .leftJoin(suppliers, eq(suppliers.id, tariffs.supplierId))
    .where(where)
    .orderBy(asc(tariffs.fuel), asc(tariffs.name), asc(tariffs.id));
}

export async function listTariffs(db: Db, filter: { fuel?: Fuel; active?: boolean } = {}): Promise<Tariff[]> {
  const rows = await tariffQuery(
    db,
    and(
      filter.fuel ? eq(tariffs.fuel, filter.fuel) : undefined,
      filter.active === undefined ? undefined : eq(tariffs.active, filter.active),
    ),
  );
  return rows.map(asTariff);
}

export async function getTariff(db: Db, id: number): Promise<Tariff | undefined> {
  const row = await tariffQuery(db, eq(tariffs.id, id)).get();
  return row && asTariff(row);
}

/** A tariff's fields as columns: bands as JSON text. */
const columnsOf = <T extends Partial<TariffInput>>({ bands, ...rest }: T) => ({
  ...rest,
  bands: bands === undefined ? undefined : bands === null ? null : JSON.stringify(bands),
});

export async function createTariff(db: Db, t: TariffInput): Promise<number> {
  const row = await db.insert(tariffs).values(columnsOf(t)).returning({ id: tariffs.id }).get();
  return row.id;
}

export const updateTariff = (db: Db, id: number, t: Partial<TariffInput>) =>
  updateStamped(db, tariffs, eq(tariffs.id, id), columnsOf(t));

/** Deletes a tariff no meter is assigned to: "assigned" when one is, "missing" when there is none. */
export async function deleteTariff(db: Db, id: number): Promise<"deleted" | "assigned" | "missing"> {
  // One statement decides: an assignment made meanwhile keeps the tariff.
  const removed = await db
    .delete(tariffs)
    .where(and(eq(tariffs.id, id), sql`NOT EXISTS (SELECT 1 FROM meter_tariffs WHERE tariff_id = ${id})`))
    .returning({ id: tariffs.id });
  if (removed.length) return "deleted";
  return (await db.select({ id: tariffs.id }).from(tariffs).where(eq(tariffs.id, id)).get())
    ? "assigned"
    : "missing";
}

// ---------------------------------------------------------------------------------------------
// price series

/** Stores prices per day, merged period by period over what is stored (new over old). */
export async function storePrices(db: Db, tariffId: number, days: PriceDays): Promise<void> {
  const dates = [...days.keys()].sort();
  const stored = await readPrices(db, [tariffId], dates[0], dates[dates.length - 1]);
  const old = stored.get(tariffId);
  const rows = dates.map((date) => {
    const next = days.get(date)!;
    const before = old?.get(date);
    const merged = before ? next.map((v, i) => v ?? before[i] ?? null) : next;
    return [date, JSON.stringify(merged)];
  });
  // One JSON parameter per statement, a few hundred days at a time (D1 binds at most 100 values).
  const statements = [];
  for (let i = 0; i < rows.length; i += 500) {
    statements.push(
      db.run(sql`INSERT INTO tariff_prices (tariff_id, date, prices)
        SELECT ${tariffId}, value->>0, value->>1 FROM json_each(${JSON.stringify(rows.slice(i, i + 500))}) WHERE 1
        ON CONFLICT (tariff_id, date) DO UPDATE SET prices = excluded.prices`),
    );
  }
  await Promise.all(statements);
  await db.run(sql`UPDATE tariffs SET prices_version = prices_version + 1 WHERE id = ${tariffId}`);
}

/** Each dynamic tariff's prices version (see tariffs.prices_version). */
export async function priceVersions(db: Db, tariffIds: number[]): Promise<Map<number, number>> {
  if (tariffIds.length === 0) return new Map();
  const rows = await db.values<[number, number]>(sql`
    SELECT id, prices_version FROM tariffs WHERE id IN (SELECT value FROM json_each(${JSON.stringify(tariffIds)}))`);
  return new Map(rows);
}

/** Prices of tariffs over settlement dates [from, to], one query: tariff id → date → prices. */
export async function readPrices(
  db: Db,
  tariffIds: number[],
  from: string,
  to: string,
): Promise<Map<number, DayPrices>> {
  const out = new Map<number, Map<string, (number | null)[]>>();
  if (tariffIds.length === 0) return out;
  // The stored JSON texts are spliced together as they are: SQLite's json functions would parse and
  // print every array again, which for a year of several series costs more than all the pricing.
  const rows = await db.values<[number, string, string]>(sql`
    SELECT tariff_id, json_group_array(date), '[' || group_concat(prices, ',') || ']' FROM (
      SELECT tariff_id, date, prices FROM tariff_prices
      WHERE tariff_id IN (SELECT value FROM json_each(${JSON.stringify(tariffIds)}))
        AND date BETWEEN ${from} AND ${to}
      ORDER BY tariff_id, date)
    GROUP BY tariff_id`);
  for (const [id, datesJson, pricesJson] of rows) {
    const dates = JSON.parse(datesJson) as string[];
    const prices = JSON.parse(pricesJson) as (number | null)[][];
    out.set(id, new Map(dates.map((date, i) => [date, prices[i]])));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// meters, their readings and their assignments

export type PricedMeter = { id: number; mpan: string; fuel: Fuel; siteId: number };

/** A visible site's meters (of one fuel, when given). */
export function siteMeters(db: Db, p: Principal, siteId: number, fuel?: Fuel): Promise<PricedMeter[]> {
  return db
    .select({ id: meters.id, mpan: meters.mpan, fuel: meters.fuel, siteId: meters.siteId })
    .from(meters)
    .where(
      and(
        eq(meters.siteId, siteId),
        fuel ? eq(meters.fuel, fuel) : undefined,
        visibleSites(p, sql`${meters.siteId}`),
      ),
    )
    .orderBy(asc(meters.mpan));
}

/** Every visible meter with its site's name: the cost report's rows. */
export function visibleMeters(db: Db, p: Principal) {
  return db
    .select({ id: meters.id, mpan: meters.mpan, fuel: meters.fuel, siteId: meters.siteId, site: sites.name })
    .from(meters)
    .innerJoin(sites, eq(sites.id, meters.siteId))
    .where(visibleSites(p, sql`${meters.siteId}`))
    .orderBy(asc(sites.name), asc(meters.mpan));
}

/**
 * The stored days of meters in [from, to]: one row per meter, its days as one JSON array (D1 hands over
 * each cell at a cost, SQLite's JSON is cheap).
 */
export async function readingDays(
  db: Db,
  meterIds: number[],
  from: string,
  to: string,
): Promise<Map<number, ReadingDay[]>> {
  const out = new Map<number, ReadingDay[]>(meterIds.map((id) => [id, []]));
  if (meterIds.length === 0) return out;
  // As for prices: the periods' JSON texts are spliced, not parsed and printed again by SQLite.
  const rows = await db.values<[number, string]>(sql`
    SELECT meter_id, '[' || group_concat(json_array(date, total_kwh) || ',' || coalesce(periods, 'null'), ',') || ']'
    FROM (SELECT meter_id, date, total_kwh, periods FROM readings
      WHERE meter_id IN (SELECT value FROM json_each(${JSON.stringify(meterIds)})) AND date BETWEEN ${from} AND ${to}
      ORDER BY meter_id, date)
    GROUP BY meter_id`);
  for (const [id, json] of rows) {
    // Flat: date, kWh, periods, date, kWh, periods…
    const flat = JSON.parse(json) as ([string, number] | (number | null)[] | null)[];
    const days: ReadingDay[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const [date, kwh] = flat[i] as [string, number];
      days.push({ date, kwh, periods: flat[i + 1] as (number | null)[] | null });
    }
    out.set(id, days);
  }
  return out;
}

/** The last settlement date with readings among meters (for the default window), or null. */
export async function lastReadingDate(db: Db, meterIds: number[]): Promise<string | null> {
  if (meterIds.length === 0) return null;
  const row = await db.values<[string | null]>(sql`
    SELECT max(date) FROM readings WHERE meter_id IN (SELECT value FROM json_each(${JSON.stringify(meterIds)}))`);
  return row[0]?.[0] ?? null;
}

const assignmentColumns = {
  id: meterTariffs.id,
  meterId: meterTariffs.meterId,
  tariffId: meterTariffs.tariffId,
  tariffName: tariffs.name,
  from: meterTariffs.fromDate,
  to: meterTariffs.toDate,
};

/** Meters' assignments, oldest first; only those touching [from, to] when given. */
export function assignments(db: Db, meterIds: number[], window?: { from: string; to: string }) {
  return db
    .select(assignmentColumns)
    .from(meterTariffs)
    .innerJoin(tariffs, eq(tariffs.id, meterTariffs.tariffId))
    .where(
      and(
        sql`${meterTariffs.meterId} IN (SELECT value FROM json_each(${JSON.stringify(meterIds)}))`,
        window
          ? sql`${meterTariffs.fromDate} <= ${window.to} AND (${meterTariffs.toDate} IS NULL OR ${meterTariffs.toDate} >= ${window.from})`
          : undefined,
      ),
    )
    .orderBy(asc(meterTariffs.meterId), asc(meterTariffs.fromDate));
}

/** Whether any meter has (or had) the tariff. */
export async function tariffAssigned(db: Db, tariffId: number): Promise<boolean> {
  const row = await db
    .select({ id: meterTariffs.id })
    .from(meterTariffs)
    .where(eq(meterTariffs.tariffId, tariffId))
    .get();
  return row !== undefined;
}

/**
 * Assigns a tariff to a meter from a date (to another, or open-ended), unless the dates overlap one of its
 * assignments: the INSERT checks, so two overlapping assignments racing cannot both be written.
 */
export async function assign(db: Db, meterId: number, tariffId: number, from: string, to: string | null) {
  const end = to ?? "9999-12-31";
  const row = await db.values<[number]>(sql`
    INSERT INTO meter_tariffs (meter_id, tariff_id, from_date, to_date)
    SELECT ${meterId}, ${tariffId}, ${from}, ${to}
    WHERE NOT EXISTS (SELECT 1 FROM meter_tariffs WHERE meter_id = ${meterId}
      AND from_date <= ${end} AND coalesce(to_date, '9999-12-31') >= ${from})
    RETURNING id`);
  return row[0]?.[0];
}

// ---------------------------------------------------------------------------------------------
// stored analyses

export async function saveAnalysis(
  db: Db,
  a: {
    siteId: number;
    meterId: number | null;
    from: string;
    to: string;
    inputs: unknown;
    results: unknown;
    createdBy: number | null;
  },
): Promise<{ id: number; createdAt: string }> {
  return db
    .insert(switchingAnalyses)
    .values({
      siteId: a.siteId,
      meterId: a.meterId,
      fromDate: a.from,
      toDate: a.to,
      inputs: JSON.stringify(a.inputs),
      results: JSON.stringify(a.results),
      createdBy: a.createdBy,
    })
    .returning({ id: switchingAnalyses.id, createdAt: switchingAnalyses.createdAt })
    .get();
}

const analysisColumns = {
  id: switchingAnalyses.id,
  siteId: switchingAnalyses.siteId,
  siteName: sites.name,
  mpan: meters.mpan,
  from: switchingAnalyses.fromDate,
  to: switchingAnalyses.toDate,
  results: switchingAnalyses.results,
  createdBy: switchingAnalyses.createdBy,
  createdAt: switchingAnalyses.createdAt,
};

const analysisQuery = (db: Db, p: Principal, where?: SQL) =>
  visibleTo(db.select(analysisColumns).from(switchingAnalyses), p, switchingAnalyses.siteId, where)
    .innerJoin(sites, eq(sites.id, switchingAnalyses.siteId))
    .leftJoin(meters, eq(meters.id, switchingAnalyses.meterId));

export function listAnalyses(
  db: Db,
  p: Principal,
  filter: { mpan?: string; siteId?: number; limit: number; offset: number },
) {
  return analysisQuery(db, p, equalTo(filter, { mpan: meters.mpan, siteId: switchingAnalyses.siteId }))
    .orderBy(desc(switchingAnalyses.id))
    .limit(filter.limit)
    .offset(filter.offset);
}

export function getAnalysis(db: Db, p: Principal, id: number) {
  return analysisQuery(db, p, eq(switchingAnalyses.id, id)).get();
}
