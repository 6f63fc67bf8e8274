// D1 access for meters, always through the caller's visibility.
import { and, asc, eq, like, or, sql, type SQL } from "drizzle-orm";
import { visibleSites } from "../access/scope";
import type { Principal } from "../auth/principal";
import type { Db } from "../db/client";
import { meters, sites, suppliers } from "../db/schema";
import type { Fuel } from "../enums";

const meterColumns = {
  id: meters.id,
  mpan: meters.mpan,
  fuel: meters.fuel,
  siteId: meters.siteId,
  siteName: sites.name,
  supplierId: meters.supplierId,
  supplierName: suppliers.name,
  serial: meters.serial,
  name: meters.name,
  status: meters.status,
};

function meterQuery(db: Db, p: Principal, where?: SQL) {
  return db
    .select(meterColumns)
    .from(meters)
    .innerJoin(sites, eq(sites.id, meters.siteId))
    .leftJoin(suppliers, eq(suppliers.id, meters.supplierId))
    .where(and(visibleSites(p, sql`${meters.siteId}`), where));
}

export async function listMeters(
  db: Db,
  p: Principal,
  filter: { q?: string; siteId?: number; fuel?: Fuel; limit: number; offset: number },
) {
  const q = filter.q ? `%${filter.q}%` : undefined;
  const where = and(
    q
      ? or(like(meters.mpan, q), like(meters.name, q), like(meters.serial, q), like(sites.name, q))
      : undefined,
    filter.siteId ? eq(meters.siteId, filter.siteId) : undefined,
    filter.fuel ? eq(meters.fuel, filter.fuel) : undefined,
  );
  const [data, total] = await Promise.all([
    meterQuery(db, p, where)
      .orderBy(asc(sites.name), asc(meters.mpan))
      .limit(filter.limit)
      .offset(filter.offset),
    db
      .select({ n: sql<number>`COUNT(*)` })
      .from(meters)
      .innerJoin(sites, eq(sites.id, meters.siteId))
      .where(and(visibleSites(p, sql`${meters.siteId}`), where))
      .get(),
  ]);
  return { data, total: total?.n ?? 0 };
}

export function getMeter(db: Db, p: Principal, mpan: string) {
  return meterQuery(db, p, eq(meters.mpan, mpan)).get();
}

/** The stored key for a meter named in a URL: a full 21-character MPAN is looked up by its core. */
export function meterKey(input: string): string {
  const compact = input.replace(/[\s-]/g, "");
  return compact.length === 21 ? compact.slice(8) : compact;
}
